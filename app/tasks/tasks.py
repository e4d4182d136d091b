"""抽查任务: created from a row of the filed annual plan (计划内) or ad hoc (专项, 计划外), and read back.

Each write function is its own transaction on the given session (commit on success, roll back on failure).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.tasks.common import check_text, get_task, unit_of_work
from app.tasks.errors import DrawStateError, NotFoundError, TaskSpecError
from app.tasks.spec import Exclusions, PoolFilter, StrataSpec, TaskSpec, parse_cap
from db.enums import DeptRole, DrawStatus, TaskStatus
from db.models import Department, Draw, InspectionItem, InspectionTask, PlanRow, TaskDepartment, TaskItem

TASK_CODE_PREFIX = "RW"


@dataclass(frozen=True)
class TaskDepartmentInfo:
    """A participating department and its k (inspectors per object)."""

    department_id: int
    name: str
    role: str  # DeptRole: 发起 / 配合
    inspectors_per_object: int


@dataclass(frozen=True)
class TaskDefinition:
    """A task as the draw needs it: ids, items, departments (lead first) and the parsed pool definition."""

    task_id: int
    code: str
    title: str
    year: int
    status: str
    is_unplanned: bool
    is_joint: bool
    plan_row_id: int | None
    planned_date: dt.date | None
    item_ids: tuple[int, ...]
    items: tuple[str, ...]
    """``编号 抽查事项`` of each item, for titles and printouts."""
    departments: tuple[TaskDepartmentInfo, ...]
    pool_filter: PoolFilter
    exclusions: Exclusions
    strata: StrataSpec
    cap: str


def next_task_code(session: Session, year: int) -> str:
    """The next free task code of a year: ``RW-2026-0001``, ``RW-2026-0002`` …"""
    prefix = f"{TASK_CODE_PREFIX}-{year}-"
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    highest = 0
    for code in session.scalars(select(InspectionTask.code).where(InspectionTask.code.like(f"{prefix}%"))):
        match = pattern.fullmatch(code)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}{highest + 1:04d}"


def last_day_of_month(year: int, month: int) -> dt.date:
    """The last day of a month; a plan row's 计划月份 becomes this planned date (执法证 must cover the month)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _checked_items(session: Session, item_ids: Sequence[int]) -> list[InspectionItem]:
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise TaskSpecError("抽查任务至少要有一个抽查事项")
    items = {i.id: i for i in session.scalars(select(InspectionItem).where(InspectionItem.id.in_(ids)))}
    for item_id in ids:
        item = items.get(item_id)
        if item is None:
            raise NotFoundError(f"抽查事项不存在（编号 {item_id}）")
        if item.archived:
            raise TaskSpecError(f"抽查事项“{item.name}”已归档，不能用于新的抽查任务")
    return [items[i] for i in ids]


def _checked_departments(session: Session, lead_id: int, partner_ids: Sequence[int]) -> list[Department]:
    ids = [lead_id, *dict.fromkeys(p for p in partner_ids if p != lead_id)]
    found = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))}
    for dept_id in ids:
        dept = found.get(dept_id)
        if dept is None:
            raise NotFoundError(f"部门不存在（编号 {dept_id}）")
        if dept.archived:
            raise TaskSpecError(f"部门“{dept.name}”已归档，不能参加抽查任务")
        if "," in dept.name:
            raise TaskSpecError(f"部门名称“{dept.name}”含有逗号，不能作为摇号分组名称，请先修改部门名称")
    return [found[i] for i in ids]


def _apply_spec(
    session: Session, task: InspectionTask, spec: TaskSpec, default_year: int | None = None
) -> None:
    """Validate ``spec`` and write it into ``task`` (items and departments replaced)."""
    task.title = check_text(spec.title, "任务名称", 300)
    items = _checked_items(session, spec.item_ids)
    departments = _checked_departments(session, spec.lead_department_id, spec.partner_department_ids)
    for dept in departments:
        k = spec.k_for(dept.id)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 20:
            raise TaskSpecError(f"“{dept.name}”每个检查对象派出的检查人员数应为 1 到 20 之间的整数：{k!r}")
    task.pool_filter = spec.pool_filter.validated().to_json()
    task.exclusions = spec.exclusions.validated().to_json()
    task.strata = StrataSpec.from_json(spec.strata.to_json()).to_json()
    task.cap = parse_cap(spec.cap)
    task.planned_date = spec.planned_date
    task.year = (
        spec.year or default_year or (spec.planned_date.year if spec.planned_date else dt.date.today().year)
    )
    task.department_id = departments[0].id
    task.is_joint = len(departments) > 1
    task.remarks = (spec.remarks or "").strip()
    if task.id is not None:
        # Delete the old links before inserting new ones: the flush would otherwise insert first and trip
        # the (task, item) / (task, department) unique constraints.
        task.items.clear()
        task.departments.clear()
        session.flush()
    task.items = [TaskItem(item_id=item.id) for item in items]
    task.departments = [
        TaskDepartment(
            department_id=dept.id,
            role=DeptRole.LEAD.value if index == 0 else DeptRole.PARTNER.value,
            inspectors_per_object=spec.k_for(dept.id),
        )
        for index, dept in enumerate(departments)
    ]


def create_adhoc_task(
    session: Session, spec: TaskSpec, *, created_by_id: int | None = None
) -> InspectionTask:
    """Create a 专项/计划外 task (``is_unplanned=True``) from ``spec``; returns it with its new code."""
    with unit_of_work(session):
        task = InspectionTask(code="", is_unplanned=True, status=TaskStatus.PENDING_DRAW.value)
        _apply_spec(session, task, spec)
        task.code = next_task_code(session, task.year)
        task.created_by_id = created_by_id
        session.add(task)
        session.flush()
    return task


