"""Expected failures of the working-day calendar (节假日安排), each with a Chinese message for the clerk."""

from __future__ import annotations

from app.errors import UserFacingError


class CalendarError(UserFacingError, ValueError):
    """Base class: an expected failure with a Chinese message (``message_zh``), shown to the user as is."""


class CalendarEditError(CalendarError):
    """A day the clerk entered cannot be saved: already listed, bad kind, name too long, gone meanwhile …"""


class CalendarFileError(CalendarError):
    """An import file is unusable; ``problems`` lists one Chinese sentence per bad line (first ones only)."""

    def __init__(self, message_zh: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message_zh)
        self.problems = problems


class NoOfficialCalendarError(CalendarError):
    """The program carries no official arrangement (官方安排) for the year asked for."""
