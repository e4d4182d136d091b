"""Read-only views of a task's inspections for the screens: the list with deadlines, and one form's detail
as the edit dialog needs it (with :meth:`InspectionDetail.to_input` to save it back)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inspections.common import get_inspection, get_task
from app.inspections.recording import FindingInput, InspectionInput
from app.workdays import load_work_calendar
from db.enums import InspectionStatus
from db.models import Assignment, AssignmentInspector, Department, Entity, Inspection, Inspector


@dataclass(frozen=True)
class InspectionSummary:
    """One row of a task's inspection list; ``due_on`` = 检查日期 + the form deadline in working days."""

    inspection_id: int
    order: int
    entity_id: int
    entity_name: str
    code: str
    status: str
    inspection_date: dt.date | None
    result: str
    doc_no: str
    due_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class FindingView:
    """One checklist row of a form."""

    seq: int
    content: str
    problem: str
    handling: str


@dataclass(frozen=True)
class InspectorChoice:
    """An inspector who may be recorded as present: drawn for the object or a replacement (递补)."""

    inspector_id: int
    name: str
    department: str
    cert_no: str
    cert_valid_until: dt.date | None
    replacement: bool
    present: bool


@dataclass(frozen=True)
class InspectionDetail:
    """Everything the edit dialog shows of one form."""

    inspection_id: int
    task_id: int
    order: int
    entity_name: str
    code: str
    status: str
    doc_no: str
    archive_no: str
    inspection_date: dt.date | None
    method: str
    result: str
    follow_up: str
    follow_up_note: str
    findings: tuple[FindingView, ...]
    inspectors: tuple[InspectorChoice, ...]

    @property
    def filed(self) -> bool:
        """True once the form is filed (read-only from then on)."""
        return self.status == InspectionStatus.FILED.value

    def to_input(self) -> InspectionInput:
        """The stored entries as an :class:`InspectionInput` (change fields with ``dataclasses.replace``)."""
        return InspectionInput(
            inspection_date=self.inspection_date,
            method=self.method,
            result=self.result,
            follow_up=self.follow_up,
            follow_up_note=self.follow_up_note,
            findings=tuple(FindingInput(f.seq, f.problem, f.handling) for f in self.findings),
            inspector_ids=tuple(i.inspector_id for i in self.inspectors if i.present),
        )


def task_inspections(
    session: Session, task_id: int, *, today: dt.date | None = None
) -> list[InspectionSummary]:
    """The task's forms in draw order, with the filing deadline and whether a draft is overdue."""
    get_task(session, task_id)
    today = today or dt.date.today()
    rows = session.execute(
        select(Inspection, Assignment.order_no, Entity.name, Entity.uscc, Entity.reg_no)
        .join(Assignment, Assignment.id == Inspection.assignment_id)
        .join(Entity, Entity.id == Inspection.entity_id)
        .where(Inspection.task_id == task_id)
        .order_by(Assignment.order_no)
    )
    calendar = load_work_calendar(session)
    result, due_of = [], {}  # a task's forms share a handful of inspection dates
    for inspection, order, name, uscc, reg_no in rows:
        day = inspection.inspection_date
        if day is not None and day not in due_of:
            due_of[day] = calendar.deadline_for_form(day)
        due = due_of.get(day) if day else None
        draft = inspection.status == InspectionStatus.DRAFT.value
        result.append(
            InspectionSummary(
                inspection.id,
                order,
                inspection.entity_id,
                name,
                uscc or reg_no or "",
                inspection.status,
                day,
                inspection.result,
                inspection.doc_no or "",
                due,
                bool(draft and due and today > due),
            )
        )
    return result


def inspection_detail(session: Session, inspection_id: int) -> InspectionDetail:
    """One form with its checklist rows and every inspector who may be recorded as present."""
    inspection = get_inspection(session, inspection_id)
    present = {link.inspector_id for link in inspection.inspectors}
    choices = [
        InspectorChoice(
            person.id,
            person.name,
            department,
            person.cert_no or "",
            person.cert_valid_until,
            row.replacement_round is not None,
            person.id in present,
        )
        for row, person, department in session.execute(
            select(AssignmentInspector, Inspector, Department.name)
            .join(Inspector, Inspector.id == AssignmentInspector.inspector_id)
            .join(Department, Department.id == Inspector.department_id)
            .where(
                AssignmentInspector.assignment_id == inspection.assignment_id,
                AssignmentInspector.active.is_(True),
            )
            .order_by(AssignmentInspector.id)
        )
    ]
    entity = inspection.entity
    return InspectionDetail(
        inspection_id=inspection.id,
        task_id=inspection.task_id,
        order=inspection.assignment.order_no,
        entity_name=entity.name,
        code=entity.uscc or entity.reg_no or "",
        status=inspection.status,
        doc_no=inspection.doc_no or "",
        archive_no=inspection.archive_no or "",
        inspection_date=inspection.inspection_date,
        method=inspection.method,
        result=inspection.result,
        follow_up=inspection.follow_up,
        follow_up_note=inspection.follow_up_note,
        findings=tuple(FindingView(f.seq, f.content, f.problem, f.handling) for f in inspection.findings),
        inspectors=tuple(choices),
    )
