"""The FACTS layer: what the statistics tables are computed from, in one shape that travels between PCs.

Every department keeps its own copy of the program on its own offline PC. Each PC collects its facts for a
period (:func:`app.reports.collect.collect_facts`); the 司法局's PC builds the county-wide tables from its own
facts merged (:func:`merge_facts`) with the facts received from every department. So facts are plain frozen
dataclasses, written as JSON (:meth:`Facts.to_json_dict`, :meth:`Facts.from_json_dict`, with a ``format``
and ``version``) and identified by keys that mean the same on every PC:

* department — its ``code`` (the name travels with it);
* item — ``部门代码/事项编号`` (:func:`item_key`);
* plan row — ``部门代码/年度/序号``;
* task — ``牵头部门代码/任务编号`` (task codes such as RW-2026-0001 are numbered per database, so the lead
  department's code makes them unique in the county);
* draw — the SJDRAW-1 ``draw_uid``;
* entity — ``统一社会信用代码（else 注册号）|名称`` (:func:`entity_key`);
* drawn object and its inspection — ``任务键|对象键`` (one object is drawn once per task);
* publication — its task's key (a task is published once).

The local database id travels only as ``local_id`` (for drill-down to the record on this PC); it is None in
facts received from another PC (:meth:`Facts.as_received`).

Which records a period's facts hold (:mod:`app.reports.collect`):

* departments, their 清单 items and registry sizes (counts only) — as they stand on the collection day
  (``as_of``);
* plans and plan rows — the plans whose 年度 is a year the period touches;
* tasks — those of the chosen departments (as 牵头 or 配合) that are active in the period
  (:func:`task_span` overlaps it) or have a draw or an inspection dated in it; with each such task, its
  finished (not voided) draw, its drawn objects, every inspection that has a 检查日期 and its publication,
  whatever their dates — the tables pick records by their own dates, as :mod:`app.reports.measures` says
  (draws by draw day, inspections by 检查日期, tasks by :func:`task_span`, 公示 with the inspections
  they publish).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Union, get_args, get_origin, get_type_hints

from app.plans.service import percent_text
from app.reports.errors import FactsFormatError
from app.reports.period import Period
from db.enums import TaskStatus

__all__ = [
    "FACTS_FORMAT",
    "FACTS_VERSION",
    "DepartmentFact",
    "DrawFact",
    "EntityFact",
    "Facts",
    "FindingFact",
    "InspectionFact",
    "ItemFact",
    "PlanFact",
    "PlanRowFact",
    "PublicationFact",
    "TaskDepartmentFact",
    "TaskFact",
    "entity_key",
    "item_key",
    "canonical",
    "merge_facts",
    "object_key",
    "task_key",
    "task_span",
]

FACTS_FORMAT = "shuangsuiji-report-facts"
FACTS_VERSION = 1
DONE_STATUSES = frozenset({TaskStatus.COMPLETED.value, TaskStatus.PUBLISHED.value})


def item_key(department_code: str, code: str) -> str:
    """``SJ/SJ-001``: an item's 编号 is unique within its department (检查主体)."""
    return f"{department_code}/{code}"


def task_key(lead_department_code: str, code: str) -> str:
    """``SJ/RW-2026-0001``."""
    return f"{lead_department_code}/{code}"


def entity_key(uscc: str | None, reg_no: str | None, name: str) -> str:
    """``91469006MA5T00001X|示范县某某公司``: the 统一社会信用代码, else the 注册号, with the name."""
    return f"{uscc or reg_no or ''}|{name}"


def object_key(task: str, entity: str) -> str:
    """A drawn object of a task, and its inspection."""
    return f"{task}|{entity}"


@dataclass(frozen=True)
class DepartmentFact:
    """A department the facts report on, with the sizes of its registries (两库) on the collection day."""

    code: str
    name: str
    short_name: str
    is_market_regulation: bool
    contact_person: str
    contact_phone: str
    sort_order: int
    entity_count: int  # 检查对象名录库: live (not archived) objects whose 监管部门 it is
    inspector_count: int  # 执法检查人员名录库: 在岗, not archived
    certified_inspector_count: int  # of those, with a 执法证 valid on the collection day
    local_id: int | None = None


@dataclass(frozen=True)
class ItemFact:
    """An item of the 随机抽查事项清单: the department's own list (部门) or the joint list (联合)."""

    key: str
    code: str
    name: str
    list_kind: str  # ItemListKind
    department_code: str  # 检查主体 / 发起部门
    item_class: str  # ItemClass
    partner_codes: tuple[str, ...] = ()  # 配合部门 of a joint item
    local_id: int | None = None


