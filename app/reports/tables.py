"""The five statistics tables of the county documents, computed from :class:`~app.reports.facts.Facts` (this
PC's, or several PCs' merged) as neutral :class:`~app.reports.model.StatTable` values.

    facts = collect_facts(session, Period.half(2026, 1))
    for table in all_tables(facts):            # or progress_table(facts, ["SJ", "WJ"]) …
        write_table_xlsx(table, folder / f"{table.title}.xlsx")

Which date puts a record in the period, and which department a record counts for, is defined once in
:mod:`app.reports.measures` and printed in each table's 填表说明.

Tables and their columns:

* 《XX年度行政执法检查计划表》 — the plan rows of the chosen departments' plans of the year(s), in the
  layout of :mod:`app.forms.plan_table` (one department: exactly that layout; several: a 部门 column after
  序号, 序号 running through the county). Totals: 计划抽查数.
* 《市直部门XX年度随机抽查工作进展情况统计表》 — per department: 抽查事项数; 抽查任务 (年度计划任务数, 开展
  任务数, 参与联合抽查, 已完成); 检查对象 (计划抽查数, 抽取数, 已检查数, 发现问题数, 已处置数); 结果公示
  (公示任务数, 公示对象数, 公示率 = 公示对象 ÷ 已检查对象, 按时公示率 = 期限内公示的对象 ÷ 公示对象).
* 《XX年度联合检查工作进展情况统计表》 — per joint task active in the period: 任务编号, 任务名称, 抽查事项,
  牵头部门, 配合部门, 部门数, 抽查对象数, 已检查数, “一次多查”减少的检查次数 = 抽查对象数 × (部门数 − 1)
  (each department visiting alone would make 部门数 visits per object; together they make one), 任务状态.
* 《XX年度非市场监管领域抽查工作计划表》 — the plan table of the departments not marked 市场监管领域, always
  with the 部门 column.
* 《XX年度市直部门非市场监管领域推行“双随机、一公开”情况统计表》 — no source fixes its columns; chosen for
  what a 司法局 checks when it reviews 推行情况 (has each department built 两库一单, filed a plan, done the
  draws, inspections and 公示):

  - “两库一单”建设情况: 抽查事项清单（项）, 检查对象名录库（户）, 执法检查人员（人）, 其中持有效执法证（人）
    — the size of each list is the first question of a review, and a roster without valid 执法证 cannot
    inspect; 是否建立“两库一单” (是 when all three lists are non-empty);
  - 年度抽查计划: 计划状态 (未制定/草稿/已报审/已审核备案 — 备案 with the 司法局 is what it supervises),
    计划任务数, 计划抽查数;
  - 抽查实施情况: 开展任务数, 参与联合抽查, 已完成任务数, 抽取对象数, 已检查对象数, 发现问题数 — whether the
    plan is being carried out and joint inspection (一次多查) is practised;
  - 结果公示: 公示对象数, 公示率 — the “一公开” half.

  The 合计 row counts departments in the two yes/no-like columns (已建立 两库一单; plan 已审核备案).
"""

from __future__ import annotations

from collections.abc import Collection

from app.reports.errors import ReportInputError
from app.reports.facts import DepartmentFact, Facts, object_key
from app.reports.measures import PROBLEM_RESULTS, Work, tasks_in_period, work
from app.reports.model import (
    COUNT,
    RATE,
    TEXT,
    Cell,
    Column,
    StatTable,
    count_cell,
    rate_cell,
    sum_cell,
    text_cell,
)
from app.reports.plan_tables import non_market_plan_table, plan_table
from app.reports.table_parts import DEPT_COLUMN, Group, chosen, headers_of, period_note, unit_and_contact
from db.enums import FollowUp, PlanStatus

__all__ = [
    "TABLE_KINDS",
    "all_tables",
    "build_table",
    "joint_table",
    "non_market_plan_table",
    "non_market_table",
    "plan_table",
    "progress_table",
]

NO_PLAN = "未制定"


