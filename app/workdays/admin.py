"""The 节假日 settings table: list a year's exception days, add / edit / delete the bureau's own days.

Every function takes a session and leaves committing to the caller (one edit = one transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission, require
from app.workdays.bundled import bundled_calendar, load_bundled, removed_days, set_removed_days
from app.workdays.calendar import uncovered_message
from app.workdays.entries import CalendarEntry, DaySource, is_weekend, weekday_name, year_bounds
from app.workdays.errors import CalendarEditError
from db.enums import CalendarDayKind
from db.models import CalendarDay

NAME_MAX = 50  # CalendarDay.name


@dataclass(frozen=True)
class DayInput:
    """A day as the clerk typed it: date, 休 or 班, and the holiday's name."""

    day: dt.date
    kind: str
    name: str = ""


@dataclass(frozen=True)
class YearSummary:
    """What the panel says about a year: is it covered, by what."""

    year: int
    covered: bool
    official_available: bool  # the program ships this year (恢复官方安排 is possible)
    holidays: int  # 休 days listed
    workdays: int  # 班 days listed
    user_days: int  # rows entered or changed by the bureau
    removed_official: int  # official days the bureau deleted (恢复官方安排 brings them back)
    message: str


def calendar_years(session: Session, today: dt.date | None = None) -> list[int]:
    """Years worth offering in the year selector: shipped ones, stored ones, this year and next."""
    today = today or dt.date.today()
    stored = {day.year for day in session.scalars(select(CalendarDay.day))}
    return sorted(stored | set(bundled_calendar()) | {today.year, today.year + 1})


def list_year(session: Session, year: int) -> list[CalendarEntry]:
    """The year's exception days in date order (loading the shipped arrangement first if needed)."""
    load_bundled(session, [year])
    first, last = year_bounds(year)
    rows = session.scalars(
        select(CalendarDay).where(CalendarDay.day.between(first, last)).order_by(CalendarDay.day)
    )
    return [_entry(row) for row in rows]


def _entry(row: CalendarDay) -> CalendarEntry:
    source = DaySource.USER if row.source == DaySource.USER.value else DaySource.BUNDLED
    return CalendarEntry(row.day, CalendarDayKind(row.kind), row.name, source)


def year_summary(session: Session, year: int) -> YearSummary:
    """Counts for the year and one sentence for the panel (the warning when nothing is entered)."""
    entries = list_year(session, year)
    official = year in bundled_calendar()
    holidays = sum(1 for e in entries if e.kind is CalendarDayKind.HOLIDAY)
    user = sum(1 for e in entries if e.source is DaySource.USER)
    removed = sum(1 for day in removed_days(session) if day.year == year)
    if not entries:
        message = uncovered_message(year) + "请新增或从文件导入该年度的放假和调休上班日期。"
    else:
        message = f"{year}年节假日安排已录入：放假 {holidays} 天，调休上班 {len(entries) - holidays} 天"
        if not official:
            message += "，均为本单位录入（程序未内置该年度官方安排）。"
        elif user or removed:
            changes = [
                f"录入或修改 {user} 天" if user else "",
                f"删除官方日期 {removed} 天" if removed else "",
            ]
            message += f"；本单位{'、'.join(c for c in changes if c)}，其余为官方安排。"
        else:
            message += "，均为官方安排。"
    return YearSummary(
        year, bool(entries), official, holidays, len(entries) - holidays, user, removed, message
    )


def check_day(session: Session, entry: DayInput, replacing: dt.date | None = None) -> list[str]:
    """Refuse an unusable day (CalendarEditError) or return warnings the clerk should confirm.

    ``replacing`` is the date of the row being edited (None when adding).
    """
    if entry.kind not in (CalendarDayKind.HOLIDAY.value, CalendarDayKind.WORKDAY.value):
        raise CalendarEditError(f"类型只能是“休”（放假）或“班”（调休上班），不能是“{entry.kind}”。")
    if len(entry.name.strip()) > NAME_MAX:
        raise CalendarEditError(f"名称过长（最多 {NAME_MAX} 字）。")
    if replacing is not None and session.get(CalendarDay, replacing) is None:
        raise CalendarEditError(f"{replacing:%Y-%m-%d} 已不在列表中（可能已被删除），请刷新后重试。")
    if entry.day != replacing:
        clash = session.get(CalendarDay, entry.day)
        if clash is not None:
            raise CalendarEditError(
                f"{entry.day:%Y-%m-%d}（{weekday_name(entry.day)}）已在列表中"
                f"（{clash.kind} {clash.name}），请直接编辑该日。"
            )
    warnings = []
    weekday = weekday_name(entry.day)
    if entry.kind == CalendarDayKind.WORKDAY.value and not is_weekend(entry.day):
        warnings.append(f"{entry.day:%Y-%m-%d} 是{weekday}，本来就是工作日，标为“班”不改变任何期限。")
    if entry.kind == CalendarDayKind.HOLIDAY.value and is_weekend(entry.day):
        warnings.append(f"{entry.day:%Y-%m-%d} 是{weekday}，本来就不上班，标为“休”不改变任何期限。")
    return warnings


def save_day(session: Session, entry: DayInput, replacing: dt.date | None = None) -> list[str]:
    """Add (``replacing`` None) or edit a day; it becomes the bureau's own row (source user).

    Checks as :func:`check_day` (raising on errors) and returns its warnings. An official day moved to another
    date is remembered as deleted, so loading the official arrangement again does not bring it back.
    """
    require(session, Permission.SETTINGS, "修改节假日日历")
    warnings = check_day(session, entry, replacing)
    removed = removed_days(session)
    if replacing is not None and replacing != entry.day:
        old = session.get(CalendarDay, replacing)
        if old is not None:
            session.delete(old)
            session.flush()
        if _is_official(replacing):
            removed.add(replacing)
    removed.discard(entry.day)
    set_removed_days(session, removed)
    row = session.get(CalendarDay, entry.day)
    if row is None:
        row = CalendarDay(day=entry.day)
        session.add(row)
    row.kind, row.name, row.source = entry.kind, entry.name.strip(), DaySource.USER.value
    session.flush()
    return warnings


def delete_day(session: Session, day: dt.date) -> None:
    """Delete a listed day: it becomes an ordinary day of the week again, also after later official loads."""
    require(session, Permission.SETTINGS, "修改节假日日历")
    row = session.get(CalendarDay, day)
    if row is None:
        raise CalendarEditError(f"{day:%Y-%m-%d} 已不在列表中，请刷新后重试。")
    session.delete(row)
    if _is_official(day):
        set_removed_days(session, removed_days(session) | {day})
    session.flush()


def _is_official(day: dt.date) -> bool:
    shipped = bundled_calendar().get(day.year)
    return shipped is not None and any(entry.day == day for entry in shipped.days)
