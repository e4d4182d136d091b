"""Registry listing: SQL-side search, filters and sorting that return ids; display rows fetched by page.

The GUI's lazy table models keep only the id list (STYLE.md, after Anki's browser table) and ask `fetch_rows`
for the few rows on screen. One `RegistryView` describes each registry (检查对象, 执法检查人员, 抽查事项).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, false, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from db.enums import CreditClass, EntityKind, InspectorStatus, ItemClass, ItemListKind, RegStatus, RiskLevel
from db.models import Department, EntitySearch, InspectionItem, Inspector, InspectorQualification
from db.models import Entity as EntityModel

# 执法证 expiring within this many days is flagged 将到期 so clerks renew it before a draw needs it.
CERT_WARNING_DAYS = 90


@dataclass(frozen=True)
class ColumnDef:
    """A column of a registry table: title, the SQL expression shown and sorted on, its display width."""

    key: str
    title: str
    expr: ColumnElement[Any] | QueryableAttribute[Any]
    width: int = 100  # hint in pixels at the default font


@dataclass(frozen=True)
class FilterDef:
    """A column filter: the values offered (fixed, or read from the data) and the condition per value."""

    key: str
    title: str
    condition: Callable[[str], ColumnElement[bool]]
    fixed_values: tuple[str, ...] = ()
    values_query: Callable[[], Select[Any]] | None = None


@dataclass(frozen=True)
class RegistryQuery:
    """What the clerk asked for: quick-search text, chosen filter values, archived or not, sort order."""

    text: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    archived: bool = False  # False: the live registry; True: only archived (归档) rows
    sort_key: str = ""
    descending: bool = False


@dataclass(frozen=True)
class RegistryView:
    """Everything needed to list one registry."""

    name: str  # entities / inspectors / items
    title: str
    model: Any  # the mapped class (its id column and archived flag are used)
    columns: tuple[ColumnDef, ...]
    filters: tuple[FilterDef, ...]
    search: Callable[[str], ColumnElement[bool]]
    default_sort: str

    def column(self, key: str) -> ColumnDef:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def filter(self, key: str) -> FilterDef:
        for f in self.filters:
            if f.key == key:
                return f
        raise KeyError(key)


def _terms(text: str) -> list[str]:
    """Search words: split on spaces (full-width too); ASCII upper-cased to match the stored search text."""
    return [t.upper() for t in text.replace("\u3000", " ").split() if t]


def _where(view: RegistryView, query: RegistryQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [view.model.archived.is_(query.archived)]
    for term in _terms(query.text):
        conditions.append(view.search(term))
    for key, values in query.filters.items():
        if not values:
            continue
        f = view.filter(key)
        conditions.append(or_(*(f.condition(v) for v in values)))
    return conditions


def matching_ids(session: Session, view: RegistryView, query: RegistryQuery) -> list[int]:
    """Ids of the rows that match, in the requested order (ties broken by id, so the order is stable)."""
    column = view.column(query.sort_key or view.default_sort)
    order = column.expr.desc() if query.descending else column.expr.asc()
    tie = view.model.id.desc() if query.descending else view.model.id.asc()
    stmt = select(view.model.id).where(*_where(view, query)).order_by(order, tie)
    return list(session.scalars(stmt))


def count(session: Session, view: RegistryView, query: RegistryQuery) -> int:
    stmt = select(func.count()).select_from(view.model).where(*_where(view, query))
    return int(session.scalar(stmt) or 0)


def fetch_rows(session: Session, view: RegistryView, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Display values (in column order) for the given ids."""
    if not ids:
        return {}
    stmt = select(view.model.id, *(c.expr for c in view.columns)).where(view.model.id.in_(ids))
    return {row[0]: tuple(row[1:]) for row in session.execute(stmt)}


def filter_values(session: Session, view: RegistryView, key: str) -> list[str]:
    """The values a filter offers: fixed vocabularies, or the distinct values present in the data."""
    f = view.filter(key)
    if f.values_query is None:
        return list(f.fixed_values)
    return [v for v in session.scalars(f.values_query()) if v not in (None, "")]


# --- 检查对象名录库 -------------------------------------------------------------------------------

_dept_name = select(Department.name).where(Department.id == EntityModel.department_id).scalar_subquery()

ENTITY_FLAGS = ("经营异常名录", "严重违法失信", "代码待补录", "无统一社会信用代码")


def _entity_flag(value: str) -> ColumnElement[bool]:
    if value == "经营异常名录":
        return EntityModel.abnormal_list.is_(True)
    if value == "严重违法失信":
        return EntityModel.serious_illegal.is_(True)
    if value == "代码待补录":
        return EntityModel.needs_code_fix.is_(True)
    if value == "无统一社会信用代码":
        return EntityModel.uscc.is_(None)
    return false()