# --- 进展情况统计表 ---------------------------------------------------------------------------------------

PROGRESS_SPEC: tuple[Column | Group, ...] = (
    Column("序号", 5),
    DEPT_COLUMN,
    Column("抽查事项数（项）", 8, COUNT),
    (
        "抽查任务（个）",
        (
            Column("年度计划任务数", 8, COUNT),
            Column("开展任务数", 8, COUNT),
            Column("参与联合抽查", 8, COUNT),
            Column("已完成", 8, COUNT),
        ),
    ),
    (
        "检查对象（户）",
        (
            Column("计划抽查数", 8, COUNT),
            Column("抽取数", 8, COUNT),
            Column("已检查数", 8, COUNT),
            Column("发现问题数", 8, COUNT),
            Column("已处置数", 8, COUNT),
        ),
    ),
    (
        "结果公示",
        (
            Column("公示任务数（个）", 8, COUNT),
            Column("公示对象数（户）", 8, COUNT),
            Column("公示率", 8, RATE),
            Column("按时公示率", 8, RATE),
        ),
    ),
)


def _progress_cells(w: Work, bold: bool = False) -> list[Cell]:
    return [
        count_cell("item", w.items, bold=bold),
        count_cell("plan_row", w.plan_rows, bold=bold),
        count_cell("task", w.tasks, bold=bold),
        count_cell("task", w.joint_tasks, bold=bold),
        count_cell("task", w.done_tasks, bold=bold),
        sum_cell("plan_row", w.plan_rows, w.planned_objects, bold=bold),
        count_cell("object", w.drawn, bold=bold),
        count_cell("inspection", w.inspected, bold=bold),
        count_cell("inspection", w.problems, bold=bold),
        count_cell("inspection", w.handled, bold=bold),
        count_cell("task", w.published_tasks, bold=bold),
        count_cell("inspection", w.published, bold=bold),
        rate_cell("inspection", w.published, w.inspected, "已公示", bold=bold),
        rate_cell("inspection", w.on_time, w.published, "按时公示", bold=bold),
    ]


def _work_notes(facts: Facts) -> list[str]:
    problems = "、".join(sorted(PROBLEM_RESULTS, key=len))
    disposals = "、".join(f.value for f in FollowUp if f is not FollowUp.NONE)
    return [
        period_note(facts),
        "抽查事项数：本部门随机抽查事项清单（不含部门联合抽查事项清单）中的事项数，按填报日的清单统计。",
        "年度计划任务数、计划抽查数：统计期间所在年度抽查计划的计划行数及其“计划抽查数”之和（计划按年度统计）。",
        "开展任务数：本部门牵头、在统计期间内开展的抽查任务（含计划外任务）。任务自摇号日（或开始日期）起至结束日期止"
        "为开展期间，尚未完成的任务延续至当年年末。参与联合抽查：本部门牵头或配合的联合抽查任务，合计行按任务去重。",
        "已完成：结束日期在统计期间内、状态为已完成或已公示的牵头任务。",
        "抽取数：摇号日期在统计期间内的有效摇号（不含已作废的摇号；递补只更换检查人员，不增加对象）抽中的检查对象数。",
        f"已检查数：检查日期在统计期间内且已归档的执法检查登记表数。发现问题数：检查结果为{problems}，"
        "或任一检查内容填写了发现问题的对象数。已处置数：其中后续处置为"
        f"{disposals}，或检查结果为“发现问题已责令改正”的对象数。",
        "公示任务数、公示对象数：已检查对象中，截至填报日所属任务已登记结果公示的对象及其任务（不论公示日期是否在统计期间内）。"
        "公示率＝公示对象数÷已检查数；按时公示率＝在公示期限内公示的对象数÷公示对象数；保留一位小数，合计行按合计数重新计算。",
        "联合抽查任务及其抽取、检查、公示均计入牵头（发起）部门，配合部门只计入“参与联合抽查”。",
    ]


