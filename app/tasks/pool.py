"""The object pool (检查对象库) of a task: 定向 filter, then each exclusion with its count, then strata.

Counting and filtering run in SQL over the live (non-archived) registry; only the final pool's rows are
fetched. Exclusions apply in a fixed order and each count is what that step removed from what was left:

1. 注销/吊销/迁出/歇业 — ``reg_status`` is not 存续;
2. not a 检查对象 of the task's items — an object counts if it fits any item's kinds and industries;
3. already inspected — drawn for one of the task's items in a finished (non-voided) draw of the same year;
4. annual cap — drawn that many times this year, in finished draws of any task.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, select, true
from sqlalchemy.orm import Session

from app.draw import StratumRule
from app.tasks.common import annual_cap_setting
from app.tasks.errors import PoolError
from app.tasks.spec import StrataBasis
from app.tasks.tasks import TaskDefinition
from db.enums import DrawStatus, RegStatus
from db.models import Assignment, Department, Draw, Entity, InspectionItem, InspectionTask, PlanRow, TaskItem

EXCLUSION_LABELS = {
    "deregistered": "登记状态为注销、吊销、迁出或歇业",
    "outside_item": "不属于抽查事项的检查对象",
    "already_inspected": "本年度已就同一抽查事项被抽中",
    "annual_cap": "本年度被抽中次数已达上限",
}


@dataclass(frozen=True)
class PoolContext:
    """What the pool depends on besides the task: resolved once when a draw is prepared, then reused."""

    year: int
    inspection_date: dt.date
    """The date every 执法证 must cover: the task's planned date, else the day the draw was prepared."""
    annual_cap_limit: int | None
    """Resolved per-object annual cap; None when that exclusion is switched off."""

    def to_json(self) -> dict[str, Any]:
        """For ``Draw.pool_summary``."""
        return {
            "year": self.year,
            "inspection_date": self.inspection_date.isoformat(),
            "annual_cap_limit": self.annual_cap_limit,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PoolContext:
        """Read back what :meth:`to_json` wrote."""
        limit = data.get("annual_cap_limit")
        return cls(int(data["year"]), dt.date.fromisoformat(data["inspection_date"]), limit)


def resolve_context(
    session: Session, definition: TaskDefinition, today: dt.date | None = None
) -> PoolContext:
    """The inspection date and annual cap for a task: the task's own limit, else its plan row's 频次上限,
    else the setting."""
    limit: int | None = None
    if definition.exclusions.annual_cap:
        limit = definition.exclusions.annual_cap_limit
        if limit is None and definition.plan_row_id is not None:
            row = session.get(PlanRow, definition.plan_row_id)
            limit = row.frequency_cap if row is not None else None
        if limit is None:
            limit = annual_cap_setting(session)
    date = definition.planned_date or today or dt.date.today()
    return PoolContext(definition.year, date, limit)


def exact_rate(n: int, pool: int) -> Decimal:
    """n/N as a Decimal: exact whenever n/N has a finite decimal expansion, else rounded to 12 places."""
    if pool == 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 60
        value = Decimal(n) / Decimal(pool)
    fraction = Fraction(n, pool)
    if Fraction(value) == fraction:
        return value.normalize() if value else Decimal(0)
    return value.quantize(Decimal("1e-12"))


def percent_text(rate: Decimal) -> str:
    """A rate as a printable percentage with two decimals, e.g. ``5.02%``."""
    return f"{(rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class ExclusionCount:
    """One exclusion step: its key, Chinese label, whether it is switched on, how many objects it removed."""

    key: str
    label: str
    enabled: bool
    count: int


@dataclass(frozen=True)
class StratumSummary:
    """One stratum: label, rule as written (``0.05`` / ``#10``), pool size N and sample size n."""

    label: str
    rule: str
    pool_size: int
    sample_size: int

    @property
    def inclusion_rate(self) -> Decimal:
        """n/N (see :func:`exact_rate`)."""
        return exact_rate(self.sample_size, self.pool_size)

    @property
    def inclusion_percent(self) -> str:
        """n/N as e.g. ``5.02%``."""
        return percent_text(self.inclusion_rate)


@dataclass(frozen=True)
class PoolSummary:
    """Everything about the object pool that is shown and printed before the commitment."""

    registry_size: int
    """Live (non-archived) entities in the registry."""
    filter_lines: tuple[str, ...]
    base_count: int
    """Live entities meeting the 定向 filter (the whole registry for 不定向)."""
    exclusions: tuple[ExclusionCount, ...]
    pool_size: int
    strata_basis: str
    strata: tuple[StratumSummary, ...]

    @property
    def sample_size(self) -> int:
        """n: objects the draw will pick (sum over strata)."""
        return sum(s.sample_size for s in self.strata)

    @property
    def inclusion_rate(self) -> Decimal:
        """n/N over the whole pool (see :func:`exact_rate`)."""
        return exact_rate(self.sample_size, self.pool_size)

    @property
    def inclusion_percent(self) -> str:
        """n/N as e.g. ``5.00%``."""
        return percent_text(self.inclusion_rate)

    def lines(self) -> list[str]:
        """Chinese lines for the projection and the printout."""
        lines = [f"检查对象名录库（未归档）：{self.registry_size} 个"]
        lines += [f"定向条件 {line}" for line in self.filter_lines]
        lines.append(f"符合条件的检查对象（基数）：{self.base_count} 个")
        for ex in self.exclusions:
            lines.append(f"  排除“{ex.label}”：{ex.count} 个" if ex.enabled else f"  “{ex.label}”：未启用")
        lines.append(f"可抽取的检查对象：{self.pool_size} 个（{self.strata_basis}）")
        for s in self.strata:
            rule = f"数量 {s.rule[1:]}" if s.rule.startswith("#") else f"比例 {s.rule}"
            lines.append(
                f"  分层“{s.label}”（{rule}）：{s.pool_size} 个中抽取 {s.sample_size} 个，"
                f"抽查比例 {s.inclusion_percent}"
            )
        lines.append(f"共抽取 {self.sample_size} 个，抽查比例 {self.inclusion_percent}")
        return lines

    def to_json(self) -> dict[str, Any]:
        """For ``Draw.pool_summary`` and the record's ``meta`` (rates as exact decimal text)."""
        return {
            "registry_size": self.registry_size,
            "filter": list(self.filter_lines),
            "base_count": self.base_count,
            "exclusions": [
                {"key": e.key, "label": e.label, "enabled": e.enabled, "count": e.count}
                for e in self.exclusions
            ],
            "pool_size": self.pool_size,
            "strata_basis": self.strata_basis,
            "strata": [
                {
                    "label": s.label,
                    "rule": s.rule,
                    "pool_size": s.pool_size,
                    "sample_size": s.sample_size,
                    "inclusion_rate": format(s.inclusion_rate, "f"),
                    "inclusion_percent": s.inclusion_percent,
                }
                for s in self.strata
            ],
            "sample_size": self.sample_size,
            "inclusion_rate": format(self.inclusion_rate, "f"),
            "inclusion_percent": self.inclusion_percent,
        }


@dataclass(frozen=True)
class ObjectPool:
    """The pool as draw input: SJDRAW-1 rows ``(id, stratum, name)`` and the way back to entity ids."""

    summary: PoolSummary
    rows: list[tuple[str, str, str]]
    entity_ids: dict[str, int]
    """SJDRAW-1 object id → ``Entity.id``."""


def _filter_clause(definition: TaskDefinition) -> ColumnElement[bool]:
    f = definition.pool_filter
    clauses: list[ColumnElement[bool]] = [Entity.archived.is_(False)]
    for column, values in (
        (Entity.kind, f.kinds),
        (Entity.industry, f.industries),
        (Entity.town, f.towns),
        (Entity.risk_level, f.risk_levels),
        (Entity.credit_class, f.credit_classes),
    ):
        if values:
            clauses.append(column.in_(values))
    if f.department_ids:
        clauses.append(Entity.department_id.in_(f.department_ids))
    if f.abnormal_list is not None:
        clauses.append(Entity.abnormal_list.is_(f.abnormal_list))
    if f.serious_illegal is not None:
        clauses.append(Entity.serious_illegal.is_(f.serious_illegal))
    return and_(*clauses)


def _scope_clause(session: Session, item_ids: tuple[int, ...]) -> ColumnElement[bool]:
    """Objects of any of the items (an item with no kinds and no industries takes any object)."""
    parts: list[ColumnElement[bool]] = []
    for item in session.scalars(select(InspectionItem).where(InspectionItem.id.in_(item_ids))):
        terms: list[ColumnElement[bool]] = []
        if item.target_kinds:
            terms.append(Entity.kind.in_(item.target_kinds))
        if item.target_industries:
            terms.append(Entity.industry.in_(item.target_industries))
        if not terms:
            return true()
        parts.append(and_(*terms))
    return or_(*parts) if parts else true()


def _finished_assignments(year: int, task_id: int) -> Any:
    """Assignments of finished (not voided) draws of other tasks of ``year``."""
    return (
        select(Assignment.entity_id)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(InspectionTask, InspectionTask.id == Draw.task_id)
        .where(
            Draw.status == DrawStatus.FINISHED.value,
            InspectionTask.year == year,
            InspectionTask.id != task_id,
        )
    )


def _single_line(text: str) -> bool:
    return "\t" not in text and "\r" not in text and "\n" not in text


def _object_rows(raw: Sequence[Any]) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """SJDRAW-1 rows from ``(entity id, uscc, reg_no, name, stratum)``: id = 统一社会信用代码, else 注册号,
    else ``ENTITY-<id>``. A code shared by several rows (one 注册号 entered twice) falls back to
    ``ENTITY-<id>`` for all of them, so ids never depend on the order SQL returns rows in."""
    ids = [uscc or reg_no or f"ENTITY-{entity_id}" for entity_id, uscc, reg_no, _name, _stratum in raw]
    names = [row[3] for row in raw]
    if not _single_line("\x00".join(ids)) or not _single_line("\x00".join(names)):
        # SJDRAW-1 forbids TAB/CR/LF: such a code is not used, such a name is folded onto one line.
        ids = [i if _single_line(i) else f"ENTITY-{row[0]}" for i, row in zip(ids, raw, strict=True)]
        names = [n if _single_line(n) else " ".join(n.split()) for n in names]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        shared: set[str] = set()
        for object_id in ids:
            (shared if object_id in seen else seen).add(object_id)
        ids = [f"ENTITY-{row[0]}" if i in shared else i for i, row in zip(ids, raw, strict=True)]
    rows = list(zip(ids, [row[4] for row in raw], names, strict=True))
    return rows, dict(zip(ids, [row[0] for row in raw], strict=True))


def build_pool(session: Session, definition: TaskDefinition, context: PoolContext) -> ObjectPool:
    """Filter, exclude and stratify the registry for a task; raises :class:`PoolError` for unusable rows."""
    selected = _filter_clause(definition)
    active: ColumnElement[bool] = (
        Entity.reg_status == RegStatus.ACTIVE.value if definition.exclusions.deregistered else true()
    )
    scope = _scope_clause(session, definition.item_ids) if definition.exclusions.outside_item else true()
    done = _finished_assignments(context.year, definition.task_id)
    inspected: ColumnElement[bool] = false()
    if definition.exclusions.already_inspected:
        same_item = done.join(TaskItem, TaskItem.task_id == InspectionTask.id).where(
            TaskItem.item_id.in_(definition.item_ids)
        )
        inspected = Entity.id.in_(same_item)
    capped: ColumnElement[bool] = false()
    if context.annual_cap_limit is not None:
        capped = Entity.id.in_(
            done.group_by(Assignment.entity_id).having(func.count() >= context.annual_cap_limit)
        )

    def count_of(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    count_query = select(
        func.count(),
        count_of(~active),
        count_of(and_(active, ~scope)),
        count_of(and_(active, scope, inspected)),
        count_of(and_(active, scope, ~inspected, capped)),
    ).where(selected)
    basis = definition.strata.basis
    stratum_column: Any = {
        StrataBasis.RISK: Entity.risk_level,
        StrataBasis.CREDIT: Entity.credit_class,
    }.get(basis, literal("全部"))
    row_query = select(Entity.id, Entity.uscc, Entity.reg_no, Entity.name, stratum_column).where(
        selected, active, scope, ~inspected, ~capped
    )
    # The counts and the rows are separate statements; a registry write between them (another PC, an
    # import) would make the printed numbers not add up, so both are read again until they agree.
    for _attempt in range(3):
        counts = [int(c) for c in session.execute(count_query).one()]
        # Core rather than ORM execution: no per-row ORM processing for 100,000 rows.
        raw = session.connection().execute(row_query).all()
        if counts[0] - sum(counts[1:]) == len(raw):
            break
    else:
        raise PoolError("检查对象名录库正在被修改（例如正在导入），请稍后重新计算抽取范围")
    registry_size = session.scalar(select(func.count()).select_from(Entity).where(Entity.archived.is_(False)))

    labels = set(basis.labels)
    bad_strata = [f"{row[3]}（{row[4] or '空'}）" for row in raw if row[4] not in labels]
    if bad_strata:
        raise PoolError(
            f"{len(bad_strata)} 个检查对象的{basis.value}不是 {'/'.join(basis.labels)}，无法分层，"
            f"请先在名录库中补正：{'、'.join(bad_strata[:5])}{' 等' if len(bad_strata) > 5 else ''}"
        )
    rows, entity_ids = _object_rows(raw)

    excluded = counts[1:]
    flags = (
        definition.exclusions.deregistered,
        definition.exclusions.outside_item,
        definition.exclusions.already_inspected,
        context.annual_cap_limit is not None,
    )
    exclusions = []
    for key, enabled, count in zip(EXCLUSION_LABELS, flags, excluded, strict=True):
        label = EXCLUSION_LABELS[key]
        if key == "annual_cap" and context.annual_cap_limit is not None:
            label = f"{label}（{context.annual_cap_limit}次）"
        exclusions.append(ExclusionCount(key, label, enabled, count))
    by_stratum = Counter(row[4] for row in raw)
    strata = tuple(
        StratumSummary(
            label, spelled, by_stratum[label], StratumRule(label, spelled).sample_size(by_stratum[label])
        )
        for label, spelled in definition.strata.rules
    )
    summary = PoolSummary(
        registry_size=int(registry_size or 0),
        filter_lines=tuple(definition.pool_filter.describe(_department_names(session, definition))),
        base_count=counts[0],
        exclusions=tuple(exclusions),
        pool_size=len(rows),
        strata_basis=definition.strata.describe(),
        strata=strata,
    )
    return ObjectPool(summary, rows, entity_ids)


def _department_names(session: Session, definition: TaskDefinition) -> dict[int, str]:
    ids = definition.pool_filter.department_ids
    if not ids:
        return {}
    rows = session.execute(select(Department.id, Department.name).where(Department.id.in_(ids)))
    return {dept_id: name for dept_id, name in rows}
