"""Why a file could not be written, in words a clerk can act on."""

from __future__ import annotations

from pathlib import Path

from app.io import RegistryIOError

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