@dataclass(frozen=True)
class PlanRowFact:
    """One row of a 年度抽查计划, with the same names as :class:`app.plans.RowLine` so the plan table's
    layout (:func:`app.forms.plan_table.plan_row_cells`) prints either."""

    key: str
    seq: int
    item_key: str
    item_code: str
    item: str  # 抽查事项
    scope_text: str
    base_count: int | None
    ratio: str
    quantity: int | None
    planned_count: int | None
    content: str
    basis: str
    planned_month: int | None
    method: str
    joint_department_codes: tuple[str, ...]
    joint_departments: str  # names, joined with 、
    frequency_cap: int | None
    remarks: str
    local_id: int | None = None

    @property
    def ratio_or_quantity(self) -> str:
        """抽查比例或数量 as printed: ``5%`` or ``10户``."""
        if self.ratio:
            return percent_text(self.ratio)
        return f"{self.quantity}户" if self.quantity is not None else ""


@dataclass(frozen=True)
class PlanFact:
    """A department's 年度抽查计划 of one year."""

    department_code: str
    department_name: str
    year: int
    title: str
    status: str  # PlanStatus
    filed_on: dt.date | None
    rows: tuple[PlanRowFact, ...]
    local_id: int | None = None


@dataclass(frozen=True)
class TaskDepartmentFact:
    code: str
    name: str
    role: str  # DeptRole: 发起 / 配合


@dataclass(frozen=True)
class TaskFact:
    """抽查任务. ``departments`` lists the lead (发起) first."""

    key: str
    code: str
    title: str
    year: int
    lead_department_code: str
    departments: tuple[TaskDepartmentFact, ...]
    item_keys: tuple[str, ...]
    items: tuple[str, ...]  # item names, in the task's order
    plan_row_key: str | None
    planned_date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    is_joint: bool
    is_unplanned: bool
    status: str  # TaskStatus, on the collection day
    local_id: int | None = None

    @property
    def lead_name(self) -> str:
        return self.departments[0].name if self.departments else self.lead_department_code

    @property
    def department_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.departments)

    @property
    def partner_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.departments[1:])


@dataclass(frozen=True)
class DrawFact:
    """The finished, not voided draw of a task: its SJDRAW-1 id, day and drawn objects in draw order.
    递补 changes inspectors, never objects, so it adds nothing here."""

    draw_uid: str
    task_key: str
    attempt_no: int
    drawn_on: dt.date  # local date the draw finished
    entity_keys: tuple[str, ...]
    local_id: int | None = None


@dataclass(frozen=True)
class EntityFact:
    """A drawn 检查对象 (only drawn ones travel; the registry's size is a count in DepartmentFact)."""

    key: str
    uscc: str
    reg_no: str
    name: str
    kind: str
    local_id: int | None = None


@dataclass(frozen=True)
class FindingFact:
    """A checklist row of the form on which something was written in 发现问题 or 处置情况."""

    seq: int
    content: str
    problem: str
    handling: str


@dataclass(frozen=True)
class InspectionFact:
    """The 执法检查登记表 of one drawn object (only forms with a 检查日期 are collected)."""

    task_key: str
    entity_key: str
    inspection_date: dt.date
    method: str
    result: str  # InspectionResult
    follow_up: str  # FollowUp
    follow_up_note: str
    filed: bool  # 已归档
    doc_no: str
    findings: tuple[FindingFact, ...] = ()
    local_id: int | None = None

    @property
    def key(self) -> str:
        return object_key(self.task_key, self.entity_key)


@dataclass(frozen=True)
class PublicationFact:
    """公示 of a task's results."""

    task_key: str
    published_on: dt.date
    deadline: dt.date | None
    channel: str
    local_id: int | None = None

    @property
    def on_time(self) -> bool:
        """Published on or before the deadline (a publication without a deadline counts as on time)."""
        return self.deadline is None or self.published_on <= self.deadline


