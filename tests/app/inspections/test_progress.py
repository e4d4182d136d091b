"""计划 vs 完成: progress per task and per plan row, counted from draws and filed forms."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inspections import file_inspection, record_inspection, start_inspections
from app.tasks import create_task_from_plan_row, plan_row_spec
from app.tasks.listing import list_tasks, plan_row_progress
from app.tasks.spec import StrataSpec
from db.models import AnnualPlan, InspectionItem, PlanRow
from tests.app.inspections.conftest import complete_input
from tests.app.tasks.conftest import run_draw


def test_progress_counts_drawn_objects_and_filed_forms(session: Session) -> None:
    row = session.scalars(
        select(PlanRow)
        .join(InspectionItem, InspectionItem.id == PlanRow.item_id)
        .where(InspectionItem.code == "SJ-001")
    ).one()
    spec = plan_row_spec(session, row.id)
    task = create_task_from_plan_row(session, row.id, dataclasses.replace(spec, strata=StrataSpec.single(3)))
    task_id = task.id
    run_draw(session, task_id)
    ids = list(start_inspections(session, task_id).inspection_ids)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    file_inspection(session, ids[0])

    line = next(t for t in list_tasks(session, task.year) if t.task_id == task_id)
    assert (line.drawn, line.filed) == (3, 1)
    progress = plan_row_progress(session, session.get(AnnualPlan, row.plan_id).id)  # type: ignore[union-attr]
    mine = progress[row.id]
    assert (mine.planned, mine.tasks, mine.drawn, mine.filed) == (row.planned_count, 1, 3, 1)
    untouched = [p for p in progress.values() if p.plan_row_id != row.id]
    assert untouched and all((p.tasks, p.drawn, p.filed) == (0, 0, 0) for p in untouched)
