"""Reading this PC's database into :class:`~app.reports.facts.Facts` for a period (what each record's date
means is said in :mod:`app.reports.facts` and :mod:`app.reports.tables`).

    facts = collect_facts(session, Period.half(2026, 1))                 # every department
    facts = collect_facts(session, Period.year(2026), department_ids=[3])  # one department

Read-only; a handful of queries whatever the size of the registry (only drawn objects are read, the
registries are counted).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.plans import plan_rows
from app.reports.errors import ReportInputError
from app.reports.facts import (
    DepartmentFact,
    DrawFact,
    EntityFact,
    Facts,
    FindingFact,
    InspectionFact,
    ItemFact,
    PlanFact,
    PlanRowFact,
    PublicationFact,
    TaskDepartmentFact,
    TaskFact,
    canonical,
    entity_key,
    item_key,
    task_key,
    task_span,
)
from app.reports.period import Period
from app.settings import load_settings
from db.enums import DeptRole, DrawStatus, InspectionStatus, InspectorStatus
from db.models import (
    AnnualPlan,
    Assignment,
    Department,
    Draw,
    Entity,
    Inspection,
    InspectionFinding,
    InspectionItem,
    InspectionTask,
    Inspector,
    ItemDepartment,
    PlanRow,
    Publication,
    TaskDepartment,
    TaskItem,
)

__all__ = ["collect_facts"]


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def _scope(session: Session, department_ids: Sequence[int] | None) -> list[Department]:
    if department_ids is None:
        chosen = list(session.scalars(select(Department).where(Department.archived.is_(False))))
    else:
        ids = list(dict.fromkeys(department_ids))
        if not ids:
            raise ReportInputError("请至少选择一个部门")
        found = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise ReportInputError(f"部门不存在（编号 {'、'.join(map(str, missing))}）")
        chosen = list(found.values())
    return sorted(chosen, key=lambda d: (d.sort_order, d.code))


def _counts(session: Session, column: object, *conditions: object) -> dict[int, int]:
    rows = session.execute(
        select(column, func.count()).where(*conditions).group_by(column)  # type: ignore[call-overload]
    )
    return {int(dept): int(n) for dept, n in rows if dept is not None}


def _departments(session: Session, scope: list[Department], as_of: dt.date) -> tuple[DepartmentFact, ...]:
    entities = _counts(session, Entity.department_id, Entity.archived.is_(False))
    on_duty = (Inspector.archived.is_(False), Inspector.status == InspectorStatus.ON_DUTY.value)
    inspectors = _counts(session, Inspector.department_id, *on_duty)
    certified = _counts(
        session,
        Inspector.department_id,
        *on_duty,
        func.trim(func.coalesce(Inspector.cert_no, "")) != "",
        Inspector.cert_valid_until >= as_of,
    )
    return tuple(
        DepartmentFact(
            code=d.code,
            name=d.name,
            short_name=d.short_name,
            is_market_regulation=bool(d.is_market_regulation),
            contact_person=d.contact_person,
            contact_phone=d.contact_phone,
            sort_order=d.sort_order,
            entity_count=entities.get(d.id, 0),
            inspector_count=inspectors.get(d.id, 0),
            certified_inspector_count=certified.get(d.id, 0),
            local_id=d.id,
        )
        for d in scope
    )


def _item_leads(session: Session) -> tuple[dict[int, int | None], dict[int, list[tuple[int, str]]]]:
    """Each item's lead department (检查主体, else the 发起 department of a joint item) and its links."""
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for item_id, dept_id, role in session.execute(
        select(ItemDepartment.item_id, ItemDepartment.department_id, ItemDepartment.role).order_by(
            ItemDepartment.id
        )
    ):
        links[item_id].append((dept_id, role))
    leads: dict[int, int | None] = {}
    for item_id, subject in session.execute(select(InspectionItem.id, InspectionItem.department_id)):
        leads[item_id] = (
            subject
            if subject is not None
            else next((d for d, role in links[item_id] if role == DeptRole.LEAD.value), None)
        )
    return leads, links


def _item_keys(session: Session, codes: dict[int, str]) -> dict[int, str]:
    """:func:`item_key` of every item, by database id."""
    leads, _links = _item_leads(session)
    return {
        item_id: item_key(codes.get(lead, "") if lead is not None else "", code)
        for item_id, code in session.execute(select(InspectionItem.id, InspectionItem.code))
        for lead in (leads.get(item_id),)
    }


