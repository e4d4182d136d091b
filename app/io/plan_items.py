"""抽查事项 import: provincial and county 随机抽查事项清单 with merged cells and continuation rows.

How rows become items:

* a row whose 抽查事项 cell has its own text starts an item; a row whose 抽查事项 is blank or merged from
  above but that has other text of its own continues the item above: its texts (检查依据, 检查主体 …)
  are appended on a new line, its tags joined, 重点 wins over 一般;
* 编制单位 and 编号/序号 that are blank or merged from above are "the same as above";
* items sharing one 序号 get codes ``<序号>-1``, ``<序号>-2`` … in file order; an item alone keeps the
  序号 as its code; items with no 序号 at all are numbered 001, 002 … within their 编制单位;
* the upsert key is (编制单位, 编号); department_id follows 发起部门, else a department named like the
  编制单位, else none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.io.plan_common import DepartmentIndex, PlanBase, bulk_update, change_labels, outcome_for
from app.io.preview import Outcome, RowOutcome
from app.io.rows import ParsedRow, ParsedSheet, RowIssue
from app.registry.fields import ITEM_SPEC, FieldKind
from db.enums import DeptRole, ItemClass, ItemListKind
from db.models import InspectionItem, ItemDepartment

__all__ = ["COLUMNS", "ItemPlan", "plan_items", "write_items"]

COLUMNS: tuple[str, ...] = (
    "compiler", "code", "list_kind", "domain", "category", "name", "target_desc", "target_kinds",
    "target_industries", "item_class", "methods", "subject", "basis", "ratio_text", "frequency_text",
    "inspector_requirement", "required_qualifications", "key_points", "remarks", "department_id",
)  # fmt: skip
_IX = {name: i for i, name in enumerate(COLUMNS)}
_APPENDED = ("target_desc", "methods", "subject", "basis", "inspector_requirement", "key_points", "remarks")
_TAGS = tuple(f.name for f in ITEM_SPEC.fields if f.kind is FieldKind.TAGS and not f.virtual)
_DEFAULTS: dict[str, Any] = {
    name: ([] if name in _TAGS else "") for name in COLUMNS if name not in ("department_id", "code", "name")
}
_DEFAULTS["list_kind"] = ItemListKind.DEPARTMENT.value
_DEFAULTS["item_class"] = ItemClass.GENERAL.value


@dataclass
class ItemPlan(PlanBase):
    inserts: list[tuple[dict[str, Any], set[tuple[int, str]] | None]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    link_updates: list[tuple[int, set[tuple[int, str]]]] = field(default_factory=list)


@dataclass
class _Item:
    row: ParsedRow
    values: dict[str, Any]
    group: int
    continuation: list[ParsedRow] = field(default_factory=list)


def _own(row: ParsedRow, values: dict[str, Any], name: str) -> bool:
    return values.get(name) is not None and name not in row.filled


def _group_rows(parsed: ParsedSheet, plan: ItemPlan) -> tuple[list[_Item], dict[int, str]]:
    """Items in file order, plus each group's base 序号 (group number → base code)."""
    items: list[_Item] = []
    bases: dict[int, str] = {}
    current: _Item | None = None
    name_label = ITEM_SPEC.field("name").label
    for row in parsed.rows:
        v = {name: value for name, value in zip(parsed.fields, row.values, strict=True) if value is not None}
        if not _own(row, v, "name"):
            if current is None or _own(row, v, "code") or _own(row, v, "compiler"):
                row.add(RowIssue(row.number, name_label, "error", ITEM_SPEC.field("name").missing().message))
                plan.outcomes.append(outcome_for(row, Outcome.ERROR, ""))
                continue
            _append(current, row, v)
            plan.outcomes.append(
                outcome_for(row, Outcome.SKIPPED, "", note=f"续行，已并入第{current.row.number}行")
            )
            continue
        _shorten_name(row, v)
        previous = current
        if not v.get("compiler") and previous is not None:
            v["compiler"] = previous.values.get("compiler", "")
        same_compiler = previous is not None and previous.values.get("compiler", "") == v.get("compiler", "")
        if _own(row, v, "code") or previous is None or not same_compiler:
            group = len(bases)
            bases[group] = str(v.get("code") or "")
        else:
            group = previous.group  # 序号 merged over several items, or left blank under them
        current = _Item(row, v, group)
        items.append(current)
    return items, bases


_NAME_MAX = ITEM_SPEC.field("name").max_length or 300
_CLAUSE_END = re.compile(r"[；;。\n]")


