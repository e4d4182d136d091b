"""An entity's inspection history (抽查记录): every time it was drawn, and what the inspection found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import DrawStatus
from db.models import Assignment, Draw, Inspection, InspectionTask


@dataclass(frozen=True)
class HistoryLine:
    year: int
    task: str
    drawn_on: dt.date | None
    inspected_on: dt.date | None
    result: str  # 检查结果, or 待检查 while the form is not filled


def inspection_history(session: Session, entity_id: int) -> list[HistoryLine]:
    """Newest first. Voided draws are left out: their results never stood."""
    stmt = (
        select(
            InspectionTask.year,
            InspectionTask.title,
            Draw.finished_at,
            Inspection.inspection_date,
            Inspection.result,
        )
        .select_from(Assignment)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(InspectionTask, InspectionTask.id == Assignment.task_id)
        .outerjoin(Inspection, Inspection.assignment_id == Assignment.id)
        .where(Assignment.entity_id == entity_id, Draw.status != DrawStatus.VOIDED.value)
        .order_by(Draw.finished_at.desc(), Assignment.id.desc())
    )
    return [
        HistoryLine(year, title, finished.date() if finished else None, inspected, result or "待检查")
        for year, title, finished, inspected, result in session.execute(stmt)
    ]
