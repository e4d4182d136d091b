"""Exceptions of the draw engine (摇号引擎).

Every expected failure carries a Chinese ``message`` meant for the clerk or the watchers; the
English ``str()`` of the exception is the same message, so logs read the same as the screen.
"""

from __future__ import annotations


class DrawError(Exception):
    """Base class: an expected failure with a Chinese message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DrawError):
    """The object/inspector/conflict lists are unusable (duplicate or empty ids, unknown stratum…)."""


class ForbiddenTextError(InputError):
    """A text field contains TAB, CR or LF (or cannot be encoded as UTF-8); SJDRAW-1 §1 rejects it."""

    def __init__(self, message: str, *, field: str, value: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class ParamsError(DrawError):
    """The params text (抽取参数) does not follow SJDRAW-1 §2."""


class InfeasibleDrawError(DrawError):
    """Some object that could be drawn has fewer than k free inspectors in a group (§8)."""


class ReplacementError(DrawError):
    """A replacement (递补) cannot be made: unknown object/inspector, or nobody left to choose."""


class RecordError(DrawError):
    """A draw record (摇号记录) is malformed: missing keys, wrong types, bad values."""