def progress_table(facts: Facts, department_codes: Collection[str] | None = None) -> StatTable:
    """《市直部门XX年度随机抽查工作进展情况统计表》: one row per department and a totals row."""
    departments = chosen(facts, department_codes)
    rows, headers, columns = headers_of(PROGRESS_SPEC)
    body = [
        (Cell(n), text_cell(d.name), *_progress_cells(work(facts, {d.code})))
        for n, d in enumerate(departments, start=1)
    ]
    every = work(facts, {d.code for d in departments})
    totals = (text_cell("合计", bold=True), text_cell(""), *_progress_cells(every, bold=True))
    unit, contact = unit_and_contact(facts, departments)
    return StatTable(
        kind="progress",
        title=f"市直部门{facts.period.title_year}年度随机抽查工作进展情况统计表",
        period=facts.period,
        unit=unit,
        contact=contact,
        header_rows=rows,
        headers=headers,
        columns=columns,
        rows=tuple(body),
        totals=totals,
        notes=tuple(_work_notes(facts)),
        sheet_name="进展情况统计表",
    )


# --- 联合检查工作进展情况统计表 -----------------------------------------------------------------------------

JOINT_SPEC: tuple[Column | Group, ...] = (
    Column("序号", 5),
    Column("任务编号", 15),
    Column("任务名称", 24, TEXT, "left"),
    Column("抽查事项", 24, TEXT, "left"),
    (
        "参与部门",
        (
            Column("牵头部门", 18, TEXT, "left"),
            Column("配合部门", 22, TEXT, "left"),
            Column("部门数", 6, COUNT),
        ),
    ),
    ("检查对象（户）", (Column("抽查对象数", 8, COUNT), Column("已检查数", 8, COUNT))),
    Column("“一次多查”减少的检查次数（次）", 11, COUNT),
    Column("任务状态", 8),
)


def joint_table(facts: Facts, department_codes: Collection[str] | None = None) -> StatTable:
    """《XX年度联合检查工作进展情况统计表》: the joint tasks active in the period in which one of the chosen
    departments leads or partners; visits saved = objects × (departments − 1)."""
    departments = chosen(facts, department_codes)
    codes = {d.code for d in departments}
    tasks = [t for t in tasks_in_period(facts) if t.is_joint and set(t.department_codes) & codes]
    tasks.sort(key=lambda t: (facts.span_of(t)[0], t.key))
    end = facts.period.end
    rows, headers, columns = headers_of(JOINT_SPEC)
    body: list[tuple[Cell, ...]] = []
    all_drawn: set[str] = set()
    all_inspected: set[str] = set()
    saved_total = 0
    for n, task in enumerate(tasks, start=1):
        draw = facts.draw_by_task.get(task.key)
        drawn = (
            {object_key(task.key, e) for e in draw.entity_keys}
            if draw is not None and draw.drawn_on <= end
            else set()
        )
        inspected = {
            i.key
            for i in facts.inspections
            if i.task_key == task.key and i.filed and i.inspection_date <= end and i.key in drawn
        }
        saved = len(drawn) * (len(task.departments) - 1)
        saved_total += saved
        all_drawn |= drawn
        all_inspected |= inspected
        body.append(
            (
                Cell(n),
                text_cell(task.code),
                Cell(task.title, "task", (task.key,)),
                text_cell("、".join(task.items)),
                text_cell(task.lead_name),
                text_cell("、".join(task.partner_names)),
                Cell(len(task.departments)),
                count_cell("object", drawn),
                count_cell("inspection", inspected),
                sum_cell("object", drawn, saved),
                text_cell(task.status),
            )
        )
    totals = (
        text_cell("合计", bold=True),
        text_cell(""),
        Cell(f"共{len(tasks)}个任务", "task", tuple(sorted(t.key for t in tasks)), bold=True),
        text_cell(""),
        text_cell(""),
        text_cell(""),
        text_cell(""),
        count_cell("object", all_drawn, bold=True),
        count_cell("inspection", all_inspected, bold=True),
        sum_cell("object", all_drawn, saved_total, bold=True),
        text_cell(""),
    )
    notes = [
        period_note(facts),
        "本表列出统计期间内开展的联合抽查任务（开展期间的口径同《随机抽查工作进展情况统计表》），所选部门为牵头或配合部门。",
        "抽查对象数：该任务有效摇号抽中的检查对象数；已检查数：其中检查日期不晚于统计期末且已归档的执法检查登记表数。",
        "“一次多查”减少的检查次数＝抽查对象数×（部门数－1）：各部门分别检查时每个对象要接受“部门数”次检查，联合检查只需一次。",
        "任务状态为填报日的状态。",
    ]
    unit, contact = unit_and_contact(facts, departments)
    return StatTable(
        kind="joint",
        title=f"{facts.period.title_year}年度联合检查工作进展情况统计表",
        period=facts.period,
        unit=unit,
        contact=contact,
        header_rows=rows,
        headers=headers,
        columns=columns,
        rows=tuple(body),
        totals=totals,
        notes=tuple(notes),
        sheet_name="联合检查统计表",
        empty_text="（统计期间内没有联合抽查任务）",
    )


