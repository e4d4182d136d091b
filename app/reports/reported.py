"""Figures imported from other departments' filled xlsx tables (报表导入, :mod:`app.reports.importer`) in the
county-wide 进展情况 and 非市场监管推行情况 tables.

A department that has **neither own facts** in this database (no plan of the period's years, no task it leads
or partners in the period) **nor a current received 数据包** for the period, but has current reported figures
for exactly this period (same first and last day), appears with those figures:

* its row (or a new row at the end, for a department not in the 部门 list, when the table lists every
  department) shows the reported counts; rates are recomputed from them (按时公示率 from the 按时公示对象数
  derived on import); its name is followed by ``（报表导入）``; no cell of it can be drilled into;
* the 合计 row is the facts' totals over the other departments plus the reported counts, and its rates are
  recomputed from those sums; it then has no drill-down either (its numbers are no longer the records' count);
* a note names the source: 来源：报表导入, the file and its 填报日期.

    table = county_table(session, "progress", Period.half(2026, 1))      # own + packages + reported figures
    facts, tables = county_tables(session, Period.half(2026, 1))         # the five tables, as the GUI shows them
    table = with_reported(progress_table(facts), facts, reported_rows(session, "progress", period))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reports.facts import Facts
from app.reports.model import COUNT, RATE, Cell, StatTable, text_cell
from app.reports.period import Period, date_text
from app.reports.table_parts import chosen
from app.reports.tables import TABLE_KINDS, build_table
from db.enums import PlanStatus

__all__ = [
    "REPORTED_KINDS",
    "REPORTED_MARK",
    "ReportedRow",
    "county_table",
    "county_tables",
    "has_own_facts",
    "reported_rows",
    "with_reported",
]

REPORTED_KINDS = ("progress", "non_market")
REPORTED_MARK = "（报表导入）"
_BUILT = "是否建立“两库一单”"
_PLAN_STATE = "计划状态"
_ON_TIME = "按时公示对象数"
_RATES: dict[
    str, dict[str, tuple[str | None, str]]
] = {  # rate column → (numerator column or None for 按时公示率, base column), per table kind
    "progress": {"公示率": ("公示对象数（户）", "已检查数"), "按时公示率": (None, "公示对象数（户）")},
    "non_market": {"公示率": ("公示对象数（户）", "已检查对象数（户）")},
}


@dataclass(frozen=True)
class ReportedRow:
    """The current reported figures of one department for a table and period."""

    id: int
    kind: str
    department_code: str  # "" = not in the 部门 list
    department_name: str
    period: Period
    figures: dict[str, Any]
    file_name: str
    filled_on: dt.date | None
    unit: str


def reported_rows(session: Session, kind: str, period: Period) -> list[ReportedRow]:
    """The current (not superseded) reported figures of ``kind`` for exactly ``period``, by department."""
    from db.models import ReportedFigures

    found = session.scalars(
        select(ReportedFigures)
        .where(
            ReportedFigures.kind == kind,
            ReportedFigures.period_start == period.start,
            ReportedFigures.period_end == period.end,
            ReportedFigures.superseded_by_id.is_(None),
        )
        .order_by(ReportedFigures.department_code, ReportedFigures.department_name, ReportedFigures.id)
    )
    return [
        ReportedRow(
            r.id,
            r.kind,
            r.department_code,
            r.department_name,
            Period(r.period_start, r.period_end, r.period_label),
            dict(r.figures or {}),
            r.file_name,
            r.filled_on,
            r.unit,
        )
        for r in found
    ]


def has_own_facts(facts: Facts, code: str) -> bool:
    """Whether the facts hold the department's own work: a plan, or a task it leads or partners in."""
    return any(p.department_code == code for p in facts.plans) or any(
        code in t.department_codes for t in facts.tasks
    )


def _rate(numerator: int | None, base: int | None) -> float | None:
    return numerator / base if numerator is not None and base else None


