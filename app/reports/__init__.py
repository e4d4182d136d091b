"""统计上报: the statistics tables of the county documents, computed from the data for a period.

Layers, each usable alone:

* :mod:`app.reports.period` — :class:`Period` (年度, 上/下半年, 季度, any dates);
* :mod:`app.reports.facts` — :class:`Facts`, the one shape everything computes from and that travels as JSON
  between departments' offline PCs; :func:`collect_facts` reads it from this database;
* :mod:`app.reports.measures` — what each figure counts and which date puts a record in the period;
* :mod:`app.reports.tables` — the five tables as neutral :class:`StatTable` values with drill-down keys;
  :func:`drill_down` lists the records behind a number;
* :mod:`app.reports.xlsx`, :mod:`app.reports.pdf` — the files (they alone import openpyxl / reportlab, so
  import them where a file is written, not at start-up).

    facts = collect_facts(session, Period.half(2026, 1))
    table = progress_table(facts)
    from app.reports.xlsx import write_table_xlsx
    write_table_xlsx(table, "进展情况统计表.xlsx")
"""

from app.reports.collect import collect_facts
from app.reports.drill import drill_down, drill_local_ids
from app.reports.errors import FactsFormatError, ReportError, ReportInputError
from app.reports.facts import Facts, merge_facts
from app.reports.model import Cell, Column, HeaderCell, StatTable
from app.reports.period import Period
from app.reports.tables import (
    TABLE_KINDS,
    all_tables,
    build_table,
    joint_table,
    non_market_plan_table,
    non_market_table,
    plan_table,
    progress_table,
)

__all__ = [
    "TABLE_KINDS",
    "Cell",
    "Column",
    "Facts",
    "FactsFormatError",
    "HeaderCell",
    "Period",
    "ReportError",
    "ReportInputError",
    "StatTable",
    "all_tables",
    "build_table",
    "collect_facts",
    "drill_down",
    "drill_local_ids",
    "joint_table",
    "merge_facts",
    "non_market_plan_table",
    "non_market_table",
    "plan_table",
    "progress_table",
]