def task_span(task: TaskFact, drawn_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """The days a task is active, for "tasks in the period".

    From the earlier of its draw day and 开始日期 (else its planned date, else 1 January of its year);
    to its 结束日期 once it is 已完成/已公示, else to 31 December of its year (an open task stays in every
    period of its year after it began).
    """
    known = [d for d in (drawn_on, task.start_date) if d is not None]
    first = min(known) if known else (task.planned_date or dt.date(task.year, 1, 1))
    if task.status in DONE_STATUSES and task.end_date is not None:
        last = task.end_date
    else:
        last = dt.date(task.year, 12, 31)
    return first, max(first, last)


@dataclass(frozen=True)
class Facts:
    """Everything the tables need for one period, from one PC (or merged from several)."""

    period: Period
    as_of: dt.date  # collection day: statuses, registry sizes and publications are as of this day
    source: str  # the 单位 that collected them (the bureau-name setting)
    departments: tuple[DepartmentFact, ...] = ()
    items: tuple[ItemFact, ...] = ()
    plans: tuple[PlanFact, ...] = ()
    tasks: tuple[TaskFact, ...] = ()
    draws: tuple[DrawFact, ...] = ()
    entities: tuple[EntityFact, ...] = ()
    inspections: tuple[InspectionFact, ...] = ()
    publications: tuple[PublicationFact, ...] = ()
    format: str = field(default=FACTS_FORMAT)
    version: int = field(default=FACTS_VERSION)

    # Look-ups, built on first use (not fields: equality and JSON ignore them).
    @cached_property
    def department_by_code(self) -> dict[str, DepartmentFact]:
        return {d.code: d for d in self.departments}

    @cached_property
    def task_by_key(self) -> dict[str, TaskFact]:
        return {t.key: t for t in self.tasks}

    @cached_property
    def draw_by_task(self) -> dict[str, DrawFact]:
        return {d.task_key: d for d in self.draws}

    @cached_property
    def entity_by_key(self) -> dict[str, EntityFact]:
        return {e.key: e for e in self.entities}

    @cached_property
    def item_by_key(self) -> dict[str, ItemFact]:
        return {i.key: i for i in self.items}

    @cached_property
    def inspection_by_key(self) -> dict[str, InspectionFact]:
        return {i.key: i for i in self.inspections}

    @cached_property
    def publication_by_task(self) -> dict[str, PublicationFact]:
        return {p.task_key: p for p in self.publications}

    @cached_property
    def plan_row_by_key(self) -> dict[str, tuple[PlanFact, PlanRowFact]]:
        return {r.key: (p, r) for p in self.plans for r in p.rows}

    def span_of(self, task: TaskFact) -> tuple[dt.date, dt.date]:
        """:func:`task_span` of one of these tasks."""
        draw = self.draw_by_task.get(task.key)
        return task_span(task, draw.drawn_on if draw else None)

    def to_json_dict(self, *, local_ids: bool = True) -> dict[str, Any]:
        """Plain JSON values (dates as ISO text); ``local_ids=False`` leaves out this PC's database ids."""
        data = _encode(self, local_ids)
        assert isinstance(data, dict)
        return data

    @classmethod
    def from_json_dict(cls, data: object) -> Facts:
        """Read facts written by :meth:`to_json_dict` (on this PC or another); :class:`FactsFormatError`
        names what is wrong when the data is of another format or version, or damaged."""
        if not isinstance(data, dict):
            raise FactsFormatError("统计数据格式不正确：应为 JSON 对象")
        if data.get("format") != FACTS_FORMAT:
            raise FactsFormatError(f"不是本程序的统计数据（格式标识为 {data.get('format')!r}）")
        if data.get("version") != FACTS_VERSION:
            raise FactsFormatError(
                f"统计数据的版本（{data.get('version')!r}）不受本程序支持（支持版本 {FACTS_VERSION}），"
                "请将两台电脑的程序升级到同一版本"
            )
        facts = _decode(cls, data, "facts")
        assert isinstance(facts, Facts)
        return facts

    def as_received(self) -> Facts:
        """The same facts without this PC's database ids, as another PC will read them."""
        return Facts.from_json_dict(self.to_json_dict(local_ids=False))


def _dedupe(records: Iterable[Any], key: Any) -> tuple[Any, ...]:
    """Later records replace earlier ones with the same key; first-seen order is kept."""
    out: dict[Any, Any] = {}
    for record in records:
        out[key(record)] = record
    return tuple(out.values())


def canonical(facts: Facts) -> Facts:
    """The same facts in the one order every PC uses, so that equal facts compare equal."""
    order: dict[str, int] = {}
    for draw in facts.draws:
        for index, entity in enumerate(draw.entity_keys):
            order[object_key(draw.task_key, entity)] = index
    return dataclasses.replace(
        facts,
        departments=tuple(sorted(facts.departments, key=lambda d: (d.sort_order, d.code))),
        items=tuple(sorted(facts.items, key=lambda i: i.key)),
        plans=tuple(sorted(facts.plans, key=lambda p: (p.year, p.department_code))),
        tasks=tuple(sorted(facts.tasks, key=lambda t: (t.year, t.code, t.key))),
        draws=tuple(sorted(facts.draws, key=lambda d: d.task_key)),
        entities=tuple(sorted(facts.entities, key=lambda e: e.key)),
        inspections=tuple(
            sorted(facts.inspections, key=lambda i: (i.task_key, order.get(i.key, len(order)), i.entity_key))
        ),
        publications=tuple(sorted(facts.publications, key=lambda p: p.task_key)),
    )


def merge_facts(*facts: Facts) -> Facts:
    """Facts of several PCs as one (e.g. the 司法局's own and every received package's), for the county
    tables. A record present in more than one (a joint task reported by its lead and a partner, a package
    received twice) is kept once: the later argument's copy wins. All must cover the same period."""
    if not facts:
        raise FactsFormatError("没有可合并的统计数据")
    period = facts[0].period
    for other in facts[1:]:
        if (other.period.start, other.period.end) != (period.start, period.end):
            raise FactsFormatError(
                f"统计期间不一致，不能合并：{period.span_text} 与 {other.period.span_text}"
            )

    def joined(name: str) -> list[Any]:
        return [record for f in facts for record in getattr(f, name)]

    return canonical(
        Facts(
            period=period,
            as_of=max(f.as_of for f in facts),
            source=facts[0].source,
            departments=_dedupe(joined("departments"), lambda d: d.code),
            items=_dedupe(joined("items"), lambda i: i.key),
            plans=_dedupe(joined("plans"), lambda p: (p.department_code, p.year)),
            tasks=_dedupe(joined("tasks"), lambda t: t.key),
            draws=_dedupe(joined("draws"), lambda d: d.task_key),
            entities=_dedupe(joined("entities"), lambda e: e.key),
            inspections=_dedupe(joined("inspections"), lambda i: i.key),
            publications=_dedupe(joined("publications"), lambda p: p.task_key),
        )
    )


# --- JSON codec: dataclasses ↔ plain values, driven by the type hints above --------------------------------

_NONE = type(None)
_hints: dict[type, dict[str, Any]] = {}


def _type_hints(cls: type) -> dict[str, Any]:
    if cls not in _hints:
        _hints[cls] = get_type_hints(cls)
    return _hints[cls]


def _encode(value: Any, local_ids: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Period):
            return value.to_json_dict()
        return {
            f.name: _encode(getattr(value, f.name), local_ids)
            for f in dataclasses.fields(value)
            if local_ids or f.name != "local_id"
        }
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(v, local_ids) for v in value]
    return value


