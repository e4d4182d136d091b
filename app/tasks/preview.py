"""Everything shown before the commitment (SJDRAW-1 §8), computed from the database without writing.

:func:`preview_draw` gives the pool with its exclusion counts, the inspectors per department with who was
left out, the SJDRAW-1 inputs and hashes (via :func:`app.draw.prepare`) and, when the draw cannot run,
Chinese sentences naming the department or object that falls short and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.draw import DrawError, PreparedDraw, format_params, prepare
from app.tasks.errors import PoolError
from app.tasks.inspectors import DepartmentEligibility, conflict_rows, department_eligibility
from app.tasks.pool import PoolContext, PoolSummary, build_pool, resolve_context
from app.tasks.tasks import TaskDefinition, task_definition


@dataclass(frozen=True)
class DrawPreview:
    """The pre-commitment view of a task's draw. ``problems`` is empty exactly when the draw can run."""

    definition: TaskDefinition
    context: PoolContext
    pool: PoolSummary
    departments: tuple[DepartmentEligibility, ...]
    prepared: PreparedDraw
    entity_ids: dict[str, int]
    """SJDRAW-1 object id → ``Entity.id``."""
    inspector_ids: dict[str, int]
    """SJDRAW-1 inspector id → ``Inspector.id``."""
    problems: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        """True when the draw can run (§8 passed and at least one object will be drawn)."""
        return not self.problems

    @property
    def hashes(self) -> dict[str, str]:
        """The four SJDRAW-1 input hashes (objects, inspectors, conflicts, params)."""
        return dict(self.prepared.hashes)

    def summary_lines(self) -> list[str]:
        """Chinese lines to project and print before the commitment: pool, inspectors, hashes, feasibility."""
        d = self.definition
        lines = [
            f"抽查任务：{d.code} {d.title}",
            f"检查日期（执法证须在此日有效）：{self.context.inspection_date}",
        ]
        lines += self.pool.lines()
        for dept in self.departments:
            lines += dept.lines()
        engine_verdict = set(self.prepared.feasibility.messages())
        lines += [
            line
            for line in self.prepared.summary_lines()
            if line not in engine_verdict and "可行性检查通过" not in line
        ]
        lines += [f"无法摇号：{p}" for p in self.problems] or ["可行性检查通过，可以生成承诺值。"]
        return lines

    def to_json(self) -> dict[str, Any]:
        """``Draw.pool_summary``: all of the above as JSON, plus the way back from SJDRAW-1 ids to rows."""
        return {
            "context": self.context.to_json(),
            "pool": self.pool.to_json(),
            "departments": [d.to_json() for d in self.departments],
            "params_text": self.prepared.params_text,
            "hashes": self.hashes,
            "conflicts": len(self.prepared.conflicts),
            "summary_lines": self.summary_lines(),
        }


def _problems(
    preview_pool: PoolSummary, prepared: PreparedDraw, departments: list[DepartmentEligibility]
) -> list[str]:
    by_group = {d.group: d for d in departments}
    problems: list[str] = []
    if preview_pool.pool_size == 0:
        problems.append("经定向筛选和排除后没有可抽取的检查对象")
    elif prepared.sample_size == 0:
        problems.append("按设定的比例或数量本次抽取 0 个检查对象")
    for shortage in prepared.feasibility.group_shortages:
        dept = by_group[shortage.group]
        problems.append(
            f"{dept.group}合格检查人员仅 {shortage.members} 名，每个对象需要 {shortage.k} 名"
            f"（{dept.reasons_text()}）"
        )
    for s in prepared.feasibility.object_shortages:
        problems.append(
            f"检查对象“{s.object_name}”（{s.object_id}）：{s.group}合格检查人员 {s.members} 名中"
            f" {s.conflicting} 名须回避，仅剩 {s.free} 名，每个对象需要 {s.k} 名"
        )
    return problems


def build_preview(session: Session, definition: TaskDefinition, context: PoolContext) -> DrawPreview:
    """The preview of ``definition`` under a fixed context (used again, unchanged, when the draw finishes)."""
    pool = build_pool(session, definition, context)
    departments = department_eligibility(session, definition, context.inspection_date)
    conflicts = conflict_rows(session, departments, pool.entity_ids)
    inspectors = [(i.record_id, d.group, i.name) for d in departments for i in d.eligible]
    try:
        params = format_params(
            definition.strata.rule_objects(), [(d.group, d.k) for d in departments], definition.cap
        )
        prepared = prepare(pool.rows, inspectors, conflicts, params)
    except DrawError as exc:
        raise PoolError(f"无法生成摇号输入：{exc.message}") from None
    return DrawPreview(
        definition=definition,
        context=context,
        pool=pool.summary,
        departments=tuple(departments),
        prepared=prepared,
        entity_ids=pool.entity_ids,
        inspector_ids={i.record_id: i.inspector_id for d in departments for i in d.eligible},
        problems=tuple(_problems(pool.summary, prepared, departments)),
    )


def preview_draw(session: Session, task_id: int) -> DrawPreview:
    """What a draw of this task would take as input, and whether it can run; writes nothing."""
    definition = task_definition(session, task_id)
    return build_preview(session, definition, resolve_context(session, definition))
