"""Lists for the 抽查任务 page: the year's tasks with their progress, and plan rows still without a task."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import DrawStatus, InspectionStatus, PlanStatus
from db.models import (
    AnnualPlan,
    Assignment,
    Department,
    Draw,
    Inspection,
    InspectionItem,
    InspectionTask,
    PlanRow,
    TaskDepartment,
)


@dataclass(frozen=True)
class TaskLine:
    task_id: int
    code: str
    title: str
    department: str
    partners: str  # 联合部门, joined with 、
    kind: str  # 年度计划 / 计划外
    planned_date: dt.date | None
    status: str
    attempts: int
    drawn: int  # objects in the finished, non-voided draw
    filed: int = 0  # 执法检查登记表 filed (已归档) for this task


@dataclass(frozen=True)
class PlanRowLine:
    plan_row_id: int
    department: str
    item: str
    planned_month: int | None
    planned_count: int | None
    tasks: int  # tasks already made from this row


def list_tasks(session: Session, year: int) -> list[TaskLine]:
    """The year's tasks, newest code last."""
    attempts = dict(session.execute(select(Draw.task_id, func.count()).group_by(Draw.task_id)).all())
    drawn = dict(
        session.execute(
            select(Assignment.task_id, func.count())
            .join(Draw, Draw.id == Assignment.draw_id)
            .where(Draw.status == DrawStatus.FINISHED.value)
            .group_by(Assignment.task_id)
        ).all()
    )
    filed = dict(
        session.execute(
            select(Inspection.task_id, func.count())
            .where(Inspection.status == InspectionStatus.FILED.value)
            .group_by(Inspection.task_id)
        ).all()
    )
    partners: dict[int, list[str]] = {}
    for task_id, name in session.execute(
        select(TaskDepartment.task_id, Department.name)
        .join(Department, Department.id == TaskDepartment.department_id)
        .where(TaskDepartment.role == "配合")
        .order_by(Department.sort_order)
    ):
        partners.setdefault(task_id, []).append(name)
    rows = session.execute(
        select(InspectionTask, Department.name)
        .join(Department, Department.id == InspectionTask.department_id)
        .where(InspectionTask.year == year)
        .order_by(InspectionTask.code)
    ).all()
    return [
        TaskLine(
            task.id,
            task.code,
            task.title,
            department,
            "、".join(partners.get(task.id, [])),
            "计划外" if task.is_unplanned else "年度计划",
            task.planned_date,
            task.status,
            attempts.get(task.id, 0),
            drawn.get(task.id, 0),
            filed.get(task.id, 0),
        )
        for task, department in rows
    ]


def plan_rows_for_tasks(session: Session, year: int) -> list[PlanRowLine]:
    """Rows of the year's submitted or filed plans, with how many tasks each already has."""
    made = dict(
        session.execute(
            select(InspectionTask.plan_row_id, func.count())
            .where(InspectionTask.plan_row_id.is_not(None))
            .group_by(InspectionTask.plan_row_id)
        ).all()
    )
    rows = session.execute(
        select(PlanRow.id, Department.name, InspectionItem.name, PlanRow.planned_month, PlanRow.planned_count)
        .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
        .join(Department, Department.id == AnnualPlan.department_id)
        .join(InspectionItem, InspectionItem.id == PlanRow.item_id)
        .where(AnnualPlan.year == year, AnnualPlan.status != PlanStatus.DRAFT.value)
        .order_by(PlanRow.planned_month, Department.sort_order, PlanRow.seq)
    ).all()
    return [
        PlanRowLine(r_id, dept, item, month, count, made.get(r_id, 0))
        for r_id, dept, item, month, count in rows
    ]


@dataclass(frozen=True)
class PlanRowProgress:
    """计划 vs 完成 for one plan row: planned objects, drawn in finished draws, inspections filed."""

    plan_row_id: int
    planned: int
    tasks: int
    drawn: int
    filed: int


def plan_row_progress(session: Session, plan_id: int) -> dict[int, PlanRowProgress]:
    """Progress of every row of a plan, by plan row id (rows without tasks show zeros)."""
    rows = session.execute(select(PlanRow.id, PlanRow.planned_count).where(PlanRow.plan_id == plan_id)).all()
    tasks = dict(
        session.execute(
            select(InspectionTask.plan_row_id, func.count())
            .join(PlanRow, PlanRow.id == InspectionTask.plan_row_id)
            .where(PlanRow.plan_id == plan_id)
            .group_by(InspectionTask.plan_row_id)
        ).all()
    )
    drawn = dict(
        session.execute(
            select(InspectionTask.plan_row_id, func.count())
            .select_from(Assignment)
            .join(Draw, Draw.id == Assignment.draw_id)
            .join(InspectionTask, InspectionTask.id == Assignment.task_id)
            .join(PlanRow, PlanRow.id == InspectionTask.plan_row_id)
            .where(PlanRow.plan_id == plan_id, Draw.status == DrawStatus.FINISHED.value)
            .group_by(InspectionTask.plan_row_id)
        ).all()
    )
    filed = dict(
        session.execute(
            select(InspectionTask.plan_row_id, func.count())
            .select_from(Inspection)
            .join(InspectionTask, InspectionTask.id == Inspection.task_id)
            .join(PlanRow, PlanRow.id == InspectionTask.plan_row_id)
            .where(PlanRow.plan_id == plan_id, Inspection.status == InspectionStatus.FILED.value)
            .group_by(InspectionTask.plan_row_id)
        ).all()
    )
    return {
        row_id: PlanRowProgress(
            row_id, planned or 0, tasks.get(row_id, 0), drawn.get(row_id, 0), filed.get(row_id, 0)
        )
        for row_id, planned in rows
    }
