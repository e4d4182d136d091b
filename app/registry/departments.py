"""部门: the county's law-enforcement departments — a small settings table, edited in 系统设置."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import UserFacingError
from db.models import Department, Entity, InspectionItem, Inspector


class DepartmentError(UserFacingError, ValueError):
    """A department edit that cannot be saved; message_zh names the field."""


@dataclass(frozen=True)
class DepartmentRow:
    id: int | None
    name: str
    short_name: str
    code: str
    is_market_regulation: bool
    contact_person: str
    contact_phone: str
    archived: bool = False
    inspectors: int = 0
    entities: int = 0
    items: int = 0


def _counts(session: Session, column: Any) -> dict[int, int]:
    return {
        key: n for key, n in session.execute(select(column, func.count()).group_by(column)) if key is not None
    }


def list_departments(session: Session, include_archived: bool = True) -> list[DepartmentRow]:
    """Departments in display order, with how many inspectors, entities and items refer to each."""
    inspectors = _counts(session, Inspector.department_id)
    entities = _counts(session, Entity.department_id)
    items = _counts(session, InspectionItem.department_id)
    stmt = select(Department).order_by(Department.archived, Department.sort_order, Department.id)
    if not include_archived:
        stmt = stmt.where(Department.archived.is_(False))
    return [
        DepartmentRow(
            d.id,
            d.name,
            d.short_name,
            d.code,
            d.is_market_regulation,
            d.contact_person,
            d.contact_phone,
            d.archived,
            inspectors.get(d.id, 0),
            entities.get(d.id, 0),
            items.get(d.id, 0),
        )
        for d in session.scalars(stmt)
    ]


_CODE = re.compile(r"[A-Z0-9_-]{1,30}")


def department_code(session: Session, name: str) -> str:
    """The 部门编号 of a new department not on the usual county list (those have fixed codes such as "SJ").

    Made from the name, so that the same department set up on two offline PCs gets the same code and two
    different departments practically never share one: the 司法局 tells the senders of 数据包 apart by it (a
    running number, D01 on every PC, would make two departments one sender)."""
    digest = hashlib.sha256("".join(name.split()).encode("utf-8")).hexdigest().upper()  # spaces ignored
    for length in (6, 8, 12, 16):
        code = f"D{digest[:length]}"
        if session.scalar(select(Department.id).where(Department.code == code)) is None:
            return code
    raise DepartmentError(f"无法为部门“{name}”生成部门编号，请换一个名称。")


def save_department(session: Session, row: DepartmentRow) -> int:
    """Create (id None) or update a department after checking it; returns its id. The caller commits."""
    name = row.name.strip()
    if not name:
        raise DepartmentError("部门名称不能为空。")
    if len(name) > 100:
        raise DepartmentError("部门名称过长（最多 100 字）。")
    short = row.short_name.strip()
    if len(short) > 20:
        raise DepartmentError("部门简称过长（最多 20 字），它用于文书编号，如“示市监”。")
    clash = session.scalar(select(Department).where(Department.name == name, Department.id != (row.id or -1)))
    if clash is not None:
        raise DepartmentError(f"已有同名部门“{name}”{'（已归档）' if clash.archived else ''}，不能重复添加。")
    code = row.code.strip().upper()
    if code and not _CODE.fullmatch(code):
        raise DepartmentError("部门编号只能由字母、数字、“-”和“_”组成，最多 30 位，如“SJ”。")
    if code:
        holder = session.scalar(
            select(Department).where(Department.code == code, Department.id != (row.id or -1))
        )
        if holder is not None:
            raise DepartmentError(f"部门编号“{code}”已由“{holder.name}”使用，各部门的编号不能相同。")
    if row.id is None:
        department = Department(
            code=code or department_code(session, name),
            name=name,
            sort_order=(session.scalar(select(func.max(Department.sort_order))) or 0) + 1,
        )
        session.add(department)
    else:
        found = session.get(Department, row.id)
        if found is None:
            raise DepartmentError("该部门已不存在，请刷新后重试。")
        department = found
        department.name = name
        department.code = code or department.code
    department.short_name = short
    department.is_market_regulation = row.is_market_regulation
    department.contact_person = row.contact_person.strip()
    department.contact_phone = row.contact_phone.strip()
    session.flush()
    return department.id


def set_department_archived(session: Session, department_id: int, archived: bool) -> None:
    """Archive or restore a department. It stays referenced by its records; it is only hidden from choices."""
    department = session.get(Department, department_id)
    if department is None:
        raise DepartmentError("该部门已不存在，请刷新后重试。")
    department.archived = archived
