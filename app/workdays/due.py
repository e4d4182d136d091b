"""待办与逾期 for the 首页: forms not filed, results not published, planned checks without a task.

Deadlines count working days on the official calendar (:class:`WorkCalendar`) with the bureau's settings:
a 执法检查登记表 is due N working days after its inspection (or, before any form exists, after the task's
planned date); a finished task's 公示 is due N working days after its end date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.workdays.calendar import WorkCalendar, load_work_calendar, uncovered_message
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


@dataclass(frozen=True)
class DueDate:
    """A deadline seen from ``today``."""

    deadline: dt.date
    today: dt.date
    workdays_left: int  # working days after today up to the deadline; 0 = due today; < 0 once overdue

    @property
    def overdue(self) -> bool:
        return self.today > self.deadline

    @property
    def workdays_overdue(self) -> int:
        """Working days elapsed since the deadline (0 when not overdue, or overdue only over a weekend)."""
        return max(0, -self.workdays_left)

    @property
    def text(self) -> str:
        """逾期 3 个工作日 / 今日到期 / 还剩 2 个工作日."""
        if self.overdue:
            return f"逾期 {self.workdays_overdue} 个工作日" if self.workdays_overdue else "已过期限"
        if self.workdays_left == 0:
            return "今日到期"
        return f"还剩 {self.workdays_left} 个工作日"


def _due(calendar: WorkCalendar, deadline: dt.date, today: dt.date) -> DueDate:
    return DueDate(deadline, today, calendar.workdays_between(today, deadline))


@dataclass(frozen=True)
class FormDue:
    """A drawn object whose 执法检查登记表 is not filed (归档) yet."""

    task_id: int
    task_code: str
    task_title: str
    entity_id: int
    entity_name: str
    inspection_id: int | None  # None: no form has been started
    reference_date: dt.date  # the inspection date, or the task's planned date when there is none yet
    reference_is_planned: bool
    due: DueDate
    description: str


@dataclass(frozen=True)
class PublicationDue:
    """A task 已完成 whose results are not published (公示) yet."""

    task_id: int
    task_code: str
    task_title: str
    end_date: dt.date
    due: DueDate
    description: str


@dataclass(frozen=True)
class PlanRowDue:
    """A plan row planned for this month (or an earlier month of the year) that has no task yet."""

    plan_row_id: int
    department: str
    item: str
    planned_month: int
    planned_count: int | None
    months_late: int  # 0 = this month
    description: str


@dataclass(frozen=True)
class DueItems:
    """Everything due or overdue on ``today``, most urgent first in each list."""

    today: dt.date
    forms: tuple[FormDue, ...]
    publications: tuple[PublicationDue, ...]
    plan_rows: tuple[PlanRowDue, ...]
    notes: tuple[str, ...]  # what could not be computed, and years counted as Monday–Friday

    @property
    def overdue_forms(self) -> int:
        return sum(1 for f in self.forms if f.due.overdue)

    @property
    def overdue_publications(self) -> int:
        return sum(1 for p in self.publications if p.due.overdue)


def _form_items(
    session: Session, calendar: WorkCalendar, today: dt.date, notes: list[str], touched: set[int]
) -> list[FormDue]:
    rows = session.execute(
        select(
            InspectionTask.id,
            InspectionTask.code,
            InspectionTask.title,
            InspectionTask.planned_date,
            Entity.id,
            Entity.name,
            Inspection.id,
            Inspection.inspection_date,
        )
        .select_from(Assignment)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(InspectionTask, InspectionTask.id == Assignment.task_id)
        .join(Entity, Entity.id == Assignment.entity_id)
        .outerjoin(Inspection, Inspection.assignment_id == Assignment.id)
        .where(Draw.status == DrawStatus.FINISHED.value)
        .where(or_(Inspection.id.is_(None), Inspection.status == InspectionStatus.DRAFT.value))
    ).all()
    items, undated = [], set()
    for task_id, code, title, planned, entity_id, entity, inspection_id, inspected in rows:
        reference = inspected or planned
        if reference is None:
            undated.add(code)
            continue
        deadline = calendar.deadline_for_form(reference)
        touched.update({reference.year, deadline.year})
        due = _due(calendar, deadline, today)
        what = "尚未填写《执法检查登记表》" if inspection_id is None else "《执法检查登记表》尚未归档"
        label = "检查日期" if inspected else "计划检查日期"
        description = (
            f"{entity}：{what}，{due.text}（{code}；{label} {reference:%Y-%m-%d}，期限 {deadline:%Y-%m-%d}）"
        )
        items.append(
            FormDue(
                task_id,
                code,
                title,
                entity_id,
                entity,
                inspection_id,
                reference,
                not inspected,
                due,
                description,
            )
        )
    if undated:
        notes.append(f"任务 {'、'.join(sorted(undated))} 未填写计划检查日期，无法计算其登记表期限。")
    return sorted(items, key=lambda f: (f.due.deadline, f.task_code, f.entity_name))


def _publication_items(
    session: Session, calendar: WorkCalendar, today: dt.date, notes: list[str], touched: set[int]
) -> list[PublicationDue]:
    published = exists().where(Publication.task_id == InspectionTask.id)
    rows = session.execute(
        select(InspectionTask.id, InspectionTask.code, InspectionTask.title, InspectionTask.end_date).where(
            InspectionTask.status == TaskStatus.COMPLETED.value, ~published
        )
    ).all()
    items, undated = [], []
    for task_id, code, title, end in rows:
        if end is None:
            undated.append(code)
            continue
        deadline = calendar.deadline_for_publication(end)
        touched.update({end.year, deadline.year})
        due = _due(calendar, deadline, today)
        description = (
            f"{code} {title}：检查结果尚未公示，{due.text}"
            f"（任务结束 {end:%Y-%m-%d}，公示期限 {deadline:%Y-%m-%d}）"
        )
        items.append(PublicationDue(task_id, code, title, end, due, description))
    if undated:
        notes.append(f"已完成的任务 {'、'.join(sorted(undated))} 未填写结束日期，无法计算其公示期限。")
    return sorted(items, key=lambda p: (p.due.deadline, p.task_code))


def _plan_row_items(session: Session, today: dt.date) -> list[PlanRowDue]:
    has_task = exists().where(InspectionTask.plan_row_id == PlanRow.id)
    rows = session.execute(
        select(PlanRow.id, Department.name, InspectionItem.name, PlanRow.planned_month, PlanRow.planned_count)
        .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
        .join(Department, Department.id == AnnualPlan.department_id)
        .join(InspectionItem, InspectionItem.id == PlanRow.item_id)
        .where(AnnualPlan.year == today.year, PlanRow.planned_month <= today.month, ~has_task)
        .order_by(PlanRow.planned_month, Department.sort_order, PlanRow.seq)
    ).all()
    items = []
    for row_id, department, item, planned_month, count in rows:
        month = planned_month or today.month  # never None here: the query compares it with this month
        late = today.month - month
        planned = f" {count} 户" if count else ""
        if late:
            description = (
                f"{department}「{item}」：计划于{month}月抽查{planned}，已过 {late} 个月仍未建立抽查任务"
            )
        else:
            description = f"{department}「{item}」：本月（{month}月）计划抽查{planned}，尚未建立抽查任务"
        items.append(PlanRowDue(row_id, department, item, month, count, late, description))
    return items


def due_items(
    session: Session, today: dt.date | None = None, *, calendar: WorkCalendar | None = None
) -> DueItems:
    """What is due and overdue on ``today``: unfiled forms, unpublished results, plan rows without a task.

    Every unfiled form and unpublished finished task is listed with its working days left (the 首页 may show
    only the urgent ones). ``calendar`` defaults to the stored one (:func:`load_work_calendar`).
    """
    today = today or dt.date.today()
    calendar = calendar or load_work_calendar(session)
    notes: list[str] = []
    touched: set[int] = set()
    forms = _form_items(session, calendar, today, notes, touched)
    publications = _publication_items(session, calendar, today, notes, touched)
    plan_rows = _plan_row_items(session, today)
    notes.extend(uncovered_message(year) for year in sorted(touched) if not calendar.covered(year))
    return DueItems(today, tuple(forms), tuple(publications), tuple(plan_rows), tuple(notes))
