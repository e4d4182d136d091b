"""The demo county: realistic, valid codes, deterministic, and never mixed into a database with data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.database import Database, open_database
from app.demo import build_demo
from app.demo.generate import DemoError
from app.registry.codes import validate_id_number, validate_reg_no15, validate_uscc
from db.engine import transaction
from db.enums import EntityKind, PlanStatus, RegStatus
from db.models import (
    AnnualPlan,
    ChecklistRow,
    ConflictRelation,
    Department,
    Entity,
    InspectionItem,
    Inspector,
    ItemDepartment,
    PlanRevision,
)

# Content columns compared between two builds (ids included: the same build order gives the same ids).
DUMP_QUERIES = [
    "SELECT * FROM department ORDER BY id",
    "SELECT * FROM entity ORDER BY id",
    "SELECT * FROM inspector ORDER BY id",
    "SELECT * FROM inspector_qualification ORDER BY id",
    "SELECT * FROM inspection_item ORDER BY id",
    "SELECT * FROM checklist_row ORDER BY id",
    "SELECT * FROM conflict_relation ORDER BY id",
    "SELECT * FROM annual_plan ORDER BY id",
    "SELECT * FROM plan_row ORDER BY id",
    "SELECT * FROM plan_revision ORDER BY id",
    "SELECT * FROM setting ORDER BY key",
]


def _build(path: Path, entities: int, year: int = 2026) -> Database:
    database = open_database(path)
    with transaction(database.sessions) as session:
        build_demo(session, entities=entities, year=year)
    return database


def _dump(database: Database) -> list[list[tuple[object, ...]]]:
    with database.engine.connect() as conn:
        return [[tuple(row) for row in conn.execute(text(q))] for q in DUMP_QUERIES]


def test_same_size_and_year_gives_identical_databases(tmp_path: Path) -> None:
    first = _build(tmp_path / "a.db", 600)
    second = _build(tmp_path / "b.db", 600)
    try:
        assert _dump(first) == _dump(second)
    finally:
        first.close()
        second.close()


def test_a_different_size_gives_a_different_county(tmp_path: Path) -> None:
    first = _build(tmp_path / "a.db", 600)
    second = _build(tmp_path / "b.db", 601)
    try:
        assert _dump(first)[1] != _dump(second)[1]
    finally:
        first.close()
        second.close()


def test_every_entity_code_is_valid_and_unique(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        rows = session.execute(select(Entity.uscc, Entity.reg_no, Entity.kind, Entity.id_number)).all()
    usccs = [r.uscc for r in rows if r.uscc]
    assert len(usccs) == len(set(usccs))
    assert all(validate_uscc(code).ok for code in usccs)
    old_numbers = [r.reg_no for r in rows if r.reg_no and r.reg_no.isdigit()]
    assert old_numbers, "some 个体工商户 keep only a 15-digit 注册号"
    assert all(validate_reg_no15(n).ok for n in old_numbers)
    assert all(r.uscc or r.reg_no for r in rows), "every demo entity carries a code"
    ids = [r.id_number for r in rows if r.id_number]
    assert ids and all(validate_id_number(n).ok for n in ids)


def test_the_county_has_every_kind_of_record_a_clerk_meets(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        kinds = set(session.scalars(select(Entity.kind).distinct()))
        statuses = set(session.scalars(select(Entity.reg_status).distinct()))
        towns = set(session.scalars(select(Entity.town).distinct()))
        abnormal = session.scalar(select(func.count()).where(Entity.abnormal_list.is_(True)))
        risks = set(session.scalars(select(Entity.risk_level).distinct()))
        credits = set(session.scalars(select(Entity.credit_class).distinct()))
        departments = session.scalar(select(func.count()).select_from(Department))
        inspectors = session.scalars(select(Inspector)).all()
        items = session.scalars(select(InspectionItem)).all()
        joint_links = session.scalar(select(func.count()).select_from(ItemDepartment))
        checklist = session.scalar(select(func.count()).select_from(ChecklistRow))
        conflicts = session.scalar(select(func.count()).select_from(ConflictRelation))
        assert all(i.qualifications for i in inspectors)
    assert kinds == {k.value for k in EntityKind}
    assert statuses == {s.value for s in RegStatus}
    assert len(towns) == 12
    assert abnormal and abnormal > 0
    assert risks == {"高", "中", "低"} and credits == {"A", "B", "C", "D"}
    assert 8 <= (departments or 0) <= 10
    assert 70 <= len(inspectors) <= 90
    assert len({i.cert_no for i in inspectors}) == len(inspectors)
    assert any(i.cert_valid_until and i.cert_valid_until.year < 2026 for i in inspectors), (
        "a few expired 执法证"
    )
    assert 28 <= len(items) <= 40
    assert sum(1 for i in items if i.list_kind == "联合") >= 3 and joint_links
    assert checklist and checklist >= len(items) * 3
    assert conflicts and conflicts > 0


def test_there_is_a_filed_plan_for_the_year_with_its_versions(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        plans = session.scalars(select(AnnualPlan).where(AnnualPlan.year == 2026)).all()
        assert plans and all(p.status == PlanStatus.FILED for p in plans)
        market = next(p for p in plans if p.department.name == "示范县市场监督管理局")
        assert len(market.rows) >= 10
        assert all(r.planned_count is not None and r.base_count is not None for r in market.rows)
        revisions = session.scalars(select(PlanRevision).where(PlanRevision.plan_id == market.id)).all()
        assert [r.kind for r in revisions] == ["报审", "备案"]
        assert len(revisions[-1].snapshot["rows"]) == len(market.rows)


def test_demo_is_refused_on_a_database_that_has_data(demo_db: Database) -> None:
    with pytest.raises(DemoError) as caught, transaction(demo_db.sessions) as session:
        build_demo(session, entities=10)
    assert "已有数据" in caught.value.message_zh
