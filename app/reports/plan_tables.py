"""《XX年度行政执法检查计划表》 for several departments (with a 部门 column) or one (exactly the layout of
:mod:`app.forms.plan_table`, whose columns, cell texts and widths are reused, not copied), and
《XX年度非市场监管领域抽查工作计划表》. A plan belongs to a period by its 年度: every row of the plans of the
years the period touches is listed, whatever its 计划月份."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from app.forms.plan_table import CENTRED as PLAN_CENTRED
from app.forms.plan_table import HEADERS as PLAN_HEADERS
from app.forms.plan_table import PDF_WIDTHS_MM as PLAN_PDF_WIDTHS_MM
from app.forms.plan_table import XLSX_WIDTHS as PLAN_XLSX_WIDTHS
from app.forms.plan_table import plan_row_cells, plan_table_title
from app.reports.facts import DepartmentFact, Facts, PlanFact
from app.reports.measures import plans_of
from app.reports.model import COUNT, TEXT, Cell, Column, HeaderCell, StatTable, sum_cell, text_cell
from app.reports.period import date_text
from app.reports.table_parts import DEPT_COLUMN, DEPT_PDF_MM, chosen, period_note, unit_and_contact
from db.enums import PlanStatus

__all__ = ["non_market_plan_table", "plan_table"]


def _plan_notes(facts: Facts, departments: Sequence[DepartmentFact], plans: Sequence[PlanFact]) -> list[str]:
    years = "、".join(str(y) for y in facts.period.years)
    notes = [
        period_note(facts),
        f"本表列出{years}年度抽查计划的全部计划行：计划按年度归入统计期间，不按计划月份拆分。",
    ]
    states = []
    for plan in plans:
        state = plan.status
        if plan.status == PlanStatus.FILED.value and plan.filed_on:
            state += f"（{date_text(plan.filed_on)}）"
        states.append(f"{plan.department_name}{plan.year}年度计划{state}")
    if states:
        notes.append("计划状态：" + "；".join(states) + "。")
    for year in facts.period.years:
        having = {p.department_code for p in plans if p.year == year}
        without = [d.name for d in departments if d.code not in having]
        if without:
            notes.append(f"未制定{year}年度抽查计划的部门：{'、'.join(without)}。")
    return notes


def plan_table(
    facts: Facts, department_codes: Collection[str] | None = None, *, non_market: bool = False
) -> StatTable:
    """《XX年度行政执法检查计划表》 of the chosen departments (``non_market``: 《XX年度非市场监管领域抽查工作
    计划表》, always with the 部门 column)."""
    departments = chosen(facts, department_codes, non_market=non_market)
    plans = plans_of(facts, {d.code for d in departments})
    with_dept = non_market or len(departments) != 1
    year = facts.period.title_year
    if non_market:
        title = f"{year}年度非市场监管领域抽查工作计划表"
    elif facts.period.start.year == facts.period.end.year:
        title = plan_table_title(facts.period.start.year)
    else:
        title = f"{year}年度行政执法检查计划表"
    columns = [
        Column(
            name,
            PLAN_XLSX_WIDTHS[i],
            COUNT if i in (3, 5) else TEXT,
            "center" if i + 1 in PLAN_CENTRED else "left",
        )
        for i, name in enumerate(PLAN_HEADERS)
    ]
    pdf_mm = [*PLAN_PDF_WIDTHS_MM, 252.0 - sum(PLAN_PDF_WIDTHS_MM)]  # the last column takes what is left
    if with_dept:
        columns.insert(1, DEPT_COLUMN)
        pdf_mm.insert(1, DEPT_PDF_MM)
    body: list[tuple[Cell, ...]] = []
    all_keys: set[str] = set()
    total = 0
    for plan in plans:
        for row in plan.rows:
            texts = plan_row_cells(row)
            cells = [text_cell(t) for t in texts]
            cells[0] = Cell(len(body) + 1)
            if row.base_count is not None:
                cells[3] = Cell(row.base_count, "plan_row", (row.key,))
            if row.planned_count is not None:
                cells[5] = Cell(row.planned_count, "plan_row", (row.key,))
            total += row.planned_count or 0
            all_keys.add(row.key)
            if with_dept:
                cells.insert(1, text_cell(plan.department_name))
            body.append(tuple(cells))
    totals = [text_cell("合计", bold=True)] + [text_cell("")] * (len(columns) - 1)
    totals[(6 if with_dept else 5)] = sum_cell("plan_row", all_keys, total, bold=True)
    unit, contact = unit_and_contact(facts, departments)
    headers = tuple(HeaderCell(c.name, 0, i) for i, c in enumerate(columns))
    notes = _plan_notes(facts, departments, plans)
    if non_market:
        notes.insert(1, "本表列出未标记为市场监管领域的部门的抽查计划。")
    return StatTable(
        kind="non_market_plan" if non_market else "plan",
        title=title,
        period=facts.period,
        unit=unit,
        contact=contact,
        header_rows=1,
        headers=headers,
        columns=tuple(columns),
        rows=tuple(body),
        totals=tuple(totals),
        notes=tuple(notes),
        sheet_name="非市场监管领域计划表" if non_market else "检查计划表",
        pdf_widths_mm=tuple(pdf_mm),
        empty_text="（所选部门尚无本年度抽查计划）",
    )


def non_market_plan_table(facts: Facts, department_codes: Collection[str] | None = None) -> StatTable:
    """《XX年度非市场监管领域抽查工作计划表》."""
    return plan_table(facts, department_codes, non_market=True)
