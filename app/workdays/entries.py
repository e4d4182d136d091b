"""What one exception day of the calendar looks like outside the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from db.enums import CalendarDayKind

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class DaySource(StrEnum):
    """Where a CalendarDay row came from (stored in CalendarDay.source)."""

    BUNDLED = "bundled"  # the official arrangement shipped with the program (官方安排)
    USER = "user"  # entered, edited or imported by the bureau; never overwritten by the program


SOURCE_LABELS = {DaySource.BUNDLED.value: "官方安排", DaySource.USER.value: "本单位录入"}
KIND_LABELS = {CalendarDayKind.HOLIDAY.value: "休（放假）", CalendarDayKind.WORKDAY.value: "班（调休上班）"}


def weekday_name(day: dt.date) -> str:
    """星期一 … 星期日."""
    return WEEKDAY_NAMES[day.weekday()]


def is_weekend(day: dt.date) -> bool:
    """Saturday or Sunday."""
    return day.weekday() >= 5


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """1 January and 31 December of the year."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class CalendarEntry:
    """An exception to the Monday–Friday week: 休 (a day off) or 班 (a 调休 make-up working day)."""

    day: dt.date
    kind: CalendarDayKind
    name: str = ""
    source: DaySource = DaySource.USER

    @property
    def weekday(self) -> str:
        """星期一 … 星期日."""
        return weekday_name(self.day)

    @property
    def source_label(self) -> str:
        """官方安排 or 本单位录入."""
        return SOURCE_LABELS[self.source.value]

    @property
    def is_workday(self) -> bool:
        return self.kind is CalendarDayKind.WORKDAY
