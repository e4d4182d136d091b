"""The county-wide plan table (a 部门 column, a 合计 row, as app/reports writes it) read by the plan importer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.database import Database
from app.plans.importer import import_plan_table, plan_table_departments, read_plan_table
from app.reports import Period, collect_facts, plan_table
from app.reports.xlsx import write_table_xlsx
from db.models import AnnualPlan, Department, PlanRow
from tests.conftest import DEMO_YEAR

FIRST = 5  # title, 统计期间, 填报单位 line, header


def _county_table(db: Database, path: Path) -> dict[int, int]:
    """The demo county's plan table with the 部门 column; returns plan rows per department id."""
    with db.sessions() as s:
        write_table_xlsx(plan_table(collect_facts(s, Period.year(DEMO_YEAR))), path, date=dt.date(2026, 2, 1))
        rows = s.execute(
            select(AnnualPlan.department_id, func.count(PlanRow.id))
            .join(PlanRow, PlanRow.plan_id == AnnualPlan.id)
            .where(AnnualPlan.year == DEMO_YEAR)
            .group_by(AnnualPlan.department_id)
        ).all()
    return dict(rows)


def test_each_row_names_its_department_and_the_totals_row_is_no_plan_row(
    demo_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "全县计划表.xlsx"
    per_department = _county_table(demo_db, path)
    with demo_db.sessions() as s:
        listed = plan_table_departments(s, path)
        names = dict(s.execute(select(Department.id, Department.name)).all())
    assert [line for line, _text, _id in listed] == list(range(FIRST, FIRST + sum(per_department.values())))
    assert all(text == names[dept_id] for _line, text, dept_id in listed if dept_id is not None)
    counted: dict[int, int] = {}
    for _line, _text, dept_id in listed:
        assert dept_id is not None
        counted[dept_id] = counted.get(dept_id, 0) + 1
    assert counted == per_department


def test_one_department_is_read_from_the_county_table(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "全县计划表.xlsx"
    per_department = _county_table(demo_db, path)
    dept, count = max(per_department.items(), key=lambda kv: kv[1])
    with demo_db.sessions() as s:
        preview = read_plan_table(s, path, dept)
        assert preview.ok, preview.errors
        assert len(preview.rows) == count
        plan_id = import_plan_table(s, path, dept, DEMO_YEAR + 1)
        assert s.scalar(select(func.count()).where(PlanRow.plan_id == plan_id)) == count


def test_a_blank_department_cell_continues_the_department_above(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "全县计划表.xlsx"
    per_department = _county_table(demo_db, path)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    first_dept = sheet.cell(row=FIRST, column=2).value
    sheet.cell(row=FIRST + 1, column=2, value=None)  # as a clerk's merged 部门 cell reads
    book.save(path)
    with demo_db.sessions() as s:
        listed = plan_table_departments(s, path)
        dept_id = s.scalar(select(Department.id).where(Department.name == first_dept))
    assert listed[1][1:] == (first_dept, dept_id)
    assert sum(1 for _l, _t, d in listed if d == dept_id) == per_department[dept_id]  # type: ignore[index]
