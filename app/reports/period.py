"""统计期间: the dates a statistics table covers — a year, a half-year, a quarter, or any two dates.

    Period.year(2026)                # 2026年度, 1 January – 31 December
    Period.half(2026, 1)             # 2026年上半年
    Period.quarter(2026, 3)          # 2026年第三季度
    Period.between(start, end)       # 2026年3月1日至2026年5月31日 (or a label of one's own)

Both ends are included. Which date of each record decides whether it falls in a period is said in
:mod:`app.reports.facts`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.reports.errors import ReportInputError

__all__ = ["MAX_YEAR", "MIN_YEAR", "Period"]

MIN_YEAR, MAX_YEAR = 2000, 2100
_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportInputError(f"统计年度应为 {MIN_YEAR}–{MAX_YEAR} 之间的整数，当前为 {year!r}")
    return year


def date_text(day: dt.date) -> str:
    """``2026年3月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Period:
    """A reporting period, ``start`` and ``end`` included, with the label the tables print."""

    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        for day, what in ((self.start, "开始日期"), (self.end, "结束日期")):
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise ReportInputError(f"统计期间的{what}不是日期：{day!r}")
            _check_year(day.year)
        if self.start > self.end:
            raise ReportInputError(
                f"统计期间的开始日期（{date_text(self.start)}）晚于结束日期（{date_text(self.end)}）"
            )
        if not isinstance(self.label, str) or not self.label.strip():
            raise ReportInputError("统计期间的名称不能为空")

    @classmethod
    def year(cls, year: int) -> Period:
        """The whole calendar year: ``2026年度``."""
        y = _check_year(year)
        return cls(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年度")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """``half`` 1 = 上半年 (January–June), 2 = 下半年 (July–December)."""
        y = _check_year(year)
        if half not in (1, 2) or isinstance(half, bool):
            raise ReportInputError(f"半年应为 1（上半年）或 2（下半年），当前为 {half!r}")
        if half == 1:
            return cls(dt.date(y, 1, 1), dt.date(y, 6, 30), f"{y}年上半年")
        return cls(dt.date(y, 7, 1), dt.date(y, 12, 31), f"{y}年下半年")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """``quarter`` 1–4: ``2026年第一季度`` …"""
        y = _check_year(year)
        if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
            raise ReportInputError(f"季度应为 1–4，当前为 {quarter!r}")
        first = 3 * quarter - 2
        last = first + 2
        return cls(
            dt.date(y, first, 1),
            dt.date(y, last, calendar.monthrange(y, last)[1]),
            f"{y}年{_QUARTERS[quarter - 1]}",
        )

    @classmethod
    def between(cls, start: dt.date, end: dt.date, label: str = "") -> Period:
        """Any two dates (both included); the label defaults to ``2026年3月1日至2026年5月31日``."""
        if isinstance(start, dt.date) and isinstance(end, dt.date) and not label.strip():
            label = f"{date_text(start)}至{date_text(end)}"
        return cls(start, end, label.strip() or "自定义期间")

    def contains(self, day: dt.date | None) -> bool:
        """Whether ``day`` lies in the period (None never does)."""
        return day is not None and self.start <= day <= self.end

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """Whether the span ``first``–``last`` (both included) shares at least one day with the period."""
        return first <= self.end and last >= self.start

    @property
    def years(self) -> range:
        """The calendar years the period touches."""
        return range(self.start.year, self.end.year + 1)

    @property
    def title_year(self) -> str:
        """The year in a table's title (``2026``, or ``2025—2026`` for a period across a new year)."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}—{self.end.year}"

    @property
    def span_text(self) -> str:
        """``2026年上半年（2026年1月1日至2026年6月30日）``."""
        return f"{self.label}（{date_text(self.start)}至{date_text(self.end)}）"

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def to_json_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Period:
        try:
            return cls(
                dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]), str(data["label"])
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReportInputError(f"统计期间无法读取：{exc}") from None