def _shorten_name(row: ParsedRow, v: dict[str, Any]) -> None:
    """Some lists write the whole 检查内容 into 抽查事项 (1,000+ characters). The first clause becomes
    the item's name and the full text goes into 检查要点, with a warning instead of the length error."""
    name = v["name"]
    if len(name) <= _NAME_MAX:
        return
    label = ITEM_SPEC.field("name").label
    row.drop_issues(label, "error")
    match = _CLAUSE_END.search(name, 4)
    short = name[: match.start()] if match and match.start() <= _NAME_MAX else name[: _NAME_MAX - 1] + "…"
    old_points = v.get("key_points")
    v["key_points"] = f"{name}\n{old_points}" if old_points else name
    v["name"] = short
    row.add(
        RowIssue(row.number, label, "warning",
                 f"{label}过长（{len(name)} 字，最多 {_NAME_MAX} 字），已取“{short}”作为事项名称，全文移入检查要点")
    )  # fmt: skip


def _append(item: _Item, row: ParsedRow, v: dict[str, Any]) -> None:
    item.continuation.append(row)
    for name in _APPENDED:
        if _own(row, v, name):
            text = v[name]
            old = item.values.get(name) or ""
            if text not in old.split("\n"):
                item.values[name] = f"{old}\n{text}" if old else text
    for name in _TAGS:
        if _own(row, v, name):
            merged = list(item.values.get(name) or [])
            merged.extend(t for t in v[name] if t not in merged)
            item.values[name] = merged
    if _own(row, v, "item_class") and v["item_class"] == ItemClass.KEY.value:
        item.values["item_class"] = ItemClass.KEY.value


def _assign_codes(items: list[_Item], bases: dict[int, str]) -> None:
    sizes: dict[int, int] = {}
    for item in items:
        sizes[item.group] = sizes.get(item.group, 0) + 1
    position: dict[int, int] = {}
    ordinal: dict[str, int] = {}
    for item in items:
        compiler = item.values.get("compiler", "")
        ordinal[compiler] = ordinal.get(compiler, 0) + 1
        position[item.group] = position.get(item.group, 0) + 1
        base = bases[item.group]
        if not base:
            item.values["code"] = f"{ordinal[compiler]:03d}"
        elif sizes[item.group] == 1:
            item.values["code"] = base
        else:
            item.values["code"] = f"{base}-{position[item.group]}"


class _Existing:
    def __init__(self, session: Session) -> None:
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.by_key: dict[tuple[str, str], int] = {}
        self.by_code_dept: dict[tuple[str, int], int] = {}
        cols = [getattr(InspectionItem, c) for c in COLUMNS]
        for item_id, *values in session.execute(select(InspectionItem.id, *cols).order_by(InspectionItem.id)):
            record = tuple(values)
            self.rows[item_id] = record
            self.by_key.setdefault((record[_IX["compiler"]], record[_IX["code"]]), item_id)
            if record[_IX["department_id"]] is not None:
                self.by_code_dept[(record[_IX["code"]], record[_IX["department_id"]])] = item_id
        self.links: dict[int, set[tuple[int, str]]] = {}
        for item_id, dept_id, role in session.execute(
            select(ItemDepartment.item_id, ItemDepartment.department_id, ItemDepartment.role)
        ):
            self.links.setdefault(item_id, set()).add((dept_id, role))


