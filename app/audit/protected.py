"""Protected records and their digests.

A finished draw (with its witnesses, drawn objects and original inspectors), each 递补 round, each filed plan
version and each filed 执法检查登记表 is sealed when it is written: an audit entry (action 封存) carries the
digest of the record as stored. `audit verify` recomputes the digest from the rows as they are now; any edit
made behind the app's back — even with the triggers dropped — shows as a mismatch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from app.audit.chain import canonical_digest
from db.enums import DrawStatus, InspectionStatus
from db.models import (
    Assignment,
    AssignmentInspector,
    Draw,
    DrawReplacement,
    DrawWitness,
    Inspection,
    InspectionFinding,
    InspectionInspector,
    InspectionTask,
    PlanRevision,
)

__all__ = ["KINDS", "ProtectedRef", "digest", "protected_refs", "describe"]

DRAW = "摇号抽取"
REPLACEMENT = "递补"
PLAN_VERSION = "计划版本"
FORM = "检查登记表"
KINDS = (DRAW, REPLACEMENT, PLAN_VERSION, FORM)

_SEALED_DRAW = (DrawStatus.FINISHED.value, DrawStatus.VOIDED.value)


@dataclass(frozen=True)
class ProtectedRef:
    kind: str  # one of KINDS
    id: int
    label: str  # how a clerk names it: 任务编号 + 第N次抽取 …


def _columns(
    connection: Connection, table: Any, row_id: int, names: tuple[str, ...]
) -> dict[str, Any] | None:
    cols = [table.c[name] for name in names]
    row = connection.execute(select(*cols).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row is not None else None


def _draw_content(connection: Connection, draw_id: int) -> dict[str, Any] | None:
    draw = Draw.__table__
    head = _columns(
        connection,
        draw,
        draw_id,
        (
            "task_id",
            "attempt_no",
            "draw_uid",
            "commit_hex",
            "seed_hex",
            "record_json",
            "record_sha256",
            "finished_at",
            "place",
            "operator_name",
        ),
    )
    if head is None:
        return None
    w = DrawWitness.__table__
    a = Assignment.__table__
    ai = AssignmentInspector.__table__
    witnesses = connection.execute(
        select(w.c.seq, w.c.name, w.c.affiliation, w.c.values_text)
        .where(w.c.draw_id == draw_id)
        .order_by(w.c.seq)
    ).all()
    objects = connection.execute(
        select(a.c.order_no, a.c.entity_id, a.c.stratum).where(a.c.draw_id == draw_id).order_by(a.c.order_no)
    ).all()
    inspectors = connection.execute(
        select(a.c.order_no, ai.c.inspector_id, ai.c.group)
        .join(a, a.c.id == ai.c.assignment_id)
        .where(a.c.draw_id == draw_id, ai.c.replacement_round.is_(None))
        .order_by(a.c.order_no, ai.c.id)
    ).all()
    # The record's own SHA-256 stands for its text (megabytes at 100,000 objects), not the stored column.
    head["record_json"] = hashlib.sha256(str(head["record_json"]).encode("utf-8")).hexdigest()
    head["witnesses"] = [list(r) for r in witnesses]
    head["objects"] = [list(r) for r in objects]
    head["inspectors"] = [list(r) for r in inspectors]
    return head


def _replacement_content(connection: Connection, row_id: int) -> dict[str, Any] | None:
    return _columns(
        connection,
        DrawReplacement.__table__,
        row_id,
        (
            "draw_id",
            "round_no",
            "entity_id",
            "removed_inspector_id",
            "chosen_inspector_id",
            "reason",
            "witness",
            "seed_hex",
            "created_at",
        ),
    )


def _plan_version_content(connection: Connection, row_id: int) -> dict[str, Any] | None:
    return _columns(
        connection,
        PlanRevision.__table__,
        row_id,
        (
            "plan_id",
            "revision_no",
            "kind",
            "snapshot",
            "snapshot_sha256",
            "reason",
            "changed_by_name",
            "changed_at",
        ),
    )


def _form_content(connection: Connection, row_id: int) -> dict[str, Any] | None:
    head = _columns(
        connection,
        Inspection.__table__,
        row_id,
        (
            "assignment_id",
            "task_id",
            "entity_id",
            "doc_no",
            "archive_no",
            "inspection_date",
            "method",
            "result",
            "follow_up",
            "follow_up_note",
            "status",
            "filed_at",
        ),
    )
    if head is None:
        return None
    f = InspectionFinding.__table__
    ii = InspectionInspector.__table__
    head["findings"] = [
        list(r)
        for r in connection.execute(
            select(f.c.seq, f.c.checklist_row_id, f.c.content, f.c.problem, f.c.handling)
            .where(f.c.inspection_id == row_id)
            .order_by(f.c.seq, f.c.id)
        )
    ]
    head["inspectors"] = sorted(
        r[0] for r in connection.execute(select(ii.c.inspector_id).where(ii.c.inspection_id == row_id))
    )
    return head


_CONTENT = {
    DRAW: _draw_content,
    REPLACEMENT: _replacement_content,
    PLAN_VERSION: _plan_version_content,
    FORM: _form_content,
}


def digest(connection: Connection, kind: str, row_id: int) -> str | None:
    """The digest of the protected record as stored now, or None when the row is gone."""
    content = _CONTENT[kind](connection, row_id)
    return None if content is None else canonical_digest(content)


def describe(connection: Connection, kind: str, row_id: int) -> str:
    """A clerk's name for a protected record (task code and attempt, plan version, form number)."""
    row: Any
    t = InspectionTask.__table__
    if kind == DRAW:
        d = Draw.__table__
        row = connection.execute(
            select(t.c.code, d.c.attempt_no).join(t, t.c.id == d.c.task_id).where(d.c.id == row_id)
        ).first()
        return f"任务 {row[0]} 第{row[1]}次抽取" if row else f"抽取记录 #{row_id}"
    if kind == REPLACEMENT:
        r = DrawReplacement.__table__
        d = Draw.__table__
        row = connection.execute(
            select(t.c.code, d.c.attempt_no, r.c.round_no)
            .join(d, d.c.id == r.c.draw_id)
            .join(t, t.c.id == d.c.task_id)
            .where(r.c.id == row_id)
        ).first()
        return f"任务 {row[0]} 第{row[1]}次抽取的第{row[2]}轮递补" if row else f"递补记录 #{row_id}"
    if kind == PLAN_VERSION:
        from db.models import AnnualPlan

        p = AnnualPlan.__table__
        v = PlanRevision.__table__
        row = connection.execute(
            select(p.c.title, v.c.revision_no).join(p, p.c.id == v.c.plan_id).where(v.c.id == row_id)
        ).first()
        return f"《{row[0]}》第{row[1]}版" if row else f"计划版本 #{row_id}"
    i = Inspection.__table__
    row = connection.execute(
        select(i.c.doc_no, t.c.code).join(t, t.c.id == i.c.task_id).where(i.c.id == row_id)
    ).first()
    return f"检查登记表 {row[0] or ''}（任务 {row[1]}）" if row else f"检查登记表 #{row_id}"


def protected_refs(connection: Connection) -> Iterator[tuple[str, int]]:
    """Every record that must carry a seal, as (kind, id)."""
    d = Draw.__table__
    for (row_id,) in connection.execute(
        select(d.c.id).where(d.c.status.in_(_SEALED_DRAW), d.c.record_json != "").order_by(d.c.id)
    ):
        yield DRAW, row_id
    for (row_id,) in connection.execute(
        select(DrawReplacement.__table__.c.id).order_by(DrawReplacement.__table__.c.id)
    ):
        yield REPLACEMENT, row_id
    for (row_id,) in connection.execute(
        select(PlanRevision.__table__.c.id).order_by(PlanRevision.__table__.c.id)
    ):
        yield PLAN_VERSION, row_id
    i = Inspection.__table__
    for (row_id,) in connection.execute(
        select(i.c.id).where(i.c.status == InspectionStatus.FILED.value).order_by(i.c.id)
    ):
        yield FORM, row_id
