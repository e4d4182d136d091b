"""The shipped holiday arrangements, checked day by day against the State Council notices (typed in by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.workdays import bundled_calendar, bundled_years
from db.enums import CalendarDayKind


def _span(year: int, first: str, last: str) -> set[dt.date]:
    start = dt.date.fromisoformat(f"{year}-{first}")
    end = dt.date.fromisoformat(f"{year}-{last}")
    return {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}


def _days(year: int, spans: list[str]) -> set[dt.date]:
    found: set[dt.date] = set()
    for span in spans:
        first, _, last = span.partition("~")
        found |= _span(year, first, last or first)
    return found


# 放假 (休) spans and 调休上班 (班) days, as the notices 国务院办公厅关于XXXX年部分节假日安排的通知 give them
# (days of the year only: e.g. 2023's 元旦 began on 2022-12-31).
NOTICES = {
    2019: (
        ["01-01", "02-04~02-10", "04-05~04-07", "05-01~05-04", "06-07~06-09", "09-13~09-15", "10-01~10-07"],
        ["02-02", "02-03", "04-28", "05-05", "09-29", "10-12"],
    ),
    2020: (  # 春节 extended to 2 February by the State Council's notice of 26 January 2020
        ["01-01", "01-24~02-02", "04-04~04-06", "05-01~05-05", "06-25~06-27", "10-01~10-08"],
        ["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"],
    ),
    2021: (
        [
            "01-01~01-03",
            "02-11~02-17",
            "04-03~04-05",
            "05-01~05-05",
            "06-12~06-14",
            "09-19~09-21",
            "10-01~10-07",
        ],
        ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"],
    ),
    2022: (
        [
            "01-01~01-03",
            "01-31~02-06",
            "04-03~04-05",
            "04-30~05-04",
            "06-03~06-05",
            "09-10~09-12",
            "10-01~10-07",
            "12-31",
        ],
        ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"],
    ),
    2023: (
        ["01-01~01-02", "01-21~01-27", "04-05", "04-29~05-03", "06-22~06-24", "09-29~10-06", "12-30~12-31"],
        ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"],
    ),
    2024: (
        ["01-01", "02-10~02-17", "04-04~04-06", "05-01~05-05", "06-10", "09-15~09-17", "10-01~10-07"],
        ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"],
    ),
    2025: (
        ["01-01", "01-28~02-04", "04-04~04-06", "05-01~05-05", "05-31~06-02", "10-01~10-08"],
        ["01-26", "02-08", "04-27", "09-28", "10-11"],
    ),
    2026: (
        [
            "01-01~01-03",
            "02-15~02-23",
            "04-04~04-06",
            "05-01~05-05",
            "06-19~06-21",
            "09-25~09-27",
            "10-01~10-07",
        ],
        ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
    ),
}


def test_every_checked_year_is_shipped_and_nothing_else() -> None:
    assert bundled_years() == sorted(NOTICES)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_shipped_year_matches_the_notice(year: int) -> None:
    holidays, workdays = NOTICES[year]
    shipped = bundled_calendar()[year]
    assert {e.day for e in shipped.days if e.kind is CalendarDayKind.HOLIDAY} == _days(year, holidays)
    assert {e.day for e in shipped.days if e.kind is CalendarDayKind.WORKDAY} == _days(year, workdays)
    assert all(e.name for e in shipped.days)
    assert all(e.day.weekday() >= 5 for e in shipped.days if e.kind is CalendarDayKind.WORKDAY)
    assert shipped.notices and f"{year}年部分节假日安排" in shipped.notices[0]


def test_days_carry_the_names_the_notices_use() -> None:
    names = {e.day: e.name for year in (2025, 2026) for e in bundled_calendar()[year].days}
    assert names[dt.date(2025, 1, 26)] == "春节"  # the 调休 Sunday before 春节
    assert names[dt.date(2025, 10, 6)] == "国庆节、中秋节"
    assert names[dt.date(2025, 9, 28)] == "国庆节、中秋节"
    assert names[dt.date(2026, 1, 4)] == "元旦"
    assert names[dt.date(2026, 9, 25)] == "中秋节"
    assert names[dt.date(2026, 9, 20)] == "国庆节"
