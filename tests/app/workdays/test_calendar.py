"""Working-day arithmetic on the stored official calendar: 春节 and 国庆 2025, 2026's holidays, 调休 days."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.settings import BureauSettings, save_settings
from app.workdays import WorkCalendar, load_work_calendar, uncovered_message
from db.models import CalendarDay
from tests.app.workdays.conftest import d


@pytest.fixture
def calendar(session: Session) -> WorkCalendar:
    return load_work_calendar(session)


def test_loading_the_calendar_copies_the_shipped_years_into_the_database(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0
    load_work_calendar(session)
    session.commit()
    per_year = dict(
        session.execute(
            select(func.strftime("%Y", CalendarDay.day), func.count()).group_by(
                func.strftime("%Y", CalendarDay.day)
            )
        ).all()
    )
    assert per_year["2025"] == 33 and per_year["2026"] == 39
    assert set(session.scalars(select(CalendarDay.source).distinct())) == {"bundled"}


def test_make_up_sundays_and_saturdays_are_working_days(calendar: WorkCalendar) -> None:
    assert calendar.is_workday(d("2025-01-26"))  # Sunday, 调休 for 春节
    assert calendar.is_workday(d("2025-02-08"))  # Saturday
    assert calendar.is_workday(d("2025-09-28"))  # Sunday before 国庆
    assert calendar.is_workday(d("2026-01-04"))  # Sunday after 元旦 2026
    assert not calendar.is_workday(d("2025-01-25"))  # an ordinary Saturday
    assert not calendar.is_workday(d("2025-10-08"))  # Wednesday inside 国庆节、中秋节
    assert calendar.is_workday(d("2025-10-09"))


def test_add_workdays_across_spring_festival_2025(calendar: WorkCalendar) -> None:
    # Friday 24 January: the next working day is the 调休 Sunday, then Monday 27, then after the holiday.
    assert calendar.add_workdays(d("2025-01-24"), 1) == d("2025-01-26")
    assert calendar.add_workdays(d("2025-01-24"), 2) == d("2025-01-27")
    assert calendar.add_workdays(d("2025-01-24"), 3) == d("2025-02-05")
    assert calendar.add_workdays(d("2025-02-05"), 3) == d(
        "2025-02-08"
    )  # Wed, Thu, Fri … then the 班 Saturday
    assert calendar.add_workdays(d("2025-01-24"), 0) == d("2025-01-24")


def test_add_workdays_across_national_day_2025(calendar: WorkCalendar) -> None:
    assert calendar.add_workdays(d("2025-09-30"), 1) == d("2025-10-09")
    # Inspection on Friday 26 September: 28 (Sun 班), 29, 30, 9 Oct, 10, 11 (Sat 班), 13 → due Monday 13 October.
    assert calendar.add_workdays(d("2025-09-26"), 7) == d("2025-10-13")
    assert calendar.deadline_for_form(d("2025-09-26")) == d("2025-10-13")


def test_add_workdays_across_the_2026_holidays(calendar: WorkCalendar) -> None:
    assert calendar.add_workdays(d("2025-12-31"), 1) == d("2026-01-04")  # 元旦 1–3, then the 班 Sunday
    assert calendar.add_workdays(d("2026-02-13"), 1) == d("2026-02-14")  # 班 Saturday before 春节
    assert calendar.add_workdays(d("2026-02-14"), 1) == d("2026-02-24")  # nine days of 春节
    assert calendar.add_workdays(d("2026-02-27"), 1) == d("2026-02-28")  # 班 Saturday after
    assert calendar.add_workdays(d("2026-04-03"), 1) == d("2026-04-07")  # 清明 4–6
    assert calendar.add_workdays(d("2026-04-30"), 2) == d("2026-05-07")  # 劳动节 1–5
    assert calendar.add_workdays(d("2026-05-08"), 1) == d("2026-05-09")  # 班 Saturday
    assert calendar.add_workdays(d("2026-06-18"), 1) == d("2026-06-22")  # 端午 19–21
    assert calendar.add_workdays(d("2026-09-18"), 1) == d("2026-09-20")  # 班 Sunday
    assert calendar.add_workdays(d("2026-09-24"), 1) == d("2026-09-28")  # 中秋 25–27
    assert calendar.add_workdays(d("2026-09-30"), 1) == d("2026-10-08")  # 国庆 1–7
    assert calendar.add_workdays(d("2026-09-30"), 3) == d("2026-10-10")  # 8, 9, 10 (Sat 班)


def test_workdays_between_counts_after_the_first_date_up_to_the_second(calendar: WorkCalendar) -> None:
    assert calendar.workdays_between(d("2025-09-30"), d("2025-10-09")) == 1
    assert calendar.workdays_between(d("2025-09-26"), d("2025-10-13")) == 7
    assert calendar.workdays_between(d("2025-10-13"), d("2025-09-26")) == -7
    assert calendar.workdays_between(d("2025-10-01"), d("2025-10-08")) == 0
    # 2025: 261 Mondays–Fridays, 18 of them 休, plus 5 班 weekend days = 248 (1 January is a 休 anyway).
    assert calendar.workdays_between(d("2025-01-01"), d("2025-12-31")) == 248
    for start in (d("2025-01-20"), d("2025-09-25"), d("2026-02-10")):
        for n in range(0, 15):
            assert calendar.workdays_between(start, calendar.add_workdays(start, n)) == n


def test_deadlines_follow_the_settings(session: Session) -> None:
    save_settings(session, BureauSettings(form_deadline_workdays=3, publication_deadline_workdays=20))
    session.commit()
    calendar = load_work_calendar(session)
    assert calendar.deadline_for_form(d("2025-09-26")) == d("2025-09-30")
    # From 30 September, 20 working days: 9–11 Oct (3), 13–17 (8), 20–24 (13), 27–31 (18), 3–4 Nov (20).
    assert calendar.deadline_for_publication(d("2025-09-30")) == d("2025-11-04")


def test_years_without_an_arrangement_fall_back_to_monday_to_friday(calendar: WorkCalendar) -> None:
    assert calendar.covered(2025) and calendar.covered(2026)
    assert not calendar.covered(2027)
    assert calendar.uncovered_years(d("2026-12-20"), d("2027-01-15")) == [2027]
    # 1 January 2027 is a Friday: counted as a working day, since no notice for 2027 has been entered.
    assert calendar.is_workday(d("2027-01-01"))
    assert calendar.add_workdays(d("2026-12-31"), 1) == d("2027-01-01")
    assert calendar.add_workdays(d("2027-01-01"), 1) == d("2027-01-04")
    assert uncovered_message(2027).startswith("2027年节假日安排尚未录入")


def test_a_calendar_without_any_data_is_monday_to_friday() -> None:
    plain = WorkCalendar.weekdays_only()
    assert plain.add_workdays(d("2025-09-30"), 1) == d("2025-10-01")
    assert not plain.covered(2025)
    with pytest.raises(ValueError):
        plain.add_workdays(d("2025-09-30"), -1)


def test_a_calendar_is_answered_from_memory(session: Session) -> None:
    calendar = load_work_calendar(session)
    session.close()  # no database behind it any more
    assert calendar.add_workdays(dt.date(2025, 9, 30), 1) == d("2025-10-09")
