"""Working days (工作日) for deadlines: Monday–Friday, except 法定节假日 (休) and with 调休 make-up days (班)
taken from the ``calendar_day`` table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import CalendarDayKind
from db.models import CalendarDay


def add_workdays(session: Session, start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    A weekday listed as 休 is a holiday; a weekend day listed as 班 is a working day. With no calendar rows
    for the period, only weekends are skipped.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # Holidays never run longer than a few weeks, so a generous window always holds the answer.
    window_end = start + dt.timedelta(days=days * 2 + 40)
    exceptions = {
        day: kind
        for day, kind in session.execute(
            select(CalendarDay.day, CalendarDay.kind).where(
                CalendarDay.day > start, CalendarDay.day <= window_end
            )
        )
    }
    current, left = start, days
    while left:
        current += dt.timedelta(days=1)
        if current > window_end:  # only with an absurd calendar; extend and continue
            return add_workdays(session, current - dt.timedelta(days=1), left)
        if is_workday(current, exceptions.get(current)):
            left -= 1
    return current


def is_workday(day: dt.date, calendar_kind: str | None) -> bool:
    """True for a working day, given the ``calendar_day`` kind of that date (None when not listed)."""
    if calendar_kind == CalendarDayKind.HOLIDAY.value:
        return False
    if calendar_kind == CalendarDayKind.WORKDAY.value:
        return True
    return day.weekday() < 5
