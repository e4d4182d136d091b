"""Editing one registry record (新增/编辑) and many at once (批量修改), validated by the same field specs as
the importer (app.registry.fields), with duplicates refused by naming the record that already has the code."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import record_event
from app.io.plan_common import DepartmentIndex
from app.registry.codes import mask_id_number
from app.registry.fields import FieldKind, FieldSpec, RegistrySpec, infer_entity_kind, registry_spec
from app.registry.query import VIEWS
from db.base import utcnow
from db.enums import DeptRole, ItemListKind
from db.models import InspectionItem, Inspector, InspectorQualification, ItemDepartment

# Fields offered by 批量修改 (common fields a clerk changes for many rows at once, e.g. 风险等级 for 300 rows).
BULK_FIELDS: dict[str, tuple[str, ...]] = {
    "entities": ("risk_level", "credit_class", "reg_status", "abnormal_list", "serious_illegal", "town", "industry", "department"),
    "inspectors": ("status", "town", "is_expert", "cert_issuer", "cert_valid_until", "department"),
    "items": ("item_class", "category", "ratio_text", "frequency_text", "methods"),
}  # fmt: skip


@dataclass(frozen=True)
class RecordIssue:
    field: str  # FieldSpec.name
    severity: str  # error / warning
    message: str  # Chinese, names the field


class RecordInvalid(Exception):
    """The record was not saved; `issues` name each field. message_zh joins the errors."""

    def __init__(self, issues: list[RecordIssue]) -> None:
        self.issues = issues
        self.message_zh = "；".join(i.message for i in issues if i.severity == "error")
        super().__init__(self.message_zh)


def _model(kind: str) -> Any:
    return VIEWS[kind].model


def record_values(session: Session, kind: str, record_id: int) -> dict[str, Any]:
    """The stored values by field name, as the edit form shows them (身份证号 masked, departments by name)."""
    spec = registry_spec(kind)
    row = session.get(_model(kind), record_id)
    if row is None:
        raise RecordInvalid([RecordIssue("", "error", "该记录已不存在，请刷新后重试。")])
    values: dict[str, Any] = {}
    for f in spec.fields:
        if f.virtual:
            values[f.name] = _virtual_value(kind, row, f.name)
        else:
            values[f.name] = getattr(row, f.name)
    for f in spec.fields:
        if f.personal and values.get(f.name):
            values[f.name] = mask_id_number(values[f.name])
    return values


def _virtual_value(kind: str, row: Any, name: str) -> Any:
    if name == "department":
        return row.department.name if row.department is not None else ""
    if name == "qualifications":
        return [q.tag for q in row.qualifications]
    if name == "lead_department":
        lead = next((d for d in row.departments if d.role == DeptRole.LEAD.value), None)
        return lead.department.name if lead else (row.department.name if row.department else "")
    if name == "partner_departments":
        return [d.department.name for d in row.departments if d.role == DeptRole.PARTNER.value]
    return None


def _clean(
    spec: RegistrySpec, raw: Mapping[str, Any], *, partial: bool
) -> tuple[dict[str, Any], list[RecordIssue]]:
    """Clean every given field; for a full form also check required fields."""
    cleaned: dict[str, Any] = {}
    issues: list[RecordIssue] = []
    for f in spec.fields:
        if f.name not in raw:
            continue
        value = raw[f.name]
        if f.personal and isinstance(value, str) and "*" in value:
            continue  # the masked value shown in the form, left unchanged
        result = f.clean(value)
        issues.extend(RecordIssue(f.name, i.severity, i.message) for i in result.issues)
        cleaned[f.name] = result.value
        if result.damaged:
            cleaned["needs_code_fix"] = True
    if not partial:
        for f in spec.required:
            if cleaned.get(f.name) in (None, "", []):
                issues.append(RecordIssue(f.name, "error", f.missing().message))
    return cleaned, issues


def _duplicates(
    session: Session, kind: str, record_id: int | None, values: Mapping[str, Any]
) -> list[RecordIssue]:
    """A code that another record already has is refused, naming that record."""
    model = _model(kind)
    unique = {"entities": ("uscc", "reg_no"), "inspectors": ("cert_no", "code"), "items": ()}[kind]
    issues = []
    for name in unique:
        value = values.get(name)
        if not value:
            continue
        other = session.scalar(
            select(model).where(getattr(model, name) == value, model.id != (record_id or -1))
        )
        if other is not None:
            label = registry_spec(kind).field(name).label
            where = "（已归档）" if other.archived else ""
            issues.append(
                RecordIssue(name, "error", f"{label} {value} 已属于“{other.name}”{where}，不能重复。")
            )
    if kind == "items" and values.get("code"):
        other = session.scalar(
            select(InspectionItem).where(
                InspectionItem.code == values["code"],
                InspectionItem.compiler == (values.get("compiler") or ""),
                InspectionItem.id != (record_id or -1),
            )
        )
        if other is not None:
            issues.append(
                RecordIssue("code", "error", f"编号 {values['code']} 已属于事项“{other.name}”，不能重复。")
            )
    return issues


def _next_inspector_code(session: Session) -> str:
    taken = set(session.scalars(select(Inspector.code)))
    serial = 1
    while f"RY{serial:05d}" in taken:
        serial += 1
    return f"RY{serial:05d}"


def _resolve_department(
    index: DepartmentIndex, label: str, name: str | None
) -> tuple[int | None, list[RecordIssue]]:
    if not name:
        return None, []
    found = index.find(name)
    if found is None:
        return None, [
            RecordIssue("department", "error", f"{label}“{name}”不存在，请先在“系统设置 → 部门”中添加。")
        ]
    return found, []


def save_record(
    session: Session,
    kind: str,
    record_id: int | None,
    raw: Mapping[str, Any],
    *,
    accept_warnings: bool = False,
) -> tuple[int, list[RecordIssue]]:
    """Create (record_id None) or update one record from form values (field name → typed text or value).

    Raises RecordInvalid on any error — and, unless accept_warnings, on warnings too (the form asks the clerk
    first). Returns the id and the warnings. The caller commits.
    """
    spec = registry_spec(kind)
    values, issues = _clean(spec, raw, partial=False)
    issues += _duplicates(session, kind, record_id, values)
    index = DepartmentIndex(session)
    department_ids: dict[str, Any] = {}
    for name in ("department", "lead_department"):
        if name in values:
            dept_id, problems = _resolve_department(index, spec.field(name).label, values[name])
            department_ids[name] = dept_id
            issues += problems
    partners: list[int] = []
    for partner in values.get("partner_departments") or []:
        dept_id, problems = _resolve_department(index, "配合部门", partner)
        issues += problems
        if dept_id is not None:
            partners.append(dept_id)
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    if errors or (warnings and not accept_warnings):
        raise RecordInvalid(errors + warnings)

    model = _model(kind)
    row = model() if record_id is None else session.get(model, record_id)
    if row is None:
        raise RecordInvalid([RecordIssue("", "error", "该记录已不存在，请刷新后重试。")])
    for f in spec.fields:
        if f.virtual or f.name not in values:
            continue
        value = values[f.name]
        if value is None and f.default is not None:
            value = f.default
        if f.kind is FieldKind.TEXT and value is None and not _nullable(model, f.name):
            value = ""
        if f.kind is FieldKind.TAGS and value is None:
            value = []
        setattr(row, f.name, value)
    if kind == "entities":
        if not row.kind:  # the form left 类型 blank: infer it from the code and name, as the importer does
            row.kind = infer_entity_kind(row.uscc, row.name)
        row.department_id = department_ids.get("department")
        if row.uscc:
            row.needs_code_fix = False  # a real code has been entered: nothing left to 补录
    elif kind == "inspectors":
        row.department_id = department_ids.get("department")
        if not row.code:
            row.code = _next_inspector_code(session)
        tags = values.get("qualifications") or []
        row.qualifications = [InspectorQualification(tag=t) for t in tags]
    elif kind == "items":
        lead = department_ids.get("lead_department")
        row.department_id = lead
        links = [] if lead is None else [ItemDepartment(department_id=lead, role=DeptRole.LEAD.value)]
        links += [ItemDepartment(department_id=p, role=DeptRole.PARTNER.value) for p in partners if p != lead]
        row.departments = links
        if partners:
            row.list_kind = ItemListKind.JOINT.value
        if not row.code:
            row.code = _next_item_code(session, row.compiler)
    if record_id is None:
        session.add(row)
    row.updated_at = utcnow()
    try:
        session.flush()
    except IntegrityError as exc:  # a rule the checks above missed: refuse plainly, nothing is written
        raise RecordInvalid(
            [RecordIssue("", "error", f"保存失败，数据不符合数据库约束：{exc.orig}")]
        ) from exc
    return row.id, warnings


def _nullable(model: Any, name: str) -> bool:
    column = model.__table__.columns.get(name)
    return bool(column is not None and column.nullable)


def _next_item_code(session: Session, compiler: str) -> str:
    numbers = [
        int(m.group(1))
        for code in session.scalars(select(InspectionItem.code).where(InspectionItem.compiler == compiler))
        if (m := re.fullmatch(r"(\d+)", code or ""))
    ]
    return f"{(max(numbers) + 1) if numbers else 1:03d}"


def bulk_update(session: Session, kind: str, ids: Sequence[int], field_name: str, raw: Any) -> int:
    """批量修改: set one common field on many records; returns how many changed. The caller commits."""
    if field_name not in BULK_FIELDS[kind]:
        raise RecordInvalid([RecordIssue(field_name, "error", "该字段不能批量修改。")])
    spec = registry_spec(kind)
    field_spec: FieldSpec = spec.field(field_name)
    values, issues = _clean(spec, {field_name: raw}, partial=True)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise RecordInvalid(errors)
    value = values.get(field_name)
    model = _model(kind)
    column = field_name
    if field_name == "department":
        dept_id, problems = _resolve_department(DepartmentIndex(session), field_spec.label, value)
        if problems:
            raise RecordInvalid(problems)
        if kind == "inspectors" and dept_id is None:
            raise RecordInvalid([RecordIssue("department", "error", "执法检查人员必须属于一个部门。")])
        column, value = "department_id", dept_id
    elif value is None and (field_spec.required or not _nullable(model, column)):
        value = field_spec.default if field_spec.default is not None else ""
    changed = list(
        session.scalars(
            select(model.id).where(
                model.id.in_(ids),
                func.coalesce(getattr(model, column), "") != (value if value is not None else ""),
            )
        )
    )
    for start in range(0, len(changed), 500):
        chunk = changed[start : start + 500]
        session.execute(
            model.__table__.update()
            .where(model.id.in_(chunk))
            .values({column: value, "updated_at": utcnow()})
        )
    if changed:
        record_event(
            session,
            "批量修改",
            spec.label,
            ",".join(map(str, changed[:50])) + ("…" if len(changed) > 50 else ""),
            f"批量修改{spec.label} {len(changed)} 条：{field_spec.label}改为“{'' if value is None else value}”",
            after={field_spec.label: value, "count": len(changed)},
        )
    return len(changed)


def bulk_field_specs(kind: str) -> list[FieldSpec]:
    spec = registry_spec(kind)
    return [spec.field(name) for name in BULK_FIELDS[kind]]


__all__ = [
    "BULK_FIELDS",
    "RecordInvalid",
    "RecordIssue",
    "bulk_field_specs",
    "bulk_update",
    "record_values",
    "save_record",
]
