"""Pieces every registry planner uses: department look-up, masked ID numbers, outcomes, bulk writes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, TypeDecorator, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.auth.guard import require_table_write
from app.auth.roles import SYSTEM, acting_as, current_actor
from app.faults import crash_point
from app.io.preview import Outcome, RowOutcome
from app.io.rows import ParsedRow, RowIssue
from app.io.values import clean_text
from app.registry.codes import mask_id_number
from app.registry.fields import RegistrySpec
from db.models import Department

__all__ = [
    "DepartmentIndex",
    "PlanBase",
    "begin_write",
    "bulk_insert",
    "bulk_update",
    "fast_insert",
    "masked_id_value",
    "outcome_for",
    "sqlite_value",
]

CHUNK = 5_000


@dataclass
class PlanBase:
    """Outcomes per row plus what to write. Subclasses add the kind's inserts and updates."""

    outcomes: list[RowOutcome] = field(default_factory=list)


class DepartmentIndex:
    """Departments by name or 简称 (normalised), plus the ones an import would create."""

    def __init__(self, session: Session) -> None:
        self.by_name: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.codes: set[str] = set()
        for dept_id, name, short, code in session.execute(
            select(Department.id, Department.name, Department.short_name, Department.code).order_by(
                Department.id
            )
        ):
            self.names[dept_id] = name
            self.codes.add(code)
            self.by_name.setdefault(clean_text(name), dept_id)
            if short:
                self.by_name.setdefault(clean_text(short), dept_id)
        self.to_create: dict[str, int] = {}  # name → first row asking for it

    def find(self, name: str) -> int | None:
        return self.by_name.get(clean_text(name))


def masked_id_value(
    row: ParsedRow, label: str, given: str, existing: str | None
) -> tuple[str | None, RowIssue | None]:
    """What to store for an ID number read as ``given`` (possibly masked like 110105********002X).

    A masked value is never stored: it keeps the database's number when that masks the same way,
    otherwise the field is left as it is (or empty for a new record) with a warning.
    """
    if "*" not in given:
        return given, None
    if existing and mask_id_number(existing) == given:
        return None, None
    if existing:
        return None, RowIssue(row.number, label, "warning", f"{label}已打码（{given}），保留库中原有号码")
    return None, RowIssue(row.number, label, "warning", f"{label}已打码（{given}），无法导入，已留空")


def outcome_for(
    row: ParsedRow, outcome: Outcome, key: str, changes: Sequence[str] = (), note: str = ""
) -> RowOutcome:
    """The RowOutcome of a row, turned into an error outcome when the row has any error."""
    if row.has_error:
        outcome = Outcome.ERROR
    return RowOutcome(row.number, outcome, key, tuple(changes), tuple(row.issues or ()), note)


def change_labels(spec: RegistrySpec, names: Iterable[str]) -> tuple[str, ...]:
    labels = []
    for name in names:
        field_name = "department" if name == "department_id" else name
        try:
            labels.append(spec.field(field_name).label)
        except KeyError:
            labels.append(name)
    return tuple(labels)


def begin_write(session: Session) -> None:
    """Open the session's write transaction now, with the write lock (SQLite ``BEGIN IMMEDIATE``).

    Python's sqlite3 driver opens a transaction only before INSERT, UPDATE or DELETE: DDL sent first (the
    DROP INDEX of :func:`fast_insert`) would be committed on its own, and a crash or rollback after it
    would leave the table without its indexes and triggers. No-op elsewhere or when a transaction is open.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not getattr(connection.connection.dbapi_connection, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Core executemany inserts in chunks (no ORM objects)."""
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start : start + CHUNK]))


_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime in SQLite
# Rebuilding secondary indexes once is cheaper than maintaining them row by row when a large import
# at least doubles a table (100,000 entities: ~0.9 s instead of ~2.4 s).
_REBUILD_INDEXES_FROM = 10_000


def sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy would bind it for SQLite (dates as ISO text, UTC datetimes naive)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.strftime(_SQLITE_DATETIME)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _is_temporal(column_type: Any) -> bool:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    return isinstance(column_type, Date | DateTime)


