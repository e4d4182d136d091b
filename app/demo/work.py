"""一年的抽查工作 of the demo county, replayed through the real services up to the demo's "today".

For most filed plan rows whose month has come: a task (:func:`app.tasks.create_task_from_plan_row`), a real
SJDRAW-1 draw (prepare → commit → witnesses' numbers → finish), the 执法检查登记表 started, filled in and
filed (:mod:`app.inspections`) and the results published (公示). Besides: one 计划外 专项 task, the 联合抽查
rows of the plan with their partner departments, one voided attempt, one 递补, two late 公示, and recent
tasks still 待抽取 / 已抽取 / 检查中.

Dates follow the demo calendar (working days with 法定节假日 and 调休): draws on a working day early in the
planned month, inspections at each department's pace (a share of its on-duty inspectors per working day,
the earliest task first, small tasks beside it), 公示 within the deadline but for two. The services take these dates where
they accept one (draw times, 检查日期, 公示日期, the ``today`` that bounds them); what they stamp themselves
(task and form creation, 归档时间, 递补 time, the audit trail) is the real clock.

Reproducible: the same registry, year and "today" give the same tasks, drawn objects (the demo passes its
own draw ids and nonces — see :func:`app.tasks.prepare_draw` / :func:`app.tasks.commit_draw`), results and
dates. Each service call is its own transaction, so the base county is committed first.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.audit import bulk, record_event
from app.demo.vocab import person_name
from app.inspections import (
    FindingInput,
    InspectionInput,
    file_inspection,
    publish_task,
    record_inspection,
    start_inspections,
)
from app.paths import resources_dir
from app.reports.measures import PROBLEM_RESULTS
from app.tasks import (
    InfeasibleTaskDrawError,
    PoolFilter,
    ReplacementRefusedError,
    StrataBasis,
    StrataSpec,
    TaskSpec,
    commit_draw,
    create_adhoc_task,
    create_task_from_plan_row,
    finish_draw,
    prepare_draw,
    replace_inspector,
    void_draw,
)
from app.tasks.tasks import last_day_of_month
from app.workdays import WorkCalendar, load_work_calendar
from db.enums import (
    DrawStatus,
    EntityKind,
    FollowUp,
    InspectionMethod,
    InspectionResult,
    InspectionStatus,
    InspectorStatus,
    PlanStatus,
    TaskStatus,
)
from db.models import (
    AnnualPlan,
    Assignment,
    AssignmentInspector,
    Department,
    Draw,
    DrawReplacement,
    Entity,
    Inspection,
    InspectionFinding,
    InspectionItem,
    InspectionTask,
    Inspector,
    PlanRow,
    PlanRowDepartment,
    Publication,
    TaskItem,
)

FILING_BUDGET = 1_200
"""The most 登记表 one build fills in (each is two service transactions, ~8 ms): beyond it the departments
work at a slower pace, so the build stays within its time (DESIGN.md) at 20,000 and 100,000 objects."""
PACE_PER_INSPECTOR = 0.3
"""Objects a department inspects per working day, per on-duty inspector (two inspectors go to each object,
and 双随机 is only a part of their work); at least :data:`MIN_PACE`."""
MIN_PACE = 2
SMALL_TASK = 30
"""A task of at most this many objects goes on beside the department's earlier tasks (a specialist team)."""
SKIP_SHARE = 0.06
"""Share of the plan's own-department rows whose month has passed but which no task was made for yet."""
LATE_PUBLICATIONS = 2

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class WorkSummary:
    """What the demo year holds (counts over the whole database after the build)."""

    today: dt.date
    tasks: int
    joint_tasks: int
    unplanned_tasks: int
    draws: int  # finished, not voided
    voided_draws: int
    replacements: int
    inspections: int  # 执法检查登记表, drafts included
    recorded: int  # with a 检查日期 and result entered
    filed: int  # 已归档
    problems: int  # filed forms whose result is a problem
    publications: int
    late_publications: int


