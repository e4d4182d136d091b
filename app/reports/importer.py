"""报表导入: a filled statistics table or plan table from a department that does not run this program (it
filled the 司法局's tables in Excel and sent the xlsx), mapped and validated like the registry imports.

    preview = preview_report_import(session, "卫健委-进展情况.xlsx")        # reads and checks, writes nothing
    for message in preview.messages():                                     # "第6行 已检查数（12）大于抽取数（10）"
        print(message)
    if preview.can_apply:
        summary = apply_report_import(session, preview)                     # all or nothing, then commits

What is read — the layouts :mod:`app.reports.xlsx` writes, and what clerks do to them:

* 《市直部门XX年度随机抽查工作进展情况统计表》 (``progress``) and 《XX年度市直部门非市场监管领域推行“双随机、一公开”
  情况统计表》 (``non_market``): title, 统计期间 line, 填报单位/填报日期/联系人 line, two merged header rows, one
  row per department, an optional 合计 row, the 填表说明. The kind comes from the title (else from the header),
  the period from the 统计期间 line (else the title; or given). Header cells are found by their texts with
  :func:`app.io.header.resolve_layout` (line breaks and spaces ignored, units optional); blank rows and columns,
  a renamed sheet, numbers stored as text (``12``, ``１２户``), rates as ``96.5%``, ``0.965`` or ``96.5`` are
  read. A workbook with several tables (:func:`app.reports.xlsx.write_tables_xlsx`) gives every statistics
  sheet of it.
* a plan table (``plan``): one department's 《XX年度行政执法检查计划表》 goes to :mod:`app.plans.importer` as that
  department's new 草稿 plan; the county-wide one (a 部门 column) is split by department and each part goes
  through the same importer, all departments or none.

Checks of every statistics row, each problem a :class:`~app.io.rows.RowIssue` naming the Excel row and the
column: the department is in this database's 部门 list (by name, 简称 or code; a name without the county
prefix is accepted) or clearly a new one (a department-like name not resembling a known one: a warning);
counts are non-negative integers (a blank count is read as 0, with a warning); 已检查数 ≤ 抽取数, 公示对象数 ≤
已检查数, 发现问题数 ≤ 已检查数, 已处置数 ≤ 发现问题数, 已完成 ≤ 开展任务数, 持证人数 ≤ 检查人员数; rates agree
with their counts within rounding (half a percentage point; otherwise a warning); the 合计 row, when present,
equals the column sums (参与联合抽查 counts a joint task once, so its total lies between the largest row and
the sum). Figures of this installation's own department (本机所属部门) are refused.

Storing (:class:`db.models.ReportedFigures`, read-only): one row per department; the same file again (same
SHA-256) is recognised and nothing is written; a file for a department, table and period that already has
figures supersedes them (the older row is kept, marked) unless its 填报日期 is earlier, in which case it is
kept already superseded. One audit entry per import. :mod:`app.reports.reported` puts the current figures
into the county-wide tables.

This module finds the tables of a file, previews plan tables and applies; the rest lives in
:mod:`app.reports.import_layouts` (the kinds, the two statistics layouts, :class:`ReportFileError`),
:mod:`app.reports.import_preview` (what a preview holds), :mod:`app.reports.import_departments` (the 部门
column against the 部门名录), :mod:`app.reports.import_reading` (a sheet read into a :class:`SheetRead`) and
:mod:`app.reports.import_checks` (the checks of its rows and its 合计 row).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.hashing import file_sha256
from app.io.errors import ImportRefusedError, RegistryIOError
from app.io.preview import ImportCounts
from app.io.readers import Table, open_tables
from app.io.rows import RowIssue
from app.io.values import clean_text
from app.reports.import_departments import _Departments
from app.reports.import_layouts import (
    DEPT,
    IMPORT_KINDS,
    KIND_NAMES,
    ON_TIME,
    SHAPES,
    STAT_KINDS,
    ReportFileError,
)
from app.reports.import_preview import (
    PlanPart,
    ReportedLine,
    ReportImportPreview,
    ReportImportSummary,
    SheetRead,
)
from app.reports.import_reading import _head_texts, _read_sheet, _sheet_kind
from app.reports.import_values import info_parts, period_in_text
from app.reports.period import Period

__all__ = [
    "IMPORT_KINDS",
    "KIND_NAMES",
    "ON_TIME",
    "PlanPart",
    "ReportFileError",
    "ReportImportPreview",
    "ReportImportSummary",
    "ReportedLine",
    "SheetRead",
    "apply_report_import",
    "preview_report_import",
]

Progress = Callable[[str, float], None]


# --- the plan tables -----------------------------------------------------------------------------------------


def _plan_preview(
    session: Session,
    preview: ReportImportPreview,
    table: Table,
    title: str,
    year: int | None,
    department: str | None,
) -> None:
    from app.plans.importer import plan_table_departments, read_plan_table
    from db.models import AnnualPlan, Department

    texts = _head_texts(table)
    if year is None:
        match = re.search(r"(\d{4})\s*年", clean_text(title))
        found = period_in_text(title) if title else None
        year = int(match.group(1)) if match else (found.start.year if found else None)
    if year is None:
        raise ReportFileError("无法从标题确定计划年度，请用 --year 指定。")
    preview.plan_year = year
    path = preview.path
    try:
        listed = plan_table_departments(session, path, sheet=table.name)
    except RegistryIOError as exc:
        raise ReportFileError(exc.message_zh) from None
    departments = {
        d.id: d for d in session.scalars(select(Department).where(Department.archived.is_(False))).all()
    }
    ids: list[int] = []
    if listed:
        if department:
            raise ReportFileError(
                "该计划表有“部门”列（全县计划表），各行按部门导入，不能再用 --department 指定部门。"
            )
        for line, text, dept_id in listed:
            if dept_id is None:
                problem = "部门不能为空" if not text else f"部门“{text}”在本库的部门名录中不存在"
                preview.plan_issues.append(RowIssue(line, DEPT, "error", problem))
            elif dept_id not in ids:
                ids.append(dept_id)
    else:
        by = _Departments(session)
        chosen = department or info_parts(texts).unit
        hit = by.find(chosen) if chosen else None
        if hit is None:
            said = f"填报单位“{chosen}”不是本库部门名录中的部门" if chosen else "文件中没有填报单位"
            raise ReportFileError(f"无法确定该计划表属于哪个部门（{said}），请用 --department 指定部门代码。")
        ids = [next(d.id for d in departments.values() if d.code == hit[0])]
    for dept_id in ids:
        dept = departments[dept_id]
        part = read_plan_table(session, path, dept_id, sheet=table.name)
        preview.plan_parts.append(PlanPart(dept_id, dept.name, part))
        for error in part.file_errors:
            preview.plan_issues.append(RowIssue(0, "", "error", f"{dept.name}：{error}"))
        for row in part.rows:
            preview.plan_issues += [RowIssue(row.line, "", "error", e) for e in row.errors]
        exists = session.scalar(
            select(AnnualPlan.id).where(AnnualPlan.department_id == dept_id, AnnualPlan.year == year)
        )
        if exists is not None:
            preview.plan_issues.append(
                RowIssue(
                    0, "", "error", f"{dept.name}已有{year}年度抽查计划，不能导入（请在计划页面修改或调整）"
                )
            )
    preview.plan_issues.sort(key=lambda i: i.row)


# --- preview and apply -----------------------------------------------------------------------------------------


def _duplicate(session: Session, sha256: str) -> str:
    from app.exchange.importing import local_time
    from db.models import ReportedFigures

    found = session.execute(
        select(ReportedFigures.imported_at, ReportedFigures.imported_by)
        .where(ReportedFigures.file_sha256 == sha256)
        .limit(1)
    ).first()
    if found is None:
        return ""
    return f"该文件已于 {local_time(found.imported_at)} 导入（{found.imported_by or '未署名'}），本次未重复导入。"


def preview_report_import(
    session: Session,
    path: str | Path,
    *,
    kind: str | None = None,
    period: Period | None = None,
    plan_year: int | None = None,
    department: str | None = None,
    progress: Progress | None = None,
) -> ReportImportPreview:
    """Read ``path`` and say what an import would store, row by row; writes nothing.

    ``kind`` (progress / non_market / plan) and ``period`` (statistics) or ``plan_year`` (plans) override what
    the file says (a stated period that differs is refused); ``department`` (code or name) names the department
    of a one-department plan table whose 填报单位 does not. Raises :class:`ImportFileError` subclasses for a file
    that cannot be used (unreadable, hostile, no recognisable table, no period, missing columns).
    """
    report = progress or (lambda _stage, _fraction: None)
    if kind is not None and kind not in IMPORT_KINDS:
        raise ReportFileError(
            f"表格类型“{kind}”无效，应为 progress（进展情况）、non_market（非市场监管推行情况）或 plan（计划表）。"
        )
    file_path = Path(path)
    report("读取文件", 0.0)
    tables = open_tables(file_path)  # the hostile-file checks of app.io.safety run here
    preview = ReportImportPreview(
        file_path, file_path.name, file_sha256(file_path), file_path.stat().st_size, kind or "statistics"
    )
    found: list[tuple[Table, str, str]] = []
    for table in tables:
        sheet_kind, title = _sheet_kind(table)
        if sheet_kind is None:
            preview.skipped_sheets.append((table.name, "不是可导入的统计表或计划表"))
        elif sheet_kind == "joint":
            preview.skipped_sheets.append((table.name, "联合检查工作进展情况统计表按任务列出，不导入"))
        else:
            found.append((table, sheet_kind, title))
    wanted = [f for f in found if f[1] == kind] if kind else [f for f in found if f[1] in STAT_KINDS]
    if kind is None and not wanted:
        wanted = [f for f in found if f[1] == "plan"]
    if wanted and wanted[0][1] == "plan":  # one plan table: the whole plan before its 非市场监管领域 part
        wanted = sorted(wanted, key=lambda f: "非市场" in f[2])[:1]
    for table, sheet_kind, _title in found:
        if all(table is not w[0] for w in wanted):
            preview.skipped_sheets.append((table.name, f"{KIND_NAMES[sheet_kind]}，本次未导入"))
    if not wanted:
        what = KIND_NAMES[kind] if kind else "统计表或计划表"
        raise ReportFileError(
            f"{file_path.name} 中没有找到{what}（按标题和表头识别）。"
            "请确认文件是司法局下发的统计表或计划表的格式，或用 --kind 指定表格类型。"
        )
    report("核对数字", 0.3)
    if wanted[0][1] == "plan":
        preview.kind = "plan"
        _plan_preview(session, preview, wanted[0][0], wanted[0][2], plan_year, department)
    else:
        departments = _Departments(session)
        for table, sheet_kind, _title in wanted:
            preview.sheets.append(_read_sheet(table, SHAPES[sheet_kind], period, departments))
        kinds = {s.kind for s in preview.sheets}
        preview.kind = kinds.pop() if len(kinds) == 1 else "statistics"
        preview.duplicate = _duplicate(session, preview.file_sha256)
        for sheet, line in preview.lines:
            current = _current_of(session, sheet, line)
            if current is not None:
                if _is_older(sheet, current):
                    preview.kept_old += 1
                else:
                    preview.replacing += 1
    report("完成", 1.0)
    return preview


def _current_of(session: Session, sheet: SheetRead, line: ReportedLine) -> Any:
    from db.models import ReportedFigures

    query = select(ReportedFigures).where(
        ReportedFigures.kind == sheet.kind,
        ReportedFigures.period_start == sheet.period.start,
        ReportedFigures.period_end == sheet.period.end,
        ReportedFigures.superseded_by_id.is_(None),
    )
    if line.department_code:
        query = query.where(ReportedFigures.department_code == line.department_code)
    else:
        query = query.where(
            ReportedFigures.department_code == "", ReportedFigures.department_name == line.department_name
        )
    return session.scalars(query.order_by(ReportedFigures.id.desc())).first()


def _is_older(sheet: SheetRead, current: Any) -> bool:
    """Whether the file's 填报日期 is earlier than that of the figures already current (both known)."""
    return (
        current.filled_on is not None
        and sheet.info.filled_on is not None
        and sheet.info.filled_on < current.filled_on
    )


