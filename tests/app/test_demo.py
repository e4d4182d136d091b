"""The demo county: realistic, valid codes, deterministic, and never mixed into a database with data —
and its year of work: tasks, real SJDRAW-1 draws, inspections and 公示 made through the services."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.database import Database, open_database
from app.demo import build_demo
from app.demo.generate import DemoError
from app.draw import verify_record
from app.registry.codes import validate_id_number, validate_reg_no15, validate_uscc
from app.reports import Period, collect_facts
from app.reports.tables import joint_table, progress_table
from app.tasks import current_record
from db.engine import transaction
from db.enums import (
    DrawStatus,
    EntityKind,
    InspectionResult,
    InspectionStatus,
    PlanStatus,
    RegStatus,
    TaskStatus,
)
from db.models import (
    AnnualPlan,
    Assignment,
    ChecklistRow,
    ConflictRelation,
    Department,
    Draw,
    DrawReplacement,
    Entity,
    Inspection,
    InspectionItem,
    InspectionTask,
    Inspector,
    ItemDepartment,
    PlanRevision,
    Publication,
)
from tests.cli import run_app

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


def _build(path: Path, entities: int, year: int = 2026, **options: Any) -> Database:
    database = open_database(path)
    with transaction(database.sessions) as session:
        build_demo(session, entities=entities, year=year, **options)
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


def test_without_the_year_of_work_there_are_no_tasks(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InspectionTask)) == 0
        assert session.scalar(select(func.count()).select_from(Draw)) == 0


# --- the year of work ----------------------------------------------------------------------------------

WORK_ENTITIES = 2_000
WORK_TODAY = dt.date(2026, 11, 20)

# What the services stamp with the real clock (creation and filing times) is left out of the comparison.
WORK_QUERIES = [
    "SELECT id, code, title, year, department_id, plan_row_id, is_unplanned, is_joint, status, planned_date,"
    " start_date, end_date, pool_filter, exclusions, strata, cap, remarks FROM inspection_task ORDER BY id",
    "SELECT * FROM task_item ORDER BY id",
    "SELECT * FROM task_department ORDER BY id",
    "SELECT * FROM draw ORDER BY id",
    "SELECT * FROM draw_witness ORDER BY id",
    "SELECT * FROM assignment ORDER BY id",
    "SELECT * FROM assignment_inspector ORDER BY id",
    "SELECT id, draw_id, round_no, entity_id, removed_inspector_id, chosen_inspector_id, reason, witness,"
    " seed_hex FROM draw_replacement ORDER BY id",
    "SELECT id, assignment_id, task_id, entity_id, doc_no, archive_no, inspection_date, method, result,"
    " follow_up, follow_up_note, status FROM inspection ORDER BY id",
    "SELECT * FROM inspection_finding ORDER BY id",
    "SELECT * FROM inspection_inspector ORDER BY id",
    "SELECT id, task_id, published_on, deadline, channel FROM publication ORDER BY id",
    "SELECT * FROM document_counter ORDER BY id",
]


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo county with its year of work up to 20 November 2026 (built once for these tests)."""
    path = tmp_path_factory.mktemp("work") / "county.db"
    database = _build(path, WORK_ENTITIES, year_of_work=True, today=WORK_TODAY)
    database.close()
    return path


@pytest.fixture
def worked_db(worked: Path) -> Iterator[Database]:
    database = open_database(worked)
    yield database
    database.close()