@cache
def work_vocab() -> dict[str, Any]:
    """resources/demo/work.json: problems by checklist row, handling texts, witnesses' roles, places …"""
    with (resources_dir() / "demo" / "work.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def demo_today(year: int, today: dt.date | None = None) -> dt.date:
    """The demo's "today": the given (or real) day, but never after 31 December of the demo year."""
    return min(today or dt.date.today(), dt.date(year, 12, 31))


@dataclass
class _Task:
    """One task of the demo year as the replay tracks it."""

    task_id: int
    code: str
    department_id: int
    draw_day: dt.date | None
    joint: bool
    void_first: bool = False
    draw_id: int | None = None
    inspection_ids: list[int] = field(default_factory=list)
    dates: list[dt.date | None] = field(default_factory=list)


@dataclass
class _Context:
    session: Session
    year: int
    today: dt.date
    seed: str
    calendar: WorkCalendar
    clerks: dict[int, str]
    places: dict[int, str]
    witnesses: list[tuple[str, str]]
    report: Progress


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """A local wall-clock time on ``day`` as an aware datetime (its local date is ``day``)."""
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone()


def _nth_workday(calendar: WorkCalendar, year: int, month: int, n: int) -> dt.date:
    return calendar.add_workdays(dt.date(year, month, 1) - dt.timedelta(days=1), n)


def _workdays_before(calendar: WorkCalendar, day: dt.date, n: int) -> dt.date:
    """The n-th working day before ``day``."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def add_year_of_work(
    session: Session,
    *,
    year: int,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> WorkSummary:
    """Replay the demo county's year up to :func:`demo_today` through the task and inspection services.

    Needs the demo county (:func:`app.demo.build_demo`) in the database; commits what the session holds
    first, then every step is its own transaction (a failure leaves the steps before it in place). As in the
    county's build, per-record audit entries are left out (the seals of draws and forms are written); the
    closing summary entry is written with the caller's commit.
    """
    with bulk(session):
        work = _replay(session, year, demo_today(year, today), progress or (lambda _stage, _fraction: None))
    record_event(
        session,
        "生成演示数据",
        "演示数据",
        "",
        f"演示县{year}年度的抽查工作（截至 {work.today.isoformat()}）：{work.tasks} 个抽查任务"
        f"（联合 {work.joint_tasks} 个、计划外 {work.unplanned_tasks} 个）、{work.draws} 次摇号"
        f"（另作废 {work.voided_draws} 次、递补 {work.replacements} 次）、{work.inspections} 份执法检查登记表"
        f"（已归档 {work.filed} 份）、{work.publications} 次结果公示",
    )
    return work


def _replay(session: Session, year: int, day: dt.date, report: Progress) -> WorkSummary:
    session.commit()
    calendar = load_work_calendar(session)  # loads the shipped 节假日 years the first time
    session.commit()
    entities = session.scalar(select(func.count()).select_from(Entity)) or 0
    seed = f"shuangsuiji-demo-work/{entities}/{year}"
    rng = random.Random(seed)
    vocab = work_vocab()
    departments = session.execute(
        select(Department.id, Department.name).order_by(Department.sort_order, Department.id)
    ).all()
    clerks = {dept_id: person_name(rng) for dept_id, _name in departments}
    places = {dept_id: rng.choice(vocab["draw_places"]).format(dept=name) for dept_id, name in departments}
    witnesses = [(person_name(rng), role) for role in vocab["witness_roles"] for _ in range(2)]
    ctx = _Context(session, year, day, seed, calendar, clerks, places, witnesses, report)
    if day >= dt.date(year, 1, 1):
        report("抽查任务与摇号", 0.0)
        tasks = _tasks_and_draws(ctx)
        report("检查", 0.4)
        _inspect(ctx, tasks)
        report("公示", 0.95)
        _publish(ctx, tasks)
    report("完成", 1.0)
    return work_summary(session, day)


# --- tasks and draws -----------------------------------------------------------------------------------


def _plan_rows(session: Session, year: int) -> list[tuple[int, int, int, int, bool]]:
    """(row id, planned month, department id, seq, joint) of the year's filed plans, in calendar order."""
    joint_rows = set(session.scalars(select(PlanRowDepartment.plan_row_id)))
    rows = session.execute(
        select(
            PlanRow.id, PlanRow.planned_month, AnnualPlan.department_id, PlanRow.seq, Department.sort_order
        )
        .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
        .join(Department, Department.id == AnnualPlan.department_id)
        .where(AnnualPlan.year == year, AnnualPlan.status == PlanStatus.FILED.value)
        .where(PlanRow.planned_month.is_not(None))
    ).all()
    ordered = sorted(rows, key=lambda r: (r.planned_month, r.sort_order, r.seq))
    return [(r.id, r.planned_month, r.department_id, r.seq, r.id in joint_rows) for r in ordered]


def _tasks_and_draws(ctx: _Context) -> list[_Task]:
    session, year, today = ctx.session, ctx.year, ctx.today
    # (draw day, order, maker) — tasks are created in calendar order, so their codes follow the year.
    planned: list[tuple[dt.date, int, Callable[[], _Task | None]]] = []
    special = _special_task_maker(ctx)
    if special is not None:
        planned.append((special[0], 0, special[1]))
    rows = _plan_rows(session, year)
    current = [r for r in rows if r[1] == today.month and not r[4]]
    last_current = current[-1][0] if current else None
    first_joint = next((r[0] for r in rows if r[4]), None)
    for order, (row_id, month, dept_id, seq, joint) in enumerate(rows, start=1):
        row_rng = random.Random(f"{ctx.seed}/row/{dept_id}/{seq}")
        draw_day = _nth_workday(ctx.calendar, year, month, row_rng.randint(2, 9))
        skipped = not joint and row_rng.random() < SKIP_SHARE
        if month > today.month or (month < today.month and skipped):
            continue
        keep_pending = draw_day > today or row_id == last_current
        planned.append(
            (
                min(draw_day, today),
                order,
                _row_task_maker(ctx, row_id, dept_id, joint, draw_day, keep_pending, row_id == first_joint),
            )
        )
    planned.sort(key=lambda p: (p[0], p[1]))
    tasks: list[_Task] = []
    lead = session.scalar(select(Department.id).order_by(Department.sort_order, Department.id).limit(1))
    replaced = False
    for index, (_day, _order, make) in enumerate(planned):
        ctx.report("抽查任务与摇号", 0.4 * index / max(1, len(planned)))
        task = make()
        if task is None:
            continue
        _draw(ctx, task)
        tasks.append(task)
        # One 递补, in the second drawn task of the bureau's own department that is not a joint one.
        own = [t for t in tasks if t.department_id == lead and not t.joint and t.draw_id is not None]
        if not replaced and task.draw_id is not None and len(own) == 2 and own[-1] is task:
            replaced = _replace_one(ctx, task)
    return tasks


def _row_task_maker(
    ctx: _Context,
    row_id: int,
    dept_id: int,
    joint: bool,
    draw_day: dt.date,
    keep_pending: bool,
    void_first: bool,
) -> Callable[[], _Task | None]:
    def make() -> _Task | None:
        task = create_task_from_plan_row(ctx.session, row_id)
        return _Task(
            task.id,
            task.code,
            dept_id,
            None if keep_pending else draw_day,
            joint,
            void_first=void_first,
        )

    return make


def _special_task_maker(ctx: _Context) -> tuple[dt.date, Callable[[], _Task | None]] | None:
    """The 计划外 专项 task (春节前食品安全专项检查) when its month has come."""
    spec_text = work_vocab()["special_task"]
    session = ctx.session
    dept_id = session.scalar(select(Department.id).where(Department.code == spec_text["dept"]))
    item_ids = [
        session.scalar(select(InspectionItem.id).where(InspectionItem.code == code))
        for code in spec_text["items"]
    ]
    if dept_id is None or None in item_ids:
        return None
    month = int(spec_text["month"])
    draw_day = _nth_workday(ctx.calendar, ctx.year, month, 6)
    if draw_day > ctx.today:
        return None

    def make() -> _Task | None:
        spec = TaskSpec(
            title=spec_text["title"].format(year=ctx.year),
            item_ids=[i for i in item_ids if i is not None],
            lead_department_id=dept_id,
            pool_filter=PoolFilter(industries=tuple(spec_text["industries"])),
            strata=StrataSpec.build(StrataBasis.RISK, spec_text["strata"]),
            planned_date=last_day_of_month(ctx.year, month),
            year=ctx.year,
            remarks=spec_text["remarks"],
        )
        task = create_adhoc_task(session, spec)
        return _Task(task.id, task.code, dept_id, draw_day, joint=False)

    return draw_day, make


def _witness_numbers(rng: random.Random, ctx: _Context, count: int) -> list[tuple[str, str, tuple[int, ...]]]:
    """``count`` watchers of different roles, each throwing a die three or four times."""
    chosen = rng.sample(ctx.witnesses, k=count)
    chosen.sort(key=lambda w: ctx.witnesses.index(w))
    return [
        (name, role, tuple(rng.randint(1, 6) for _ in range(rng.choice((3, 4))))) for name, role in chosen
    ]


def _draw(ctx: _Context, task: _Task) -> None:
    """The draw of a task on its draw day (first an attempt voided, where the task asks for it)."""
    if task.draw_day is None:
        return
    session = ctx.session
    rng = random.Random(f"{ctx.seed}/{task.code}/draw")
    day = task.draw_day
    place = work_vocab()["joint_place"] if task.joint else ctx.places[task.department_id]
    operator = ctx.clerks[task.department_id]
    attempts = 2 if task.void_first else 1
    for attempt in range(1, attempts + 1):
        if attempt == 2:
            day = ctx.calendar.add_workdays(day, 1)
            if day > ctx.today:
                task.draw_day = None
                return
        uid = f"SJD-{day:%Y%m%d}-{rng.getrandbits(32):08X}"
        try:
            handle = prepare_draw(
                session, task.task_id, operator, place, today=day, draw_uid=uid, at=_moment(day, 9, 30)
            )
        except InfeasibleTaskDrawError:  # no objects left, too few qualified inspectors: the task waits
            task.draw_day = None
            return
        sealed = commit_draw(session, handle.draw_id, nonce=rng.randbytes(32))
        if attempt < attempts:  # the commitment could not be shown: voided before any witness spoke
            void_draw(session, handle.draw_id, work_vocab()["void_reason"], at=_moment(day, 9, 50))
            continue
        witnesses = _witness_numbers(rng, ctx, 3)
        finish_draw(session, handle.draw_id, sealed.nonce, witnesses, prepared=handle, at=_moment(day, 9, 45))
        task.draw_id = handle.draw_id
        task.draw_day = day


def _replace_one(ctx: _Context, task: _Task) -> bool:
    """递补 after the draw: the first object's first inspector falls ill (before the forms are made)."""
    session = ctx.session
    assert task.draw_id is not None and task.draw_day is not None
    row = session.execute(
        select(Assignment.entity_id, AssignmentInspector.inspector_id)
        .join(AssignmentInspector, AssignmentInspector.assignment_id == Assignment.id)
        .where(Assignment.draw_id == task.draw_id, AssignmentInspector.active.is_(True))
        .order_by(Assignment.order_no, AssignmentInspector.id)
        .limit(1)
    ).first()
    if row is None:
        return False
    witness = _witness_numbers(random.Random(f"{ctx.seed}/{task.code}/replacement"), ctx, 1)
    try:
        replace_inspector(
            session,
            task.draw_id,
            row.entity_id,
            row.inspector_id,
            work_vocab()["replacement_reason"],
            witness,
        )
    except ReplacementRefusedError:
        return False
    return True


# --- inspections ---------------------------------------------------------------------------------------


def _inspect(ctx: _Context, tasks: list[_Task]) -> None:
    session, calendar = ctx.session, ctx.calendar
    started: list[_Task] = []
    for task in tasks:
        if task.draw_id is None or task.draw_day is None:
            continue
        if calendar.add_workdays(task.draw_day, 2) > ctx.today:
            continue  # drawn these last days: 已抽取, the forms not made yet
        task.inspection_ids = list(start_inspections(session, task.task_id).inspection_ids)
        started.append(task)
    _schedule(ctx, started)
    cutoff = _workdays_before(calendar, ctx.today, 3)  # forms of the last days are still being completed
    total = sum(1 for t in started for d in t.dates if d is not None) or 1
    done = 0
    for task in started:
        done += _fill_task(ctx, task, cutoff)
        ctx.report("检查", 0.4 + 0.55 * done / total)


def _pace(session: Session) -> dict[int, int]:
    """Objects per working day of each department: a share of its on-duty inspectors."""
    counts = session.execute(
        select(Inspector.department_id, func.count())
        .where(Inspector.status == InspectorStatus.ON_DUTY.value, Inspector.archived.is_(False))
        .group_by(Inspector.department_id)
    ).all()
    return {dept: max(MIN_PACE, round(n * PACE_PER_INSPECTOR)) for dept, n in counts}


def _simulate(ctx: _Context, tasks: list[_Task], pace: dict[int, int]) -> dict[int, list[dt.date | None]]:
    """The 检查日期 of every object, in draw order: each working day a department inspects ``pace`` objects
    of its tasks under way (from the second working day after their draw), the earliest task first; small
    tasks get one a day beside it."""
    calendar = ctx.calendar
    starts = {t.task_id: calendar.add_workdays(t.draw_day, 2) for t in tasks if t.draw_day is not None}
    dates: dict[int, list[dt.date | None]] = {t.task_id: [None] * len(t.inspection_ids) for t in tasks}
    done = dict.fromkeys(dates, 0)
    by_dept: dict[int, list[_Task]] = defaultdict(list)
    for task in tasks:
        by_dept[task.department_id].append(task)
    if not starts:
        return dates
    day = min(starts.values())
    while day <= ctx.today:
        if calendar.is_workday(day):
            for dept, own in by_dept.items():
                open_tasks = [
                    t for t in own if starts[t.task_id] <= day and done[t.task_id] < len(t.inspection_ids)
                ]
                budget = pace.get(dept, MIN_PACE)
                share = dict.fromkeys((t.task_id for t in open_tasks), 0)
                for task in open_tasks[1:]:
                    if budget > 1 and len(task.inspection_ids) <= SMALL_TASK:
                        share[task.task_id] = 1
                        budget -= 1
                for task in open_tasks:
                    left = len(task.inspection_ids) - done[task.task_id] - share[task.task_id]
                    extra = min(budget, max(0, left))
                    share[task.task_id] += extra
                    budget -= extra
                for task in open_tasks:
                    for _ in range(share[task.task_id]):
                        dates[task.task_id][done[task.task_id]] = day
                        done[task.task_id] += 1
        day += dt.timedelta(days=1)
    return dates


def _schedule(ctx: _Context, tasks: list[_Task]) -> None:
    pace = _pace(ctx.session)
    while True:
        dates = _simulate(ctx, tasks, pace)
        scheduled = sum(1 for values in dates.values() for d in values if d is not None)
        if scheduled <= FILING_BUDGET or all(v <= 1 for v in pace.values()):
            break
        pace = {dept: max(1, int(v * 0.85)) for dept, v in pace.items()}
    for task in tasks:
        task.dates = dates[task.task_id]


@dataclass(frozen=True)
class _Outcome:
    result: InspectionResult
    follow_up: FollowUp
    problem_rows: int = 0  # checklist rows with a problem (1 or 2), else 0
    handling: str = ""  # for those rows
    note: str = ""


_DISCLOSURE_ITEMS = ("SJ-001", "SJ-002", "SJ-003")  # 企业/个体/合作社 公示信息: the national categories apply
_REGISTERED = {
    EntityKind.ENTERPRISE.value,
    EntityKind.INDIVIDUAL.value,
    EntityKind.COOPERATIVE.value,
    EntityKind.SOCIAL_ORG.value,
    EntityKind.PUBLIC_INSTITUTION.value,
}


def _outcome(rng: random.Random, disclosure: bool, kind: str, risk: str) -> _Outcome:
    """A realistic result: mostly 未发现问题; problems more likely at higher risk."""
    vocab = work_vocab()
    factor = {"高": 2.0, "中": 1.0, "低": 0.6}.get(risk, 1.0)
    x = rng.random()
    registered = kind in _REGISTERED
    if disclosure:
        table: list[tuple[float, InspectionResult]] = [
            (0.06 * factor, InspectionResult.NOT_DISCLOSED),
            (0.01 * factor, InspectionResult.FALSE_DISCLOSURE),
            (0.04 * factor, InspectionResult.CORRECTED),
            (0.05, InspectionResult.UNREACHABLE),
            (0.03, InspectionResult.CLOSED),
        ]
    else:
        table = [
            (0.08 * factor, InspectionResult.CORRECTED),
            (0.03 * factor, InspectionResult.PENDING_FOLLOW_UP),
            (0.003 * factor, InspectionResult.NON_COOPERATIVE),
            (0.02 if registered else 0.0, InspectionResult.UNREACHABLE),
            (0.015 if registered else 0.0, InspectionResult.CLOSED),
            (0.015 if registered else 0.0, InspectionResult.NO_ACTIVITY),
        ]
    result = InspectionResult.NO_PROBLEM
    for share, candidate in table:
        if x < share:
            result = candidate
            break
        x -= share
    if result == InspectionResult.CORRECTED:
        return _Outcome(
            result,
            FollowUp.ORDER_CORRECTION,
            2 if rng.random() < 0.25 else 1,
            rng.choice(vocab["corrected_handling"]),
        )
    if result == InspectionResult.PENDING_FOLLOW_UP:
        y = rng.random()
        follow = (
            FollowUp.CASE_FILED
            if y < 0.55
            else FollowUp.ORDER_CORRECTION
            if y < 0.9
            else FollowUp.TRANSFERRED
        )
        note = rng.choice(vocab["transfer_notes"]) if follow == FollowUp.TRANSFERRED else ""
        return _Outcome(result, follow, 1, rng.choice(vocab["pending_handling"]), note)
    if result == InspectionResult.NOT_DISCLOSED:
        follow = FollowUp.LIST_ABNORMAL if rng.random() < 0.4 else FollowUp.ORDER_CORRECTION
        return _Outcome(result, follow, 1, "责令限期履行公示义务")
    if result == InspectionResult.FALSE_DISCLOSURE:
        return _Outcome(result, FollowUp.LIST_ABNORMAL, 1, "责令更正公示信息，列入经营异常名录")
    if result == InspectionResult.UNREACHABLE:
        # 经营异常名录 for companies and cooperatives; a 个体工商户 is first visited again (no disposal yet).
        listed = kind in (EntityKind.ENTERPRISE.value, EntityKind.COOPERATIVE.value) and rng.random() < 0.85
        return _Outcome(result, FollowUp.LIST_ABNORMAL if listed else FollowUp.NONE)
    if result == InspectionResult.NON_COOPERATIVE:
        return _Outcome(result, FollowUp.NOTIFY_DEPARTMENT, note=rng.choice(vocab["notify_notes"]))
    return _Outcome(result, FollowUp.NONE)


def _methods(methods_text: str) -> list[str]:
    allowed = {m.value for m in InspectionMethod}
    found = [m for m in methods_text.replace("，", "、").split("、") if m.strip() in allowed]
    return found or [InspectionMethod.ON_SITE.value]


def _fill_task(ctx: _Context, task: _Task, cutoff: dt.date) -> int:
    """Enter and file the forms of one task whose 检查日期 has come; returns how many were entered."""
    session = ctx.session
    if not any(d is not None for d in task.dates):
        return 0
    rng = random.Random(f"{ctx.seed}/{task.code}/results")
    item = session.execute(
        select(InspectionItem.code, InspectionItem.methods)
        .join(TaskItem, TaskItem.item_id == InspectionItem.id)
        .where(TaskItem.task_id == task.task_id)
        .order_by(TaskItem.id)
        .limit(1)
    ).one()
    methods = _methods(item.methods)
    disclosure = item.code in _DISCLOSURE_ITEMS
    problems: dict[str, str] = work_vocab()["problems"]
    # Load the task's forms, findings and inspectors once: the services then find them in the session.
    assignments = session.scalars(select(Assignment).where(Assignment.task_id == task.task_id)).all()
    forms = {
        f.id: f
        for f in session.scalars(
            select(Inspection)
            .where(Inspection.task_id == task.task_id)
            .options(selectinload(Inspection.findings), selectinload(Inspection.inspectors))
        )
    }
    facts = {
        inspection_id: (kind, risk)
        for inspection_id, kind, risk in session.execute(
            select(Inspection.id, Entity.kind, Entity.risk_level)
            .join(Entity, Entity.id == Inspection.entity_id)
            .where(Inspection.task_id == task.task_id)
        )
    }
    rows = [
        (seq, content)
        for seq, content in session.execute(
            select(InspectionFinding.seq, InspectionFinding.content)
            .where(InspectionFinding.inspection_id == task.inspection_ids[0])
            .order_by(InspectionFinding.seq)
        )
    ]
    entered = 0
    for inspection_id, day in zip(task.inspection_ids, task.dates, strict=True):
        if day is None:
            continue
        kind, risk = facts[inspection_id]
        outcome = _outcome(rng, disclosure, kind, risk)
        method = (
            InspectionMethod.ON_SITE.value
            if outcome.result == InspectionResult.UNREACHABLE
            else (methods[0] if rng.random() < 0.7 else rng.choice(methods))
        )
        record_inspection(
            session,
            inspection_id,
            InspectionInput(
                inspection_date=day,
                method=method,
                result=outcome.result.value,
                follow_up=outcome.follow_up.value,
                follow_up_note=outcome.note,
                findings=_findings(rng, rows, outcome, problems),
            ),
            today=ctx.today,
        )
        entered += 1
        if day <= cutoff:
            file_inspection(session, inspection_id)
    del assignments, forms  # held until here: the session keeps loaded objects only while referenced
    return entered


def _findings(
    rng: random.Random, rows: Sequence[tuple[int, str]], outcome: _Outcome, problems: dict[str, str]
) -> list[FindingInput]:
    """发现问题 / 处置情况 of each checklist row: 无 where the row was checked and fine, the problem found
    on one or two rows, nothing where the object could not be checked (unreachable, closed …)."""
    if not rows:
        return []
    if outcome.problem_rows == 0 and outcome.result != InspectionResult.NO_PROBLEM:
        return []
    chosen = set(rng.sample([seq for seq, _ in rows], k=min(outcome.problem_rows, len(rows))))
    if outcome.result in (InspectionResult.NOT_DISCLOSED, InspectionResult.FALSE_DISCLOSURE):
        chosen = {rows[0][0]}
    return [
        FindingInput(seq, problems.get(content, f"“{content}”不符合要求"), outcome.handling)
        if seq in chosen
        else FindingInput(seq, "无", "")
        for seq, content in rows
    ]


# --- 公示 ----------------------------------------------------------------------------------------------


def _publish(ctx: _Context, tasks: list[_Task]) -> None:
    """公示 of every completed task within the deadline (two of them late), when that day has come."""
    session, calendar = ctx.session, ctx.calendar
    ids = [t.task_id for t in tasks]
    done = session.execute(
        select(InspectionTask.id, InspectionTask.code, InspectionTask.end_date)
        .where(InspectionTask.id.in_(ids), InspectionTask.status == TaskStatus.COMPLETED.value)
        .order_by(InspectionTask.code)
    ).all()
    rng = random.Random(f"{ctx.seed}/publications")
    eligible = [r for r in done if r.end_date is not None]
    late = {r.id for r in rng.sample(eligible, k=LATE_PUBLICATIONS)} if len(eligible) >= 6 else set()
    channels: list[str] = work_vocab()["channels"]
    for row in eligible:
        deadline = calendar.deadline_for_publication(row.end_date)
        if row.id in late:
            day = calendar.add_workdays(deadline, rng.randint(2, 5))
        else:
            day = calendar.add_workdays(row.end_date, rng.randint(2, calendar.publication_deadline_workdays))
        if day > ctx.today:
            continue  # still within (or past) the deadline, not published yet
        publish_task(session, row.id, day, rng.choice(channels), today=ctx.today)


# --- summary -------------------------------------------------------------------------------------------


def work_summary(session: Session, today: dt.date) -> WorkSummary:
    """Counts of the tasks, draws, forms and 公示 in the database."""

    def count(*where: Any, model: Any = InspectionTask) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    late = session.scalar(
        select(func.count()).select_from(Publication).where(Publication.published_on > Publication.deadline)
    )
    return WorkSummary(
        today=today,
        tasks=count(),
        joint_tasks=count(InspectionTask.is_joint.is_(True)),
        unplanned_tasks=count(InspectionTask.is_unplanned.is_(True)),
        draws=count(Draw.status == DrawStatus.FINISHED.value, model=Draw),
        voided_draws=count(Draw.status == DrawStatus.VOIDED.value, model=Draw),
        replacements=count(model=DrawReplacement),
        inspections=count(model=Inspection),
        recorded=count(Inspection.inspection_date.is_not(None), model=Inspection),
        filed=count(Inspection.status == InspectionStatus.FILED.value, model=Inspection),
        problems=count(
            Inspection.status == InspectionStatus.FILED.value,
            Inspection.result.in_(sorted(PROBLEM_RESULTS)),
            model=Inspection,
        ),
        publications=count(model=Publication),
        late_publications=int(late or 0),
    )
