"""公示 of a finished task: the public rows (no personal data) and the record that they were published.

What may be published is the object's registered name and code, the item, date and result, and the
inspecting authority. Never published: 身份证号, telephone numbers, the names of inspectors, or the name of
the operator (经营者) of a 个体工商户 — where a name contains the operator's name it is masked (张三 → 张*).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.hashing import file_sha256
from app.inspections.common import get_task
from app.inspections.errors import PublicationError
from app.registry.codes import EntityCodeKind, classify_entity_code, mask_id_number, normalize_code
from app.settings import load_settings
from app.tasks.common import one_line, unit_of_work
from app.workdays import load_work_calendar
from db.base import utcnow
from db.enums import DeptRole, EntityKind, InspectionStatus, TaskStatus
from db.models import (
    Assignment,
    Department,
    Entity,
    Inspection,
    InspectionItem,
    Publication,
    TaskDepartment,
    TaskItem,
)

PUBLICATION_HEADERS = ("对象名称", "统一社会信用代码", "抽查事项", "检查日期", "检查结果", "检查机关")
"""Column headers of the 公示 table, in the order of :meth:`PublicationRow.cells`."""

# An 18-character 身份证号 (or the 15-digit first generation) or a mobile number inside free text.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@dataclass(frozen=True)
class PublicationRow:
    """One published inspection result."""

    entity_name: str  # 对象名称 (an operator's personal name masked)
    code: str  # 统一社会信用代码 (else 注册号; never a 身份证号)
    items: str  # 抽查事项
    inspection_date: dt.date  # 检查日期
    result: str  # 检查结果
    authority: str  # 检查机关

    def cells(self) -> tuple[str, ...]:
        """The row as text, in :data:`PUBLICATION_HEADERS` order."""
        return (
            self.entity_name,
            self.code,
            self.items,
            self.inspection_date.isoformat(),
            self.result,
            self.authority,
        )


@dataclass(frozen=True)
class PublicationInfo:
    """A recorded 公示: when, where, the deadline it had and whether it was late."""

    publication_id: int
    task_id: int
    published_on: dt.date
    deadline: dt.date | None
    channel: str
    file_name: str
    file_sha256: str

    @property
    def overdue(self) -> bool:
        """True when published after the deadline."""
        return self.deadline is not None and self.published_on > self.deadline


def mask_person(name: str) -> str:
    """A personal name with all but the first character masked: 张三丰 → 张**."""
    return name[:1] + "*" * (len(name) - 1)


def public_name(entity: Entity) -> str:
    """The object's name without its operator's personal name (个体工商户) or any ID or phone number."""
    name = entity.name
    operator = (entity.legal_rep or "").strip()
    if entity.kind == EntityKind.INDIVIDUAL.value and len(operator) >= 2 and operator in name:
        name = name.replace(operator, mask_person(operator))
    name = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(1)), name)
    return _MOBILE_IN_TEXT.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[7:], name)


def public_code(entity: Entity) -> str:
    """统一社会信用代码, else 注册号 — masked when it is in fact a 身份证号 (some 个体工商户 were keyed so)."""
    code = normalize_code(entity.uscc or entity.reg_no or "")
    if not code:
        return ""
    own_id = normalize_code(entity.id_number or "")
    if (own_id and own_id in code) or classify_entity_code(code) == EntityCodeKind.ID_NUMBER:
        return mask_id_number(code)
    return code


def _task_texts(session: Session, task_id: int) -> tuple[str, str]:
    """(抽查事项, 检查机关) of a task: item names, and department names with the lead first."""
    items = session.scalars(
        select(InspectionItem.name)
        .join(TaskItem, TaskItem.item_id == InspectionItem.id)
        .where(TaskItem.task_id == task_id)
        .order_by(TaskItem.id)
    ).all()
    departments = session.scalars(
        select(Department.name)
        .join(TaskDepartment, TaskDepartment.department_id == Department.id)
        .where(TaskDepartment.task_id == task_id)
        .order_by(TaskDepartment.role != DeptRole.LEAD.value, Department.sort_order, Department.id)
    ).all()
    return "、".join(items), "、".join(departments)


def publication_rows(session: Session, task_id: int) -> list[PublicationRow]:
    """The 公示 rows of a task: its filed forms in draw order (drafts are not published)."""
    get_task(session, task_id)
    items, authority = _task_texts(session, task_id)
    rows = session.execute(
        select(Entity, Inspection.inspection_date, Inspection.result)
        .join(Inspection, Inspection.entity_id == Entity.id)
        .join(Assignment, Assignment.id == Inspection.assignment_id)
        .where(Inspection.task_id == task_id, Inspection.status == InspectionStatus.FILED.value)
        .order_by(Assignment.order_no)
    )
    return [
        PublicationRow(public_name(entity), public_code(entity), items, day, result, authority)
        for entity, day, result in rows
        if day is not None
    ]


def publication_title(session: Session, task_id: int) -> str:
    """The heading of the 公示: bureau, “双随机、一公开” and the task's title."""
    task = get_task(session, task_id)
    return f"{load_settings(session).bureau_name}“双随机、一公开”抽查结果公示（{task.title}）"


def file_fingerprint(path: str | Path) -> tuple[str, str]:
    """(file name, SHA-256) of a published file."""
    target = Path(path)
    return target.name, file_sha256(target)


def publish_task(
    session: Session,
    task_id: int,
    published_on: dt.date,
    channel: str,
    *,
    published_file: str | Path | None = None,
    created_by_id: int | None = None,
    today: dt.date | None = None,
) -> PublicationInfo:
    """Record that a finished (已完成) task's results were published (its own transaction); the task
    becomes 已公示. ``published_file`` (the exported xlsx/PDF) is fingerprinted into the record.

    The deadline is the task's end date plus the 公示期限 setting in working days; a late 公示 is still
    recorded (``overdue``), because refusing it would only hide the delay.
    """
    channel = one_line(channel)
    if not channel:
        raise PublicationError("请填写公示渠道（如：门户网站、国家企业信用信息公示系统）")
    if len(channel) > 100:
        raise PublicationError("公示渠道过长（最多 100 个字符）")
    name, digest = file_fingerprint(published_file) if published_file else ("", "")
    with unit_of_work(session):
        task = get_task(session, task_id)
        if task.status == TaskStatus.PUBLISHED.value:
            raise PublicationError(f"任务 {task.code} 已公示，不能重复登记公示")
        if task.status != TaskStatus.COMPLETED.value:
            raise PublicationError(
                f"任务 {task.code} 当前为“{task.status}”，全部登记表归档、任务完成后才能公示"
            )
        if published_on > (today or dt.date.today()):
            raise PublicationError(f"公示日期 {published_on.isoformat()} 晚于今天")
        if task.end_date and published_on < task.end_date:
            raise PublicationError(
                f"公示日期 {published_on.isoformat()} 早于任务结束日期 {task.end_date.isoformat()}"
            )
        deadline = (
            load_work_calendar(session).deadline_for_publication(task.end_date) if task.end_date else None
        )
        publication = Publication(
            task_id=task.id,
            published_on=published_on,
            deadline=deadline,
            channel=channel,
            file_name=name,
            file_sha256=digest,
            created_by_id=created_by_id,
            created_at=utcnow(),
        )
        session.add(publication)
        task.status = TaskStatus.PUBLISHED.value
        session.flush()
    return PublicationInfo(publication.id, task_id, published_on, deadline, channel, name, digest)
