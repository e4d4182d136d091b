"""年度抽查计划 services: list a year's plans, draft a plan and its rows, 报审 and 审核备案, and after that
only recorded 调整 (who, when, why). Each write function is its own transaction."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.faults import crash_point
from app.plans.errors import PlanInputError, PlanNotFoundError, PlanStateError
from app.plans.revisions import record_revision
from app.plans.rows import CleanRow, RowInput, clean_row
from db.enums import PlanStatus, RevisionKind
from db.models import AnnualPlan, Department, InspectionItem, InspectionTask, PlanRow, PlanRowDepartment


@contextmanager
def _transaction(session: Session) -> Iterator[None]:
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _one_line(text: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def _who(changed_by: str) -> str:
    name = _one_line(changed_by)
    if not name:
        raise PlanInputError("经办人不能为空")
    if len(name) > 50:
        raise PlanInputError("经办人过长（最多 50 个字符）")
    return name


def get_plan(session: Session, plan_id: int) -> AnnualPlan:
    plan = session.get(AnnualPlan, plan_id)
    if plan is None:
        raise PlanNotFoundError(f"年度抽查计划不存在（编号 {plan_id}）")
    return plan


def _row_of(plan: AnnualPlan, row_id: int) -> PlanRow:
    for row in plan.rows:
        if row.id == row_id:
            return row
    raise PlanNotFoundError(f"计划行不存在（编号 {row_id}）")


def _require_draft(plan: AnnualPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanStateError(f"计划{plan.status}，不能直接修改；请使用“调整”并填写调整原因。")


# --- listing -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanLine:
    """One plan in the year's list."""

    plan_id: int
    department_id: int
    department: str
    title: str
    status: str
    rows: int
    planned_objects: int
    revisions: int


def list_plans(session: Session, year: int) -> list[PlanLine]:
    """The year's plans in department order, with their row count and total 计划抽查数."""
    counts = (
        select(
            PlanRow.plan_id,
            func.count(PlanRow.id).label("n"),
            func.coalesce(func.sum(PlanRow.planned_count), 0).label("total"),
        )
        .group_by(PlanRow.plan_id)
        .subquery()
    )
    rows = session.execute(
        select(
            AnnualPlan.id,
            Department.id,
            Department.name,
            AnnualPlan.title,
            AnnualPlan.status,
            func.coalesce(counts.c.n, 0),
            func.coalesce(counts.c.total, 0),
            AnnualPlan.current_revision,
        )
        .join(Department, Department.id == AnnualPlan.department_id)
        .outerjoin(counts, counts.c.plan_id == AnnualPlan.id)
        .where(AnnualPlan.year == year)
        .order_by(Department.sort_order, Department.id)
    ).all()
    return [PlanLine(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), int(r[7])) for r in rows]


@dataclass(frozen=True)
class RowLine:
    """One row of a plan, for the table (基数 as stored when the row was written)."""

    row_id: int
    seq: int
    item_id: int
    item: str
    scope_text: str
    base_count: int | None
    ratio: str
    quantity: int | None
    planned_count: int | None
    content: str
    basis: str
    planned_month: int | None
    method: str
    joint_department_ids: tuple[int, ...]
    joint_departments: str
    frequency_cap: int | None
    remarks: str

    @property
    def ratio_or_quantity(self) -> str:
        """抽查比例或数量 as printed: ``5%`` or ``10户``."""
        if self.ratio:
            return percent_text(self.ratio)
        return f"{self.quantity}户" if self.quantity is not None else ""

    def as_input(self) -> RowInput:
        """The row as an editable input (for the row dialog and 调整)."""
        return RowInput(
            item_id=self.item_id,
            scope_text=self.scope_text,
            ratio=self.ratio,
            quantity=self.quantity,
            content=self.content,
            basis=self.basis,
            planned_month=self.planned_month,
            method=self.method,
            joint_department_ids=self.joint_department_ids,
            frequency_cap=self.frequency_cap,
            remarks=self.remarks,
        )


def percent_text(ratio: str) -> str:
    """``"0.05"`` → ``"5%"``; exact, no float rounding."""
    value = (Decimal(ratio) * 100).normalize()
    return f"{value:f}%"


def plan_rows(session: Session, plan_id: int) -> list[RowLine]:
    """The plan's rows in 序号 order."""
    plan = get_plan(session, plan_id)
    names = {i: n for i, n in session.execute(select(Department.id, Department.name))}
    out: list[RowLine] = []
    for r in sorted(plan.rows, key=lambda r: r.seq):
        joint = tuple(j.department_id for j in r.joint_departments)
        out.append(
            RowLine(
                r.id,
                r.seq,
                r.item_id,
                r.item.name,
                r.scope_text,
                r.base_count,
                r.ratio,
                r.quantity,
                r.planned_count,
                r.content,
                r.basis,
                r.planned_month,
                r.method,
                joint,
                "、".join(names[d] for d in joint),
                r.frequency_cap,
                r.remarks,
            )
        )
    return out


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


