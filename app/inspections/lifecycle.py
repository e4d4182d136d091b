"""The inspection stage of a task: forms created from the finished draw (检查中), filed one by one (已归档),
the task finished (已完成) when the last form is filed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import record_event
from app.inspections.common import get_inspection, get_task, require_draft
from app.inspections.errors import IncompleteInspectionError, InspectionInputError, InspectionStateError
from app.inspections.numbers import DocNumbers, number_inspection
from app.inspections.recording import checked_inspectors
from app.tasks.common import unit_of_work
from db.base import utcnow
from db.enums import DrawStatus, FollowUp, InspectionResult, InspectionStatus, TaskStatus
from db.models import (
    Assignment,
    AssignmentInspector,
    ChecklistRow,
    Draw,
    Inspection,
    InspectionFinding,
    InspectionInspector,
    InspectionTask,
    TaskItem,
)

MIN_INSPECTORS = 2
"""执法检查 is done by at least two law-enforcement officers holding 执法证."""
PROBLEM_RESULTS = frozenset({InspectionResult.CORRECTED.value, InspectionResult.PENDING_FOLLOW_UP.value})
"""Results that say problems were found: at least one row must name the problem."""
NOTE_REQUIRED = frozenset({FollowUp.TRANSFERRED.value, FollowUp.NOTIFY_DEPARTMENT.value})
"""Follow-ups whose 说明 must say to which authority the matter went."""
NOTHING_FOUND = frozenset({"无", "没有", "未发现", "未发现问题", "/", "-", "—", "无问题"})
"""What clerks type in 发现问题 to say there was none."""


@dataclass(frozen=True)
class StartedInspections:
    """The task's forms in draw order and how many this call created (0 when they all existed)."""

    task_id: int
    inspection_ids: tuple[int, ...]
    created: int


@dataclass(frozen=True)
class FiledInspection:
    """A filed form's numbers and whether filing it completed the task."""

    numbers: DocNumbers
    task_completed: bool


def finished_draw(session: Session, task: InspectionTask) -> Draw:
    """The task's finished, not voided draw, or :class:`InspectionStateError`."""
    draw = session.scalars(
        select(Draw).where(Draw.task_id == task.id, Draw.status == DrawStatus.FINISHED.value)
    ).first()
    if draw is None:
        raise InspectionStateError(f"任务 {task.code} 还没有完成摇号，不能开始检查")
    return draw


def _checklist(session: Session, task_id: int) -> list[tuple[int, str]]:
    """(checklist row id, 检查内容) of every item of the task, items in task order, rows in list order."""
    return [
        (row_id, content)
        for row_id, content in session.execute(
            select(ChecklistRow.id, ChecklistRow.content)
            .join(TaskItem, TaskItem.item_id == ChecklistRow.item_id)
            .where(TaskItem.task_id == task_id)
            .order_by(TaskItem.id, ChecklistRow.seq)
        )
    ]


def start_inspections(session: Session, task_id: int) -> StartedInspections:
    """Create a draft form (草稿) for every object of the task's finished draw, with the checklist rows of
    the task's items and the object's currently assigned inspectors; the task becomes 检查中.

    Idempotent: objects that already have a form are left alone. Its own transaction.
    """
    with unit_of_work(session):
        task = get_task(session, task_id)
        if task.status == TaskStatus.PENDING_DRAW.value:
            raise InspectionStateError(f"任务 {task.code} 尚未摇号，不能开始检查")
        draw = finished_draw(session, task)
        existing = set(session.scalars(select(Inspection.assignment_id).where(Inspection.task_id == task_id)))
        drawn = session.execute(
            select(Assignment.id, Assignment.entity_id)
            .where(Assignment.draw_id == draw.id)
            .order_by(Assignment.order_no)
        )
        missing = [
            (assignment_id, entity_id) for assignment_id, entity_id in drawn if assignment_id not in existing
        ]
        if missing:
            if task.status not in (TaskStatus.DRAWN.value, TaskStatus.INSPECTING.value):
                raise InspectionStateError(f"任务 {task.code} 已{task.status}，不能再增加检查记录")
            try:
                _create_forms(session, task, missing)
            except IntegrityError:  # another PC started the same forms a moment ago (assignment is unique)
                raise InspectionStateError(f"任务 {task.code} 正在另一处开始检查，请刷新后再试") from None
            record_event(
                session,
                "开始检查",
                "抽查任务",
                task.id,
                f"任务 {task.code} 开始检查：生成 {len(missing)} 份检查登记表草稿",
            )
        if task.status == TaskStatus.DRAWN.value:
            task.status = TaskStatus.INSPECTING.value
        session.flush()
        ids = session.scalars(
            select(Inspection.id)
            .join(Assignment, Assignment.id == Inspection.assignment_id)
            .where(Inspection.task_id == task_id)
            .order_by(Assignment.order_no)
        ).all()
    return StartedInspections(task_id, tuple(ids), len(missing))


