"""`python -m app import …` and `python -m app export …` (DESIGN.md, command line).

import: messages on stdout (the first 20 row messages in Chinese), progress on stderr, and as the LAST line
of stdout exactly one JSON object {"imported", "updated", "skipped", "warnings", "errors"}. Exit 0 when
written (or a dry run found no error), 1 when refused (nothing written), 2 for unusable arguments or files.
"""

from __future__ import annotations

from pathlib import Path

from app.console import err as _err
from app.console import json_line as _json
from app.console import open_or_report
from app.console import progress_printer as _progress
from app.console import say as _say

__all__ = ["run_export", "run_import"]

_KINDS = ("entities", "inspectors", "items")
_ZERO = {"imported": 0, "updated": 0, "skipped": 0, "warnings": 0, "errors": 0}
_SHOWN_MESSAGES = 20


def run_import(kind: str, file: Path, db_location: str, *, dry_run: bool = False) -> int:
    """The import command; returns the exit code."""
    from app.io import ImportFileError, ImportRefusedError, apply_import, preview_import

    if kind not in _KINDS:
        _err(
            f"错误：名录类型“{kind}”无效，应为 entities（检查对象）、inspectors（执法检查人员）或 items（抽查事项）。"
        )
        _json(_ZERO)
        return 2
    database = open_or_report(db_location, create=True)
    if database is None:
        _json(_ZERO)
        return 2
    session = database.sessions()
    try:
        try:
            preview = preview_import(session, kind, file, progress=_progress())
        except ImportFileError as exc:
            _err(f"错误：{exc.message_zh}")
            _json(_ZERO)
            return 2
        header = "、".join(str(r) for r in preview.header_rows)
        _say(f"文件：{preview.file_name}（工作表“{preview.sheet}”，表头在第{header}行）")
        _say("列对应：" + "；".join(f"{h} → {f}" for h, f in preview.mapping.items()))
        if preview.unmapped:
            _say("未使用的列：" + "、".join(preview.unmapped))
        for message in preview.messages(_SHOWN_MESSAGES):
            _say(message)
        if len(preview.issues) > _SHOWN_MESSAGES:
            _say(
                f"……另有 {len(preview.issues) - _SHOWN_MESSAGES} 条提示未显示（可在图形界面中导出问题清单）。"
            )
        counts = preview.counts
        if not preview.can_apply:
            _say(f"导入被拒绝：发现 {counts.errors} 个错误，未写入任何数据。")
            _json({**counts.as_dict(), "imported": 0, "updated": 0})
            return 1
        if dry_run:
            _say(f"试运行：可新增 {counts.imported} 条、更新 {counts.updated} 条，未写入任何数据。")
            _json(counts.as_dict())
            return 0
        try:
            summary = apply_import(session, preview, progress=_progress())
            session.commit()
            if summary.counts.imported:
                database.refresh_statistics()  # the bulk insert rebuilt the indexes without their statistics
        except ImportRefusedError as exc:
            session.rollback()
            _say(exc.message_zh)
            _json({**counts.as_dict(), "imported": 0, "updated": 0})
            return 1
        except Exception as exc:
            session.rollback()
            _err(f"错误：写入数据库失败，已撤销本次导入，未写入任何数据：{exc}")
            _json({**_ZERO, "errors": max(1, counts.errors)})
            return 1
        done = summary.counts
        batch = (
            f"（导入批次 {summary.batch_id}）" if summary.batch_id is not None else "（没有需要写入的变化）"
        )
        _say(f"已导入：新增 {done.imported} 条，更新 {done.updated} 条，跳过 {done.skipped} 条{batch}。")
        _json(done.as_dict())
        return 0
    finally:
        session.close()
        database.close()


def run_export(kind: str, file: Path, db_location: str, *, include_personal: bool = False) -> int:
    """The export command; returns the exit code."""
    from app.io import ExportError, export_registry
    from app.registry.fields import registry_spec

    if kind not in _KINDS:
        _err(f"错误：名录类型“{kind}”无效，应为 entities、inspectors 或 items。")
        return 2
    database = open_or_report(db_location)
    if database is None:
        return 2
    try:
        with database.sessions() as session:
            summary = export_registry(
                session, kind, file, progress=_progress(), include_personal=include_personal
            )
    except ExportError as exc:
        _err(f"错误：{exc.message_zh}")
        return 2
    finally:
        database.close()
    _say(f"已导出 {summary.rows} 条{registry_spec(kind).label}：{summary.path}")
    return 0
