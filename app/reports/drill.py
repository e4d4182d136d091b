"""Drill-down: the records behind a number of a statistics table, as the GUI lists them when it is clicked.

    headers, rows = drill_down(facts, table.rows[0][5])
    ids = drill_local_ids(facts, cell)   # this PC's database ids (None for received records), to open one

A rate lists its base (denominator) records with a last column saying whether each is in the numerator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.reports.errors import ReportInputError
from app.reports.facts import DrawFact, EntityFact, Facts, object_key
from app.reports.measures import has_problem
from app.reports.model import Cell
from db.enums import ItemListKind

DEPARTMENT_LIST = ItemListKind.DEPARTMENT.value

__all__ = ["RECORD_HEADERS", "drill_down", "drill_local_ids", "drill_records"]

RECORD_HEADERS: dict[str, tuple[str, ...]] = {
    "task": (
        "任务编号",
        "任务名称",
        "牵头部门",
        "配合部门",
        "抽查事项",
        "类型",
        "开始日期",
        "结束日期",
        "任务状态",
    ),
    "object": (
        "任务编号",
        "任务名称",
        "对象名称",
        "统一社会信用代码/注册号",
        "对象类型",
        "摇号日期",
        "摇号编号",
    ),
    "inspection": (
        "任务编号",
        "对象名称",
        "统一社会信用代码/注册号",
        "检查日期",
        "检查方式",
        "检查结果",
        "发现问题",
        "后续处置",
        "处置情况",
        "登记表状态",
        "文书编号",
    ),
    "plan_row": ("部门", "年度", "序号", "抽查事项", "计划抽查数", "计划月份", "联合部门", "计划状态"),
    "item": ("编号", "抽查事项", "清单", "检查主体", "事项类别"),
    "department": ("部门", "抽查事项清单", "检查对象名录库", "执法检查人员", "其中持有效执法证"),
}


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _code(entity: EntityFact | None) -> str:
    return (entity.uscc or entity.reg_no) if entity else ""


def _drawn(facts: Facts) -> dict[str, tuple[DrawFact, str, int]]:
    """Each drawn object's key → its draw, its entity key and its place in the draw (抽中顺序)."""
    return {
        object_key(d.task_key, e): (d, e, position)
        for d in facts.draws
        for position, e in enumerate(d.entity_keys)
    }


Listed = list[tuple[tuple[Any, ...], str, tuple[str, ...], int | None]]
"""(sort order, key, row, local id) of each record."""


def _tasks(facts: Facts, keys: tuple[str, ...]) -> Listed:
    out: Listed = []
    for key in keys:
        t = facts.task_by_key[key]
        kind = ("计划外" if t.is_unplanned else "计划内") + ("、联合" if t.is_joint else "")
        row = (
            t.code,
            t.title,
            t.lead_name,
            "、".join(t.partner_names),
            "、".join(t.items),
            kind,
            _date(facts.span_of(t)[0]),
            _date(t.end_date),
            t.status,
        )
        out.append(((facts.span_of(t)[0], t.code, key), key, row, t.local_id))
    return out


def _objects(facts: Facts, keys: tuple[str, ...]) -> Listed:
    drawn = _drawn(facts)
    out: Listed = []
    for key in keys:
        draw, entity_key, position = drawn[key]
        task = facts.task_by_key[draw.task_key]
        entity = facts.entity_by_key.get(entity_key)
        row = (
            task.code,
            task.title,
            entity.name if entity else entity_key,
            _code(entity),
            entity.kind if entity else "",
            _date(draw.drawn_on),
            draw.draw_uid,
        )
        order = (draw.drawn_on, task.code, position, key)
        out.append((order, key, row, entity.local_id if entity else None))
    return out


def _inspections(facts: Facts, keys: tuple[str, ...]) -> Listed:
    out: Listed = []
    for key in keys:
        i = facts.inspection_by_key[key]
        task = facts.task_by_key[i.task_key]
        entity = facts.entity_by_key.get(i.entity_key)
        problems = "；".join(f.problem for f in i.findings if f.problem.strip())
        handling = "；".join(f.handling for f in i.findings if f.handling.strip())
        row = (
            task.code,
            entity.name if entity else i.entity_key,
            _code(entity),
            _date(i.inspection_date),
            i.method,
            i.result,
            problems or ("是" if has_problem(i) else ""),
            i.follow_up,
            handling,
            "已归档" if i.filed else "草稿",
            i.doc_no,
        )
        out.append(((i.inspection_date, task.code, key), key, row, i.local_id))
    return out