def _create_forms(session: Session, task: InspectionTask, objects: list[tuple[int, int]]) -> None:
    """Core inserts (thousands of forms in well under a second), in the session's transaction."""
    connection = session.connection()
    now = utcnow()
    connection.execute(
        insert(Inspection),
        [
            {
                "assignment_id": assignment_id,
                "task_id": task.id,
                "entity_id": entity_id,
                "status": InspectionStatus.DRAFT.value,
                "created_at": now,
                "updated_at": now,
            }
            for assignment_id, entity_id in objects
        ],
    )
    wanted = [assignment_id for assignment_id, _ in objects]
    new = set(wanted)
    form_of = {
        assignment_id: inspection_id
        for assignment_id, inspection_id in connection.execute(
            select(Inspection.assignment_id, Inspection.id).where(Inspection.task_id == task.id)
        )
        if assignment_id in new
    }
    rows = _checklist(session, task.id)
    if rows:
        connection.execute(
            insert(InspectionFinding),
            [
                {"inspection_id": form_of[a], "seq": seq, "checklist_row_id": row_id, "content": content}
                for a in wanted
                for seq, (row_id, content) in enumerate(rows, start=1)
            ],
        )
    people = connection.execute(
        select(AssignmentInspector.assignment_id, AssignmentInspector.inspector_id)
        .join(Assignment, Assignment.id == AssignmentInspector.assignment_id)
        .where(Assignment.task_id == task.id, AssignmentInspector.active.is_(True))
        .order_by(AssignmentInspector.id)
    ).all()
    links = [{"inspection_id": form_of[a], "inspector_id": i} for a, i in people if a in form_of]
    if links:
        connection.execute(insert(InspectionInspector), links)


def filing_problems(session: Session, inspection: Inspection) -> list[str]:
    """Everything that keeps a form from being filed, one Chinese sentence each (empty = ready)."""
    problems = []
    if inspection.inspection_date is None:
        problems.append("未填写检查日期")
    if not inspection.method:
        problems.append("未选择检查方式")
    if not inspection.result:
        problems.append("未选择检查结果")
    if not inspection.follow_up:
        problems.append("未选择后续处置")
    if len(inspection.inspectors) < MIN_INSPECTORS:
        problems.append(f"检查人员不足 {MIN_INSPECTORS} 名（当前 {len(inspection.inspectors)} 名）")
    try:
        checked_inspectors(
            session, inspection, [i.inspector_id for i in inspection.inspectors], inspection.inspection_date
        )
    except InspectionInputError as exc:
        problems.append(exc.message_zh)
    found = [f for f in inspection.findings if f.problem.strip() not in NOTHING_FOUND | {""}]
    if inspection.result == InspectionResult.NO_PROBLEM.value and found:
        problems.append(f"检查结果为“未发现问题”，但第 {found[0].seq} 项检查内容填写了发现问题")
    if inspection.result in PROBLEM_RESULTS and not found:
        problems.append(f"检查结果为“{inspection.result}”，但没有一项检查内容填写了发现问题")
    problems += [
        f"第 {f.seq} 项检查内容发现了问题，但未填写处置情况" for f in found if not f.handling.strip()
    ]
    if (
        inspection.result == InspectionResult.PENDING_FOLLOW_UP.value
        and inspection.follow_up == FollowUp.NONE.value
    ):
        problems.append("检查结果为“发现问题待后续处理”，后续处置不能是“无需处置”")
    if inspection.follow_up in NOTE_REQUIRED and not inspection.follow_up_note.strip():
        problems.append(f"后续处置为“{inspection.follow_up}”时须在说明中写明接收部门")
    return problems


def file_inspection(session: Session, inspection_id: int) -> FiledInspection:
    """File (归档) a complete draft form: 文书编号 and 档案号 assigned, status 已归档, never editable again.
    When it is the task's last draft, the task becomes 已完成 with ``end_date`` the latest 检查日期.

    Its own transaction: on any failure nothing is kept, the document counter included.
    Raises :class:`IncompleteInspectionError` listing every missing or contradictory field.
    """
    with unit_of_work(session):
        inspection = get_inspection(session, inspection_id)
        require_draft(inspection)
        problems = filing_problems(session, inspection)
        if problems:
            raise IncompleteInspectionError(problems)
        numbers = number_inspection(session, inspection)
        inspection.status = InspectionStatus.FILED.value
        inspection.filed_at = utcnow()
        session.flush()
        completed = complete_task_if_done(session, inspection.task)
    return FiledInspection(numbers, completed)


def complete_task_if_done(session: Session, task: InspectionTask) -> bool:
    """Mark the task 已完成 when it is 检查中 and every form is filed; True if it did."""
    if task.status != TaskStatus.INSPECTING.value:
        return False
    drafts = session.scalar(
        select(func.count())
        .select_from(Inspection)
        .where(Inspection.task_id == task.id, Inspection.status != InspectionStatus.FILED.value)
    )
    if drafts:
        return False
    first, last = session.execute(
        select(func.min(Inspection.inspection_date), func.max(Inspection.inspection_date)).where(
            Inspection.task_id == task.id
        )
    ).one()
    task.status = TaskStatus.COMPLETED.value
    task.end_date = last
    if task.start_date is None:
        task.start_date = first
    session.flush()
    return True