def _items(session: Session, scope_ids: set[int], codes: dict[int, str]) -> tuple[ItemFact, ...]:
    """The live items of the chosen departments' lists and of the joint list items they take part in."""
    leads, links = _item_leads(session)
    out = []
    for item in session.scalars(select(InspectionItem).where(InspectionItem.archived.is_(False))):
        lead = leads.get(item.id)
        if not ({lead, *(d for d, _ in links[item.id])} - {None}) & scope_ids:
            continue
        lead_code = codes.get(lead, "") if lead is not None else ""
        out.append(
            ItemFact(
                key=item_key(lead_code, item.code),
                code=item.code,
                name=item.name,
                list_kind=item.list_kind,
                department_code=lead_code,
                item_class=item.item_class,
                partner_codes=tuple(codes[d] for d, role in links[item.id] if role == DeptRole.PARTNER.value),
                local_id=item.id,
            )
        )
    return tuple(sorted(out, key=lambda i: i.key))


def _plans(
    session: Session, scope_ids: set[int], period: Period, codes: dict[int, str], names: dict[int, str]
) -> tuple[PlanFact, ...]:
    plans = session.scalars(
        select(AnnualPlan)
        .where(AnnualPlan.department_id.in_(scope_ids), AnnualPlan.year.in_(list(period.years)))
        .order_by(AnnualPlan.year, AnnualPlan.department_id)
    ).all()
    keys = _item_keys(session, codes)
    item_codes = {i: c for i, c in session.execute(select(InspectionItem.id, InspectionItem.code))}
    out = []
    for plan in plans:
        dept = codes[plan.department_id]
        rows = []
        for line in plan_rows(session, plan.id):  # the one reading of a plan's rows (as the plan table)
            rows.append(
                PlanRowFact(
                    key=f"{dept}/{plan.year}/{line.seq}",
                    seq=line.seq,
                    item_key=keys[line.item_id],
                    item_code=item_codes.get(line.item_id, ""),
                    item=line.item,
                    scope_text=line.scope_text,
                    base_count=line.base_count,
                    ratio=line.ratio,
                    quantity=line.quantity,
                    planned_count=line.planned_count,
                    content=line.content,
                    basis=line.basis,
                    planned_month=line.planned_month,
                    method=line.method,
                    joint_department_codes=tuple(codes[d] for d in line.joint_department_ids),
                    joint_departments=line.joint_departments,
                    frequency_cap=line.frequency_cap,
                    remarks=line.remarks,
                    local_id=line.row_id,
                )
            )
        out.append(
            PlanFact(
                department_code=dept,
                department_name=names[plan.department_id],
                year=plan.year,
                title=plan.title,
                status=plan.status,
                filed_on=_local_day(plan.filed_at) if plan.filed_at else None,
                rows=tuple(rows),
                local_id=plan.id,
            )
        )
    return tuple(sorted(out, key=lambda p: (p.year, p.department_code)))


