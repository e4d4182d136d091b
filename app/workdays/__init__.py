"""工作日 and 节假日: the official Chinese holiday calendar with 调休 make-up days, and the deadlines built on it.

::

    calendar = load_work_calendar(session)           # in memory; loads shipped years into CalendarDay if needed
    calendar.is_workday(dt.date(2025, 1, 26))        # True: a Sunday worked for 春节 (调休)
    calendar.add_workdays(dt.date(2025, 9, 30), 1)   # 2025-10-09, after 国庆节、中秋节
    calendar.deadline_for_form(inspection_date)      # + 登记表期限 working days (setting)
    calendar.covered(2027)                           # False → uncovered_message(2027) for the UI
    due_items(session, today)                        # 首页: forms, 公示 and plan rows due or overdue

The 系统设置 → 节假日 panel uses :mod:`app.workdays.admin` (list, add / edit / delete the bureau's days),
:func:`restore_official` (恢复官方安排) and :mod:`app.workdays.importer` (a year from CSV / xlsx).
"""

from app.workdays.admin import (
    DayInput,
    YearSummary,
    calendar_years,
    check_day,
    delete_day,
    list_year,
    save_day,
    year_summary,
)
from app.workdays.bundled import BundledYear, bundled_calendar, bundled_years, load_bundled, restore_official
from app.workdays.calendar import WorkCalendar, load_work_calendar, uncovered_message
from app.workdays.due import DueDate, DueItems, FormDue, PlanRowDue, PublicationDue, due_items
from app.workdays.entries import CalendarEntry, DaySource, weekday_name
from app.workdays.errors import CalendarEditError, CalendarError, CalendarFileError, NoOfficialCalendarError
from app.workdays.importer import CalendarFile, ImportOutcome, import_calendar_year, read_calendar_file

__all__ = [
    "BundledYear",
    "CalendarEditError",
    "CalendarEntry",
    "CalendarError",
    "CalendarFile",
    "CalendarFileError",
    "DayInput",
    "DaySource",
    "DueDate",
    "DueItems",
    "FormDue",
    "ImportOutcome",
    "NoOfficialCalendarError",
    "PlanRowDue",
    "PublicationDue",
    "WorkCalendar",
    "YearSummary",
    "bundled_calendar",
    "bundled_years",
    "calendar_years",
    "check_day",
    "delete_day",
    "due_items",
    "import_calendar_year",
    "list_year",
    "load_bundled",
    "load_work_calendar",
    "read_calendar_file",
    "restore_official",
    "save_day",
    "uncovered_message",
    "weekday_name",
    "year_summary",
]
