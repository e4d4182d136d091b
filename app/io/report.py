"""The import's problems as an xlsx the clerk can sort, filter and work through."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.io.errors import ExportError
from app.io.preview import ImportPreview
from app.io.rows import RowIssue
from app.io.xlsx_writer import XlsxColumn, write_xlsx

__all__ = ["write_issue_report"]


def write_issue_report(preview: ImportPreview, path: str | Path) -> int:
    """Write every error and warning of ``preview`` (行号, 字段, 严重程度, 说明) to an xlsx at ``path``.

    A title row names the file and the counts; the header below it is bold, filled and frozen.
    Returns the number of messages written; raises ExportError when the file cannot be written.
    """
    counts = preview.counts
    title = (
        f"导入问题清单：{preview.file_name}（错误 {counts.errors} 个，警告 {counts.warnings} 个；"
        f"{'存在错误，导入被拒绝' if counts.errors else '可以导入'}）"
    )
    return write_issue_list(path, title, [("", issue) for issue in preview.issues], with_sheet=False)


def write_issue_list(
    path: str | Path, title: str, issues: Iterable[tuple[str, RowIssue]], *, with_sheet: bool
) -> int:
    """The issue list of any import as an xlsx: a title row, then one row per (sheet, issue) — 工作表 first
    when ``with_sheet`` (a workbook of several tables), 行号, 字段, 严重程度, 说明. Returns the number written;
    ExportError when the file cannot be written."""
    target = Path(path)
    columns = [
        *([XlsxColumn("工作表", 16, "text")] if with_sheet else []),
        XlsxColumn("行号", 8, "general"),
        XlsxColumn("字段", 18, "text"),
        XlsxColumn("严重程度", 10, "text"),
        XlsxColumn("说明", 80, "wrap"),
    ]
    rows = (
        [*([sheet] if with_sheet else []), i.row or "", i.field, i.severity_zh, i.text] for sheet, i in issues
    )
    try:
        return write_xlsx(
            target, "导入问题", columns, rows, title_rows=[[title]], merges=[(0, 0, 0, len(columns) - 1)]
        )
    except OSError as exc:
        raise ExportError(f"无法写入文件 {target}：{exc.strerror or exc}") from exc