def test_the_year_of_work_has_tasks_draws_inspections_and_publications(worked_db: Database) -> None:
    with worked_db.sessions() as session:
        tasks = session.scalars(select(InspectionTask).order_by(InspectionTask.code)).all()
        statuses = Counter(t.status for t in tasks)
        draws = Counter(session.scalars(select(Draw.status)))
        forms = session.execute(
            select(Inspection.status, Inspection.result, Inspection.inspection_date)
        ).all()
        drawn = session.scalar(select(func.count()).select_from(Assignment))
        publications = session.scalars(select(Publication)).all()
        replacements = session.scalar(select(func.count()).select_from(DrawReplacement))
        finished = session.execute(
            select(Draw.finished_at, InspectionTask.planned_date)
            .join(InspectionTask, InspectionTask.id == Draw.task_id)
            .where(Draw.status == DrawStatus.FINISHED.value)
        ).all()
    assert [t.code for t in tasks] == [f"RW-2026-{n:04d}" for n in range(1, len(tasks) + 1)]
    assert 25 <= len(tasks) <= 40
    assert sum(t.is_unplanned for t in tasks) == 1
    assert sum(t.is_joint for t in tasks) >= 3
    assert statuses[TaskStatus.PUBLISHED.value] >= len(tasks) // 2
    assert statuses[TaskStatus.PENDING_DRAW.value] >= 1, (
        "a task of the current month still waits for its draw"
    )
    assert draws[DrawStatus.FINISHED.value] >= 20 and draws[DrawStatus.VOIDED.value] == 1
    assert replacements == 1
    # Draws happen on the demo calendar: in the year, by the demo's today, no later than the planned month.
    for finished_at, planned in finished:
        day = finished_at.astimezone().date()
        assert dt.date(2026, 1, 1) <= day <= WORK_TODAY and day <= planned
    filed = [f for f in forms if f.status == InspectionStatus.FILED.value]
    assert drawn == len(forms) and len(filed) >= 0.8 * len(forms)
    results = Counter(f.result for f in filed)
    assert 0.65 <= results[InspectionResult.NO_PROBLEM.value] / len(filed) <= 0.95
    assert results[InspectionResult.CORRECTED.value] and results[InspectionResult.PENDING_FOLLOW_UP.value]
    assert all(f.inspection_date and f.inspection_date <= WORK_TODAY for f in filed)
    late = [p for p in publications if p.deadline and p.published_on > p.deadline]
    assert len(publications) >= 10 and 1 <= len(late) <= 2
    assert all(p.published_on <= WORK_TODAY for p in publications)


def test_every_finished_draw_of_the_year_verifies(worked_db: Database, tmp_path: Path) -> None:
    with worked_db.sessions() as session:
        draws = session.scalars(select(Draw).order_by(Draw.id)).all()
        finished = [d for d in draws if d.status == DrawStatus.FINISHED.value]
        records = {d.draw_uid: current_record(session, d.id) for d in finished}
        voided = next(d for d in draws if d.status == DrawStatus.VOIDED.value)
        redo = next(d for d in finished if d.task_id == voided.task_id)
    assert all(verify_record(record).exit_code == 0 for record in records.values())
    assert any(record["replacements"] for record in records.values()), "the 递补 is in its draw's record"
    assert redo.attempt_no == 2 and "第1次作废" in records[redo.draw_uid]["meta"]["attempt_note"]


def test_the_audit_trail_verifies_after_the_year_of_work(worked: Path) -> None:
    result = run_app("audit", "verify", "--db", worked, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_year_of_work_is_reproducible(worked_db: Database, tmp_path: Path) -> None:
    again = _build(tmp_path / "again.db", WORK_ENTITIES, year_of_work=True, today=WORK_TODAY)
    try:
        with worked_db.engine.connect() as first, again.engine.connect() as second:
            for query in WORK_QUERIES:
                assert [tuple(r) for r in first.execute(text(query))] == [
                    tuple(r) for r in second.execute(text(query))
                ], query
    finally:
        again.close()


def test_the_statistics_tables_show_the_year(worked_db: Database) -> None:
    with worked_db.sessions() as session:
        facts = collect_facts(session, Period.year(2026), as_of=WORK_TODAY)
    progress = progress_table(facts)
    assert progress.totals is not None
    totals = {column.name: cell.value for column, cell in zip(progress.columns, progress.totals, strict=True)}
    assert totals["抽取数"] and totals["已检查数"] and totals["发现问题数"] and totals["已处置数"]
    assert isinstance(totals["公示率"], float) and 0.5 < totals["公示率"] <= 1
    assert isinstance(totals["按时公示率"], float) and totals["按时公示率"] < 1
    joint = joint_table(facts)
    assert joint.rows and all(row[joint.column_index("部门数")].value >= 2 for row in joint.rows)