def _entity_search(term: str) -> ColumnElement[bool]:
    hits = select(EntitySearch.id).where(func.instr(EntitySearch.text, term) > 0)
    return EntityModel.id.in_(hits)


ENTITIES = RegistryView(
    name="entities",
    title="检查对象名录库",
    model=EntityModel,
    columns=(
        ColumnDef("name", "名称", EntityModel.name, 260),
        ColumnDef(
            "code", "统一社会信用代码/注册号", func.coalesce(EntityModel.uscc, EntityModel.reg_no, ""), 190
        ),
        ColumnDef("kind", "类型", EntityModel.kind, 90),
        ColumnDef("industry", "行业", EntityModel.industry, 100),
        ColumnDef("town", "乡镇/片区", EntityModel.town, 70),
        ColumnDef("address", "地址", EntityModel.address, 240),
        ColumnDef("legal_rep", "法定代表人/负责人", EntityModel.legal_rep, 80),
        ColumnDef("reg_status", "登记状态", EntityModel.reg_status, 60),
        ColumnDef("risk_level", "风险等级", EntityModel.risk_level, 60),
        ColumnDef("credit_class", "信用分类", EntityModel.credit_class, 60),
        ColumnDef(
            "flags",
            "名录标记",
            func.trim(
                case((EntityModel.abnormal_list, "异常名录 "), else_="")
                + case((EntityModel.serious_illegal, "严重失信 "), else_="")
                + case((EntityModel.needs_code_fix, "代码待补录"), else_="")
            ),
            110,
        ),
        ColumnDef("department", "监管部门", func.coalesce(_dept_name, ""), 160),
    ),
    filters=(
        FilterDef("kind", "类型", lambda v: EntityModel.kind == v, tuple(k.value for k in EntityKind)),
        FilterDef(
            "industry",
            "行业",
            lambda v: EntityModel.industry == v,
            values_query=lambda: select(EntityModel.industry).distinct().order_by(EntityModel.industry),
        ),
        FilterDef(
            "town",
            "乡镇/片区",
            lambda v: EntityModel.town == v,
            values_query=lambda: select(EntityModel.town).distinct().order_by(EntityModel.town),
        ),
        FilterDef(
            "risk_level", "风险等级", lambda v: EntityModel.risk_level == v, tuple(r.value for r in RiskLevel)
        ),
        FilterDef(
            "credit_class",
            "信用分类",
            lambda v: EntityModel.credit_class == v,
            tuple(c.value for c in CreditClass),
        ),
        FilterDef(
            "reg_status", "登记状态", lambda v: EntityModel.reg_status == v, tuple(s.value for s in RegStatus)
        ),
        FilterDef(
            "department",
            "监管部门",
            lambda v: EntityModel.department_id.in_(select(Department.id).where(Department.name == v)),
            values_query=lambda: select(Department.name).order_by(Department.sort_order, Department.name),
        ),
        FilterDef("flags", "名录标记", _entity_flag, ENTITY_FLAGS),
    ),
    search=_entity_search,
    default_sort="name",
)


# --- 执法检查人员名录库 ---------------------------------------------------------------------------


def cert_state_expr(today: dt.date | None = None) -> ColumnElement[str]:
    """执法证状态 for display: 无执法证 / 已过期 / 将到期 / 有效 on `today`."""
    today = today or dt.date.today()
    soon = today + dt.timedelta(days=CERT_WARNING_DAYS)
    return case(
        (or_(Inspector.cert_no.is_(None), Inspector.cert_no == ""), "无执法证"),
        (Inspector.cert_valid_until.is_(None), "有效"),
        (Inspector.cert_valid_until < today, "已过期"),
        (Inspector.cert_valid_until <= soon, "将到期"),
        else_="有效",
    )


_inspector_tags = (
    select(func.group_concat(InspectorQualification.tag, "、"))
    .where(InspectorQualification.inspector_id == Inspector.id)
    .scalar_subquery()
)
_inspector_dept = select(Department.name).where(Department.id == Inspector.department_id).scalar_subquery()


def _inspector_search(term: str) -> ColumnElement[bool]:
    text = (
        Inspector.name
        + " "
        + func.coalesce(Inspector.cert_no, "")
        + " "
        + Inspector.code
        + " "
        + Inspector.phone
        + " "
        + func.coalesce(_inspector_tags, "")
    )
    return func.instr(func.upper(text), term) > 0


def _cert_filter(value: str) -> ColumnElement[bool]:
    return cert_state_expr() == value


