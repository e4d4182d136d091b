"""WorkCalendar: working-day arithmetic (工作日计算) over the official calendar, held in memory.

Build one per screen or report with :func:`load_work_calendar` and call it as often as needed: every question is
answered from a dict, without touching the database. Days not listed follow the Monday–Friday week, which is
also the fallback for years whose arrangement has not been entered (:meth:`WorkCalendar.covered` says which).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.settings import load_settings
from app.workdays.bundled import load_bundled
from db.enums import CalendarDayKind
from db.models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


def uncovered_message(year: int) -> str:
    """The warning shown wherever a deadline falls in a year without an arrangement."""
    return f"{year}年节假日安排尚未录入，该年度按周一至周五计算工作日。"


class WorkCalendar:
    """Which days are working days (工作日): Monday–Friday, except 休 days, plus 调休 班 days.

    ``form_deadline_workdays`` and ``publication_deadline_workdays`` are the bureau's settings (登记表期限,
    公示期限) used by :meth:`deadline_for_form` and :meth:`deadline_for_publication`.
    """

    def __init__(
        self,
        exceptions: Mapping[dt.date, CalendarDayKind | str],
        covered_years: Iterable[int] = (),
        *,
        form_deadline_workdays: int = 7,
        publication_deadline_workdays: int = 7,
    ) -> None:
        self._workday_exceptions = {
            day: CalendarDayKind(kind) is CalendarDayKind.WORKDAY for day, kind in exceptions.items()
        }
        self._covered = frozenset(covered_years) | {day.year for day in exceptions}
        self.form_deadline_workdays = form_deadline_workdays
        self.publication_deadline_workdays = publication_deadline_workdays
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    @classmethod
    def weekdays_only(cls) -> WorkCalendar:
        """Monday–Friday with no holidays at all (what every uncovered year falls back to)."""
        return cls({})

    def covered(self, year: int) -> bool:
        """Whether the year's holiday arrangement is known (else Monday–Friday is assumed for it)."""
        return year in self._covered

    def uncovered_years(self, first: dt.date, last: dt.date) -> list[int]:
        """Years between two dates (either order) whose arrangement is missing."""
        low, high = sorted((first.year, last.year))
        return [year for year in range(low, high + 1) if not self.covered(year)]

    def is_workday(self, day: dt.date) -> bool:
        """True for a working day: a listed 班 day, or a Monday–Friday not listed as 休."""
        listed = self._workday_exceptions.get(day)
        return day.weekday() < 5 if listed is None else listed

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself is not counted; n = 0 gives ``start``)."""
        if n < 0:
            raise ValueError("n must not be negative")
        key = (start, n)
        found = self._added.get(key)
        if found is None:
            found, left = start, n
            while left:
                found += ONE_DAY
                if self.is_workday(found):
                    left -= 1
            self._added[key] = found
        return found

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

        So ``workdays_between(a, add_workdays(a, n)) == n``, and for a deadline ``d`` seen on ``today``,
        ``workdays_between(today, d)`` is the working days left (0 = due today, < 0 = overdue by that many).
        """
        if b < a:
            return -self.workdays_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def deadline_for_form(self, inspection_date: dt.date) -> dt.date:
        """执法检查登记表 due date: the N-th working day after the inspection (N = 登记表期限)."""
        return self.add_workdays(inspection_date, self.form_deadline_workdays)

    def deadline_for_publication(self, task_end: dt.date) -> dt.date:
        """公示 due date: the N-th working day after the task's end (N = 公示期限)."""
        return self.add_workdays(task_end, self.publication_deadline_workdays)


def load_work_calendar(session: Session) -> WorkCalendar:
    """The calendar as stored (after loading any shipped year the database lacks), with the bureau's deadlines.

    May add the shipped years to the session (flushed); commit to keep them, or they are loaded again next time.
    """
    load_bundled(session)
    rows = session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
    settings = load_settings(session)
    return WorkCalendar(
        {day: kind for day, kind in rows},
        form_deadline_workdays=settings.form_deadline_workdays,
        publication_deadline_workdays=settings.publication_deadline_workdays,
    )
