"""待办与逾期 on hand-built data: unfiled forms, unpublished results, plan rows without a task."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from app.settings import BureauSettings, save_settings
from app.workdays import due_items
from db.base import utcnow
from db.enums import DrawStatus, InspectionStatus, TaskStatus
from db.models import (
    AnnualPlan,
    Assignment,
    Department,
    Draw,
    Entity,
    Inspection,
    InspectionItem,
    InspectionTask,
    PlanRow,
    Publication,
)
from tests.app.workdays.conftest import d

TODAY = d("2025-10-15")  # a Wednesday, a week after 国庆节、中秋节


@dataclass
class County:
    department: Department
    item: InspectionItem
    entities: dict[str, Entity]


@pytest.fixture
def county(session: Session) -> County:
    department = Department(code="SJ", name="示范县市场监督管理局", short_name="示市监")
    session.add(department)
    session.flush()
    item = InspectionItem(code="SJ-001", list_kind="部门", department_id=department.id, name="食品经营者检查")
    entities = {
        name: Entity(name=name, kind="企业") for name in ("甲商店", "乙餐馆", "丙超市", "丁药房", "戊酒楼")
    }
    session.add_all([item, *entities.values()])
    session.flush()
    return County(department, item, entities)


def _task(
    session: Session, county: County, code: str, status: TaskStatus, **fields: object
) -> InspectionTask:
    task = InspectionTask(
        code=code,
        title=f"任务{code}",
        year=2025,
        department_id=county.department.id,
        status=status.value,
        **fields,
    )
    session.add(task)
    session.flush()
    return task


def _draw(
    session: Session, task: InspectionTask, attempt: int, status: DrawStatus, names: list[str], county: County
) -> list[Assignment]:
    draw = Draw(
        task_id=task.id,
        attempt_no=attempt,
        draw_uid=f"{task.code}-{attempt}",
        status=status.value,
        prepared_at=utcnow(),
    )
    session.add(draw)
    session.flush()
    assignments = [
        Assignment(draw_id=draw.id, task_id=task.id, order_no=i, entity_id=county.entities[name].id)
        for i, name in enumerate(names, start=1)
    ]
    session.add_all(assignments)
    session.flush()
    return assignments


def _inspection(
    session: Session, assignment: Assignment, date: dt.date | None, status: InspectionStatus
) -> None:
    session.add(
        Inspection(
            assignment_id=assignment.id,
            task_id=assignment.task_id,
            entity_id=assignment.entity_id,
            inspection_date=date,
            status=status.value,
        )
    )


@pytest.fixture
def inspecting(session: Session, county: County) -> InspectionTask:
    """A drawn task planned for Friday 26 September 2025: forms in every state."""
    task = _task(session, county, "2025-001", TaskStatus.INSPECTING, planned_date=d("2025-09-26"))
    _draw(session, task, 1, DrawStatus.VOIDED, ["戊酒楼"], county)  # voided: its object is owed nothing
    a, b, c, _d = _draw(
        session, task, 2, DrawStatus.FINISHED, ["甲商店", "乙餐馆", "丙超市", "丁药房"], county
    )
    _inspection(session, a, d("2025-09-26"), InspectionStatus.DRAFT)  # due 13 Oct: overdue
    _inspection(session, b, d("2025-10-10"), InspectionStatus.DRAFT)  # due 20 Oct: three working days left
    _inspection(session, c, d("2025-09-26"), InspectionStatus.FILED)  # filed: nothing due
    # 丁药房 has no form at all: due 7 working days after the planned date, 13 Oct.
    session.commit()
    return task


def test_unfiled_forms_are_listed_with_working_days_left_or_overdue(
    session: Session, inspecting: InspectionTask
) -> None:
    due = due_items(session, TODAY)
    forms = {f.entity_name: f for f in due.forms}
    assert set(forms) == {"甲商店", "乙餐馆", "丁药房"}
    overdue = forms["甲商店"]
    assert (overdue.due.deadline, overdue.due.overdue, overdue.due.workdays_overdue) == (
        d("2025-10-13"),
        True,
        2,
    )
    assert overdue.description == (
        "甲商店：《执法检查登记表》尚未归档，逾期 2 个工作日（2025-001；检查日期 2025-09-26，期限 2025-10-13）"
    )
    pending = forms["乙餐馆"]
    assert (pending.due.deadline, pending.due.overdue, pending.due.workdays_left) == (
        d("2025-10-20"),
        False,
        3,
    )
    assert pending.due.text == "还剩 3 个工作日"
    missing = forms["丁药房"]
    assert missing.inspection_id is None and missing.reference_is_planned
    assert missing.due.deadline == d("2025-10-13") and missing.due.overdue
    assert missing.description.startswith("丁药房：尚未填写《执法检查登记表》，逾期 2 个工作日")
    assert due.overdue_forms == 2
    assert [f.entity_name for f in due.forms] == ["丁药房", "甲商店", "乙餐馆"]  # by deadline, then name


def test_a_form_due_today_and_one_due_over_a_weekend(session: Session, inspecting: InspectionTask) -> None:
    on_deadline = due_items(session, d("2025-10-13"))
    assert {f.entity_name: f.due.text for f in on_deadline.forms}["甲商店"] == "今日到期"
    # Saturday 18 October (not a 班 day): 乙餐馆 (due Monday 20) has one working day left.
    assert {f.entity_name: f.due.workdays_left for f in due_items(session, d("2025-10-18")).forms}[
        "乙餐馆"
    ] == 1


def test_the_form_deadline_follows_the_setting(session: Session, inspecting: InspectionTask) -> None:
    save_settings(session, BureauSettings(form_deadline_workdays=15))
    session.commit()
    forms = {f.entity_name: f for f in due_items(session, TODAY).forms}
    assert forms["甲商店"].due.deadline == d("2025-10-23") and not forms["甲商店"].due.overdue


def test_finished_tasks_not_yet_published(session: Session, county: County) -> None:
    _task(session, county, "2025-002", TaskStatus.COMPLETED, end_date=d("2025-09-26"))
    published = _task(session, county, "2025-003", TaskStatus.COMPLETED, end_date=d("2025-09-26"))
    session.add(Publication(task_id=published.id, published_on=d("2025-10-09"), created_at=utcnow()))
    _task(session, county, "2025-004", TaskStatus.PUBLISHED, end_date=d("2025-09-26"))
    _task(session, county, "2025-005", TaskStatus.COMPLETED, end_date=d("2025-10-14"))
    _task(session, county, "2025-006", TaskStatus.COMPLETED)  # no end date: cannot be computed
    session.commit()
    due = due_items(session, TODAY)
    assert [p.task_code for p in due.publications] == ["2025-002", "2025-005"]
    late, soon = due.publications
    assert (late.due.deadline, late.due.workdays_overdue) == (d("2025-10-13"), 2)
    assert late.description == (
        "2025-002 任务2025-002：检查结果尚未公示，逾期 2 个工作日（任务结束 2025-09-26，公示期限 2025-10-13）"
    )
    assert (soon.due.deadline, soon.due.workdays_left) == (d("2025-10-23"), 6)
    assert due.overdue_publications == 1
    assert due.notes == ("已完成的任务 2025-006 未填写结束日期，无法计算其公示期限。",)  # 2025 is covered


def test_plan_rows_of_this_month_and_earlier_without_a_task(session: Session, county: County) -> None:
    plan = AnnualPlan(department_id=county.department.id, year=2025, title="2025年度抽查计划")
    session.add(plan)
    session.flush()
    rows = {
        month: PlanRow(
            plan_id=plan.id, seq=month, item_id=county.item.id, planned_month=month, planned_count=12
        )
        for month in (8, 10, 11)
    }
    taken = PlanRow(plan_id=plan.id, seq=20, item_id=county.item.id, planned_month=10)
    session.add_all([*rows.values(), taken])
    session.flush()
    _task(session, county, "2025-007", TaskStatus.PENDING_DRAW, plan_row_id=taken.id)
    session.commit()
    plan_rows = due_items(session, TODAY).plan_rows
    assert [(r.planned_month, r.months_late) for r in plan_rows] == [(8, 2), (10, 0)]
    assert plan_rows[1].description == (
        "示范县市场监督管理局「食品经营者检查」：本月（10月）计划抽查 12 户，尚未建立抽查任务"
    )
    assert plan_rows[0].description.endswith("：计划于8月抽查 12 户，已过 2 个月仍未建立抽查任务")


def test_deadlines_in_a_year_without_an_arrangement_are_flagged(session: Session, county: County) -> None:
    _task(session, county, "2027-001", TaskStatus.COMPLETED, end_date=d("2027-01-29"))
    session.commit()
    due = due_items(session, d("2027-02-01"))
    assert due.publications[0].due.deadline == d("2027-02-09")  # Monday–Friday: no 春节 known for 2027
    assert "2027年节假日安排尚未录入，该年度按周一至周五计算工作日。" in due.notes
