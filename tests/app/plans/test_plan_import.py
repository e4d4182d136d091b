"""Importing a 计划表 xlsx in the official layout as a new 草稿 plan: round trip, per-row errors, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.database import Database
from app.forms.plan_table import write_plan_table_xlsx
from app.plans import PlanInputError, PlanStateError, list_plans, plan_rows
from app.plans.importer import (
    import_plan_table,
    parse_month,
    parse_ratio_or_quantity,
    read_plan_table,
)
from db.models import AnnualPlan, PlanRow
from tests.conftest import DEMO_YEAR

YEAR = DEMO_YEAR + 1


def _export(db: Database, path: Path) -> tuple[int, int]:
    """The first demo plan with a joint row as xlsx; returns (its department, its plan id)."""
    with db.sessions() as s:
        for line in list_plans(s, DEMO_YEAR):
            rows = plan_rows(s, line.plan_id)
            write_plan_table_xlsx(rows, path, year=DEMO_YEAR, unit=line.department, date=dt.date(2026, 2, 1))
            return line.department_id, line.plan_id
    raise AssertionError("demo has no plans")


def _comparable(db: Database, plan_id: int) -> list[tuple[object, ...]]:
    with db.sessions() as s:
        return [
            (
                r.item_id,
                r.scope_text,
                r.ratio,
                r.quantity,
                r.content,
                r.basis,
                r.planned_month,
                r.method,
                r.joint_department_ids,
                r.frequency_cap,
                r.remarks,
            )
            for r in plan_rows(s, plan_id)
        ]


def test_parsers() -> None:
    assert parse_ratio_or_quantity("5%") == ("5%", None)
    assert parse_ratio_or_quantity("0.05") == ("0.05", None)
    assert parse_ratio_or_quantity(0.05) == ("0.05", None)
    assert parse_ratio_or_quantity("10户") == ("", 10)
    assert parse_ratio_or_quantity(10.0) == ("", 10)
    assert parse_month("3月") == 3 and parse_month(3.0) == 3 and parse_month("１２月") == 12
    with pytest.raises(PlanInputError, match="计划月份"):
        parse_month("13月")


def test_round_trip_same_department_new_year(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "计划表.xlsx"
    dept, source = _export(demo_db, path)
    with demo_db.sessions() as s:
        preview = read_plan_table(s, path, dept)
        assert preview.ok, preview.errors
        assert [r.line for r in preview.rows][0] == 4  # title, 填报单位 line, header
        plan_id = import_plan_table(s, path, dept, YEAR)
        plan = s.get(AnnualPlan, plan_id)
        assert plan is not None and plan.status == "草稿" and plan.year == YEAR
    assert _comparable(demo_db, plan_id) == _comparable(demo_db, source)


def test_round_trip_other_department(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "计划表.xlsx"
    dept, source = _export(demo_db, path)
    with demo_db.sessions() as s:
        joint = {d for r in plan_rows(s, source) for d in r.joint_department_ids}
        other = next(
            p.department_id for p in list_plans(s, DEMO_YEAR) if p.department_id not in joint | {dept}
        )
        plan_id = import_plan_table(s, path, other, YEAR)
    assert _comparable(demo_db, plan_id) == _comparable(demo_db, source)


def test_existing_plan_refused(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "计划表.xlsx"
    dept, _source = _export(demo_db, path)
    with demo_db.sessions() as s:
        before = s.scalar(select(func.count()).select_from(AnnualPlan))
        with pytest.raises(PlanStateError, match="已有"):
            import_plan_table(s, path, dept, DEMO_YEAR)
        assert s.scalar(select(func.count()).select_from(AnnualPlan)) == before


def test_unknown_item_and_department_refused_and_nothing_written(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "计划表.xlsx"
    dept, _source = _export(demo_db, path)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    last = sheet.max_row
    sheet.cell(row=last, column=2, value="不存在的抽查事项")
    sheet.cell(row=4, column=11, value="火星管理局")
    sheet.cell(row=4, column=9, value="十三月")
    book.save(path)
    with demo_db.sessions() as s:
        plans = s.scalar(select(func.count()).select_from(AnnualPlan))
        rows = s.scalar(select(func.count()).select_from(PlanRow))
        preview = read_plan_table(s, path, dept)
        assert not preview.ok
        text = "\n".join(preview.errors)
        assert f"第{last}行：抽查事项“不存在的抽查事项”" in text
        assert "第4行：联合部门“火星管理局”不存在" in text and "第4行：计划月份" in text
        with pytest.raises(PlanInputError, match=f"第{last}行"):
            import_plan_table(s, path, dept, YEAR)
        assert s.scalar(select(func.count()).select_from(AnnualPlan)) == plans
        assert s.scalar(select(func.count()).select_from(PlanRow)) == rows


def test_not_a_plan_table(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    with demo_db.sessions() as s:
        preview = read_plan_table(s, path, 1)
    assert not preview.ok and "表头" in preview.errors[0]
