"""Expected failures of tasks and draws (抽查任务与摇号), each with a Chinese message for the clerk.

The UI shows ``message_zh`` as is; ``str()`` of the exception is the same text, so logs read like the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import UserFacingError


class TaskError(UserFacingError):
    """Base class: an expected failure with a Chinese message (``message_zh``)."""


class NotFoundError(TaskError):
    """A task, draw, plan row, item, department, entity or inspector id that does not exist."""


class TaskSpecError(TaskError):
    """A task definition that cannot be used: no item, bad rate, unknown stratum label, bad cap …"""


class PoolError(TaskError):
    """The object pool cannot be turned into draw input (e.g. an entity with an unusable 风险等级)."""


class InfeasibleTaskDrawError(TaskError):
    """The draw cannot run (§8): too few qualified inspectors, a 回避 shortage, or nothing to draw.

    ``reasons`` holds one Chinese sentence per shortage; ``message_zh`` joins them.
    """

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("无法摇号：" + "；".join(reasons))
        self.reasons = tuple(reasons)


class DrawStateError(TaskError):
    """The task or draw attempt is not in a state that allows this step (e.g. finishing a voided draw)."""


class AlreadyDrawnError(DrawStateError):
    """The task already has a finished draw that has not been voided."""


class OpenAttemptError(DrawStateError):
    """An earlier attempt is prepared or committed but not finished; it must be voided first."""


class EmptyReasonError(TaskError):
    """A void (作废) or replacement (递补) was asked for without a reason."""


class WitnessInputError(TaskError):
    """Witness entries are unusable: empty name, a number that is not a non-negative integer, nothing entered."""


class NonceMismatchError(TaskError):
    """The nonce given at reveal does not hash to the commitment stored before the witnesses spoke."""


class InputsChangedError(TaskError):
    """The registries changed after the draw was prepared: the inputs no longer match the printed hashes."""


class RecordIntegrityError(TaskError):
    """A stored record or its replacement rows do not match (tampering or a damaged database)."""


class ReplacementRefusedError(TaskError):
    """A replacement (递补) cannot be made: wrong object or inspector, or nobody is left to choose."""