def plan_row_spec(session: Session, plan_row_id: int, *, inspectors_per_object: int = 2) -> TaskSpec:
    """The task a plan row asks for: its item, plan department (发起) and 联合部门 (配合), scope filter,
    ratio or quantity as one stratum 全部, and the planned month's last day as the planned date.

    Callers may change fields (``dataclasses.replace``) before :func:`create_task_from_plan_row`.
    """
    row = session.get(PlanRow, plan_row_id)
    if row is None:
        raise NotFoundError(f"年度计划行不存在（编号 {plan_row_id}）")
    plan = row.plan
    if row.ratio:
        strata = StrataSpec.single(row.ratio)
    elif row.quantity is not None or row.planned_count is not None:
        strata = StrataSpec.single(int(row.quantity if row.quantity is not None else row.planned_count or 0))
    else:
        raise TaskSpecError("该计划行没有填写抽查比例或数量，请在任务中指定分层抽取规则")
    planned = last_day_of_month(plan.year, row.planned_month) if row.planned_month else None
    return TaskSpec(
        title=f"{plan.year}年度{row.item.name}",
        item_ids=[row.item_id],
        lead_department_id=plan.department_id,
        # In the departments' own order: the rows' load order is not fixed (no ORDER BY), and the partners'
        # order names the SJDRAW-1 groups, so it must not vary between two runs.
        partner_department_ids=[
            j.department_id
            for j in sorted(row.joint_departments, key=lambda j: (j.department.sort_order, j.department_id))
        ],
        inspectors_per_object=inspectors_per_object,
        pool_filter=PoolFilter.from_json(row.scope_filter),
        exclusions=Exclusions(),  # the annual cap then comes from the row's 频次上限
        strata=strata,
        planned_date=planned,
        year=plan.year,
        remarks=row.remarks,
    )


def create_task_from_plan_row(
    session: Session,
    plan_row_id: int,
    spec: TaskSpec | None = None,
    *,
    created_by_id: int | None = None,
) -> InspectionTask:
    """Create a 计划内 task for a plan row; ``spec`` defaults to :func:`plan_row_spec` (the row as filed)."""
    spec = spec or plan_row_spec(session, plan_row_id)
    with unit_of_work(session):
        task = InspectionTask(
            code="", plan_row_id=plan_row_id, is_unplanned=False, status=TaskStatus.PENDING_DRAW.value
        )
        _apply_spec(session, task, spec)
        task.code = next_task_code(session, task.year)
        task.created_by_id = created_by_id
        session.add(task)
        session.flush()
    return task


def update_task(session: Session, task_id: int, spec: TaskSpec) -> InspectionTask:
    """Change a task's definition; refused once any draw attempt is open or finished (only voided ones allowed)."""
    with unit_of_work(session):
        task = get_task(session, task_id)
        live = session.scalars(
            select(Draw.attempt_no).where(Draw.task_id == task_id, Draw.status != DrawStatus.VOIDED.value)
        ).first()
        if live is not None:
            raise DrawStateError(f"任务 {task.code} 的第{live}次抽取尚未作废，不能修改任务的抽取条件")
        year = task.year
        _apply_spec(session, task, spec, default_year=year)
        if task.year != year:
            raise TaskSpecError("不能修改任务的年度（任务编号按年度编排），请新建任务")
        session.flush()
    return task


def task_definition(session: Session, task_id: int) -> TaskDefinition:
    """Read a task's stored definition back as typed values (departments: lead first)."""
    task = get_task(session, task_id)
    rows = session.execute(
        select(TaskDepartment, Department)
        .join(Department, Department.id == TaskDepartment.department_id)
        .where(TaskDepartment.task_id == task_id)
        .order_by(TaskDepartment.role != DeptRole.LEAD.value, Department.sort_order, Department.id)
    ).all()
    departments = tuple(
        TaskDepartmentInfo(dept.id, dept.name, link.role, link.inspectors_per_object) for link, dept in rows
    )
    items = session.execute(
        select(InspectionItem.id, InspectionItem.code, InspectionItem.name)
        .join(TaskItem, TaskItem.item_id == InspectionItem.id)
        .where(TaskItem.task_id == task_id)
        .order_by(TaskItem.id)
    ).all()
    return TaskDefinition(
        task_id=task.id,
        code=task.code,
        title=task.title,
        year=task.year,
        status=task.status,
        is_unplanned=task.is_unplanned,
        is_joint=task.is_joint,
        plan_row_id=task.plan_row_id,
        planned_date=task.planned_date,
        item_ids=tuple(item.id for item in items),
        items=tuple(f"{item.code} {item.name}" for item in items),
        departments=departments,
        pool_filter=PoolFilter.from_json(task.pool_filter),
        exclusions=Exclusions.from_json(task.exclusions),
        strata=StrataSpec.from_json(task.strata),
        cap=parse_cap(task.cap),
    )


def task_spec(session: Session, task_id: int) -> TaskSpec:
    """The stored task as an editable TaskSpec (what :func:`update_task` takes back)."""
    definition = task_definition(session, task_id)
    task = get_task(session, task_id)
    lead = next(d for d in definition.departments if d.role == DeptRole.LEAD.value)
    return TaskSpec(
        title=definition.title,
        item_ids=list(definition.item_ids),
        lead_department_id=lead.department_id,
        partner_department_ids=[
            d.department_id for d in definition.departments if d.role != DeptRole.LEAD.value
        ],
        inspectors_per_object={d.department_id: d.inspectors_per_object for d in definition.departments},
        pool_filter=definition.pool_filter,
        exclusions=definition.exclusions,
        strata=definition.strata,
        cap=definition.cap,
        planned_date=definition.planned_date,
        year=definition.year,
        remarks=task.remarks,
    )