def _plan_rows(facts: Facts, keys: tuple[str, ...]) -> Listed:
    out: Listed = []
    for key in keys:
        plan, r = facts.plan_row_by_key[key]
        row = (
            plan.department_name,
            str(plan.year),
            str(r.seq),
            r.item,
            "" if r.planned_count is None else str(r.planned_count),
            f"{r.planned_month}月" if r.planned_month else "",
            r.joint_departments,
            plan.status,
        )
        out.append(((plan.year, _rank(facts, plan.department_code), r.seq), key, row, r.local_id))
    return out


def _items(facts: Facts, keys: tuple[str, ...]) -> Listed:
    out: Listed = []
    for key in keys:
        item = facts.item_by_key[key]
        dept = facts.department_by_code.get(item.department_code)
        owner = dept.name if dept else item.department_code
        row = (item.code, item.name, item.list_kind, owner, item.item_class)
        out.append(((_rank(facts, item.department_code), item.code), key, row, item.local_id))
    return out


def _departments(facts: Facts, keys: tuple[str, ...]) -> Listed:
    out: Listed = []
    for key in keys:
        d = facts.department_by_code[key]
        own = DEPARTMENT_LIST
        items = sum(1 for i in facts.items if i.department_code == d.code and i.list_kind == own)
        row = (
            d.name,
            str(items),
            str(d.entity_count),
            str(d.inspector_count),
            str(d.certified_inspector_count),
        )
        out.append(((d.sort_order, d.code), key, row, d.local_id))
    return out


_LISTERS: dict[str, Callable[[Facts, tuple[str, ...]], Listed]] = {
    "task": _tasks,
    "object": _objects,
    "inspection": _inspections,
    "plan_row": _plan_rows,
    "item": _items,
    "department": _departments,
}


def _rank(facts: Facts, department_code: str) -> tuple[int, str]:
    dept = facts.department_by_code.get(department_code)
    return (dept.sort_order if dept else 1_000_000, department_code)


def _rows_and_ids(
    facts: Facts, record: str, keys: tuple[str, ...]
) -> list[tuple[str, tuple[str, ...], int | None]]:
    """(key, row, local id) of each record, in the order a clerk reads them (by date, code, department order)."""
    lister = _LISTERS.get(record)
    if lister is None:
        raise ReportInputError(f"该数字不能展开明细（{record or '无记录'}）")
    return [
        (key, row, local_id) for _order, key, row, local_id in sorted(lister(facts, keys), key=lambda e: e[0])
    ]


def _listed(facts: Facts, cell: Cell) -> tuple[tuple[str, ...], list[tuple[tuple[str, ...], int | None]]]:
    if not cell.drillable:
        raise ReportInputError("该数字没有可展开的明细")
    headers = RECORD_HEADERS[cell.record]
    if not cell.is_rate:
        return headers, [
            (row, local_id) for _key, row, local_id in _rows_and_ids(facts, cell.record, cell.keys)
        ]
    inside = set(cell.keys)
    flagged = [
        ((*row, "是" if key in inside else "否"), local_id)
        for key, row, local_id in _rows_and_ids(facts, cell.record, cell.base)
    ]
    return (*headers, cell.flag or "计入分子"), flagged


def drill_down(facts: Facts, cell: Cell) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(column headers, one text row per record) of the records behind ``cell``; for a rate, its base records
    with a last column 是/否 for the numerator. :class:`ReportInputError` for a cell without records."""
    headers, listed = _listed(facts, cell)
    return headers, [row for row, _ in listed]


def drill_local_ids(facts: Facts, cell: Cell) -> list[int | None]:
    """This PC's database ids of the records :func:`drill_down` lists, in the same order (None for records
    received from another PC)."""
    return [local_id for _, local_id in _listed(facts, cell)[1]]


def drill_records(
    facts: Facts, cell: Cell
) -> tuple[tuple[str, ...], list[tuple[str, ...]], list[int | None]]:
    """:func:`drill_down` and :func:`drill_local_ids` in one pass (the GUI needs both; each lists the records)."""
    headers, listed = _listed(facts, cell)
    return headers, [row for row, _ in listed], [local_id for _, local_id in listed]
