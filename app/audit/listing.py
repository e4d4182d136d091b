"""Listing the audit trail for the 审计日志 page: filters, newest first, read a window at a time.

The page keeps only the count and the windows of ids on screen (the log grows without end: every sign-in,
edit and export adds a line). SQL filters and orders; ids are the chain order, so "newest first" is
``id DESC`` and never depends on a clock that was set wrong. A listing is pinned to the last id present when
it was opened (``AuditFilter.up_to_id``) so entries appended meanwhile do not shift the windows already read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from app.audit.recorder import column_label, record_event
from app.io.xlsx_writer import XlsxColumn, write_xlsx
from db.models import AuditEntry, Department

__all__ = [
    "AUDIT_LABEL",
    "AuditDetail",
    "AuditFilter",
    "AuditRow",
    "FieldChange",
    "FilterChoices",
    "count_entries",
    "describe_filter",
    "entry_detail",
    "entry_ids",
    "export_entries",
    "fetch_entries",
    "field_changes",
    "filter_choices",
    "latest_id",
    "local_time_text",
    "position_of",
    "utc_bounds",
]

AUDIT_LABEL = "审计日志"
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class AuditFilter:
    """What the reader asked for. Dates are local calendar days, both ends included; empty texts match all."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    username: str = ""  # as stored (the actor's label, e.g. "王管理（admin）")
    action: str = ""
    object_type: str = ""
    text: str = ""  # words looked for in the summary and the object id, all of them
    up_to_id: int | None = None  # the listing as of this entry (see the module docstring)
    tz: dt.tzinfo | None = None  # the reader's time zone; None: this computer's

    @property
    def narrowed(self) -> bool:
        """True when anything but the pin is set (the page says 筛选出 … 条)."""
        return bool(
            self.date_from
            or self.date_to
            or self.username
            or self.action
            or self.object_type
            or self.text.strip()
        )


@dataclass(frozen=True)
class AuditRow:
    """One line of the listing."""

    id: int
    at: dt.datetime  # UTC, aware
    username: str
    action: str
    object_type: str
    object_id: str
    summary: str


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry's before/after, ready to show."""

    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditDetail:
    """An entry with everything the detail pane shows."""

    row: AuditRow
    user_id: int | None
    changes: list[FieldChange]
    hmac: str
    prev_hmac: str
    key_id: str


@dataclass(frozen=True)
class FilterChoices:
    """The values the filter combos offer: what occurs in the log."""

    usernames: list[str]
    actions: list[str]
    object_types: list[str]


def _local_midnight_utc(day: dt.date, tz: dt.tzinfo | None) -> dt.datetime:
    if tz is not None:
        return dt.datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(dt.UTC)
    # A naive datetime's astimezone() reads it as this computer's local time (daylight saving included).
    return dt.datetime(day.year, day.month, day.day).astimezone().astimezone(dt.UTC)


def utc_bounds(
    date_from: dt.date | None, date_to: dt.date | None, tz: dt.tzinfo | None = None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start, end) in UTC covering the local days date_from … date_to (either may be open)."""
    start = _local_midnight_utc(date_from, tz) if date_from is not None else None
    end = _local_midnight_utc(date_to + dt.timedelta(days=1), tz) if date_to is not None else None
    return start, end


def _terms(text: str) -> list[str]:
    return [t for t in re.split(r"\s+", text.strip()) if t][:8]


def _where(f: AuditFilter) -> list[ColumnElement[bool]]:
    table = AuditEntry
    where: list[ColumnElement[bool]] = []
    if f.up_to_id is not None:
        where.append(table.id <= f.up_to_id)
    start, end = utc_bounds(f.date_from, f.date_to, f.tz)
    if start is not None:
        where.append(table.at >= start)
    if end is not None:
        where.append(table.at < end)
    if f.username:
        where.append(table.username == f.username)
    if f.action:
        where.append(table.action == f.action)
    if f.object_type:
        where.append(table.object_type == f.object_type)
    for term in _terms(f.text):
        where.append(
            or_(
                table.summary.contains(term, autoescape=True), table.object_id.contains(term, autoescape=True)
            )
        )
    return where


def latest_id(session: Session) -> int:
    """The newest entry's id (0 for an empty log)."""
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


def count_entries(session: Session, f: AuditFilter) -> int:
    """How many entries match."""
    return int(session.scalar(select(func.count()).select_from(AuditEntry).where(*_where(f))) or 0)


def entry_ids(session: Session, f: AuditFilter, offset: int, limit: int) -> list[int]:
    """The ids of matching entries ``offset`` … ``offset + limit - 1``, newest first."""
    stmt = (
        select(AuditEntry.id)
        .where(*_where(f))
        .order_by(AuditEntry.id.desc())
        .offset(max(offset, 0))
        .limit(limit)
    )
    return list(session.scalars(stmt))


def position_of(session: Session, f: AuditFilter, entry_id: int) -> int | None:
    """Where entry ``entry_id`` stands in the listing (0 = newest), or None when the filter leaves it out."""
    matches = session.scalar(select(AuditEntry.id).where(AuditEntry.id == entry_id, *_where(f)))
    if matches is None:
        return None
    newer = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id > entry_id, *_where(f))
    )
    return int(newer or 0)


_ROW_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.username,
    AuditEntry.action,
    AuditEntry.object_type,
    AuditEntry.object_id,
    AuditEntry.summary,
)


