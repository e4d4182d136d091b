"""Helpers for the inspection tests: a finished draw on the demo county (2,000 objects, 2026), forms started."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from app.database import Database
from app.inspections import FindingInput, InspectionInput, inspection_detail, start_inspections
from app.tasks import StrataSpec
from tests.app.tasks.conftest import dept_id, run_draw, sj_task

TODAY = dt.date.today()  # draws are stamped with the real clock; inspections lie between the draw and today


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    """A session on a private copy of the demo county."""
    with demo_db.sessions() as s:
        yield s


def drawn_task(session: Session, item_code: str = "SJ-001", count: int = 4, dept: str = "SJ") -> int:
    """A task on one item with a finished draw of ``count`` objects; returns the task id."""
    task_id = sj_task(
        session, item_code, strata=StrataSpec.single(count), lead_department_id=dept_id(session, dept)
    )
    run_draw(session, task_id)
    return task_id


def started_task(
    session: Session, item_code: str = "SJ-001", count: int = 4, dept: str = "SJ"
) -> tuple[int, list[int]]:
    """A drawn task with its draft forms; returns (task id, inspection ids in draw order)."""
    task_id = drawn_task(session, item_code, count, dept)
    return task_id, list(start_inspections(session, task_id).inspection_ids)


def complete_input(
    session: Session, inspection_id: int, day: dt.date = TODAY, **changes: object
) -> InspectionInput:
    """A complete, consistent entry for a form: nothing found, every assigned inspector present."""
    detail = inspection_detail(session, inspection_id)
    base = InspectionInput(
        inspection_date=day,
        method="实地核查",
        result="未发现问题",
        follow_up="无需处置",
        findings=tuple(FindingInput(f.seq, "无", "") for f in detail.findings),
        inspector_ids=tuple(i.inspector_id for i in detail.inspectors),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]
