"""The data of the printed 执法检查登记表, read from the database for :mod:`app.forms.inspection_form`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.forms.inspection_form_data import FormFinding, FormInspector, InspectionFormData
from app.inspections.common import get_inspection, get_task
from app.inspections.errors import InspectionStateError
from app.settings import load_settings
from db.models import (
    Assignment,
    AssignmentInspector,
    Department,
    Inspection,
    InspectionInspector,
    InspectionItem,
    Inspector,
    TaskItem,
)


def _items(session: Session, task_id: int) -> tuple[tuple[str, ...], str]:
    """``编号 抽查事项`` of each item of the task, and their 检查依据 joined."""
    items = session.execute(
        select(InspectionItem.code, InspectionItem.name, InspectionItem.basis)
        .join(TaskItem, TaskItem.item_id == InspectionItem.id)
        .where(TaskItem.task_id == task_id)
        .order_by(TaskItem.id)
    ).all()
    basis = "；".join(dict.fromkeys(b.strip() for _c, _n, b in items if b and b.strip()))
    return tuple(f"{code} {name}" for code, name, _b in items), basis


def _people(session: Session, task_id: int) -> dict[int, list[FormInspector]]:
    """Per inspection: the inspectors recorded as present (a draft starts with the assigned ones)."""
    result: dict[int, list[FormInspector]] = {}
    for inspection_id, name, department, cert_no in session.execute(
        select(InspectionInspector.inspection_id, Inspector.name, Department.name, Inspector.cert_no)
        .join(Inspection, Inspection.id == InspectionInspector.inspection_id)
        .join(Inspector, Inspector.id == InspectionInspector.inspector_id)
        .join(Department, Department.id == Inspector.department_id)
        .join(Assignment, Assignment.id == Inspection.assignment_id)
        .outerjoin(
            AssignmentInspector,
            (AssignmentInspector.assignment_id == Assignment.id)
            & (AssignmentInspector.inspector_id == Inspector.id),
        )
        .where(Inspection.task_id == task_id)
        .order_by(Inspection.id, AssignmentInspector.id, InspectionInspector.id)
    ):
        result.setdefault(inspection_id, []).append(FormInspector(name, department, cert_no or ""))
    return result


def task_form_data(
    session: Session, task_id: int, inspection_ids: list[int] | None = None
) -> list[InspectionFormData]:
    """The forms of a task in draw order (all, or only ``inspection_ids``); needs started inspections."""
    task = get_task(session, task_id)
    bureau = load_settings(session).bureau_name
    items, basis = _items(session, task_id)
    people = _people(session, task_id)
    query = (
        select(Inspection)
        .join(Assignment, Assignment.id == Inspection.assignment_id)
        .where(Inspection.task_id == task_id)
        .options(selectinload(Inspection.findings), selectinload(Inspection.entity))
        .order_by(Assignment.order_no)
    )
    if inspection_ids is not None:
        query = query.where(Inspection.id.in_(inspection_ids))
    order_of = {
        assignment_id: order
        for assignment_id, order in session.execute(
            select(Assignment.id, Assignment.order_no).where(Assignment.task_id == task_id)
        )
    }
    forms = []
    for inspection in session.scalars(query):
        entity = inspection.entity
        forms.append(
            InspectionFormData(
                bureau_name=bureau,
                entity_name=entity.name,
                code=entity.uscc or entity.reg_no or "",
                address=entity.address,
                legal_rep=entity.legal_rep,
                phone=entity.phone,
                task_code=task.code,
                task_title=task.title,
                items=items,
                basis=basis,
                inspectors=tuple(people.get(inspection.id, ())),
                findings=tuple(
                    FormFinding(f.seq, f.content, f.problem, f.handling) for f in inspection.findings
                ),
                order=order_of.get(inspection.assignment_id, 0),
                doc_no=inspection.doc_no or "",
                archive_no=inspection.archive_no or "",
                inspection_date=inspection.inspection_date,
                method=inspection.method,
                result=inspection.result,
                follow_up=inspection.follow_up,
                follow_up_note=inspection.follow_up_note,
            )
        )
    if not forms:
        raise InspectionStateError(f"任务 {task.code} 还没有检查记录，请先开始检查")
    return forms


def inspection_form_data(session: Session, inspection_id: int) -> InspectionFormData:
    """The form of one inspection."""
    inspection = get_inspection(session, inspection_id)
    return task_form_data(session, inspection.task_id, [inspection_id])[0]


def write_task_forms(session: Session, task_id: int, path: str | Path, *, blank: bool) -> Path:
    """Print every form of a task into one PDF (blank to take on site, or filled as recorded)."""
    from app.forms.inspection_form import write_inspection_forms  # reportlab: loaded when printing

    return write_inspection_forms(task_form_data(session, task_id), path, blank)
