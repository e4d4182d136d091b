"""Recorded versions of a plan (报审, 备案, 调整): the whole plan as JSON with its sha256, and a row-by-row
comparison of two versions for a side-by-side view. A revision, once stored, is never edited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AnnualPlan, Department, InspectionItem, PlanRevision

FIELD_LABELS: dict[str, str] = {
    "item": "抽查事项",
    "scope_text": "检查对象范围",
    "base_count": "检查对象基数",
    "ratio": "抽查比例",
    "quantity": "抽查数量",
    "planned_count": "计划抽查数",
    "content": "检查内容",
    "basis": "检查依据",
    "planned_month": "计划月份",
    "method": "检查方式",
    "joint_departments": "联合部门",
    "frequency_cap": "频次上限",
    "remarks": "备注",
}
"""Compared fields of a snapshot row, with the Chinese names the diff shows."""


def plan_snapshot(session: Session, plan: AnnualPlan) -> dict[str, Any]:
    """The whole plan as plain JSON data (the same keys as the demo's revisions, plus the item name)."""
    names = {i: n for i, n in session.execute(select(Department.id, Department.name))}
    wanted = {r.item_id for r in plan.rows}
    items = {
        i: n
        for i, n in session.execute(
            select(InspectionItem.id, InspectionItem.name).where(InspectionItem.id.in_(wanted))
        )
    }
    return {
        "title": plan.title,
        "year": plan.year,
        "department": names[plan.department_id],
        "status": plan.status,
        "rows": [
            {
                "row_id": r.id,
                "seq": r.seq,
                "item_id": r.item_id,
                "item": items.get(r.item_id, ""),
                "scope_text": r.scope_text,
                "base_count": r.base_count,
                "ratio": r.ratio,
                "quantity": r.quantity,
                "planned_count": r.planned_count,
                "content": r.content,
                "basis": r.basis,
                "planned_month": r.planned_month,
                "method": r.method,
                "frequency_cap": r.frequency_cap,
                "joint_departments": sorted(names[j.department_id] for j in r.joint_departments),
                "remarks": r.remarks,
            }
            for r in sorted(plan.rows, key=lambda r: r.seq)
        ],
    }


def snapshot_digest(snapshot: Mapping[str, Any]) -> str:
    """sha256 of the snapshot as canonical JSON (sorted keys, UTF-8)."""
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_revision(
    session: Session, plan: AnnualPlan, kind: str, changed_by: str, reason: str, at: dt.datetime
) -> PlanRevision:
    """Store a new revision of ``plan`` as it is now (inside the caller's transaction)."""
    session.flush()
    snapshot = plan_snapshot(session, plan)
    last = session.scalar(select(func.max(PlanRevision.revision_no)).where(PlanRevision.plan_id == plan.id))
    revision = PlanRevision(
        plan_id=plan.id,
        revision_no=int(last or 0) + 1,
        kind=kind,
        snapshot=snapshot,
        snapshot_sha256=snapshot_digest(snapshot),
        reason=reason,
        changed_by_name=changed_by,
        changed_at=at,
    )
    session.add(revision)
    plan.current_revision = revision.revision_no
    session.flush()
    return revision


@dataclass(frozen=True)
class RevisionLine:
    """One recorded version, for the 历史版本 list."""

    revision_id: int
    revision_no: int
    kind: str
    changed_by: str
    changed_at: dt.datetime
    reason: str
    sha256: str
    snapshot: dict[str, Any]


def plan_revisions(session: Session, plan_id: int) -> list[RevisionLine]:
    """Every recorded version of the plan, oldest first."""
    rows = session.scalars(
        select(PlanRevision).where(PlanRevision.plan_id == plan_id).order_by(PlanRevision.revision_no)
    ).all()
    return [
        RevisionLine(
            r.id,
            r.revision_no,
            r.kind,
            r.changed_by_name,
            r.changed_at,
            r.reason,
            r.snapshot_sha256,
            r.snapshot,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RowDiff:
    """One row of the comparison: ``kind`` is 新增, 删除, 修改 or 未变; ``before``/``after`` are the
    snapshot rows (None where the row does not exist on that side)."""

    kind: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changes: tuple[FieldChange, ...] = ()

    @property
    def item(self) -> str:
        row = self.after or self.before or {}
        return str(row.get("item") or f"事项编号 {row.get('item_id')}")


@dataclass(frozen=True)
class PlanDiff:
    rows: tuple[RowDiff, ...]

    @property
    def added(self) -> list[RowDiff]:
        return [r for r in self.rows if r.kind == "新增"]

    @property
    def removed(self) -> list[RowDiff]:
        return [r for r in self.rows if r.kind == "删除"]

    @property
    def changed(self) -> list[RowDiff]:
        return [r for r in self.rows if r.kind == "修改"]


def _keyed(snapshot: Mapping[str, Any], by_row_id: bool) -> dict[tuple[Any, int], dict[str, Any]]:
    # Rows are matched by their database id; versions recorded without it (the demo's) by the item and the
    # row's place among the rows of that item. Never by 序号, which shifts when a row is removed.
    seen: dict[Any, int] = {}
    out: dict[tuple[Any, int], dict[str, Any]] = {}
    for row in sorted(snapshot.get("rows", []), key=lambda r: r.get("seq", 0)):
        if by_row_id:
            out[("row", row["row_id"])] = dict(row)
            continue
        n = seen.get(row.get("item_id"), 0)
        seen[row.get("item_id")] = n + 1
        out[(row.get("item_id"), n)] = dict(row)
    return out


def compare_revisions(a: Mapping[str, Any], b: Mapping[str, Any]) -> PlanDiff:
    """Row-by-row differences from snapshot ``a`` (earlier) to snapshot ``b`` (later)."""
    by_row_id = all("row_id" in r for snap in (a, b) for r in snap.get("rows", []))
    before, after = _keyed(a, by_row_id), _keyed(b, by_row_id)
    result: list[RowDiff] = []
    for key, new in after.items():
        old = before.get(key)
        if old is None:
            result.append(RowDiff("新增", None, new))
            continue
        changes = tuple(
            FieldChange(name, label, old.get(name), new.get(name))
            for name, label in FIELD_LABELS.items()
            if name != "item" and old.get(name) != new.get(name)
        )
        result.append(RowDiff("修改" if changes else "未变", old, new, changes))
    result.extend(RowDiff("删除", old, None) for key, old in before.items() if key not in after)
    return PlanDiff(tuple(result))
