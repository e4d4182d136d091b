"""One row of the 年度抽查计划 as entered: validation with Chinese messages naming the field, the live
检查对象基数 from the registry, and 计划抽查数 = ⌈基数 × 比例⌉ or the fixed 数量."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.plans.errors import PlanInputError, PlanNotFoundError
from db.enums import RegStatus
from db.models import Department, Entity, InspectionItem

MAX_TEXT = 2000
MAX_METHOD = 100


@dataclass(frozen=True)
class RowInput:
    """What the clerk fills in for one plan row. Exactly one of ``ratio`` (比例, exact decimal text such as
    ``"0.05"`` or ``"5%"``) and ``quantity`` (数量) is given."""

    item_id: int
    scope_text: str = ""  # 检查对象范围
    ratio: str = ""
    quantity: int | None = None
    content: str = ""  # 检查内容
    basis: str = ""  # 检查依据
    planned_month: int | None = None  # 计划月份 1..12
    method: str = ""  # 检查方式
    joint_department_ids: tuple[int, ...] = field(default_factory=tuple)  # 联合部门
    frequency_cap: int | None = None  # 频次上限 per object per year
    remarks: str = ""


@dataclass(frozen=True)
class CleanRow:
    """A validated row, ready to store: 比例 normalised, 基数 and 计划抽查数 computed."""

    item_id: int
    scope_text: str
    scope_filter: dict[str, list[str]]
    base_count: int
    ratio: str
    quantity: int | None
    planned_count: int
    content: str
    basis: str
    planned_month: int
    method: str
    joint_department_ids: tuple[int, ...]
    frequency_cap: int | None
    remarks: str


def item_scope(item: InspectionItem) -> dict[str, list[str]]:
    """The machine-readable 定向 filter of an item: its entity kinds and industries ({} lists = any)."""
    return {"kinds": list(item.target_kinds or []), "industries": list(item.target_industries or [])}


def base_count(session: Session, item_id: int) -> int:
    """检查对象基数 now: active, non-archived entities of the item's kinds and industries."""
    item = session.get(InspectionItem, item_id)
    if item is None:
        raise PlanNotFoundError(f"抽查事项不存在（编号 {item_id}）")
    return item_base_count(session, item)


def item_base_count(session: Session, item: InspectionItem) -> int:
    """检查对象基数 of an item: active, non-archived entities of its kinds and industries (empty = any)."""
    query = (
        select(func.count())
        .select_from(Entity)
        .where(Entity.archived.is_(False), Entity.reg_status == RegStatus.ACTIVE.value)
    )
    if item.target_kinds:
        query = query.where(Entity.kind.in_(item.target_kinds))
    if item.target_industries:
        query = query.where(Entity.industry.in_(item.target_industries))
    return int(session.scalar(query) or 0)


def parse_ratio(text: str) -> Decimal:
    """比例 as an exact Decimal in (0, 1]: ``"0.05"``, ``"5%"`` and ``"5％"`` all give ``Decimal("0.05")``."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    percent = raw.endswith("%")
    digits = raw[:-1].strip() if percent else raw
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise PlanInputError(f"抽查比例“{text}”不是有效的小数（例如 0.05 或 5%）") from None
    if not value.is_finite():
        raise PlanInputError(f"抽查比例“{text}”不是有效的小数（例如 0.05 或 5%）")
    if percent:
        value = value / 100
    if not Decimal(0) < value <= Decimal(1):
        raise PlanInputError("抽查比例应大于 0 且不超过 100%")
    return value.normalize()


def planned_count(base: int, ratio: Decimal | None, quantity: int | None) -> int:
    """计划抽查数: ⌈基数 × 比例⌉ (exact decimal arithmetic) or the fixed 数量."""
    if ratio is not None:
        return int((Decimal(base) * ratio).to_integral_value(ROUND_CEILING))
    return int(quantity or 0)


def ratio_text(value: Decimal) -> str:
    """A normalised ratio without an exponent (``Decimal('1E+0')`` → ``"1"``)."""
    return format(value, "f")


def _text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise PlanInputError(f"{what}不能为空")
    if len(text) > limit:
        raise PlanInputError(f"{what}过长（最多 {limit} 个字符）")
    return text


def _positive(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PlanInputError(f"{what}应为正整数，当前为 {value!r}")
    return value


def clean_row(session: Session, row: RowInput, *, own_department_id: int) -> CleanRow:
    """Validate ``row`` (messages name the field) and compute 基数 and 计划抽查数."""
    item = session.get(InspectionItem, row.item_id)
    if item is None:
        raise PlanInputError("抽查事项不能为空")
    if item.archived:
        raise PlanInputError(f"抽查事项“{item.name}”已归档，不能列入计划")
    has_ratio = bool((row.ratio or "").strip())
    if has_ratio and row.quantity is not None:
        raise PlanInputError("抽查比例和抽查数量只能填写其中一项")
    if not has_ratio and row.quantity is None:
        raise PlanInputError("抽查比例或抽查数量必须填写一项")
    ratio = parse_ratio(row.ratio) if has_ratio else None
    quantity = _positive(row.quantity, "抽查数量")
    month = row.planned_month
    if month is None:
        raise PlanInputError("计划月份不能为空")
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise PlanInputError(f"计划月份应为 1–12 的整数，当前为 {month!r}")
    joint: list[int] = []
    for dept_id in row.joint_department_ids:
        dept = session.get(Department, dept_id)
        if dept is None:
            raise PlanInputError(f"联合部门不存在（编号 {dept_id}）")
        if dept_id == own_department_id:
            raise PlanInputError(f"联合部门不能包含本部门（{dept.name}）")
        if dept_id not in joint:
            joint.append(dept_id)
    base = base_count(session, item.id)
    return CleanRow(
        item_id=item.id,
        scope_text=_text(row.scope_text, "检查对象范围", MAX_TEXT, required=True),
        scope_filter=item_scope(item),
        base_count=base,
        ratio=ratio_text(ratio) if ratio is not None else "",
        quantity=quantity,
        planned_count=planned_count(base, ratio, quantity),
        content=_text(row.content, "检查内容", MAX_TEXT, required=True),
        basis=_text(row.basis, "检查依据", MAX_TEXT, required=True),
        planned_month=month,
        method=_text(row.method, "检查方式", MAX_METHOD, required=True),
        joint_department_ids=tuple(joint),
        frequency_cap=_positive(row.frequency_cap, "频次上限"),
        remarks=_text(row.remarks, "备注", MAX_TEXT),
    )
