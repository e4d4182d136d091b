"""Files the clerk asked for: why one could not be written, in words a clerk can act on, and the word that
an import's issue list was."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app.io import ExportError, RegistryIOError
from ui import feedback
from ui.io.recent import save_target
from ui.jobs import ProgressFn, run_with_progress

if TYPE_CHECKING:
    from ui.context import AppContext

log = logging.getLogger(__name__)

EXCEL_LOCK_HINT = "文件可能正在被 Excel 打开，请关闭后重试"


def write_failure_text(exc: BaseException, path: Path) -> str:
    """The sentence shown when writing ``path`` failed with ``exc`` (an ExportError or an OSError).

    A permission error usually means the workbook is open in Excel (Windows locks it), so that is said
    first; the ExportError's own message follows for anything else.
    """
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    if isinstance(cause, PermissionError) or isinstance(exc, PermissionError):
        return (
            f"无法写入“{path.name}”：{EXCEL_LOCK_HINT}。\n"
            "如果文件没有打开，请确认有权限写入该文件夹，或另选一个保存位置。"
        )
    if isinstance(exc, RegistryIOError):
        return exc.message_zh
    if isinstance(exc, OSError):
        return f"无法写入文件 {path}：{exc.strerror or exc}"
    return f"无法写入文件 {path}：{exc}"


def issue_list_written(
    parent: QWidget, context: AppContext, file_name: str, target: Path, written: int
) -> None:
    """After an import's issue list was saved: the status bar says where, and the clerk may open it."""
    log.info("issue list of %s written to %s (%d messages)", file_name, target, written)
    context.status_message.emit(f"问题清单已导出：{target}")
    if feedback.confirm(
        parent,
        f"已把 {written:,} 条问题写入：\n{target}\n\n按其中的行号修改原文件并保存后，点“重新检查”。",
        ok_text="打开问题清单",
        title="问题清单已导出",
    ):
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


def save_issue_list(
    parent: QWidget,
    context: AppContext,
    source: Path,
    file_name: str,
    path: str | Path | None,
    write: Callable[[Path], int],
) -> Path | None:
    """An import's issue list saved as xlsx: where (asked when ``path`` is None, next to ``source`` by default),
    ``write`` behind a progress dialog (returns how many messages it wrote), then a failure told in words the
    clerk can act on or :func:`issue_list_written`. The file, or None when nothing was written."""
    target = save_target(
        parent,
        path,
        title="导出问题清单",
        suggested=source.with_name(f"{source.stem}_问题清单.xlsx"),
        kind="Excel 工作簿",
        suffix=".xlsx",
    )
    if target is None:
        return None

    def job(progress: ProgressFn) -> int:
        progress("写入问题清单", 0.0)
        return write(target)

    try:
        written: int = run_with_progress(parent, "正在导出问题清单", job)
    except (ExportError, OSError) as exc:
        feedback.error(parent, write_failure_text(exc, target), title="问题清单未导出")
        return None
    issue_list_written(parent, context, file_name, target, written)
    return target
