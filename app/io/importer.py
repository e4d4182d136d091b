"""Registry import: ``preview_import`` (reads and checks, writes nothing) and ``apply_import`` (writes).

Typical use (the GUI runs both off the GUI thread)::

    with transaction(db.sessions) as session:
        preview = preview_import(session, "entities", path, progress=report)
        if preview.can_apply:
            summary = apply_import(session, preview, user_id=user.id)

An import is all-or-nothing: one error anywhere refuses the whole file (ImportRefusedError), and the
writes happen in the caller's transaction, so a failure part-way leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import bulk, record_event
from app.faults import crash_point
from app.hashing import file_sha256
from app.io.errors import ImportRefusedError
from app.io.header import Layout, resolve_layout, save_mapping
from app.io.plan_common import PlanBase, begin_write
from app.io.plan_entities import plan_entities, write_entities
from app.io.plan_inspectors import plan_inspectors, write_inspectors
from app.io.plan_items import plan_items, write_items
from app.io.preview import ImportCounts, ImportPreview, ImportSummary, Outcome, RowOutcome
from app.io.readers import open_tables
from app.io.rows import ParsedSheet, RowIssue, parse_rows
from app.registry.fields import registry_spec
from db.base import utcnow
from db.models import Department, Entity, ImportBatch, InspectionItem, Inspector

__all__ = ["apply_import", "preview_import"]

Progress = Callable[[str, float], None]
Planner = Callable[[Session, ParsedSheet], PlanBase]
Writer = Callable[[Session, Any, dt.datetime, str], None]

_PLANNERS: dict[str, tuple[Planner, Writer]] = {
    "entities": (plan_entities, write_entities),
    "inspectors": (plan_inspectors, write_inspectors),
    "items": (plan_items, write_items),
}
_MAIN_TABLE: dict[str, Any] = {"entities": Entity, "inspectors": Inspector, "items": InspectionItem}


@dataclass
class _State:
    parsed: ParsedSheet
    plan: PlanBase
    fingerprint: tuple[Any, ...]
    base_issues: list[list[RowIssue] | None]
    layout: Layout


def _noop(_stage: str, _fraction: float) -> None:
    return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of small objects are built.

    Those objects hold no reference cycles, yet each collection walks all of them: at 100,000 rows the
    collector alone cost ~2.5 s. It is process-wide, hence restored in ``finally``.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fingerprint(session: Session, kind: str) -> tuple[Any, ...]:
    """Cheap evidence that the registry changed between preview and apply."""
    model = _MAIN_TABLE[kind]
    main = session.execute(
        select(func.count(), func.max(model.id), func.max(model.updated_at)).select_from(model)
    ).one()
    depts = session.execute(select(func.count(), func.max(Department.id)).select_from(Department)).one()
    return (*main, *depts)


def _plan(session: Session, kind: str, parsed: ParsedSheet) -> PlanBase:
    return _PLANNERS[kind][0](session, parsed)


def _counts_and_issues(
    parsed: ParsedSheet, plan: PlanBase
) -> tuple[list[RowOutcome], list[RowIssue], ImportCounts]:
    outcomes = list(plan.outcomes)
    outcomes.extend(RowOutcome(n, Outcome.SKIPPED, note="空行") for n in parsed.blank_rows)
    outcomes.extend(RowOutcome(n, Outcome.SKIPPED, note=why) for n, why in parsed.skipped_rows)
    outcomes.sort(key=lambda o: o.row)
    issues: list[RowIssue] = [i for row in parsed.rows if row.issues for i in row.issues]
    issues.extend(parsed.issues)
    issues.sort(key=lambda i: (i.row, i.severity != "error"))
    tally = {o: 0 for o in Outcome}
    for outcome in outcomes:
        tally[outcome.outcome] += 1
    errors = sum(1 for i in issues if i.severity == "error")
    counts = ImportCounts(
        imported=tally[Outcome.NEW],
        updated=tally[Outcome.UPDATED],
        skipped=tally[Outcome.SKIPPED] + tally[Outcome.UNCHANGED],
        warnings=len(issues) - errors,
        errors=errors,
        unchanged=tally[Outcome.UNCHANGED],
    )
    return outcomes, issues, counts


def preview_import(
    session: Session,
    kind: str,
    path: str | Path,
    mapping: Mapping[str, str | None] | None = None,
    *,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read ``path`` as a registry of ``kind`` ("entities", "inspectors", "items") and say what an
    import would do, row by row. Nothing is written.

    ``mapping`` (header label → field name, or None to ignore a column) overrides the automatic or
    remembered column mapping. Raises an ImportFileError subclass (unreadable, mislabelled, encrypted
    or empty file; no header; a required column missing; a bad mapping).
    """
    with _gc_paused():
        return _preview(session, kind, path, mapping, sheet, progress)


