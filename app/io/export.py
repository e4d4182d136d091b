"""Registry export to xlsx: field-spec columns with Chinese headers, so the file imports back unchanged.

Codes, phones and ID numbers are written as text cells with number format "@" (never as numbers, so
Excel cannot turn them into 9.14690062012665E+17), dates as real dates, 是/否 for flags, tags joined
with 、. 身份证号 is masked unless ``include_personal=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.audit import record_event
from app.io.errors import ExportError
from app.io.xlsx_writer import XlsxColumn, write_xlsx
from app.registry.codes import mask_id_number
from app.registry.fields import FieldKind, FieldSpec, RegistrySpec, registry_spec
from db.enums import DeptRole
from db.models import Department, Entity, InspectionItem, Inspector, InspectorQualification, ItemDepartment

__all__ = ["ExportSummary", "export_registry"]

Progress = Callable[[str, float], None]
_ID_CHUNK = 10_000


@dataclass(frozen=True)
class ExportSummary:
    """What export_registry wrote."""

    kind: str
    path: Path
    rows: int


def _column(spec: FieldSpec) -> XlsxColumn:
    if spec.kind is FieldKind.DATE:
        style = "date"
    elif spec.multiline:
        style = "wrap"
    else:
        style = "text"
    return XlsxColumn(spec.label, spec.width, style)


_MODELS: dict[str, Any] = {"entities": Entity, "inspectors": Inspector, "items": InspectionItem}
_VIRTUAL_SOURCE = {"department": "department_name", "lead_department": "department_name"}


def _selects(kind: str, spec: RegistrySpec, ids: Sequence[int] | None) -> Iterator[Select[Any]]:
    model = _MODELS[kind]
    columns = [getattr(model, f.name) for f in spec.fields if not f.virtual]
    base = select(model.id, *columns, Department.name.label("department_name")).outerjoin(
        Department, Department.id == model.department_id
    )
    order = (model.compiler, model.id) if kind == "items" else (model.id,)
    if ids is None:
        yield base.where(model.archived.is_(False)).order_by(*order)
        return
    unique = sorted(set(ids))
    for start in range(0, len(unique), _ID_CHUNK):
        yield base.where(model.id.in_(unique[start : start + _ID_CHUNK])).order_by(*order)


def _extras(session: Session, kind: str) -> dict[int, list[str]]:
    """Per-record lists kept in other tables: inspectors' 专长/资格, items' 配合部门."""
    extras: dict[int, list[str]] = {}
    if kind == "inspectors":
        rows = session.execute(
            select(InspectorQualification.inspector_id, InspectorQualification.tag).order_by(
                InspectorQualification.id
            )
        )
    elif kind == "items":
        rows = session.execute(
            select(ItemDepartment.item_id, Department.name)
            .join(Department, Department.id == ItemDepartment.department_id)
            .where(ItemDepartment.role == DeptRole.PARTNER.value)
            .order_by(ItemDepartment.id)
        )
    else:
        return extras
    for owner, text in rows:
        extras.setdefault(owner, []).append(text)
    return extras


def export_registry(
    session: Session,
    kind: str,
    path: str | Path,
    ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    *,
    include_personal: bool = False,
) -> ExportSummary:
    """Write the registry ``kind`` ("entities", "inspectors", "items") to an xlsx at ``path``.

    ``ids=None`` exports every non-archived record; otherwise exactly the given records. Raises
    ExportError when the file cannot be written.
    """
    spec = registry_spec(kind)
    target = Path(path)
    report = progress or (lambda _stage, _fraction: None)
    model = _MODELS[kind]
    if ids is None:
        total = session.scalar(select(func.count()).select_from(model).where(model.archived.is_(False))) or 0
    else:
        total = len(set(ids))
    report("读取名录", 0.0)
    extras = _extras(session, kind)
    fields = spec.fields

    def rows() -> Iterator[list[Any]]:
        for statement in _selects(kind, spec, ids):
            for record in session.execute(statement).mappings():
                yield [_value(f, record, extras, include_personal) for f in fields]

    try:
        written = write_xlsx(
            target,
            spec.label,
            [_column(f) for f in fields],
            rows(),
            total=total,
            progress=lambda f: report("写入文件", f),
        )
    except OSError as exc:
        raise ExportError(f"无法写入文件 {target}：{exc.strerror or exc}") from exc
    record_event(
        session,
        "导出",
        spec.label,
        "",
        f"导出{spec.label} {written} 条到“{target.name}”"
        + ("（含完整身份证号）" if include_personal else ""),
        after={"file": str(target), "rows": written, "include_personal": include_personal},
    )
    session.commit()  # the export's audit entry (exports are read-only otherwise)
    report("完成", 1.0)
    return ExportSummary(kind, target, written)


def _value(spec: FieldSpec, record: Any, extras: dict[int, list[str]], include_personal: bool) -> Any:
    name = spec.name
    if name in _VIRTUAL_SOURCE:
        return record[_VIRTUAL_SOURCE[name]] or ""
    if name in ("qualifications", "partner_departments"):
        return "、".join(extras.get(record["id"], []))
    value = record[name]
    if value is None:
        return ""
    kind = spec.kind
    if kind is FieldKind.BOOL:
        return "是" if value else "否"
    if kind is FieldKind.TAGS:
        return "、".join(value)
    if kind is FieldKind.DATE:
        return value.date() if isinstance(value, dt.datetime) else value
    if spec.personal and not include_personal:
        return mask_id_number(value) if value else ""
    return value