INSPECTORS = RegistryView(
    name="inspectors",
    title="执法检查人员名录库",
    model=Inspector,
    columns=(
        ColumnDef("name", "姓名", Inspector.name, 80),
        ColumnDef("department", "部门", func.coalesce(_inspector_dept, ""), 180),
        ColumnDef("cert_no", "执法证号", func.coalesce(Inspector.cert_no, ""), 120),
        ColumnDef("cert_issuer", "发证机关", Inspector.cert_issuer, 130),
        ColumnDef("cert_valid_until", "有效期至", cast(Inspector.cert_valid_until, String), 90),
        ColumnDef("cert_state", "执法证状态", cert_state_expr(), 80),
        ColumnDef("tags", "专长/资格", func.coalesce(_inspector_tags, ""), 200),
        ColumnDef("town", "片区", Inspector.town, 70),
        ColumnDef("is_expert", "专家", case((Inspector.is_expert, "是"), else_=""), 50),
        ColumnDef("status", "状态", Inspector.status, 60),
        ColumnDef("code", "人员编号", Inspector.code, 80),
    ),
    filters=(
        FilterDef(
            "department",
            "部门",
            lambda v: Inspector.department_id.in_(select(Department.id).where(Department.name == v)),
            values_query=lambda: select(Department.name).order_by(Department.sort_order, Department.name),
        ),
        FilterDef("status", "状态", lambda v: Inspector.status == v, tuple(s.value for s in InspectorStatus)),
        FilterDef("cert_state", "执法证", _cert_filter, ("有效", "将到期", "已过期", "无执法证")),
        FilterDef(
            "tag",
            "专长/资格",
            lambda v: Inspector.id.in_(
                select(InspectorQualification.inspector_id).where(InspectorQualification.tag == v)
            ),
            values_query=lambda: (
                select(InspectorQualification.tag).distinct().order_by(InspectorQualification.tag)
            ),
        ),
        FilterDef(
            "town",
            "片区",
            lambda v: Inspector.town == v,
            values_query=lambda: select(Inspector.town).distinct().order_by(Inspector.town),
        ),
        FilterDef("is_expert", "专家", lambda v: Inspector.is_expert.is_(v == "是"), ("是", "否")),
    ),
    search=_inspector_search,
    default_sort="department",
)


# --- 随机抽查事项清单 -----------------------------------------------------------------------------

_item_dept = select(Department.name).where(Department.id == InspectionItem.department_id).scalar_subquery()


def _item_search(term: str) -> ColumnElement[bool]:
    text = (
        InspectionItem.code
        + " "
        + InspectionItem.name
        + " "
        + InspectionItem.category
        + " "
        + InspectionItem.target_desc
        + " "
        + InspectionItem.basis
        + " "
        + InspectionItem.compiler
    )
    return func.instr(func.upper(text), term) > 0


ITEMS = RegistryView(
    name="items",
    title="随机抽查事项清单",
    model=InspectionItem,
    columns=(
        ColumnDef("code", "编号", InspectionItem.code, 70),
        ColumnDef("name", "抽查事项", InspectionItem.name, 280),
        ColumnDef("category", "抽查类别", InspectionItem.category, 140),
        ColumnDef("list_kind", "清单", InspectionItem.list_kind, 50),
        ColumnDef("item_class", "事项类别", InspectionItem.item_class, 60),
        ColumnDef("target_desc", "检查对象", InspectionItem.target_desc, 180),
        ColumnDef("methods", "检查方式", InspectionItem.methods, 160),
        ColumnDef("ratio_text", "抽查比例", InspectionItem.ratio_text, 80),
        ColumnDef("frequency_text", "抽查频次", InspectionItem.frequency_text, 90),
        ColumnDef("department", "检查主体部门", func.coalesce(_item_dept, ""), 160),
        ColumnDef("compiler", "编制单位", InspectionItem.compiler, 140),
    ),
    filters=(
        FilterDef(
            "list_kind", "清单", lambda v: InspectionItem.list_kind == v, tuple(k.value for k in ItemListKind)
        ),
        FilterDef(
            "item_class",
            "事项类别",
            lambda v: InspectionItem.item_class == v,
            tuple(c.value for c in ItemClass),
        ),
        FilterDef(
            "department",
            "检查主体部门",
            lambda v: InspectionItem.department_id.in_(select(Department.id).where(Department.name == v)),
            values_query=lambda: select(Department.name).order_by(Department.sort_order, Department.name),
        ),
        FilterDef(
            "compiler",
            "编制单位",
            lambda v: InspectionItem.compiler == v,
            values_query=lambda: select(InspectionItem.compiler).distinct().order_by(InspectionItem.compiler),
        ),
        FilterDef(
            "category",
            "抽查类别",
            lambda v: InspectionItem.category == v,
            values_query=lambda: select(InspectionItem.category).distinct().order_by(InspectionItem.category),
        ),
    ),
    search=_item_search,
    default_sort="code",
)

VIEWS = {view.name: view for view in (ENTITIES, INSPECTORS, ITEMS)}

__all__ = [
    "ENTITIES",
    "INSPECTORS",
    "ITEMS",
    "VIEWS",
    "ColumnDef",
    "FilterDef",
    "RegistryQuery",
    "RegistryView",
    "and_",
    "count",
    "fetch_rows",
    "filter_values",
    "matching_ids",
]
