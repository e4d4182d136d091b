"""The official holiday arrangements shipped in resources/calendar/ and their loading into CalendarDay.

Each ``<year>.json`` holds the days of one calendar year that differ from the Monday–Friday week, as the State
Council's notice (国务院办公厅关于XXXX年部分节假日安排的通知) fixes them. They are copied into the database on
demand with source ``bundled``. Rows the bureau entered or changed (source ``user``) are never overwritten, and
an official day the bureau deleted stays deleted (kept in the setting ``workdays.removed_days``) until the
bureau asks for 恢复官方安排 for that year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import bulk, record_event
from app.auth.roles import SYSTEM, Permission, acting_as, require
from app.paths import resources_dir
from app.workdays.entries import CalendarEntry, DaySource, year_bounds
from app.workdays.errors import NoOfficialCalendarError
from db.enums import CalendarDayKind
from db.models import CalendarDay, Setting

log = logging.getLogger(__name__)

# Which version of each bundled year is in the database ({"2025": sha256 of the file}).
LOADED_KEY = "workdays.bundled_loaded"
# Official days the bureau deleted (ISO dates); a later load must not bring them back.
REMOVED_KEY = "workdays.removed_days"


@dataclass(frozen=True)
class BundledYear:
    """One year's official arrangement as shipped."""

    year: int
    days: tuple[CalendarEntry, ...]
    source: (
        str  # where the data came from, e.g. "chinesecalendar 1.11.0（PyPI），已与国务院办公厅通知逐日核对"
    )
    notices: tuple[str, ...]  # the State Council notices it follows
    sha256: str  # of the file, so a corrected file shipped with a new version is loaded again


def calendar_dir() -> Path:
    """resources/calendar of the source tree or of the frozen build."""
    return resources_dir() / "calendar"


def _parse_year_file(path: Path) -> BundledYear:
    raw = path.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    year = int(data["year"])
    days = []
    for item in data["days"]:
        day = dt.date.fromisoformat(item["date"])
        if day.year != year:
            raise ValueError(f"{path.name}: {day} is not in {year}")
        days.append(
            CalendarEntry(day, CalendarDayKind(item["kind"]), str(item.get("name", "")), DaySource.BUNDLED)
        )
    return BundledYear(
        year=year,
        days=tuple(sorted(days, key=lambda e: e.day)),
        source=str(data.get("source", "")),
        notices=tuple(data.get("notices", ())),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@lru_cache(maxsize=4)
def _read_dir(directory: Path) -> dict[int, BundledYear]:
    years: dict[int, BundledYear] = {}
    for path in sorted(directory.glob("*.json")):
        if path.stem.isdigit():
            bundled = _parse_year_file(path)
            years[bundled.year] = bundled
    return years


def bundled_calendar() -> dict[int, BundledYear]:
    """Every shipped year, read once per process."""
    return _read_dir(calendar_dir())


def bundled_years() -> list[int]:
    """The years the program ships an official arrangement for, ascending."""
    return sorted(bundled_calendar())


def _setting(session: Session, key: str, default: object) -> object:
    row = session.get(Setting, key)
    return default if row is None else row.value


def _store_setting(session: Session, key: str, value: object) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value


def removed_days(session: Session) -> set[dt.date]:
    """Official days the bureau deleted."""
    stored = _setting(session, REMOVED_KEY, [])
    return {dt.date.fromisoformat(text) for text in stored} if isinstance(stored, list) else set()


def set_removed_days(session: Session, days: Iterable[dt.date]) -> None:
    """Replace the list of deleted official days."""
    _store_setting(session, REMOVED_KEY, sorted(d.isoformat() for d in set(days)))


def _loaded_marks(session: Session) -> dict[str, str]:
    stored = _setting(session, LOADED_KEY, {})
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}


def _load_year(session: Session, bundled: BundledYear, removed: set[dt.date]) -> None:
    first, last = year_bounds(bundled.year)
    existing = {
        row.day: row
        for row in session.scalars(select(CalendarDay).where(CalendarDay.day.between(first, last)))
    }
    wanted = {entry.day: entry for entry in bundled.days if entry.day not in removed}
    for day, row in existing.items():
        if row.source != DaySource.USER.value and day not in wanted:
            session.delete(row)  # an official day the corrected file no longer has
    for day, entry in wanted.items():
        current = existing.get(day)
        if current is None:
            session.add(
                CalendarDay(day=day, kind=entry.kind.value, name=entry.name, source=DaySource.BUNDLED.value)
            )
        elif current.source != DaySource.USER.value:
            current.kind, current.name, current.source = entry.kind.value, entry.name, DaySource.BUNDLED.value


def load_bundled(session: Session, years: Iterable[int] | None = None, *, force: bool = False) -> list[int]:
    """Copy the shipped years into CalendarDay where the database lacks them or has an older version.

    ``force`` loads again even when the stored version is current. User rows and deleted official days are
    always respected. Returns the years loaded. Flushes; the caller commits (a read-only caller that does not
    commit simply loads again next time).
    """
    shipped = bundled_calendar()
    wanted = sorted(shipped) if years is None else sorted(set(years) & set(shipped))
    marks = _loaded_marks(session)
    todo = [y for y in wanted if force or marks.get(str(y)) != shipped[y].sha256]
    if not todo:
        return []
    removed = removed_days(session)
    # The program's own reference data: loaded whoever is signed in, recorded once in the audit trail.
    with acting_as(session, SYSTEM), bulk(session):
        for year in todo:
            _load_year(session, shipped[year], removed)
            marks[str(year)] = shipped[year].sha256
        _store_setting(session, LOADED_KEY, marks)
        session.flush()
        record_event(
            session, "载入官方安排", "节假日", "", f"载入内置的官方节假日安排：{'、'.join(map(str, todo))}年"
        )
    log.info("official holiday arrangements loaded for %s", todo)
    return todo


def restore_official(session: Session, year: int) -> int:
    """恢复官方安排: drop every row of the year (the bureau's too) and load the shipped arrangement again.

    Returns how many of the bureau's own rows were replaced. Raises NoOfficialCalendarError for a year the
    program does not ship. The caller commits.
    """
    require(session, Permission.SETTINGS, "恢复官方节假日安排")
    shipped = bundled_calendar().get(year)
    if shipped is None:
        raise NoOfficialCalendarError(
            f"程序未内置{year}年的官方节假日安排，无法恢复。请录入或从文件导入该年度安排。"
        )
    first, last = year_bounds(year)
    rows = list(session.scalars(select(CalendarDay).where(CalendarDay.day.between(first, last))))
    replaced = sum(1 for row in rows if row.source == DaySource.USER.value)
    for row in rows:
        session.delete(row)
    session.flush()
    set_removed_days(session, {d for d in removed_days(session) if d.year != year})
    load_bundled(session, [year], force=True)
    return replaced
