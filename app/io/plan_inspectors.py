"""执法检查人员 import: match by 执法证号, else 人员编号, else 姓名+部门; departments by name (an unknown one
is created, with a warning); 专长/资格 become InspectorQualification tags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.io.plan_common import (
    DepartmentIndex,
    PlanBase,
    bulk_update,
    change_labels,
    masked_id_value,
    outcome_for,
)
from app.io.preview import Outcome
from app.io.rows import ParsedSheet, RowIssue
from app.registry.departments import department_code
from app.registry.fields import INSPECTOR_SPEC
from db.models import Department, Inspector, InspectorQualification

__all__ = ["COLUMNS", "InspectorPlan", "plan_inspectors", "write_inspectors"]

COLUMNS: tuple[str, ...] = (
    "code", "name", "gender", "department_id", "title", "cert_no", "cert_issuer", "cert_valid_until", "town",
    "is_expert", "status", "phone", "id_number", "remarks",
)  # fmt: skip
_IX = {name: i for i, name in enumerate(COLUMNS)}
_DEFAULTS: dict[str, Any] = {
    "gender": "", "title": "", "cert_no": None, "cert_issuer": "", "cert_valid_until": None, "town": "",
    "is_expert": False, "status": INSPECTOR_SPEC.field("status").default, "phone": "", "id_number": "",
    "remarks": "",
}  # fmt: skip


@dataclass
class InspectorPlan(PlanBase):
    new_departments: list[tuple[int, str]] = field(default_factory=list)  # (placeholder id < 0, name)
    inserts: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)  # (values, tags)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    tag_updates: list[tuple[int, list[str]]] = field(default_factory=list)


class _Existing:
    def __init__(self, session: Session) -> None:
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.by_cert: dict[str, int] = {}
        self.by_code: dict[str, int] = {}
        self.by_name_dept: dict[tuple[str, int], list[int]] = {}
        cols = [getattr(Inspector, c) for c in COLUMNS]
        for inspector_id, *values in session.execute(select(Inspector.id, *cols).order_by(Inspector.id)):
            record = tuple(values)
            self.rows[inspector_id] = record
            self.by_code[record[_IX["code"]]] = inspector_id
            if record[_IX["cert_no"]]:
                self.by_cert[record[_IX["cert_no"]]] = inspector_id
            self.by_name_dept.setdefault((record[_IX["name"]], record[_IX["department_id"]]), []).append(
                inspector_id
            )
        self.tags: dict[int, list[str]] = {}
        for inspector_id, tag in session.execute(
            select(InspectorQualification.inspector_id, InspectorQualification.tag).order_by(
                InspectorQualification.id
            )
        ):
            self.tags.setdefault(inspector_id, []).append(tag)


def plan_inspectors(session: Session, parsed: ParsedSheet) -> InspectorPlan:
    """Decide new/updated/unchanged/error for every row; nothing is written."""
    spec = INSPECTOR_SPEC
    existing = _Existing(session)
    departments = DepartmentIndex(session)
    plan = InspectorPlan()
    fields = parsed.fields
    seen_cert: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    claimed: dict[int, int] = {}
    new_codes: set[str] = set()
    dept_label, cert_label, code_label = (spec.field(n).label for n in ("department", "cert_no", "code"))
    for row in parsed.rows:
        v = {name: value for name, value in zip(fields, row.values, strict=True) if value is not None}
        name = v.get("name")
        if not name:
            row.add(
                RowIssue(row.number, spec.field("name").label, "error", spec.field("name").missing().message)
            )
            plan.outcomes.append(outcome_for(row, Outcome.ERROR, ""))
            continue
        department_id: int | None = None
        dept_name = v.pop("department", None)
        if dept_name:
            department_id = departments.find(dept_name)
            if department_id is None:
                if dept_name not in departments.to_create:
                    departments.to_create[dept_name] = row.number
                    placeholder = -len(departments.to_create)
                    plan.new_departments.append((placeholder, dept_name))
                    departments.by_name[dept_name] = placeholder
                    row.add(
                        RowIssue(
                            row.number,
                            dept_label,
                            "warning",
                            f"{dept_label}“{dept_name}”不存在，导入时将新建该部门",
                        )
                    )
                department_id = departments.find(dept_name)
        cert_no, code = v.get("cert_no"), v.get("code")
        for value, seen, label in ((cert_no, seen_cert, cert_label), (code, seen_code, code_label)):
            if value:
                if value in seen:
                    row.add(RowIssue(row.number, label, "error", f"{label} {value} 与第{seen[value]}行重复"))
                seen.setdefault(value, row.number)
        target = existing.by_cert.get(cert_no) if cert_no else None
        if target is None and code:
            target = existing.by_code.get(code)
        if target is None and not cert_no and not code and department_id is not None:
            same = existing.by_name_dept.get((name, department_id), [])
            target = same[0] if len(same) == 1 else None
        if target is not None:
            holder = existing.by_code.get(code) if code else None
            if holder is not None and holder != target:
                row.add(
                    RowIssue(
                        row.number,
                        code_label,
                        "error",
                        f"{code_label} {code} 已属于另一名人员，与{cert_label}不一致",
                    )
                )
            if target in claimed:
                row.add(
                    RowIssue(
                        row.number,
                        spec.field("name").label,
                        "error",
                        f"与第{claimed[target]}行对应同一名人员",
                    )
                )
            claimed.setdefault(target, row.number)
        tags = v.pop("qualifications", None)
        record = existing.rows.get(target) if target is not None else None
        if "id_number" in v:
            stored, issue = masked_id_value(
                row,
                spec.field("id_number").label,
                v["id_number"],
                record[_IX["id_number"]] if record else None,
            )
            if issue is not None:
                row.add(issue)
            if stored is None:
                del v["id_number"]
        key = cert_no or code or name
        if record is None:
            if department_id is None:
                row.add(RowIssue(row.number, dept_label, "error", spec.field("department").missing().message))
            values = dict(_DEFAULTS)
            values.update(v)
            values["department_id"] = department_id
            values["code"] = code or _new_code(existing, new_codes)
            new_codes.add(values["code"])
            if not row.has_error:
                plan.inserts.append((values, tags or []))
            plan.outcomes.append(outcome_for(row, Outcome.NEW, key))
            continue
        assert target is not None
        if department_id is not None:
            v["department_id"] = department_id
        changes = {c: v[c] for c in COLUMNS if c in v and record[_IX[c]] != v[c]}
        labels = list(change_labels(spec, changes))
        if tags is not None and set(tags) != set(existing.tags.get(target, [])):
            labels.append(spec.field("qualifications").label)
            if not row.has_error:
                plan.tag_updates.append((target, tags))
        if changes and not row.has_error:
            plan.updates.append((target, changes))
        plan.outcomes.append(outcome_for(row, Outcome.UPDATED if labels else Outcome.UNCHANGED, key, labels))
    return plan


def _new_code(existing: _Existing, taken: set[str]) -> str:
    """人员编号 for a row without one: RY00001, RY00002 … not used by anyone."""
    serial = len(existing.rows) + len(taken) + 1
    while f"RY{serial:05d}" in existing.by_code or f"RY{serial:05d}" in taken:
        serial += 1
    return f"RY{serial:05d}"


def _create_departments(session: Session, plan: InspectorPlan, stamp: dt.datetime) -> dict[int, int]:
    real: dict[int, int] = {}
    if not plan.new_departments:
        return real
    order = session.scalar(select(func.max(Department.sort_order))) or 0
    for placeholder, name in plan.new_departments:
        order += 1
        real[placeholder] = session.execute(
            insert(Department)
            .values(
                code=department_code(session, name[:100]),
                name=name[:100],
                sort_order=order,
                created_at=stamp,
                updated_at=stamp,
            )
            .returning(Department.id)
        ).scalar_one()
    return real


def write_inspectors(session: Session, plan: InspectorPlan, stamp: dt.datetime, source: str) -> None:
    """Create departments, insert and update inspectors and their tags as planned."""
    real = _create_departments(session, plan, stamp)

    def dept(value: int) -> int:
        return real.get(value, value)

    table = Inspector.__table__
    quals = InspectorQualification.__table__
    for values, tags in plan.inserts:
        row = {
            **values,
            "department_id": dept(values["department_id"]),
            "created_at": stamp,
            "updated_at": stamp,
        }
        new_id = session.execute(insert(Inspector).values(**row).returning(Inspector.id)).scalar_one()
        if tags:
            session.execute(insert(quals), [{"inspector_id": new_id, "tag": t} for t in tags])  # type: ignore[arg-type]
    updates = []
    for inspector_id, changes in plan.updates:
        if "department_id" in changes:
            changes = {**changes, "department_id": dept(changes["department_id"])}
        updates.append((inspector_id, {**changes, "updated_at": stamp}))
    changed_tags = {i for i, _ in plan.tag_updates} - {i for i, _ in plan.updates}
    updates.extend((i, {"updated_at": stamp}) for i in changed_tags)
    bulk_update(session, table, updates)  # type: ignore[arg-type]
    for inspector_id, tags in plan.tag_updates:
        session.execute(
            delete(InspectorQualification).where(InspectorQualification.inspector_id == inspector_id)
        )
        if tags:
            session.execute(insert(quals), [{"inspector_id": inspector_id, "tag": t} for t in tags])  # type: ignore[arg-type]
