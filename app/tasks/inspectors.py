"""Who may be drawn as 执法检查人员 for a task, per participating department, and who is left out and why.

An inspector is eligible when, in this order (each reason counts only inspectors not already left out):
not archived (归档); 在岗; holding a 执法证 with a recorded expiry; that 执法证 valid on the inspection date;
holding at least one of the qualification tags the task's items require (if they require any).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.tasks.tasks import TaskDefinition, TaskDepartmentInfo
from db.enums import InspectorStatus
from db.models import ConflictRelation, InspectionItem, Inspector


@dataclass(frozen=True)
class InspectorRef:
    """An eligible inspector: database id, SJDRAW-1 id (执法证号, else registry code) and name."""

    inspector_id: int
    record_id: str
    name: str


@dataclass(frozen=True)
class LeftOut:
    """One reason inspectors of a department are left out, and their names."""

    key: str
    label: str
    names: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many inspectors this reason left out."""
        return len(self.names)


@dataclass(frozen=True)
class DepartmentEligibility:
    """A participating department (its name is the SJDRAW-1 group) and its eligible inspectors."""

    department_id: int
    group: str
    role: str
    k: int
    registered: int
    """Inspectors of the department in the registry, archived ones included."""
    left_out: tuple[LeftOut, ...]
    eligible: tuple[InspectorRef, ...]

    def reasons_text(self) -> str:
        """E.g. ``在册 24 名，不计：不在岗 2 名、执法证已过期 1 名`` (only reasons that left someone out)."""
        parts = [f"{r.label} {r.count} 名" for r in self.left_out if r.count]
        return f"在册 {self.registered} 名" + (f"，不计：{'、'.join(parts)}" if parts else "")

    def lines(self) -> list[str]:
        """Chinese lines for the printout."""
        return [
            f"{self.group}（{self.role}）：合格检查人员 {len(self.eligible)} 名，每个对象派 {self.k} 名；"
            f"{self.reasons_text()}"
        ]

    def to_json(self) -> dict[str, Any]:
        """For ``Draw.pool_summary``; ``eligible`` keeps the way from SJDRAW-1 ids back to database ids."""
        return {
            "department_id": self.department_id,
            "group": self.group,
            "role": self.role,
            "k": self.k,
            "registered": self.registered,
            "left_out": [{"key": r.key, "label": r.label, "names": list(r.names)} for r in self.left_out],
            "eligible": [
                {"inspector_id": i.inspector_id, "id": i.record_id, "name": i.name} for i in self.eligible
            ],
        }


def required_tags(session: Session, item_ids: tuple[int, ...]) -> tuple[str, ...]:
    """The qualification tags the task's items require (union, sorted); empty = no requirement."""
    tags: set[str] = set()
    for required in session.scalars(
        select(InspectionItem.required_qualifications).where(InspectionItem.id.in_(item_ids))
    ):
        tags.update(required or ())
    return tuple(sorted(tags))


def _clean(text: str) -> str:
    return " ".join(text.split()) if any(ch in text for ch in "\t\r\n") else text


def _reason(inspector: Inspector, on: dt.date, tags: tuple[str, ...]) -> str | None:
    if inspector.archived:
        return "archived"
    if inspector.status != InspectorStatus.ON_DUTY.value:
        return "not_on_duty"
    if not (inspector.cert_no or "").strip() or inspector.cert_valid_until is None:
        return "no_cert"
    if inspector.cert_valid_until < on:
        return "cert_expired"
    if tags and not {q.tag for q in inspector.qualifications} & set(tags):
        return "unqualified"
    return None


def department_eligibility(
    session: Session, definition: TaskDefinition, inspection_date: dt.date
) -> list[DepartmentEligibility]:
    """Eligibility for every department of the task (lead first), with the left-out counts."""
    tags = required_tags(session, definition.item_ids)
    labels = {
        "archived": "已归档",
        "not_on_duty": "不在岗（调离、停用）",
        "no_cert": "无执法证或未登记有效期",
        "cert_expired": f"执法证在检查日期 {inspection_date.isoformat()} 前已到期",
        "unqualified": f"不具备所需资格（{'、'.join(tags)}之一）",
    }
    ids = [d.department_id for d in definition.departments]
    inspectors = session.scalars(
        select(Inspector)
        .where(Inspector.department_id.in_(ids))
        .options(selectinload(Inspector.qualifications))
        .order_by(Inspector.code)
    ).all()
    ok: dict[int, list[Inspector]] = {dept_id: [] for dept_id in ids}
    out: dict[int, dict[str, list[str]]] = {dept_id: {key: [] for key in labels} for dept_id in ids}
    for inspector in inspectors:
        reason = _reason(inspector, inspection_date, tags)
        if reason is None:
            ok[inspector.department_id].append(inspector)
        else:
            out[inspector.department_id][reason].append(inspector.name)
    record_ids = _record_ids([i for group in ok.values() for i in group])
    result = []
    for dept in definition.departments:
        eligible = tuple(InspectorRef(i.id, record_ids[i.id], _clean(i.name)) for i in ok[dept.department_id])
        left_out = tuple(LeftOut(key, labels[key], tuple(out[dept.department_id][key])) for key in labels)
        registered = len(eligible) + sum(r.count for r in left_out)
        result.append(_entry(dept, registered, left_out, eligible))
    return result


def _entry(
    dept: TaskDepartmentInfo,
    registered: int,
    left_out: tuple[LeftOut, ...],
    eligible: tuple[InspectorRef, ...],
) -> DepartmentEligibility:
    return DepartmentEligibility(
        dept.department_id,
        _clean(dept.name),
        dept.role,
        dept.inspectors_per_object,
        registered,
        left_out,
        eligible,
    )


def _record_ids(inspectors: list[Inspector]) -> dict[int, str]:
    """SJDRAW-1 ids: 执法证号, else registry code; a code shared by two people falls back to INSPECTOR-<id>."""
    wanted: dict[int, str] = {}
    for inspector in inspectors:
        code = next(
            (c.strip() for c in (inspector.cert_no, inspector.code) if c and c.strip() and _clean(c) == c),
            "",
        )
        wanted[inspector.id] = code or f"INSPECTOR-{inspector.id}"
    counts: dict[str, int] = {}
    for code in wanted.values():
        counts[code] = counts.get(code, 0) + 1
    return {i: (code if counts[code] == 1 else f"INSPECTOR-{i}") for i, code in wanted.items()}


def conflict_rows(
    session: Session, departments: list[DepartmentEligibility], entity_ids: Mapping[str, int]
) -> list[tuple[str, str]]:
    """回避关系 between eligible inspectors and pool objects as SJDRAW-1 rows ``(inspector id, object id)``."""
    inspector_ids = {i.inspector_id: i.record_id for d in departments for i in d.eligible}
    if not inspector_ids:
        return []
    object_of = {entity_id: object_id for object_id, entity_id in entity_ids.items()}
    rows = session.execute(
        select(ConflictRelation.inspector_id, ConflictRelation.entity_id).where(
            ConflictRelation.archived.is_(False), ConflictRelation.inspector_id.in_(list(inspector_ids))
        )
    )
    return sorted(
        {
            (inspector_ids[inspector_id], object_of[entity_id])
            for inspector_id, entity_id in rows
            if entity_id in object_of
        }
    )