def departments_without_plan(session: Session, year: int) -> list[Choice]:
    """Active departments that have no plan for ``year`` yet (for 新建计划)."""
    taken = select(AnnualPlan.department_id).where(AnnualPlan.year == year)
    rows = session.execute(
        select(Department.id, Department.name)
        .where(Department.archived.is_(False), Department.id.not_in(taken))
        .order_by(Department.sort_order, Department.id)
    ).all()
    return [Choice(i, n) for i, n in rows]


def all_departments(session: Session) -> list[Choice]:
    rows = session.execute(
        select(Department.id, Department.name)
        .where(Department.archived.is_(False))
        .order_by(Department.sort_order, Department.id)
    ).all()
    return [Choice(i, n) for i, n in rows]


@dataclass(frozen=True)
class ItemChoice:
    """An inspection item a department may put in its plan, with the defaults it suggests for a row."""

    id: int
    name: str
    target_desc: str
    key_points: str
    basis: str
    methods: str
    ratio_text: str


def items_for_department(session: Session, department_id: int) -> list[ItemChoice]:
    """Non-archived items whose 检查主体 is the department (its own list and joint items it leads)."""
    items = session.scalars(
        select(InspectionItem)
        .where(InspectionItem.department_id == department_id, InspectionItem.archived.is_(False))
        .order_by(InspectionItem.code)
    ).all()
    return [
        ItemChoice(i.id, i.name, i.target_desc, i.key_points, i.basis, i.methods, i.ratio_text) for i in items
    ]


# --- drafting ------------------------------------------------------------------------------------------
def create_plan(session: Session, department_id: int, year: int) -> int:
    """A new 草稿 plan for the department and year; refused when one exists. Returns its id."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise PlanInputError(f"计划年度应为 2000–2100 的整数，当前为 {year!r}")
    with _transaction(session):
        return new_draft_plan(session, department_id, year, refusal="不能重复新建").id


def new_draft_plan(session: Session, department_id: int, year: int, *, refusal: str) -> AnnualPlan:
    """Add a 草稿 plan inside the caller's transaction; refused (“…已有…年度抽查计划，<refusal>”) when one exists."""
    dept = session.get(Department, department_id)
    if dept is None or dept.archived:
        raise PlanNotFoundError(f"部门不存在（编号 {department_id}）")
    exists = session.scalar(
        select(AnnualPlan.id).where(AnnualPlan.department_id == department_id, AnnualPlan.year == year)
    )
    if exists is not None:
        raise PlanStateError(f"{dept.name}已有{year}年度抽查计划，{refusal}")
    plan = AnnualPlan(
        department_id=department_id, year=year, title=f"{dept.name}{year}年度行政执法检查计划表"
    )
    session.add(plan)
    session.flush()
    return plan


def _apply(session: Session, row: PlanRow, clean: CleanRow) -> None:
    row.item_id = clean.item_id
    row.scope_text = clean.scope_text
    row.scope_filter = clean.scope_filter
    row.base_count = clean.base_count
    row.ratio = clean.ratio
    row.quantity = clean.quantity
    row.planned_count = clean.planned_count
    row.content = clean.content
    row.basis = clean.basis
    row.planned_month = clean.planned_month
    row.method = clean.method
    row.frequency_cap = clean.frequency_cap
    row.remarks = clean.remarks
    current = {j.department_id: j for j in row.joint_departments}
    row.joint_departments = [
        current.get(d) or PlanRowDepartment(department_id=d) for d in clean.joint_department_ids
    ]


def _add(session: Session, plan: AnnualPlan, values: RowInput) -> PlanRow:
    clean = clean_row(session, values, own_department_id=plan.department_id)
    row = PlanRow(seq=max((r.seq for r in plan.rows), default=0) + 1)
    _apply(session, row, clean)
    plan.rows.append(row)
    session.flush()
    return row


def _edit(session: Session, plan: AnnualPlan, row_id: int, values: RowInput) -> None:
    row = _row_of(plan, row_id)
    _apply(session, row, clean_row(session, values, own_department_id=plan.department_id))


