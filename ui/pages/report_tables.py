"""What 统计上报 builds from the collected facts: the five tables and the 进展情况 charts for the chosen
departments, with the figures other departments reported (报表导入) and the received 数据包 merged under
全县汇总. Plain functions, run on the GUI thread or in the page's background job."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.exchange import list_received
from app.reports import TABLE_KINDS, Facts, Period, StatTable, build_table
from app.reports.measures import ProgressCharts, progress_charts
from app.reports.reported import ReportedRow, with_reported
from ui.widgets.department_chooser import CodeChoice

__all__ = ["Reported", "build_tables", "facts_size", "received_for"]


@dataclass(frozen=True)
class Reported:
    """Figures imported from other departments' filled tables (报表导入) and the departments whose current
    数据包 outweighs them (app.reports.reported.with_reported)."""

    rows: dict[str, list[ReportedRow]]
    skip_codes: frozenset[str]


def received_for(session: Session, period: Period) -> tuple[str, ...]:
    """The senders of the current received 数据包 of exactly ``period`` (those :func:`county_facts` merges)."""
    return tuple(
        row.sender_name
        for row in list_received(session)
        if row.current and (row.period.start, row.period.end) == (period.start, period.end)
    )


def facts_size(facts: Facts) -> int:
    return len(facts.entities) + len(facts.inspections) + len(facts.tasks)


def build_tables(
    facts: Facts, codes: CodeChoice, reported: Reported | None = None
) -> tuple[dict[str, StatTable], ProgressCharts | None]:
    """The five tables and the 进展情况 charts for the departments ``codes`` (None: all; empty: none); under
    全县汇总 the 进展情况 and 非市场监管推行情况 tables also carry the reported figures."""
    if codes == ():
        return {}, None
    tables = {kind: build_table(kind, facts, codes) for kind in TABLE_KINDS}
    for kind, rows in (reported.rows if reported else {}).items():
        if rows and kind in tables:
            tables[kind] = with_reported(
                tables[kind], facts, rows, skip_codes=reported.skip_codes if reported else ()
            )
    return tables, progress_charts(facts, codes)