def _chunks(values: Sequence[int], size: int = 900) -> Iterable[list[int]]:
    """IN lists kept well under every database's parameter limit."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _candidate_tasks(session: Session, scope_ids: set[int], period: Period) -> tuple[list[int], set[int]]:
    """Ids of the tasks of the chosen departments (牵头 or 配合) that may belong to the period — those of
    nearby years and those with a draw or an inspection dated in it — and, of these, the ids of the tasks
    with an inspection dated in the period."""
    member = or_(
        InspectionTask.department_id.in_(scope_ids),
        InspectionTask.id.in_(
            select(TaskDepartment.task_id).where(TaskDepartment.department_id.in_(scope_ids))
        ),
    )
    found = set(
        session.scalars(
            select(InspectionTask.id).where(
                member, InspectionTask.year.between(period.start.year - 1, period.end.year + 1)
            )
        )
    )
    # A draw's day is its local date: a day's margin on each side of the UTC window, then exact in Python.
    low = dt.datetime.combine(period.start - dt.timedelta(days=1), dt.time(), dt.UTC)
    high = dt.datetime.combine(period.end + dt.timedelta(days=2), dt.time(), dt.UTC)
    for task_id, finished in session.execute(
        select(Draw.task_id, Draw.finished_at)
        .join(InspectionTask, InspectionTask.id == Draw.task_id)
        .where(member, Draw.status == DrawStatus.FINISHED.value, Draw.finished_at.between(low, high))
    ):
        if finished is not None and period.contains(_local_day(finished)):
            found.add(task_id)
    inspected = set(
        session.scalars(
            select(Inspection.task_id)
            .join(InspectionTask, InspectionTask.id == Inspection.task_id)
            .where(member, Inspection.inspection_date.between(period.start, period.end))
            .distinct()
        )
    )
    return sorted(found | inspected), inspected


def _task_facts(
    session: Session, ids: list[int], codes: dict[int, str], names: dict[int, str]
) -> tuple[dict[int, TaskFact], dict[int, Draw]]:
    """The tasks as facts, and their finished (not voided) draws."""
    item_keys = _item_keys(session, codes)
    tasks: dict[int, InspectionTask] = {}
    draws: dict[int, Draw] = {}
    departments: dict[int, list[TaskDepartmentFact]] = defaultdict(list)
    items: dict[int, list[tuple[str, str]]] = defaultdict(list)
    plan_row_keys: dict[int, str] = {}
    for chunk in _chunks(ids):
        tasks.update(
            (t.id, t) for t in session.scalars(select(InspectionTask).where(InspectionTask.id.in_(chunk)))
        )
        draws.update(
            (d.task_id, d)
            for d in session.scalars(
                select(Draw).where(Draw.task_id.in_(chunk), Draw.status == DrawStatus.FINISHED.value)
            )
        )
        for task_id, dept_id, role in session.execute(
            select(TaskDepartment.task_id, TaskDepartment.department_id, TaskDepartment.role)
            .join(Department, Department.id == TaskDepartment.department_id)
            .where(TaskDepartment.task_id.in_(chunk))
            .order_by(
                TaskDepartment.task_id,
                TaskDepartment.role != DeptRole.LEAD.value,
                Department.sort_order,
                Department.id,
            )
        ):
            departments[task_id].append(TaskDepartmentFact(codes[dept_id], names[dept_id], role))
        for task_id, item_id, name in session.execute(
            select(TaskItem.task_id, TaskItem.item_id, InspectionItem.name)
            .join(InspectionItem, InspectionItem.id == TaskItem.item_id)
            .where(TaskItem.task_id.in_(chunk))
            .order_by(TaskItem.task_id, TaskItem.id)
        ):
            items[task_id].append((item_keys[item_id], name))
        for task_id, seq, dept_id, year in session.execute(
            select(InspectionTask.id, PlanRow.seq, AnnualPlan.department_id, AnnualPlan.year)
            .join(PlanRow, PlanRow.id == InspectionTask.plan_row_id)
            .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
            .where(InspectionTask.id.in_(chunk))
        ):
            plan_row_keys[task_id] = f"{codes[dept_id]}/{year}/{seq}"
    facts = {}
    for task_id, task in tasks.items():
        lead = codes[task.department_id]
        listed = items[task_id]
        facts[task_id] = TaskFact(
            key=task_key(lead, task.code),
            code=task.code,
            title=task.title,
            year=task.year,
            lead_department_code=lead,
            departments=tuple(departments[task_id])
            or (TaskDepartmentFact(lead, names[task.department_id], DeptRole.LEAD.value),),
            item_keys=tuple(k for k, _ in listed),
            items=tuple(n for _, n in listed),
            plan_row_key=plan_row_keys.get(task_id),
            planned_date=task.planned_date,
            start_date=task.start_date,
            end_date=task.end_date,
            is_joint=bool(task.is_joint),
            is_unplanned=bool(task.is_unplanned),
            status=task.status,
            local_id=task.id,
        )
    return facts, draws


def _records(
    session: Session, tasks: dict[int, TaskFact], draws: dict[int, Draw]
) -> tuple[list[DrawFact], list[EntityFact], list[InspectionFact], list[PublicationFact]]:
    """The drawn objects, inspections (those with a 检查日期) and publications of the kept tasks."""
    ids = sorted(tasks)
    entity_rows: dict[int, EntityFact] = {}
    # Plain columns, not ORM objects: thousands of rows are read, and building objects costs ~5× as much.
    entity_columns = (Entity.id, Entity.uscc, Entity.reg_no, Entity.name, Entity.kind)

    def entity_fact(entity_id: int, uscc: str | None, reg_no: str | None, name: str, kind: str) -> str:
        fact = entity_rows.get(entity_id)
        if fact is None:
            fact = entity_rows[entity_id] = EntityFact(
                key=entity_key(uscc, reg_no, name),
                uscc=uscc or "",
                reg_no=reg_no or "",
                name=name,
                kind=kind,
                local_id=entity_id,
            )
        return fact.key

    drawn: dict[int, list[str]] = defaultdict(list)
    kept_draws = [draws[t] for t in ids if t in draws]
    for chunk in _chunks([d.id for d in kept_draws]):
        for draw_id, entity_id, uscc, reg_no, name, kind in session.execute(
            select(Assignment.draw_id, *entity_columns)
            .join(Entity, Entity.id == Assignment.entity_id)
            .where(Assignment.draw_id.in_(chunk))
            .order_by(Assignment.draw_id, Assignment.order_no)
        ):
            drawn[draw_id].append(entity_fact(entity_id, uscc, reg_no, name, kind))
    draw_facts = [
        DrawFact(
            draw_uid=d.draw_uid,
            task_key=tasks[d.task_id].key,
            attempt_no=d.attempt_no,
            drawn_on=_local_day(d.finished_at) if d.finished_at else dt.date(tasks[d.task_id].year, 1, 1),
            entity_keys=tuple(drawn[d.id]),
            local_id=d.id,
        )
        for d in kept_draws
    ]
    findings: dict[int, list[FindingFact]] = defaultdict(list)
    inspection_facts: list[InspectionFact] = []
    filed = InspectionStatus.FILED.value
    for chunk in _chunks(ids):
        dated = (Inspection.task_id.in_(chunk), Inspection.inspection_date.is_not(None))
        for inspection_id, seq, content, problem, handling in session.execute(
            select(
                InspectionFinding.inspection_id,
                InspectionFinding.seq,
                InspectionFinding.content,
                InspectionFinding.problem,
                InspectionFinding.handling,
            )
            .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
            .where(
                *dated,
                or_(func.trim(InspectionFinding.problem) != "", func.trim(InspectionFinding.handling) != ""),
            )
            .order_by(InspectionFinding.inspection_id, InspectionFinding.seq)
        ):
            findings[inspection_id].append(FindingFact(seq, content, problem, handling))
        for row in session.execute(
            select(
                Inspection.id,
                Inspection.task_id,
                Inspection.inspection_date,
                Inspection.method,
                Inspection.result,
                Inspection.follow_up,
                Inspection.follow_up_note,
                Inspection.status,
                Inspection.doc_no,
                *entity_columns,
            )
            .join(Entity, Entity.id == Inspection.entity_id)
            .join(Assignment, Assignment.id == Inspection.assignment_id)
            .where(*dated)
            .order_by(Inspection.task_id, Assignment.order_no)
        ):
            (inspection_id, task_id, day, method, result, follow_up, note, status, doc_no) = row[:9]
            entity_id, uscc, reg_no, name, kind = row[9:]
            assert day is not None  # selected by date
            inspection_facts.append(
                InspectionFact(
                    task_key=tasks[task_id].key,
                    entity_key=entity_fact(entity_id, uscc, reg_no, name, kind),
                    inspection_date=day,
                    method=method,
                    result=result,
                    follow_up=follow_up,
                    follow_up_note=note,
                    filed=status == filed,
                    doc_no=doc_no or "",
                    findings=tuple(findings[inspection_id]),
                    local_id=inspection_id,
                )
            )
    publications = []
    for chunk in _chunks(ids):
        publications += [
            PublicationFact(
                task_key=tasks[p.task_id].key,
                published_on=p.published_on,
                deadline=p.deadline,
                channel=p.channel,
                local_id=p.id,
            )
            for p in session.scalars(
                select(Publication).where(Publication.task_id.in_(chunk)).order_by(Publication.id)
            )
        ]
    entities = sorted(entity_rows.values(), key=lambda e: e.key)
    return draw_facts, entities, inspection_facts, publications


def collect_facts(
    session: Session,
    period: Period,
    department_ids: Sequence[int] | None = None,
    *,
    as_of: dt.date | None = None,
) -> Facts:
    """This database's facts for ``period``: the chosen departments (default: every department not archived)
    with their registry sizes, items and plans, and their tasks with draws, objects, inspections and
    publications (see :mod:`app.reports.facts` for which). ``as_of`` (default today) is the day registry
    sizes and 执法证 validity refer to."""
    as_of = as_of or dt.date.today()
    scope = _scope(session, department_ids)
    scope_ids = {d.id for d in scope}
    codes = {i: c for i, c in session.execute(select(Department.id, Department.code))}
    names = {i: n for i, n in session.execute(select(Department.id, Department.name))}
    candidates, inspected = _candidate_tasks(session, scope_ids, period)
    all_tasks, draws = _task_facts(session, candidates, codes, names)
    kept: dict[int, TaskFact] = {}
    for task_id, task in all_tasks.items():
        draw = draws.get(task_id)
        drawn_on = _local_day(draw.finished_at) if draw and draw.finished_at else None
        if period.overlaps(*task_span(task, drawn_on)) or period.contains(drawn_on) or task_id in inspected:
            kept[task_id] = task
    draw_facts, entities, inspections, publications = _records(session, kept, draws)
    return canonical(
        Facts(
            period=period,
            as_of=as_of,
            source=load_settings(session).bureau_name,
            departments=_departments(session, scope, as_of),
            items=_items(session, scope_ids, codes),
            plans=_plans(session, scope_ids, period, codes, names),
            tasks=tuple(kept.values()),
            draws=tuple(draw_facts),
            entities=tuple(entities),
            inspections=tuple(inspections),
            publications=tuple(publications),
        )
    )