def _reported_cells(table: StatTable, number: int, row: ReportedRow) -> tuple[Cell, ...]:
    figures = row.figures
    rates = _RATES[table.kind]
    cells: list[Cell] = [Cell(number), text_cell(f"{row.department_name}{REPORTED_MARK}")]
    for column in table.columns[2:]:
        if column.kind == COUNT:
            cells.append(Cell(int(figures.get(column.name) or 0)))
        elif column.kind == RATE:
            numerator, base = rates[column.name]
            given = figures.get(column.name)
            if numerator is None:
                on_time = figures.get(_ON_TIME)
                value = _rate(on_time, figures.get(base)) if on_time is not None else given
            else:
                value = _rate(figures.get(numerator), figures.get(base))
            cells.append(Cell(value, is_rate=True))
        else:
            cells.append(text_cell(str(figures.get(column.name) or "")))
    return tuple(cells)


def _totals(table: StatTable, base_totals: Sequence[Cell], used: Sequence[ReportedRow]) -> tuple[Cell, ...]:
    """The facts' totals over the departments left from the facts, plus the reported counts; rates from sums."""
    assert table.totals is not None
    sums: dict[str, int] = {}
    for index, column in enumerate(table.columns):
        own = base_totals[index].value
        if index < 2 or not isinstance(own, int) or column.kind == RATE:
            continue
        if column.name == _BUILT:  # the totals count departments in the two yes/no-like columns
            extra = sum(1 for r in used if r.figures.get(_BUILT) == "是")
        elif column.name == _PLAN_STATE:
            extra = sum(1 for r in used if r.figures.get(_PLAN_STATE) == PlanStatus.FILED.value)
        else:
            extra = sum(int(r.figures.get(column.name) or 0) for r in used)
        sums[column.name] = own + extra
    out: list[Cell] = list(table.totals[:2])
    for index, column in enumerate(table.columns):
        if index < 2:
            continue
        if column.kind != RATE:
            if column.name in sums:
                out.append(Cell(sums[column.name], bold=True))
            else:
                out.append(text_cell(str(base_totals[index].value or ""), bold=True))
            continue
        numerator, base = _RATES[table.kind][column.name]
        if numerator is not None:
            value = _rate(sums.get(numerator), sums.get(base))
        else:  # 按时公示率: the facts' on-time objects plus the reported ones, over the objects they stand for
            facts_cell = base_totals[index]
            known = [r for r in used if r.figures.get(_ON_TIME) is not None]
            on_time = len(facts_cell.keys) + sum(int(r.figures[_ON_TIME]) for r in known)
            published = len(facts_cell.base) + sum(int(r.figures.get(base) or 0) for r in known)
            value = _rate(on_time, published)
        out.append(Cell(value, is_rate=True, bold=True))
    return tuple(out)


def _note(table: StatTable, used: Sequence[ReportedRow]) -> str:
    files: dict[tuple[str, dt.date | None], list[str]] = {}
    for row in used:
        files.setdefault((row.file_name, row.filled_on), []).append(row.department_name)
    sources = []
    for (file_name, filled_on), names in files.items():
        day = f"，填报日期{date_text(filled_on)}" if filled_on else ""
        sources.append(f"{'、'.join(names)}（文件“{file_name}”{day}）")
    text = (
        f"来源：报表导入——部门名称后注“{REPORTED_MARK}”的行取自该部门报送的统计表："
        + "；".join(sources)
        + "。这些部门未使用本系统、也未报送数据包，其数字不能查看明细；合计行含这些数字，比率按合计数重新计算"
    )
    if any(c.name.startswith("参与联合抽查") for c in table.columns):
        text += "；报表导入的部门的“参与联合抽查”无法按任务去重，合计行直接相加"
    return text + "。"


