"""What the statistics tables count, defined once: for a set of departments and a period, the keys of the
records behind each figure (:class:`Work`). A table's department row is ``work(facts, {code})``; its totals
row is ``work(facts, every code of the table)``, so a record shared by two departments (a joint task in the
参与联合抽查 column) is counted once in the totals and rates are recomputed from the summed keys.

Attribution: a task and everything under it (drawn objects, inspections, publication) count for its lead
department (牵头/发起部门) only — as the county forms ask (“联合抽查由发起部门统计”); the 参与联合抽查 column
counts joint tasks for the lead and every partner.

Dates (both ends of the period included):

* 清单事项, 名录库 sizes — as on the collection day (registries have no period);
* 年度计划任务数 / 计划抽查数 — the rows of the plans whose 年度 the period touches (a plan is annual);
* 开展任务数, 参与联合抽查 — tasks active in the period (:func:`app.reports.facts.task_span`);
* 已完成任务数 — tasks 已完成/已公示 whose 结束日期 is in the period;
* 抽取对象数 — objects of finished, not voided draws whose draw day is in the period (递补 adds none);
* 已检查对象数, 发现问题, 已处置 — filed (已归档) 执法检查登记表 whose 检查日期 is in the period;
* 公示 — of those inspected objects, the ones whose task's results have been published by the collection
  day (whatever the 公示 date: June's inspections published in July count for the first half-year).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

from app.inspections.lifecycle import NOTHING_FOUND
from app.reports.facts import DONE_STATUSES, Facts, InspectionFact, PlanFact, TaskFact, object_key
from db.enums import FollowUp, InspectionResult, ItemListKind

__all__ = [
    "HANDLED_FOLLOW_UPS",
    "PROBLEM_RESULTS",
    "ProgressCharts",
    "Work",
    "has_problem",
    "is_handled",
    "monthly_progress",
    "plans_of",
    "progress_charts",
    "results_by_category",
    "tasks_in_period",
    "work",
]

PROBLEM_RESULTS = frozenset(
    {
        InspectionResult.NOT_DISCLOSED.value,
        InspectionResult.FALSE_DISCLOSURE.value,
        InspectionResult.UNREACHABLE.value,
        InspectionResult.CORRECTED.value,
        InspectionResult.PENDING_FOLLOW_UP.value,
        InspectionResult.NON_COOPERATIVE.value,
    }
)
"""检查结果 that mean a problem was found (the others: 未发现问题, no activity, closed, 注销/吊销/迁出)."""
HANDLED_FOLLOW_UPS = frozenset(f.value for f in FollowUp if f is not FollowUp.NONE)
"""后续处置 that are a disposal: 责令改正, 立案查处, 移送, 抄告相关部门, 列入经营异常名录."""


def has_problem(inspection: InspectionFact) -> bool:
    """发现问题: the result is one of :data:`PROBLEM_RESULTS`, or a checklist row names a problem."""
    if inspection.result in PROBLEM_RESULTS:
        return True
    return any(f.problem.strip() not in NOTHING_FOUND | {""} for f in inspection.findings)


def is_handled(inspection: InspectionFact) -> bool:
    """已处置: a problem object with a disposal as 后续处置, or the result 发现问题已责令改正."""
    return inspection.follow_up in HANDLED_FOLLOW_UPS or (
        inspection.result == InspectionResult.CORRECTED.value
    )


@dataclass
class Work:
    """The keys behind each figure of a set of departments in the period."""

    items: set[str] = field(default_factory=set)  # 清单事项 (own 部门 list)
    plan_rows: set[str] = field(default_factory=set)  # 年度计划行
    planned_objects: int = 0  # Σ 计划抽查数 of those rows
    tasks: set[str] = field(default_factory=set)  # led, active in the period
    joint_tasks: set[str] = field(default_factory=set)  # joint, led or partnered, active in the period
    done_tasks: set[str] = field(default_factory=set)  # led, finished in the period
    drawn: set[str] = field(default_factory=set)  # object keys, drawn in the period
    inspected: set[str] = field(default_factory=set)  # object keys, filed inspection dated in the period
    problems: set[str] = field(default_factory=set)
    handled: set[str] = field(default_factory=set)
    published: set[str] = field(default_factory=set)  # inspected objects whose task is published
    on_time: set[str] = field(default_factory=set)  # … published by the deadline
    published_tasks: set[str] = field(default_factory=set)  # the tasks of the published objects


def plans_of(facts: Facts, codes: Collection[str]) -> list[PlanFact]:
    """The plans of those departments (the years the period touches), by year and department order."""
    order = {d.code: (d.sort_order, d.code) for d in facts.departments}
    chosen = [p for p in facts.plans if p.department_code in codes]
    return sorted(chosen, key=lambda p: (p.year, order.get(p.department_code, (0, p.department_code))))


def tasks_in_period(facts: Facts) -> list[TaskFact]:
    """The tasks active in the period (their span overlaps it)."""
    return [t for t in facts.tasks if facts.period.overlaps(*facts.span_of(t))]


def work(facts: Facts, codes: Collection[str]) -> Work:
    """Every figure of the departments ``codes`` (see the module docstring for dates and attribution)."""
    period = facts.period
    out = Work()
    out.items = {
        i.key
        for i in facts.items
        if i.department_code in codes and i.list_kind == ItemListKind.DEPARTMENT.value
    }
    for plan in plans_of(facts, codes):
        for row in plan.rows:
            out.plan_rows.add(row.key)
            out.planned_objects += row.planned_count or 0
    active = {t.key for t in tasks_in_period(facts)}
    for task in facts.tasks:
        led = task.lead_department_code in codes
        if task.key in active:
            if led:
                out.tasks.add(task.key)
            if task.is_joint and set(task.department_codes) & set(codes):
                out.joint_tasks.add(task.key)
        if led and task.status in DONE_STATUSES and period.contains(task.end_date):
            out.done_tasks.add(task.key)
    led_tasks = {t.key for t in facts.tasks if t.lead_department_code in codes}
    for draw in facts.draws:
        if draw.task_key in led_tasks and period.contains(draw.drawn_on):
            out.drawn.update(object_key(draw.task_key, e) for e in draw.entity_keys)
    for inspection in facts.inspections:
        if inspection.task_key not in led_tasks:
            continue
        if not (inspection.filed and period.contains(inspection.inspection_date)):
            continue
        key = inspection.key
        out.inspected.add(key)
        if has_problem(inspection):
            out.problems.add(key)
            if is_handled(inspection):
                out.handled.add(key)
        publication = facts.publication_by_task.get(inspection.task_key)
        if publication is not None and publication.published_on <= facts.as_of:
            out.published.add(key)
            out.published_tasks.add(inspection.task_key)
            if publication.on_time:
                out.on_time.add(key)
    return out


def monthly_progress(facts: Facts, codes: Collection[str]) -> list[tuple[str, int, int]]:
    """(month label, objects drawn, objects inspected) for every month of the period, as :func:`work`
    counts them."""
    totals = work(facts, codes)
    months = facts.period.months()
    multi_year = facts.period.start.year != facts.period.end.year
    drawn = dict.fromkeys(months, 0)
    inspected = dict.fromkeys(months, 0)
    draw_days = {object_key(d.task_key, e): d.drawn_on for d in facts.draws for e in d.entity_keys}
    for key in totals.drawn:
        day = draw_days[key]
        drawn[(day.year, day.month)] += 1
    for key in totals.inspected:
        day = facts.inspection_by_key[key].inspection_date
        inspected[(day.year, day.month)] += 1
    return [
        (f"{y % 100:02d}年{m}月" if multi_year else f"{m}月", drawn[(y, m)], inspected[(y, m)])
        for y, m in months
    ]


def results_by_category(facts: Facts, codes: Collection[str]) -> list[tuple[str, int]]:
    """(检查结果, objects) of the filed inspections in the period, national categories in their order, only
    those that occur."""
    counts: dict[str, int] = {}
    for key in work(facts, codes).inspected:
        result = facts.inspection_by_key[key].result or "（未填写）"
        counts[result] = counts.get(result, 0) + 1
    order = [r.value for r in InspectionResult]
    return sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def axis_step(top: int) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving about five gridlines up to ``top``."""
    raw = max(top / 5, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def axis_scale(top: int) -> tuple[int, int]:
    """(step, axis maximum) of a chart's value axis up to ``top``: the maximum one step above it. The same on
    the 统计上报 page's charts and in the PDF."""
    step = axis_step(top)
    return step, (top // step + 1) * step


@dataclass(frozen=True)
class ProgressCharts:
    """What the charts of the 进展情况 PDF show: objects drawn and inspected by month, results by category."""

    monthly: tuple[tuple[str, int, int], ...]
    results: tuple[tuple[str, int], ...]


def progress_charts(facts: Facts, codes: Collection[str] | None = None) -> ProgressCharts:
    """The chart data of the chosen departments (default: all in the facts), counted as :func:`work`."""
    chosen = [d.code for d in facts.departments] if codes is None else list(codes)
    return ProgressCharts(tuple(monthly_progress(facts, chosen)), tuple(results_by_category(facts, chosen)))