def _decode(tp: Any, raw: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if raw is None and _NONE in args:
            return None
        (inner,) = [a for a in args if a is not _NONE]
        return _decode(inner, raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise FactsFormatError(f"统计数据已损坏：{where} 应为列表")
        (inner, _ellipsis) = get_args(tp)
        return tuple(_decode(inner, v, f"{where}[{i}]") for i, v in enumerate(raw))
    if tp is Period:
        if not isinstance(raw, dict):
            raise FactsFormatError(f"统计数据已损坏：{where} 应为对象")
        return Period.from_json_dict(raw)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(raw, dict):
            raise FactsFormatError(f"统计数据已损坏：{where} 应为对象")
        hints = _type_hints(tp)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(tp):
            if f.name in raw:
                kwargs[f.name] = _decode(hints[f.name], raw[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise FactsFormatError(f"统计数据已损坏：缺少 {where}.{f.name}")
        return tp(**kwargs)
    if tp is dt.date:
        try:
            return dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise FactsFormatError(f"统计数据已损坏：{where} 不是日期（{raw!r}）") from None
    if tp is bool:
        if not isinstance(raw, bool):
            raise FactsFormatError(f"统计数据已损坏：{where} 应为是/否（{raw!r}）")
        return raw
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise FactsFormatError(f"统计数据已损坏：{where} 应为整数（{raw!r}）")
        return raw
    if tp is str:
        if not isinstance(raw, str):
            raise FactsFormatError(f"统计数据已损坏：{where} 应为文字（{raw!r}）")
        return raw
    raise FactsFormatError(f"统计数据已损坏：{where} 的类型无法识别")  # pragma: no cover - schema bug