def fast_insert(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    existing: int,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert many rows of plain values (``columns`` order, then ``constants`` for every row) with the
    least overhead the database allows.

    On SQLite: one prepared statement through the driver's executemany, dates and datetimes converted
    as SQLAlchemy would (see sqlite_value), and — when the table at least doubles — its secondary
    indexes dropped and rebuilt from their own stored SQL, inside the caller's transaction (SQLite DDL
    is transactional, so a failure restores them). Elsewhere: Core executemany. Other column types must
    not need bind processing (no JSON columns).
    """
    constants = dict(constants or {})
    names = [*columns, *constants]
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        for start in range(0, len(rows), CHUNK):
            chunk = [
                dict(zip(names, (*values, *constants.values()), strict=True))
                for values in rows[start : start + CHUNK]
            ]
            session.execute(insert(table), chunk)
        return
    begin_write(session)  # the DDL below must belong to the caller's transaction
    # Whoever may write the table may have the program drop and rebuild its indexes for the bulk insert.
    require_table_write(current_actor(session), table.name)
    with acting_as(session, SYSTEM):
        _sqlite_bulk_insert(connection, table, existing, rows, columns, constants, names)


def _sqlite_bulk_insert(
    connection: Connection,
    table: Table,
    existing: int,
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    constants: Mapping[str, Any],
    names: list[str],
) -> None:
    rebuild: list[tuple[str, str]] = []
    if len(rows) >= _REBUILD_INDEXES_FROM and len(rows) >= existing:
        rebuild = [
            (str(name), str(sql))
            for name, sql in connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table.name,),
            )
        ]
        for name, _sql in rebuild:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
    deferred = _defer_insert_triggers(connection, table.name) if rebuild else []
    tail = tuple(sqlite_value(v) for v in constants.values())
    convert = [i for i, c in enumerate(columns) if _is_temporal(table.c[c].type)]
    statement = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join("?" for _ in names)})'
    for start in range(0, len(rows), CHUNK):
        block = rows[start : start + CHUNK]
        if convert:
            converted = []
            for values in block:
                items = list(values)
                for i in convert:
                    value = items[i]
                    if value is not None:
                        items[i] = sqlite_value(value)
                converted.append((*items, *tail))
            connection.exec_driver_sql(statement, converted)
        else:
            connection.exec_driver_sql(statement, [(*values, *tail) for values in block])
        if start == 0:
            crash_point("import.rows_partly_written")  # the first chunk inserted, the rest not yet
    for statement_after, trigger_sql, after_id in deferred:
        connection.exec_driver_sql(statement_after, (after_id,))
        connection.exec_driver_sql(trigger_sql)
    for _name, sql in rebuild:
        connection.exec_driver_sql(sql)


# A trigger whose whole body is one INSERT … VALUES (… new.x …); can run once for all new rows as
# INSERT … SELECT … FROM the table AS new. Anything more complex is left to fire row by row.
_SIMPLE_INSERT_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+\S+\s+AFTER\s+INSERT\s+ON\s+\S+\s+(?:FOR\s+EACH\s+ROW\s+)?BEGIN\s+"
    r"(INSERT\s+INTO\s+[^;]+?)\s+VALUES\s*\((.*)\)\s*;\s*END\s*",
    re.IGNORECASE | re.DOTALL,
)


def _defer_insert_triggers(connection: Connection, table: str) -> list[tuple[str, str, int]]:
    """Drop the table's simple AFTER INSERT triggers for a bulk insert; return what replays them.

    Each entry is (INSERT … SELECT over the new rows, the trigger's own CREATE statement, the highest
    id before the insert). Keeps e.g. the entity search text right at a fraction of the per-row cost.
    """
    after_id = connection.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM "{table}"').scalar_one()
    deferred: list[tuple[str, str, int]] = []
    for name, sql in connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    ):
        match = _SIMPLE_INSERT_TRIGGER.fullmatch(sql.strip())
        if match is None or ";" in match.group(2):
            continue
        replay = f'{match.group(1)} SELECT {match.group(2)} FROM "{table}" AS new WHERE new.id > ?'
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        deferred.append((replay, sql, int(after_id)))
    return deferred


def bulk_update(session: Session, table: Table, updates: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE … WHERE id = ? for each (id, changed columns), grouped by the set of columns changed."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, changes in updates:
        keys = tuple(sorted(changes))
        params = {f"v_{k}": v for k, v in changes.items()}
        params["v_id"] = row_id
        groups.setdefault(keys, []).append(params)
    for keys, group in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("v_id"))
            .values({k: bindparam(f"v_{k}") for k in keys})
            .execution_options(synchronize_session=False)
        )
        for start in range(0, len(group), CHUNK):
            session.connection().execute(statement, group[start : start + CHUNK])
