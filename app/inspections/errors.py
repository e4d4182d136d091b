"""Expected failures of inspections (检查), filing (归档) and 公示, each with a Chinese message for the clerk.

The UI shows ``message_zh`` as is; ``str()`` of the exception is the same text, so logs read like the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import UserFacingError


class InspectionError(UserFacingError):
    """Base class: an expected failure with a Chinese message (``message_zh``)."""


class InspectionNotFoundError(InspectionError):
    """A task, inspection or inspector id that does not exist."""


class InspectionStateError(InspectionError):
    """The task or inspection is not in a state that allows this step (e.g. the draw is not finished yet)."""


class FiledInspectionError(InspectionStateError):
    """The 执法检查登记表 is filed (已归档) and can no longer be changed."""


class InspectionInputError(InspectionError):
    """A value the clerk entered is unusable; the message names the field (检查日期, 检查方式 …)."""


class InspectorNotAssignedError(InspectionInputError):
    """An inspector who is neither drawn for the object nor a recorded replacement (递补) was entered."""

    def __init__(self, message_zh: str, inspector_id: int) -> None:
        super().__init__(message_zh)
        self.inspector_id = inspector_id


class IncompleteInspectionError(InspectionInputError):
    """The form lacks required fields or contradicts itself, so it cannot be filed.

    ``problems`` holds one Chinese sentence per problem; ``message_zh`` joins them.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("登记表不能归档：" + "；".join(problems) + "。")
        self.problems = tuple(problems)


class DocumentNumberError(InspectionError):
    """A 文书编号 cannot be made: unusable number pattern setting, or the number is already taken."""


class PublicationError(InspectionError):
    """A 公示 cannot be recorded: task not finished, bad date or channel."""
