"""检查对象 import: match rows to the registry (统一社会信用代码, else 注册号, else 名称+地址) and plan the writes.

Built for 100,000-row files: existing records are preloaded once as tuples, rows are compared
field by field, and the writes are Core executemany statements (no ORM object per row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.plan_common import (
    DepartmentIndex,
    PlanBase,
    bulk_update,
    change_labels,
    fast_insert,
    masked_id_value,
    outcome_for,
)
from app.io.preview import Outcome
from app.io.rows import ParsedRow, ParsedSheet, RowIssue
from app.registry.codes import EntityCodeKind, classify_entity_code
from app.registry.fields import ENTITY_SPEC, infer_entity_kind, uscc_surely_valid
from db.models import Entity

__all__ = ["COLUMNS", "EntityPlan", "plan_entities", "write_entities"]

# Columns compared and written, in this order (department_id stands for the virtual field 监管部门).
COLUMNS: tuple[str, ...] = (
    "uscc", "reg_no", "name", "kind", "industry", "town", "address", "legal_rep", "phone", "id_number",
    "reg_status", "established_on", "risk_level", "credit_class", "abnormal_list", "serious_illegal",
    "department_id", "needs_code_fix", "remarks",
)  # fmt: skip
_IX = {name: i for i, name in enumerate(COLUMNS)}
_DEFAULTS: dict[str, Any] = {
    name: (ENTITY_SPEC.field(name).default if name != "department_id" else None) for name in COLUMNS
}
for _name in ("industry", "town", "address", "legal_rep", "phone", "id_number", "remarks"):
    _DEFAULTS[_name] = ""


@dataclass
class EntityPlan(PlanBase):
    inserts: list[tuple[Any, ...]] = field(default_factory=list)  # values in COLUMNS order
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    existing_count: int = 0


class _Existing:
    """The registry as it is: rows by id and the three keys."""

    def __init__(self, session: Session) -> None:
        cols = [getattr(Entity, c) for c in COLUMNS]
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.by_uscc: dict[str, int] = {}
        self.by_reg: dict[str, list[int]] = {}
        self.by_name_addr: dict[tuple[str, str], list[int]] = {}
        for entity_id, *values in session.execute(select(Entity.id, *cols).order_by(Entity.id)):
            record = tuple(values)
            self.rows[entity_id] = record
            if record[0]:
                self.by_uscc[record[0]] = entity_id
            if record[1]:
                self.by_reg.setdefault(record[1], []).append(entity_id)
            self.by_name_addr.setdefault((record[_IX["name"]], record[_IX["address"]]), []).append(entity_id)

    def codeless(self, name: str, address: str, allow_reg: bool) -> int | None:
        """An entity with this name and address that has no 统一社会信用代码 (and no 注册号 unless allowed)."""
        for entity_id in self.by_name_addr.get((name, address), ()):
            record = self.rows[entity_id]
            if not record[0] and (allow_reg or not record[1]):
                return entity_id
        return None


def _fix_code_columns(row: ParsedRow, v: dict[str, Any]) -> None:
    """A 15-digit 注册号 or an ID number in the 统一社会信用代码 column goes where it belongs."""
    uscc = v.get("uscc")
    if not uscc or not row.issues or uscc_surely_valid(uscc):
        return
    label = ENTITY_SPEC.field("uscc").label
    if len(uscc) == 15 and uscc.isascii() and uscc.isdigit():
        row.drop_issues(label)
        v["uscc"] = None
        if not v.get("reg_no"):
            reg_spec = ENTITY_SPEC.field("reg_no")
            cleaned = reg_spec.clean(uscc)
            v["reg_no"] = cleaned.value
            for issue in cleaned.issues:
                row.add(RowIssue(row.number, reg_spec.label, issue.severity, issue.message))
        elif v["reg_no"] != uscc:
            row.add(
                RowIssue(row.number, label, "error", f"{label}列中是 15 位注册号 {uscc}，与注册号列的值不同")
            )
    elif classify_entity_code(uscc) == EntityCodeKind.ID_NUMBER and not v.get("id_number"):
        row.drop_issues(label)
        v["uscc"] = None
        v["id_number"] = uscc
        row.add(RowIssue(row.number, label, "warning", f"{label}列中是身份证号码，已作为负责人身份证号导入"))


def plan_entities(session: Session, parsed: ParsedSheet) -> EntityPlan:
    """Decide new/updated/unchanged/skipped/error for every row; nothing is written."""
    spec = ENTITY_SPEC
    existing = _Existing(session)
    departments = DepartmentIndex(session)
    plan = EntityPlan(existing_count=len(existing.rows))
    fields = parsed.fields
    has_fix_column = "needs_code_fix" in fields
    seen_uscc: dict[str, int] = {}
    seen_reg: dict[str, int] = {}
    seen_name_addr: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    claimed: dict[int, int] = {}
    unknown_departments: set[str] = set()
    pick = itemgetter(*COLUMNS)
    name_label, dept_label = spec.field("name").label, spec.field("department").label
    id_label = spec.field("id_number").label
    for row in parsed.rows:
        v = {name: value for name, value in zip(fields, row.values, strict=True) if value is not None}
        _fix_code_columns(row, v)
        name = v.get("name")
        if not name:
            row.add(RowIssue(row.number, name_label, "error", spec.field("name").missing().message))
            plan.outcomes.append(outcome_for(row, Outcome.ERROR, ""))
            continue
        uscc, reg_no, address = v.get("uscc"), v.get("reg_no"), v.get("address", "")
        key = uscc or reg_no or name
        target: int | None = None
        if uscc:
            if uscc in seen_uscc:
                row.add(RowIssue(row.number, "统一社会信用代码", "error",
                                 f"统一社会信用代码 {uscc} 与第{seen_uscc[uscc]}行重复"))  # fmt: skip
            seen_uscc.setdefault(uscc, row.number)
            target = existing.by_uscc.get(uscc)
            if target is None:
                target = existing.codeless(name, address, allow_reg=True)
        elif reg_no:
            if reg_no in seen_reg:
                row.add(
                    RowIssue(row.number, "注册号", "error", f"注册号 {reg_no} 与第{seen_reg[reg_no]}行重复")
                )
            seen_reg.setdefault(reg_no, row.number)
            ids = existing.by_reg.get(reg_no)
            target = ids[0] if ids else existing.codeless(name, address, allow_reg=False)
        else:
            signature = tuple(row.values)
            earlier = seen_name_addr.get((name, address))
            if earlier is not None:
                if earlier[1] == signature:
                    row.add(
                        RowIssue(
                            row.number,
                            name_label,
                            "warning",
                            f"与第{earlier[0]}行完全相同（名称和地址相同），已跳过",
                        )
                    )
                    plan.outcomes.append(
                        outcome_for(row, Outcome.SKIPPED, key, note=f"与第{earlier[0]}行重复")
                    )
                    continue
                row.add(RowIssue(row.number, name_label, "error",
                                 f"与第{earlier[0]}行名称和地址相同（均无代码）但其他内容不同，无法判断以哪一行为准"))  # fmt: skip
            seen_name_addr.setdefault((name, address), (row.number, signature))
            ids = existing.by_name_addr.get((name, address), [])
            codeless = [i for i in ids if not existing.rows[i][0]]
            candidates = codeless or ids
            target = candidates[0] if candidates else None
        if target is not None:
            if target in claimed:
                row.add(
                    RowIssue(row.number, name_label, "error", f"与第{claimed[target]}行对应同一个检查对象")
                )
            claimed.setdefault(target, row.number)
        department_id: int | None = None
        dept_name = v.pop("department", None)
        if dept_name:
            department_id = departments.find(dept_name)
            if department_id is None and dept_name not in unknown_departments:
                # Said once per name: a county file names the same few departments 100,000 times.
                unknown_departments.add(dept_name)
                row.add(RowIssue(row.number, dept_label, "warning",
                                 f"{dept_label}“{dept_name}”不存在，使用该名称的行监管部门均已留空"))  # fmt: skip
        damaged = bool(row.damaged & {"uscc", "reg_no"})
        record = existing.rows.get(target) if target is not None else None
        if "id_number" in v:
            stored, issue = masked_id_value(
                row, id_label, v["id_number"], record[_IX["id_number"]] if record else None
            )
            if issue is not None:
                row.add(issue)
            if stored is None:
                del v["id_number"]
        if record is None:
            values = dict(_DEFAULTS)
            values.update(v)
            values["department_id"] = department_id
            if not v.get("kind"):
                values["kind"] = infer_entity_kind(uscc, name)
            values["needs_code_fix"] = damaged or bool(v.get("needs_code_fix"))
            if not row.has_error:
                plan.inserts.append(pick(values))
            plan.outcomes.append(outcome_for(row, Outcome.NEW, key))
            continue
        if department_id is not None:
            v["department_id"] = department_id
        if damaged and not record[0]:
            v["needs_code_fix"] = True
        elif not has_fix_column and (uscc or reg_no) and record[_IX["needs_code_fix"]] and not damaged:
            v["needs_code_fix"] = False  # the file brings the code that was missing
        changes = {c: v[c] for c in COLUMNS if c in v and _differs(record[_IX[c]], v[c])}
        assert target is not None
        if changes and not row.has_error:
            plan.updates.append((target, changes))
        outcome = Outcome.UPDATED if changes else Outcome.UNCHANGED
        plan.outcomes.append(outcome_for(row, outcome, key, change_labels(spec, changes)))
    return plan


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, dt.datetime):
        old = old.date()
    return bool(old != new)


def write_entities(session: Session, plan: EntityPlan, stamp: dt.datetime, source: str) -> None:
    """Insert and update as planned (Core statements, in the caller's transaction)."""
    table = Entity.__table__
    constants = {"created_at": stamp, "updated_at": stamp, "source": source[:300], "archived": False}
    fast_insert(session, table, COLUMNS, plan.inserts, plan.existing_count, constants)  # type: ignore[arg-type]
    bulk_update(session, table, [(i, {**c, "updated_at": stamp}) for i, c in plan.updates])  # type: ignore[arg-type]
