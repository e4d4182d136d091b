"""Helpers for the task and draw service tests, on the demo county (2,000 objects, year 2026)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.database import Database
from app.tasks import (
    FinishedDraw,
    StrataSpec,
    TaskSpec,
    commit_draw,
    create_adhoc_task,
    finish_draw,
    prepare_draw,
)
from db.models import Department, InspectionItem, PlanRow

WITNESSES = [("李建国", "人大代表", (3, 1, 4, 1, 5)), ("王秀英", "纪检监察", (2, 7, 1, 8))]


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    """A session on a private copy of the demo county."""
    with demo_db.sessions() as s:
        yield s


def dept_id(session: Session, code: str) -> int:
    """Database id of a demo department by code (SJ 市场监管, WJ 卫健, JY 教育 …)."""
    return session.scalars(select(Department.id).where(Department.code == code)).one()


def item_id(session: Session, code: str) -> int:
    """Database id of a demo item by its 编号 (SJ-001, LH-001 …)."""
    return session.scalars(select(InspectionItem.id).where(InspectionItem.code == code)).one()


def plan_row_id(session: Session, item_code: str) -> int:
    """The filed plan row of a demo item."""
    return session.scalars(
        select(PlanRow.id).join(InspectionItem).where(InspectionItem.code == item_code)
    ).one()


def sql_one(database: Database, sql: str, **params: Any) -> Any:
    """One value by direct SQL (independent of the code under test)."""
    with database.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def sql_all(database: Database, sql: str, **params: Any) -> list[Any]:
    """All rows by direct SQL."""
    with database.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def sj_task(session: Session, item_code: str = "SJ-001", rate: str = "0.05", **changes: Any) -> int:
    """An ad hoc 市场监管局 task on one item; returns its id."""
    fields: dict[str, Any] = {
        "title": f"测试任务 {item_code}",
        "item_ids": [item_id(session, item_code)],
        "lead_department_id": dept_id(session, "SJ"),
        "strata": StrataSpec.single(rate),
        "year": 2026,
    }
    spec = TaskSpec(**{**fields, **changes})
    return create_adhoc_task(session, spec).id


def run_draw(
    session: Session, task_id: int, witnesses: Sequence[Any] = WITNESSES, *, with_handle: bool = True
) -> FinishedDraw:
    """Prepare, commit and finish a draw of the task."""
    handle = prepare_draw(session, task_id, "张晓明", "示范县政府第三会议室")
    sealed = commit_draw(session, handle.draw_id)
    return finish_draw(
        session, handle.draw_id, sealed.nonce, witnesses, prepared=handle if with_handle else None
    )