def plan_items(session: Session, parsed: ParsedSheet) -> ItemPlan:
    """Group rows into items, number them, match them to the list; nothing is written."""
    plan = ItemPlan()
    items, bases = _group_rows(parsed, plan)
    _assign_codes(items, bases)
    existing = _Existing(session)
    departments = DepartmentIndex(session)
    links_given = "lead_department" in parsed.fields or "partner_departments" in parsed.fields
    seen: dict[tuple[str, str], int] = {}
    seen_code_dept: dict[tuple[str, int], int] = {}
    lead_label = ITEM_SPEC.field("lead_department").label
    code_label = ITEM_SPEC.field("code").label
    for item in items:
        row, v = item.row, item.values
        compiler, code = v.get("compiler", ""), v["code"]
        key = (compiler, code)
        where = f"（编制单位“{compiler}”）" if compiler else ""
        if key in seen:
            row.add(RowIssue(row.number, code_label, "error", f"编号 {code}{where} 与第{seen[key]}行重复"))
        seen.setdefault(key, row.number)
        lead_name = v.pop("lead_department", None)
        partner_names = v.pop("partner_departments", None) or []
        department_id = departments.find(lead_name) if lead_name else None
        if lead_name and department_id is None:
            row.add(RowIssue(row.number, lead_label, "warning", f"{lead_label}“{lead_name}”不存在，已留空"))
        if department_id is None and compiler:
            department_id = departments.find(compiler)
        target = existing.by_key.get(key)
        if department_id is not None:
            v["department_id"] = department_id
            holder = existing.by_code_dept.get((code, department_id))
            if (holder is not None and holder != target) or (code, department_id) in seen_code_dept:
                dept_name = departments.names.get(department_id, "")
                row.add(
                    RowIssue(
                        row.number, code_label, "error", f"编号 {code} 在部门“{dept_name}”中已被另一事项使用"
                    )
                )
            seen_code_dept.setdefault((code, department_id), row.number)
        record = existing.rows.get(target) if target is not None else None
        list_kind = v.get("list_kind") or (record[_IX["list_kind"]] if record else _DEFAULTS["list_kind"])
        links = _links(row, v, department_id, partner_names, departments) if links_given else None
        if links is not None and list_kind != ItemListKind.JOINT.value:
            links = None
        note = f"含{len(item.continuation)}个续行" if item.continuation else ""
        if record is None:
            values = {**_DEFAULTS, **v, "department_id": department_id}
            if not _item_has_error(item):
                plan.inserts.append((values, links))
            plan.outcomes.append(_item_outcome(item, Outcome.NEW, key, (), note))
            continue
        assert target is not None
        changes = {c: v[c] for c in COLUMNS if c in v and record[_IX[c]] != v[c]}
        labels = list(change_labels(ITEM_SPEC, changes))
        if links is not None and links != existing.links.get(target, set()):
            labels.append("发起/配合部门")
            if not _item_has_error(item):
                plan.link_updates.append((target, links))
        if changes and not _item_has_error(item):
            plan.updates.append((target, changes))
        outcome = Outcome.UPDATED if labels else Outcome.UNCHANGED
        plan.outcomes.append(_item_outcome(item, outcome, key, labels, note))
    return plan


def _links(
    row: ParsedRow, v: dict[str, Any], lead: int | None, partners: list[str], departments: DepartmentIndex
) -> set[tuple[int, str]]:
    wanted: set[tuple[int, str]] = set()
    if lead is not None:
        wanted.add((lead, DeptRole.LEAD.value))
    label = ITEM_SPEC.field("partner_departments").label
    for name in partners:
        dept_id = departments.find(name)
        if dept_id is None:
            row.add(RowIssue(row.number, label, "warning", f"{label}“{name}”不存在，已忽略"))
        elif dept_id != lead:
            wanted.add((dept_id, DeptRole.PARTNER.value))
    return wanted


def _item_has_error(item: _Item) -> bool:
    return item.row.has_error or any(r.has_error for r in item.continuation)


def _item_outcome(item: _Item, outcome: Outcome, key: tuple[str, str], labels: Any, note: str) -> RowOutcome:
    if _item_has_error(item):
        outcome = Outcome.ERROR
    return outcome_for(item.row, outcome, " ".join(k for k in key if k), labels, note)


def write_items(session: Session, plan: ItemPlan, stamp: dt.datetime, source: str) -> None:
    """Insert and update items and their 发起/配合 departments as planned."""
    table = InspectionItem.__table__
    links_table = ItemDepartment.__table__
    for values, links in plan.inserts:
        row = {**values, "source": source[:300], "archived": False, "created_at": stamp, "updated_at": stamp}
        item_id = session.execute(
            insert(InspectionItem).values(**row).returning(InspectionItem.id)
        ).scalar_one()
        if links:
            session.execute(
                insert(links_table),  # type: ignore[arg-type]
                [{"item_id": item_id, "department_id": d, "role": r} for d, r in sorted(links)],
            )
    updates = [(i, {**c, "updated_at": stamp}) for i, c in plan.updates]
    relinked = {i for i, _ in plan.link_updates} - {i for i, _ in plan.updates}
    updates.extend((i, {"updated_at": stamp}) for i in relinked)
    bulk_update(session, table, updates)  # type: ignore[arg-type]
    for item_id, links in plan.link_updates:
        session.execute(delete(ItemDepartment).where(ItemDepartment.item_id == item_id))
        if links:
            session.execute(
                insert(links_table),  # type: ignore[arg-type]
                [{"item_id": item_id, "department_id": d, "role": r} for d, r in sorted(links)],
            )