# --- 非市场监管领域推行情况统计表 ------------------------------------------------------------------------

NON_MARKET_SPEC: tuple[Column | Group, ...] = (
    Column("序号", 5),
    DEPT_COLUMN,
    (
        "“两库一单”建设情况",
        (
            Column("抽查事项清单（项）", 8, COUNT),
            Column("检查对象名录库（户）", 9, COUNT),
            Column("执法检查人员（人）", 8, COUNT),
            Column("其中持有效执法证（人）", 8, COUNT),
            Column("是否建立“两库一单”", 8),
        ),
    ),
    (
        "年度抽查计划",
        (Column("计划状态", 10), Column("计划任务数（个）", 8, COUNT), Column("计划抽查数（户）", 8, COUNT)),
    ),
    (
        "抽查实施情况",
        (
            Column("开展任务数（个）", 8, COUNT),
            Column("参与联合抽查（个）", 8, COUNT),
            Column("已完成任务数（个）", 8, COUNT),
            Column("抽取对象数（户）", 8, COUNT),
            Column("已检查对象数（户）", 8, COUNT),
            Column("发现问题数（户）", 8, COUNT),
        ),
    ),
    ("结果公示", (Column("公示对象数（户）", 8, COUNT), Column("公示率", 8, RATE))),
)


def _has_registries(facts: Facts, dept: DepartmentFact, w: Work) -> bool:
    return bool(w.items) and dept.entity_count > 0 and dept.inspector_count > 0


