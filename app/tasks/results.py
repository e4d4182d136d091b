"""Draw results in the database: assignments written from a record, read back for the screen, and the
record's ``meta`` block (what the task was, where, who, which attempt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.settings import load_settings
from app.tasks.preview import DrawPreview
from app.tasks.witnesses import WitnessInput
from db.enums import DrawStatus
from db.models import (
    Assignment,
    AssignmentInspector,
    Draw,
    Entity,
    InspectionItem,
    InspectionTask,
    Inspector,
    TaskItem,
)


@dataclass(frozen=True)
class AssignedInspector:
    """An inspector on a drawn object; ``active`` is False once replaced (递补), ``replacement_round`` set
    when they came in by replacement."""

    inspector_id: int
    name: str
    cert_no: str
    group: str
    active: bool
    replacement_round: int | None
    cap_relaxed: bool


@dataclass(frozen=True)
class AssignedObject:
    """A drawn object (抽中对象) in draw order with its inspectors (in draw order, replacements last)."""

    order: int
    entity_id: int
    name: str
    uscc: str
    reg_no: str
    stratum: str
    inspectors: tuple[AssignedInspector, ...]

    @property
    def code(self) -> str:
        """统一社会信用代码, else 注册号 (for display)."""
        return self.uscc or self.reg_no

    @property
    def active_inspectors(self) -> tuple[AssignedInspector, ...]:
        """The inspectors currently assigned (after replacements)."""
        return tuple(i for i in self.inspectors if i.active)


def store_assignments(
    session: Session,
    draw: Draw,
    record: Mapping[str, Any],
    entity_ids: Mapping[str, int],
    inspector_ids: Mapping[str, int],
) -> None:
    """Write Assignment and AssignmentInspector rows for the record's ``draw``, in draw order.

    Core executemany on the session's connection (same transaction): ORM bulk inserts cost ~0.2 s more at
    5,000 objects.
    """
    connection = session.connection()
    connection.execute(
        insert(Assignment),
        [
            {
                "draw_id": draw.id,
                "task_id": draw.task_id,
                "order_no": entry["order"],
                "entity_id": entity_ids[entry["id"]],
                "stratum": entry["stratum"],
            }
            for entry in record["draw"]
        ],
    )
    # (dict() of a Result would take it for a mapping: it has keys().)
    by_order = {
        order: assignment_id
        for order, assignment_id in connection.execute(
            select(Assignment.order_no, Assignment.id).where(Assignment.draw_id == draw.id)
        )
    }
    rows = [
        {
            "assignment_id": by_order[entry["order"]],
            "inspector_id": inspector_ids[record_id],
            "group": group["group"],
            "active": True,
            "replacement_round": None,
            "cap_relaxed": group["cap_relaxed"],
        }
        for entry in record["draw"]
        for group in entry["inspectors"]
        for record_id in group["ids"]
    ]
    if rows:
        connection.execute(insert(AssignmentInspector), rows)


def draw_assignments(session: Session, draw_id: int) -> list[AssignedObject]:
    """The drawn objects of a draw in draw order, each with every inspector row (withdrawn ones inactive)."""
    objects = session.execute(
        select(
            Assignment.id,
            Assignment.order_no,
            Entity.id,
            Entity.name,
            Entity.uscc,
            Entity.reg_no,
            Assignment.stratum,
        )
        .join(Entity, Entity.id == Assignment.entity_id)
        .where(Assignment.draw_id == draw_id)
        .order_by(Assignment.order_no)
    ).all()
    people: dict[int, list[AssignedInspector]] = {}
    for row in session.execute(
        select(
            AssignmentInspector.assignment_id,
            Inspector.id,
            Inspector.name,
            Inspector.cert_no,
            AssignmentInspector.group,
            AssignmentInspector.active,
            AssignmentInspector.replacement_round,
            AssignmentInspector.cap_relaxed,
        )
        .join(Assignment, Assignment.id == AssignmentInspector.assignment_id)
        .join(Inspector, Inspector.id == AssignmentInspector.inspector_id)
        .where(Assignment.draw_id == draw_id)
        .order_by(AssignmentInspector.id)
    ):
        people.setdefault(row[0], []).append(
            AssignedInspector(row[1], row[2], row[3] or "", row[4], row[5], row[6], row[7])
        )
    return [
        AssignedObject(order, entity_id, name, uscc or "", reg_no or "", stratum, tuple(people.get(a_id, ())))
        for a_id, order, entity_id, name, uscc, reg_no, stratum in objects
    ]


def local_text(moment: dt.datetime | None) -> str:
    """A stored UTC time as local ISO text (``2026-03-15T10:02:11+08:00``), or ``""``."""
    return moment.astimezone().isoformat(timespec="seconds") if moment else ""


def earlier_voids(session: Session, draw: Draw) -> list[Draw]:
    """The task's voided attempts before this one, in attempt order."""
    return list(
        session.scalars(
            select(Draw)
            .where(
                Draw.task_id == draw.task_id,
                Draw.attempt_no < draw.attempt_no,
                Draw.status == DrawStatus.VOIDED.value,
            )
            .order_by(Draw.attempt_no)
        )
    )


def attempt_note(attempt_no: int, voided: Sequence[Draw]) -> str:
    """``第2次抽取；第1次作废，原因：…`` (just ``第1次抽取`` when nothing was voided before)."""
    return f"第{attempt_no}次抽取" + "".join(
        f"；第{d.attempt_no}次作废，原因：{d.void_reason}" for d in voided
    )


def build_meta(
    session: Session,
    draw: Draw,
    preview: DrawPreview,
    witnesses: Sequence[WitnessInput],
    finished_at: dt.datetime,
) -> dict[str, Any]:
    """The record's ``meta`` (not verified by SJDRAW-1): bureau, task, items, departments, place, time,
    operator, attempt and earlier voids, witnesses' affiliations, the inspection date and the pool summary.
    (:mod:`app.forms.record_meta` reads these keys for the 随机抽取情况记录表.)"""
    task = session.get(InspectionTask, draw.task_id)
    assert task is not None
    items = session.execute(
        select(InspectionItem.code, InspectionItem.name)
        .join(TaskItem, TaskItem.item_id == InspectionItem.id)
        .where(TaskItem.task_id == task.id)
        .order_by(TaskItem.id)
    ).all()
    voided = earlier_voids(session, draw)
    return {
        "bureau_name": load_settings(session).bureau_name,
        "task_code": task.code,
        "task_title": task.title,
        "task_year": task.year,
        "task_kind": "计划外（专项）" if task.is_unplanned else "年度计划内",
        "joint": task.is_joint,
        "items": [{"code": code, "name": name} for code, name in items],
        "departments": [
            {"name": d.group, "role": d.role, "inspectors_per_object": d.k, "eligible": len(d.eligible)}
            for d in preview.departments
        ],
        "place": draw.place,
        "operator": draw.operator_name,
        "prepared_at": local_text(draw.prepared_at),
        "finished_at": local_text(finished_at),
        "attempt": draw.attempt_no,
        "attempt_note": attempt_note(draw.attempt_no, voided),
        "voided_attempts": [
            {
                "attempt": d.attempt_no,
                "draw_id": d.draw_uid,
                "reason": d.void_reason,
                "voided_at": local_text(d.voided_at),
            }
            for d in voided
        ],
        "witnesses": [{"name": w.name, "affiliation": w.affiliation} for w in witnesses],
        "inspection_date": preview.context.inspection_date.isoformat(),
        "pool": preview.pool.to_json(),
    }