def _preview(
    session: Session,
    kind: str,
    path: str | Path,
    mapping: Mapping[str, str | None] | None,
    sheet: str | None,
    progress: Progress | None,
) -> ImportPreview:
    spec = registry_spec(kind)
    report = progress or _noop
    file_path = Path(path)
    report("读取文件", 0.0)
    tables = open_tables(file_path)
    table, layout = resolve_layout(session, spec, tables, mapping, sheet)
    del tables
    parsed = parse_rows(table, layout, spec, lambda stage, f: report(stage, 0.02 + 0.78 * f))
    sheet_name, file_format = table.name, table.file_format
    del table  # frees the spreadsheet reader's copy of the sheet before planning
    report("与名录比对", 0.8)
    base_issues = [list(r.issues) if r.issues else None for r in parsed.rows]
    fingerprint = _fingerprint(session, kind)
    plan = _plan(session, kind, parsed)
    outcomes, issues, counts = _counts_and_issues(parsed, plan)
    report("完成", 1.0)
    return ImportPreview(
        kind=kind,
        path=file_path,
        file_name=file_path.name,
        file_sha256=file_sha256(file_path),
        file_format=file_format,
        sheet=sheet_name,
        header_rows=tuple(r + 1 for r in layout.header_rows),
        columns=layout.columns,
        mapping=layout.mapping,
        mapping_source=layout.source,
        outcomes=outcomes,
        issues=issues,
        counts=counts,
        _state=_State(parsed, plan, fingerprint, base_issues, layout),
    )


def _refused(counts: ImportCounts) -> ImportRefusedError:
    return ImportRefusedError(
        f"文件中有 {counts.errors} 个错误，导入已拒绝，未写入任何数据。请修改后重新导入。"
    )


def apply_import(
    session: Session, preview: ImportPreview, user_id: int | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Write what ``preview`` planned, in the caller's transaction, and record an ImportBatch.

    A file that changes nothing writes nothing at all (no ImportBatch either; ``batch_id`` is None).

    If the registry changed since the preview, the rows are matched again first. Raises
    ImportRefusedError (nothing written) when any row has an error.
    """
    with _gc_paused():
        return _apply(session, preview, user_id, progress)


def _apply(
    session: Session, preview: ImportPreview, user_id: int | None, progress: Progress | None
) -> ImportSummary:
    report = progress or _noop
    state: _State = preview._state
    if not preview.can_apply:
        raise _refused(preview.counts)
    counts = preview.counts
    # Write-lock first, so the registry cannot change between this check and the writes below.
    begin_write(session)
    if _fingerprint(session, preview.kind) != state.fingerprint:
        report("名录已变化，重新比对", 0.0)
        for row, issues in zip(state.parsed.rows, state.base_issues, strict=True):
            row.set_issues(list(issues) if issues else None)
        state.plan = _plan(session, preview.kind, state.parsed)
        _outcomes, _issues, counts = _counts_and_issues(state.parsed, state.plan)
        if counts.errors:
            raise _refused(counts)
    report("写入数据库", 0.1)
    stamp = utcnow()
    if preview.mapping_source == "user":
        save_mapping(
            session, preview.kind, state.layout.labels, {c.header: c.field for c in state.layout.columns}
        )
    state.fingerprint = ()  # applying the same preview again re-matches first (and finds it unchanged)
    if counts.imported == 0 and counts.updated == 0:
        report("完成：没有需要写入的变化", 1.0)
        return ImportSummary(preview.kind, preview.file_name, counts, None)
    with bulk(session):  # one audit entry for the file, not one per row
        _PLANNERS[preview.kind][1](session, state.plan, stamp, preview.file_name)
    batch = ImportBatch(
        kind=preview.kind,
        file_name=preview.file_name[:300],
        file_sha256=preview.file_sha256,
        user_id=user_id,
        imported_at=stamp,
        counts=counts.as_dict(),
        column_mapping=dict(preview.mapping),
    )
    session.add(batch)
    session.flush()
    record_event(
        session,
        "导入",
        registry_spec(preview.kind).label,
        batch.id,
        f"从“{preview.file_name}”导入{registry_spec(preview.kind).label}：新增 {counts.imported} 条，"
        f"更新 {counts.updated} 条，跳过 {counts.skipped} 条",
        after={"file_sha256": preview.file_sha256, **counts.as_dict()},
    )
    crash_point("import.before_commit")  # every row and the batch written, the caller's commit not yet run
    report("完成", 1.0)
    return ImportSummary(preview.kind, preview.file_name, counts, batch.id)