def non_market_table(facts: Facts, department_codes: Collection[str] | None = None) -> StatTable:
    """《XX年度市直部门非市场监管领域推行“双随机、一公开”情况统计表》 (columns chosen: see the module
    docstring)."""
    departments = chosen(facts, department_codes, non_market=True)
    rows, headers, columns = headers_of(NON_MARKET_SPEC)
    status_of = {(p.department_code, p.year): p.status for p in facts.plans}
    years = list(facts.period.years)
    body: list[tuple[Cell, ...]] = []
    built: set[str] = set()
    filed: set[str] = set()
    for n, dept in enumerate(departments, start=1):
        w = work(facts, {dept.code})
        states = [status_of.get((dept.code, y), NO_PLAN) for y in years]
        if all(s == PlanStatus.FILED.value for s in states):
            filed.add(dept.code)
        has = _has_registries(facts, dept, w)
        if has:
            built.add(dept.code)
        body.append(
            (
                Cell(n),
                text_cell(dept.name),
                count_cell("item", w.items),
                Cell(dept.entity_count),
                Cell(dept.inspector_count),
                Cell(dept.certified_inspector_count),
                text_cell("是" if has else "否"),
                text_cell("／".join(dict.fromkeys(states))),
                count_cell("plan_row", w.plan_rows),
                sum_cell("plan_row", w.plan_rows, w.planned_objects),
                count_cell("task", w.tasks),
                count_cell("task", w.joint_tasks),
                count_cell("task", w.done_tasks),
                count_cell("object", w.drawn),
                count_cell("inspection", w.inspected),
                count_cell("inspection", w.problems),
                count_cell("inspection", w.published),
                rate_cell("inspection", w.published, w.inspected, "已公示"),
            )
        )
    every = work(facts, {d.code for d in departments})
    totals = (
        text_cell("合计", bold=True),
        text_cell(""),
        count_cell("item", every.items, bold=True),
        Cell(sum(d.entity_count for d in departments), bold=True),
        Cell(sum(d.inspector_count for d in departments), bold=True),
        Cell(sum(d.certified_inspector_count for d in departments), bold=True),
        count_cell("department", built, bold=True),
        count_cell("department", filed, bold=True),
        count_cell("plan_row", every.plan_rows, bold=True),
        sum_cell("plan_row", every.plan_rows, every.planned_objects, bold=True),
        count_cell("task", every.tasks, bold=True),
        count_cell("task", every.joint_tasks, bold=True),
        count_cell("task", every.done_tasks, bold=True),
        count_cell("object", every.drawn, bold=True),
        count_cell("inspection", every.inspected, bold=True),
        count_cell("inspection", every.problems, bold=True),
        count_cell("inspection", every.published, bold=True),
        rate_cell("inspection", every.published, every.inspected, "已公示", bold=True),
    )
    notes = [
        period_note(facts),
        "本表统计未标记为市场监管领域的部门（在“部门”设置中标记）。",
        "“两库一单”按填报日统计：抽查事项清单为本部门随机抽查事项清单的事项数；检查对象名录库为监管部门是本部门的未归档"
        "检查对象数；执法检查人员为在岗且未归档的人数，其中持有效执法证指已填写执法证号且有效期至不早于填报日。"
        "三者均不为零为已建立“两库一单”。",
        "计划状态：统计期间所在年度抽查计划的状态（未制定、草稿、已报审、已审核备案）；计划任务数、计划抽查数为该计划的计划行数"
        "及“计划抽查数”之和。",
        "抽查实施情况、结果公示各列的口径同《市直部门随机抽查工作进展情况统计表》；公示率＝公示对象数÷已检查对象数。",
        "合计行中“是否建立‘两库一单’”为已建立的部门数，“计划状态”为计划已审核备案的部门数。",
    ]
    unit, contact = unit_and_contact(facts, departments)
    return StatTable(
        kind="non_market",
        title=f"{facts.period.title_year}年度市直部门非市场监管领域推行“双随机、一公开”情况统计表",
        period=facts.period,
        unit=unit,
        contact=contact,
        header_rows=rows,
        headers=headers,
        columns=columns,
        rows=tuple(body),
        totals=totals,
        notes=tuple(notes),
        sheet_name="非市场监管领域推行情况",
        empty_text="（所选部门中没有非市场监管领域的部门）",
    )


TABLE_KINDS = {
    "plan": ("行政执法检查计划表", plan_table),
    "progress": ("随机抽查工作进展情况统计表", progress_table),
    "joint": ("联合检查工作进展情况统计表", joint_table),
    "non_market_plan": ("非市场监管领域抽查工作计划表", non_market_plan_table),
    "non_market": ("非市场监管领域推行情况统计表", non_market_table),
}
"""kind → (short name for menus, builder)."""


def build_table(kind: str, facts: Facts, department_codes: Collection[str] | None = None) -> StatTable:
    """One table by its kind (``plan``, ``progress``, ``joint``, ``non_market_plan``, ``non_market``)."""
    if kind not in TABLE_KINDS:
        raise ReportInputError(f"没有这种统计表：{kind}")
    return TABLE_KINDS[kind][1](facts, department_codes)


def all_tables(facts: Facts, department_codes: Collection[str] | None = None) -> list[StatTable]:
    """The five tables, in the order of the county documents."""
    return [build(facts, department_codes) for _name, build in TABLE_KINDS.values()]
