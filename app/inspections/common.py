"""Shared look-ups of the inspection services, each raising a Chinese :class:`InspectionNotFoundError`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.inspections.errors import FiledInspectionError, InspectionNotFoundError
from db.enums import InspectionStatus
from db.models import Department, Inspection, InspectionTask


def get_task(session: Session, task_id: int) -> InspectionTask:
    """The task, or :class:`InspectionNotFoundError`."""
    task = session.get(InspectionTask, task_id)
    if task is None:
        raise InspectionNotFoundError(f"抽查任务不存在（编号 {task_id}）")
    return task


def get_inspection(session: Session, inspection_id: int) -> Inspection:
    """The inspection, or :class:`InspectionNotFoundError`."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise InspectionNotFoundError(f"检查记录不存在（编号 {inspection_id}）")
    return inspection


def require_draft(inspection: Inspection) -> None:
    """Refuse any change to a filed (已归档) form with :class:`FiledInspectionError`."""
    if inspection.status == InspectionStatus.FILED.value:
        number = inspection.doc_no or inspection.archive_no or f"编号 {inspection.id}"
        raise FiledInspectionError(
            f"执法检查登记表（{number}，{inspection.entity.name}）已归档，不能再修改；如有错误，请另行制作更正说明"
        )


def department_short(department: Department) -> str:
    """The 简称 used in document numbers, else the full name."""
    return (department.short_name or "").strip() or department.name