def with_reported(
    table: StatTable,
    facts: Facts,
    reported: Sequence[ReportedRow],
    *,
    skip_codes: Collection[str] = (),
) -> StatTable:
    """``table`` (a 进展情况 or 非市场监管推行情况 table built from ``facts``) with the reported figures of the
    departments that have no own facts and are not in ``skip_codes`` (senders of current packages): their rows
    replaced (or appended, for departments not in the 部门 list when the table lists every department), the
    totals recomputed. Returns ``table`` itself when no reported figures apply."""
    if table.kind not in REPORTED_KINDS or table.totals is None:
        return table
    non_market = table.kind == "non_market"
    by_name = {d.name: d.code for d in facts.departments}
    listed = [by_name.get(str(row[1].value)) for row in table.rows]
    every = [d.code for d in chosen(facts, None, non_market=non_market)]
    county_wide = listed == every
    skip = set(skip_codes)
    usable: dict[str, ReportedRow] = {}
    appended: list[ReportedRow] = []
    span = (table.period.start, table.period.end)
    for row in reported:
        if row.kind != table.kind or (row.period.start, row.period.end) != span:
            continue
        found = row.department_code or by_name.get(row.department_name) or ""  # may be in the list by now
        if found and found in listed and found not in skip and not has_own_facts(facts, found):
            usable[found] = row
        elif not found and county_wide:
            appended.append(row)
    if not usable and not appended:
        return table
    body: list[tuple[Cell, ...]] = []
    for cells, listed_code in zip(table.rows, listed, strict=True):
        number = len(body) + 1
        if listed_code in usable:
            body.append(_reported_cells(table, number, usable[listed_code]))
        else:
            body.append((Cell(number), *cells[1:]))
    for row in appended:
        body.append(_reported_cells(table, len(body) + 1, row))
    remaining = [code for code in listed if code is not None and code not in usable]
    base = build_table(table.kind, facts, remaining).totals
    assert base is not None
    used = [*(usable[c] for c in listed if c in usable), *appended]
    return dataclasses.replace(
        table, rows=tuple(body), totals=_totals(table, base, used), notes=(*table.notes, _note(table, used))
    )


def package_senders(session: Session, period: Period) -> set[str]:
    """The department codes of the current received 数据包 of exactly ``period`` (their figures win over
    reported ones: :func:`with_reported`'s ``skip_codes``)."""
    from db.models import ReceivedPackage

    return set(
        session.scalars(
            select(ReceivedPackage.sender_code).where(
                ReceivedPackage.superseded_by_id.is_(None),
                ReceivedPackage.period_start == period.start,
                ReceivedPackage.period_end == period.end,
            )
        )
    )


def county_tables(
    session: Session,
    period: Period,
    department_codes: Collection[str] | None = None,
    *,
    as_of: dt.date | None = None,
) -> tuple[Facts, list[StatTable]]:
    """The county-wide facts (this database's, merged with every current received package of the period:
    :func:`app.exchange.county_facts`) and the five tables built from them, the 进展情况 and 非市场监管推行情况
    tables with the reported figures (:func:`with_reported`)."""
    from app.exchange.received import county_facts

    facts = county_facts(session, period, as_of=as_of)
    senders = package_senders(session, period)
    tables = []
    for kind in TABLE_KINDS:
        table = build_table(kind, facts, department_codes)
        if kind in REPORTED_KINDS:
            table = with_reported(table, facts, reported_rows(session, kind, period), skip_codes=senders)
        tables.append(table)
    return facts, tables


def county_table(
    session: Session,
    kind: str,
    period: Period,
    department_codes: Collection[str] | None = None,
    *,
    as_of: dt.date | None = None,
) -> StatTable:
    """One county-wide table (see :func:`county_tables`)."""
    from app.exchange.received import county_facts

    facts = county_facts(session, period, as_of=as_of)
    table = build_table(kind, facts, department_codes)
    if kind in REPORTED_KINDS:
        table = with_reported(
            table, facts, reported_rows(session, kind, period), skip_codes=package_senders(session, period)
        )
    return table