def _remove(session: Session, plan: AnnualPlan, row_id: int) -> None:
    row = _row_of(plan, row_id)
    used = session.scalar(select(func.count()).where(InspectionTask.plan_row_id == row_id))
    if used:
        raise PlanStateError(f"第{row.seq}行已生成 {used} 个抽查任务，不能删除")
    plan.rows.remove(row)
    session.flush()
    for seq, other in enumerate(sorted(plan.rows, key=lambda r: r.seq), start=1):
        other.seq = seq


def add_row(session: Session, plan_id: int, values: RowInput) -> int:
    """Add a row to a 草稿 plan; returns the row id."""
    with _transaction(session):
        plan = get_plan(session, plan_id)
        _require_draft(plan)
        return _add(session, plan, values).id


def update_row(session: Session, plan_id: int, row_id: int, values: RowInput) -> None:
    """Replace a row of a 草稿 plan (基数 and 计划抽查数 recomputed)."""
    with _transaction(session):
        plan = get_plan(session, plan_id)
        _require_draft(plan)
        _edit(session, plan, row_id, values)


def remove_row(session: Session, plan_id: int, row_id: int) -> None:
    """Remove a row of a 草稿 plan; later rows are renumbered."""
    with _transaction(session):
        plan = get_plan(session, plan_id)
        _require_draft(plan)
        _remove(session, plan, row_id)


# --- status --------------------------------------------------------------------------------------------
def submit_plan(session: Session, plan_id: int, changed_by: str, reason: str = "") -> int:
    """草稿 → 已报审, recording a revision (报审). Returns the revision number."""
    who = _who(changed_by)
    with _transaction(session):
        plan = get_plan(session, plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise PlanStateError(f"只有草稿状态的计划可以报审（当前为{plan.status}）")
        if not plan.rows:
            raise PlanInputError("计划没有任何抽查事项行，不能报审")
        now = _now()
        plan.status, plan.submitted_at = PlanStatus.SUBMITTED.value, now
        return record_revision(session, plan, RevisionKind.SUBMIT, who, _one_line(reason), now).revision_no


def file_plan(session: Session, plan_id: int, changed_by: str, reason: str = "") -> int:
    """已报审 → 已审核备案, recording a revision (备案). Returns the revision number."""
    who = _who(changed_by)
    with _transaction(session):
        plan = get_plan(session, plan_id)
        if plan.status != PlanStatus.SUBMITTED:
            raise PlanStateError(f"只有已报审的计划可以审核备案（当前为{plan.status}）")
        now = _now()
        plan.status, plan.filed_at = PlanStatus.FILED.value, now
        revision = record_revision(session, plan, RevisionKind.FILE, who, _one_line(reason), now)
        crash_point("plan.file.before_commit")  # status and revision written, not committed
        return revision.revision_no


# --- 调整 ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AddRow:
    values: RowInput


@dataclass(frozen=True)
class EditRow:
    row_id: int
    values: RowInput


@dataclass(frozen=True)
class RemoveRow:
    row_id: int


RowChange = AddRow | EditRow | RemoveRow


def adjust_plan(
    session: Session, plan_id: int, changes: Sequence[RowChange], reason: str, changed_by: str
) -> int:
    """Change the rows of a plan after 报审/备案 as a recorded 调整: applies ``changes`` and stores a new
    revision (kind 调整) with who and why. Earlier revisions stay as they were. Returns the revision number."""
    why = _one_line(reason)
    if not why:
        raise PlanInputError("调整原因不能为空")
    who = _who(changed_by)
    if not changes:
        raise PlanInputError("没有要调整的内容")
    with _transaction(session):
        plan = get_plan(session, plan_id)
        if plan.status == PlanStatus.DRAFT:
            raise PlanStateError("草稿状态的计划可直接修改，无需调整")
        before = record_state(plan)
        for change in changes:
            if isinstance(change, AddRow):
                _add(session, plan, change.values)
            elif isinstance(change, EditRow):
                _edit(session, plan, change.row_id, change.values)
            else:
                _remove(session, plan, change.row_id)
        session.flush()
        if record_state(plan) == before:
            raise PlanInputError("调整没有改变计划内容")
        return record_revision(session, plan, RevisionKind.ADJUST, who, why, _now()).revision_no


def record_state(plan: AnnualPlan) -> list[tuple[object, ...]]:
    """The stored content of the rows, to tell whether an 调整 changed anything."""
    return [
        (
            r.seq,
            r.item_id,
            r.scope_text,
            r.ratio,
            r.quantity,
            r.planned_count,
            r.content,
            r.basis,
            r.planned_month,
            r.method,
            tuple(sorted(j.department_id for j in r.joint_departments)),
            r.frequency_cap,
            r.remarks,
        )
        for r in sorted(plan.rows, key=lambda r: r.seq)
    ]
