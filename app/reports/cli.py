"""`python -m app report import FILE` — a filled statistics or plan table from another department's xlsx.

Output like `python -m app import`: what was recognised and the row messages (the first 20) on stdout, progress
on stderr, and as the LAST line of stdout exactly one JSON object ``{"imported", "updated", "skipped",
"warnings", "errors"}``. Exit 0 when written (or recognised as already imported, or a dry run found no error),
1 when refused (nothing written), 2 for unusable arguments or files.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.reports.importer import ReportImportPreview
    from app.reports.period import Period

from app.console import err as _err
from app.console import json_line as _json
from app.console import open_or_report
from app.console import progress_printer as _progress
from app.console import say as _say

__all__ = ["run_report_import"]

_ZERO = {"imported": 0, "updated": 0, "skipped": 0, "warnings": 0, "errors": 0}
_SHOWN_MESSAGES = 20


def _describe(preview: ReportImportPreview) -> None:
    from app.reports.importer import KIND_NAMES

    for sheet in preview.sheets:
        header = "、".join(str(r) for r in sheet.header_rows)
        info = sheet.info
        said = "；".join(
            part
            for part in (
                f"填报单位：{info.unit}" if info.unit else "",
                f"填报日期：{info.filled_on.isoformat()}" if info.filled_on else "",
                f"联系人：{info.contact}" if info.contact else "",
            )
            if part
        )
        _say(
            f"工作表“{sheet.sheet}”：{KIND_NAMES[sheet.kind]}，统计期间 {sheet.period.span_text}，表头在第{header}行，"
            f"{len(sheet.lines)} 个部门"
            + (f"，合计行在第{sheet.totals_row}行" if sheet.totals_row else "，无合计行")
            + (f"（{said}）" if said else "")
        )
    if preview.kind == "plan":
        names = "、".join(f"{p.department_name}（{len(p.preview.rows)} 行）" for p in preview.plan_parts)
        _say(f"计划表：{preview.plan_year}年度，{names or '没有可导入的部门'}")
    for sheet_name, why in preview.skipped_sheets:
        _say(f"未导入工作表“{sheet_name}”：{why}")


def run_report_import(
    file: Path,
    db_location: str,
    *,
    dry_run: bool = False,
    kind: str | None = None,
    period: Period | None = None,
    plan_year: int | None = None,
    department: str | None = None,
) -> int:
    """The command; returns the exit code."""
    from app.auth.roles import PermissionDenied
    from app.io.errors import ImportFileError, ImportRefusedError
    from app.reports.errors import ReportError
    from app.reports.importer import apply_report_import, preview_report_import

    started = time.perf_counter()
    database = open_or_report(db_location)
    if database is None:
        _json(_ZERO)
        return 2
    session = database.sessions()
    try:
        try:
            preview = preview_report_import(
                session,
                file,
                kind=kind,
                period=period,
                plan_year=plan_year,
                department=department,
                progress=_progress(),
            )
        except (ImportFileError, ReportError) as exc:
            _err(f"错误：{exc.message_zh}")
            _json(_ZERO)
            return 2
        _say(f"文件：{preview.file_name}")
        _describe(preview)
        for message in preview.messages(_SHOWN_MESSAGES):
            _say(message)
        if len(preview.issues) > _SHOWN_MESSAGES:
            _say(f"……另有 {len(preview.issues) - _SHOWN_MESSAGES} 条提示未显示。")
        counts = preview.counts
        if preview.duplicate:
            _say(f"重复的文件：{preview.duplicate}")
            _json(counts.as_dict())
            return 0
        if not preview.can_apply:
            if preview.errors:
                _say(f"导入被拒绝：发现 {preview.errors} 个错误，未写入任何数据。")
            else:
                _say("导入被拒绝：文件中没有可导入的数据，未写入任何数据。")
            _json({**counts.as_dict(), "imported": 0, "updated": 0})
            return 1
        if dry_run:
            _say(f"试运行：可导入 {counts.imported} 行，未写入任何数据。")
            _json(counts.as_dict())
            return 0
        try:
            summary = apply_report_import(session, preview)
        except (ImportRefusedError, PermissionDenied) as exc:
            _say(str(getattr(exc, "message_zh", exc)))
            _json({**counts.as_dict(), "imported": 0, "updated": 0})
            return 1
        except Exception as exc:  # a plan refused on writing (PlanError), a database error: nothing written
            message = getattr(exc, "message_zh", None) or str(exc)
            _err(f"错误：写入数据库失败，已撤销本次导入，未写入任何数据：{message}")
            _json({**_ZERO, "errors": max(1, counts.errors)})
            return 1
        _say(f"已导入：{summary.message}（用时 {time.perf_counter() - started:.2f} 秒）")
        _json(summary.counts.as_dict())
        return 0
    finally:
        session.close()
        database.close()