def apply_report_import(
    session: Session, preview: ReportImportPreview, *, now: dt.datetime | None = None
) -> ReportImportSummary:
    """Write what ``preview`` found, all or nothing, and commit (one audit entry). A duplicate file writes
    nothing and returns a summary saying so. Raises :class:`ImportRefusedError` (nothing written) when any row
    has an error, and :class:`~app.auth.roles.PermissionDenied` without the 数据交换 permission."""
    from app.audit import record_event
    from app.auth.roles import Permission, require
    from db.base import utcnow
    from db.models import ReportedFigures

    if preview.duplicate:
        return ReportImportSummary(preview.file_name, preview.counts, message=preview.duplicate)
    if not preview.can_apply:
        raise ImportRefusedError(
            f"文件中有 {preview.errors} 个错误，导入已拒绝，未写入任何数据。请修改后重新导入。"
            if preview.errors
            else "文件中没有可导入的数据，未写入任何数据。"
        )
    if preview.kind == "plan":
        return _apply_plans(session, preview)
    actor = require(session, Permission.EXCHANGE, "导入其他部门的统计表")
    try:
        again = _duplicate(session, preview.file_sha256)
        if again:
            session.rollback()
            return ReportImportSummary(preview.file_name, preview.counts, message=again)
        moment = now or utcnow()
        ids: list[int] = []
        replaced: list[int] = []
        kept_old = 0
        for sheet, line in preview.lines:
            current = _current_of(session, sheet, line)
            older = current is not None and _is_older(sheet, current)
            row = ReportedFigures(
                kind=sheet.kind,
                department_code=line.department_code,
                department_name=line.department_name[:100],
                period_start=sheet.period.start,
                period_end=sheet.period.end,
                period_label=sheet.period.label,
                figures=line.figures,
                source_row=line.row,
                sheet_name=sheet.sheet[:100],
                file_sha256=preview.file_sha256,
                file_name=preview.file_name[:255],
                file_size=preview.file_size,
                unit=sheet.info.unit,
                filled_on=sheet.info.filled_on,
                contact=sheet.info.contact,
                imported_at=moment,
                imported_by=actor.label,
                superseded_by_id=current.id if older and current is not None else None,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
            if current is not None and not older:
                current.superseded_by_id = row.id
                replaced.append(current.id)
            kept_old += older
        counts = ImportCounts(
            imported=len(ids) - kept_old - len(replaced),
            updated=len(replaced),
            skipped=sum(s.skipped for s in preview.sheets) + kept_old,
            warnings=preview.warnings,
            errors=0,
        )
        message = _summary_text(preview, len(replaced), kept_old)
        record_event(
            session,
            "导入",
            "报表导入",
            ids[0],
            message,
            after={
                "file": preview.file_name,
                "sha256": preview.file_sha256,
                "sheets": [
                    {
                        "sheet": s.sheet,
                        "kind": s.kind,
                        "period": s.period.to_json_dict(),
                        "rows": len(s.lines),
                    }
                    for s in preview.sheets
                ],
                "departments": [line.department_code or line.department_name for _s, line in preview.lines],
                "ids": ids,
                "superseded": replaced,
                "stored_superseded": kept_old,
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ReportImportSummary(
        preview.file_name, counts, tuple(ids), len(replaced), kept_old, message=message
    )


def _summary_text(preview: ReportImportPreview, replaced: int, kept_old: int) -> str:
    parts = []
    for sheet in preview.sheets:
        names = "、".join(line.department_name for line in sheet.lines)
        parts.append(f"{KIND_NAMES[sheet.kind]}（{sheet.period.label}）{len(sheet.lines)} 个部门：{names}")
    text = f"从“{preview.file_name}”导入报表数字：" + "；".join(parts)
    if replaced:
        text += f"；取代此前导入的 {replaced} 行"
    if kept_old:
        text += f"；其中 {kept_old} 行的填报日期早于已导入的文件，仅存档，不作为当前数字"
    return text + "。"


def _apply_plans(session: Session, preview: ReportImportPreview) -> ReportImportSummary:
    from app.audit import record_event
    from app.plans.importer import add_imported_plan

    assert preview.plan_year is not None
    year = preview.plan_year
    try:
        plan_ids = [add_imported_plan(session, p.department_id, year, p.preview) for p in preview.plan_parts]
        names = "、".join(f"{p.department_name}（{len(p.preview.rows)} 行）" for p in preview.plan_parts)
        message = f"从“{preview.file_name}”导入{year}年度抽查计划（草稿）：{names}。"
        record_event(
            session,
            "导入",
            "年度抽查计划",
            plan_ids[0],
            message,
            after={
                "file": preview.file_name,
                "sha256": preview.file_sha256,
                "year": year,
                "plans": dict(zip([p.department_name for p in preview.plan_parts], plan_ids, strict=True)),
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    counts = ImportCounts(preview.plan_rows, 0, 0, preview.warnings, 0)
    return ReportImportSummary(preview.file_name, counts, plan_ids=tuple(plan_ids), message=message)