def fetch_entries(session: Session, ids: Sequence[int]) -> dict[int, AuditRow]:
    """The listing rows of these ids (ids no longer present are left out)."""
    rows: dict[int, AuditRow] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), 500):  # stay under the database's bound-parameter limit
        stmt = select(*_ROW_COLUMNS).where(AuditEntry.id.in_(wanted[start : start + 500]))
        for values in session.execute(stmt):
            rows[values[0]] = AuditRow(*values)
    return rows


def _distinct(session: Session, column: Any) -> list[str]:
    return [v for v in session.scalars(select(column).distinct().order_by(column)) if v]


def filter_choices(session: Session) -> FilterChoices:
    """Every user, action and object type found in the log, sorted."""
    return FilterChoices(
        usernames=_distinct(session, AuditEntry.username),
        actions=_distinct(session, AuditEntry.action),
        object_types=_distinct(session, AuditEntry.object_type),
    )


def local_time_text(at: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
    """A stored UTC time as the reader's local wall-clock time, to the second."""
    if at is None:
        return ""
    if at.tzinfo is None:  # stored UTC read back without its zone
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


_STORED_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$")


def _value_text(name: str, value: Any, departments: Mapping[int, str], tz: dt.tzinfo | None) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "department_id" and isinstance(value, int):
        return departments.get(value, f"#{value}")
    if isinstance(value, str) and _STORED_UTC.match(value):
        # Times in entries are stored as UTC without a zone (app.audit.chain.plain).
        return local_time_text(dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC), tz)
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    departments: Mapping[int, str] | None = None,
    tz: dt.tzinfo | None = None,
) -> list[FieldChange]:
    """An entry's before/after as one line per field, labelled in Chinese; fields in the order first seen."""
    before = before or {}
    after = after or {}
    names = list(dict.fromkeys([*before, *after]))
    depts = departments or {}
    return [
        FieldChange(
            name,
            column_label(name),
            _value_text(name, before.get(name), depts, tz) if name in before else "",
            _value_text(name, after.get(name), depts, tz) if name in after else "",
        )
        for name in names
    ]


def entry_detail(session: Session, entry_id: int, tz: dt.tzinfo | None = None) -> AuditDetail | None:
    """One entry for the detail pane, or None when there is no such entry."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None:
        return None
    departments: dict[int, str] = {}
    if any("department_id" in (side or {}) for side in (entry.before, entry.after)):
        departments = {i: name for i, name in session.execute(select(Department.id, Department.name))}
    row = AuditRow(
        entry.id, entry.at, entry.username, entry.action, entry.object_type, entry.object_id, entry.summary
    )
    return AuditDetail(
        row=row,
        user_id=entry.user_id,
        changes=field_changes(entry.before, entry.after, departments, tz),
        hmac=entry.hmac,
        prev_hmac=entry.prev_hmac,
        key_id=entry.key_id,
    )


EXPORT_COLUMNS = (
    XlsxColumn("序号", 8),
    XlsxColumn("时间", 20, "text"),
    XlsxColumn("用户", 18, "text"),
    XlsxColumn("操作", 10, "text"),
    XlsxColumn("对象类型", 14, "text"),
    XlsxColumn("对象", 10, "text"),
    XlsxColumn("摘要", 80, "wrap"),
    XlsxColumn("校验值", 24, "text"),
)


def export_entries(
    session: Session, f: AuditFilter, path: str | Path, progress: Progress | None = None
) -> int:
    """Write the matching entries, newest first, to an xlsx at ``path`` and audit the export; returns the
    number written. OSError when the file cannot be written (nothing is half-written under ``path``)."""
    target = Path(path)
    report = progress or (lambda _stage, _fraction: None)
    total = count_entries(session, f)
    report("读取审计日志", 0.0)

    def rows() -> Iterator[list[Any]]:
        stmt = select(*_ROW_COLUMNS, AuditEntry.hmac).where(*_where(f)).order_by(AuditEntry.id.desc())
        result = session.execute(stmt.execution_options(yield_per=2000))
        for entry_id, at, username, action, object_type, object_id, summary, mac in result:
            yield [
                entry_id,
                local_time_text(at, f.tz),
                username,
                action,
                object_type,
                object_id,
                summary,
                mac[:16],
            ]

    written = write_xlsx(
        target, AUDIT_LABEL, EXPORT_COLUMNS, rows(), total=total, progress=lambda x: report("写入文件", x)
    )
    conditions = describe_filter(f)
    record_event(
        session,
        "导出",
        AUDIT_LABEL,
        "",
        f"导出审计日志 {written} 条到“{target.name}”" + (f"（{conditions}）" if conditions else ""),
        after={"file": str(target), "rows": written, "filter": conditions},
    )
    session.commit()  # the export's own audit entry
    report("完成", 1.0)
    return written


def describe_filter(f: AuditFilter) -> str:
    """The filter in words, for the export's audit entry and the page's count line."""
    parts: list[str] = []
    if f.date_from or f.date_to:
        parts.append(
            f"日期 {f.date_from.isoformat() if f.date_from else '不限'} 至 {f.date_to.isoformat() if f.date_to else '不限'}"
        )
    if f.username:
        parts.append(f"用户 {f.username}")
    if f.action:
        parts.append(f"操作 {f.action}")
    if f.object_type:
        parts.append(f"对象类型 {f.object_type}")
    if f.text.strip():
        parts.append(f"搜索“{f.text.strip()}”")
    return "，".join(parts)
