"""明细: the records behind one number of a statistics table (:func:`app.reports.drill.drill_records`), with a
count, a search box when the list is long, 导出 Excel of what is listed, and — where the record is on this PC
and the app has a page for it — a double-click (or Enter) that opens it there.

The list may hold tens of thousands of records (all objects drawn in a year on a 100,000-object county): the
model keeps the rows the report made and filters an index list; the view has fixed-height rows and column
widths measured on the first rows only."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.forms.errors import PrintingError
from app.reports import Cell, Column, HeaderCell, StatTable
from ui import feedback
from ui.io.recent import last_folder, remember_folder, save_target
from ui.io.write_errors import EXCEL_LOCK_HINT
from ui.jobs import ProgressFn, run_with_progress
from ui.widgets.hint import hint_label
from ui.widgets.lazy_table import debounced_search, lazy_table_view

log = logging.getLogger(__name__)

__all__ = [
    "DrillContent",
    "DrillDownDialog",
    "DrillRowsModel",
    "Failed",
    "file_error_text",
    "in_background",
    "safe_file_name",
]

_Index = QModelIndex | QPersistentModelIndex
SEARCH_FROM = 15  # rows from which a search box is offered
MEASURED_ROWS = 300  # column widths are measured on this many rows
MUTED = QColor("#7a7a7a")


@dataclass(frozen=True)
class Failed:
    """An expected failure of background work, handed back as a value. An exception raised through
    :func:`ui.jobs.run_with_progress` keeps that function's frame — its progress dialog, thread and worker —
    in a reference cycle, and the garbage collector may free such a cycle later on another job's worker
    thread, deleting Qt objects off the GUI thread (a crash seen in the tests)."""

    error: BaseException
    path: Path | None = None


def in_background(
    parent: QWidget,
    title: str,
    fn: Callable[[ProgressFn], Any],
    expected: tuple[type[BaseException], ...],
) -> Any:
    """``fn`` behind a progress dialog (:func:`ui.jobs.run_with_progress`); its result, or :class:`Failed`
    for an ``expected`` exception (without its traceback: nothing of the worker is kept)."""

    def job(progress: ProgressFn) -> Any:
        try:
            return fn(progress)
        except expected as exc:
            log.info("%s failed: %s", title, exc, exc_info=not isinstance(exc, (OSError, PrintingError)))
            return Failed(exc.with_traceback(None), getattr(exc, "path", None))

    return run_with_progress(parent, title, job)


def safe_file_name(name: str) -> str:
    """A file name Windows accepts (no \\ / : * ? " < > |)."""
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name).strip(" .") or "统计表"


def file_error_text(exc: BaseException, path: Path) -> str:
    """Why ``path`` could not be written, in Chinese a clerk can act on."""
    if isinstance(exc, PrintingError):
        return exc.message_zh
    if isinstance(exc, PermissionError) or getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM):
        return (
            f"无法写入“{path.name}”：没有写入权限，或{EXCEL_LOCK_HINT}（或 PDF 阅读器）。\n"
            f"请关闭该文件后重试，或另选一个保存位置。\n位置：{path.parent}"
        )
    code = getattr(exc, "errno", None)
    reason = {
        errno.ENOENT: "文件夹不存在",
        errno.ENOTDIR: "所选位置不是文件夹",
        errno.EISDIR: "已有同名的文件夹",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "该位置只读（如写保护的U盘或光盘）",
    }.get(code or -1)
    if reason is None:
        detail = getattr(exc, "strerror", None) or str(exc)
        reason = f"系统提示：{detail}"
    return f"无法写入“{path.name}”：{reason}。\n请另选一个保存位置。\n位置：{path.parent}"


@dataclass(frozen=True)
class DrillContent:
    """What a drill-down shows: the number's table, row and column, and the records behind it."""

    table: StatTable
    cell: Cell
    row_label: str  # 示范县市场监督管理局 / 合计 / a task name
    column_title: str  # 检查对象（户）·发现问题数
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    local_ids: list[int | None]

    @property
    def leaf(self) -> str:
        return self.column_title.split("·")[-1]

    def summary(self) -> str:
        where = f"《{self.table.title}》　{self.table.period.label}　{self.row_label}　{self.column_title}"
        if not self.cell.is_rate:
            return f"{where}：共 {len(self.rows):,} 条记录"
        inside = len(self.cell.keys)
        flag = self.cell.flag or "计入分子"
        return (
            f"{where} {self.cell.text}：分母共 {len(self.rows):,} 条，其中“{flag}” {inside:,} 条"
            f"（最后一列为“是”）"
        )


class DrillRowsModel(QAbstractTableModel):
    """The records as text rows, filtered by a search text (an index list over the rows)."""

    def __init__(
        self, headers: Sequence[str], rows: Sequence[tuple[str, ...]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.headers = tuple(headers)
        self.rows = list(rows)
        self._shown: list[int] | None = None  # None: every row
        self._haystack: list[str] | None = None  # each row's text, lowercased, built on the first search
        self.search_text = ""

    def set_filter(self, text: str) -> None:
        needle = text.strip().lower()
        self.beginResetModel()
        self.search_text = needle
        if not needle:
            self._shown = None
        else:
            if self._haystack is None:
                self._haystack = ["\t".join(row).lower() for row in self.rows]
            self._shown = [i for i, hay in enumerate(self._haystack) if needle in hay]
        self.endResetModel()

    def source_row(self, row: int) -> int:
        return row if self._shown is None else self._shown[row]

    def shown_rows(self) -> list[tuple[str, ...]]:
        return self.rows if self._shown is None else [self.rows[i] for i in self._shown]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's signature)
        if parent.isValid():
            return 0
        return len(self.rows) if self._shown is None else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row = self.rows[self.source_row(index.row())]
        value = row[index.column()] if index.column() < len(row) else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return value if role == Qt.ItemDataRole.DisplayRole or len(value) > 20 else None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and value == "否"
            and index.column() == len(self.headers) - 1
        ):
            return MUTED
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return f"{section + 1:,}"


def _text_units(text: str) -> int:
    """Width in xlsx character units: a Chinese character is about two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


class DrillDownDialog(QDialog):
    """The records behind a number. ``opener(local_id)`` opens one on its page (None: no page for them)."""

    def __init__(
        self,
        content: DrillContent,
        opener: Callable[[int], bool] | None = None,
        open_place: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.content = content
        self.opener = opener
        self.setWindowTitle(f"明细 — {content.leaf}（{content.row_label}）")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1100, 600)
        layout = QVBoxLayout(self)

        self.summary = QLabel(content.summary())
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：名称、代码、编号、日期或结果…")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("查找(&F)：")
        search_label.setBuddy(self.search)
        self.count_label = QLabel()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)
        long_list = len(content.rows) >= SEARCH_FROM
        search_label.setVisible(long_list)
        self.search.setVisible(long_list)
        layout.addLayout(search_row)

        self.model = DrillRowsModel(content.headers, content.rows, self)
        self.view = lazy_table_view(self.model, [], single=True)
        self.view.ensurePolished()  # the style sheet's font, which the widths are measured in
        for column, width in enumerate(self._widths(self.view.fontMetrics())):
            self.view.horizontalHeader().resizeSection(column, width)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setTabKeyNavigation(False)
        self.view.activated.connect(self._open_index)  # double-click and Enter
        layout.addWidget(self.view, 1)
        self._timer = debounced_search(self.search, self.apply_search, self)

        known = sum(1 for i in content.local_ids if i is not None)
        if opener is not None and known:
            hint = f"双击一行（或选中后按 Enter）可在“{open_place}”中打开该记录。"
            if known < len(content.local_ids):
                hint += "来自其他电脑数据包的记录本机没有原件，不能打开。"
        elif content.local_ids and not known:
            hint = "这些记录来自其他电脑的数据包，本机没有原始记录。"
        else:
            hint = ""
        self.hint = hint_label(hint)
        self.hint.setVisible(bool(hint))

        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        self.export_button = QPushButton("导出 Excel(&E)…")
        self.export_button.setToolTip("将列出的记录（按查找筛选后的）导出为 Excel 工作簿")
        self.export_button.clicked.connect(lambda _c=False: self.export_xlsx())
        self.export_button.setEnabled(bool(content.rows))
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for button in (self.export_button, close):
            button.setAutoDefault(False)  # Enter in the list opens a record, never presses a button
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._update_count()
        self.setTabOrder(self.search, self.view)
        self.setTabOrder(self.view, self.export_button)
        self.setTabOrder(self.export_button, close)
        (self.search if long_list else self.view).setFocus()
        if self.model.rowCount():
            self.view.selectRow(0)

    def _widths(self, metrics: QFontMetrics) -> list[int]:
        sample = self.content.rows[:MEASURED_ROWS]
        widths = []
        for column, title in enumerate(self.content.headers):
            texts = [title, *(row[column] for row in sample if column < len(row))]
            widest = max(metrics.horizontalAdvance(t) for t in texts) + 24
            widths.append(max(60, min(widest, 360)))
        return widths

    # --- searching ---------------------------------------------------------------------------------------
    def apply_search(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.search.text())
        self._update_count()
        if self.model.rowCount():
            self.view.selectRow(0)

    def _update_count(self) -> None:
        total, shown = len(self.content.rows), self.model.rowCount()
        self.count_label.setText(f"共 {total:,} 条" if shown == total else f"显示 {shown:,} / {total:,} 条")
        self.export_button.setEnabled(shown > 0)

    # --- opening a record ---------------------------------------------------------------------------------
    def local_id_at(self, view_row: int) -> int | None:
        return self.content.local_ids[self.model.source_row(view_row)]

    def _open_index(self, index: QModelIndex) -> None:
        self.open_row(index.row())

    def open_row(self, view_row: int) -> bool:
        """Open the record of that (shown) row on its page; False when it is not on this PC or has none."""
        if self.opener is None or not (0 <= view_row < self.model.rowCount()):
            return False
        local_id = self.local_id_at(view_row)
        if local_id is None:
            feedback.info(self, "这条记录来自其他电脑的数据包，本机没有原始记录。", title="不能打开")
            return False
        if not self.opener(local_id):
            feedback.info(
                self, "未能打开这条记录：它可能已归档、删除或不在当前筛选范围内。", title="不能打开"
            )
            return False
        self.close()  # the record is shown on its page; this dialog would cover it
        return True

    # --- 导出 Excel ---------------------------------------------------------------------------------------
    def export_table(self) -> StatTable:
        """The listed records as a table for :func:`app.reports.xlsx.write_table_xlsx` (title, 统计期间,
        ruled, print setup — like the statistics tables themselves)."""
        c = self.content
        rows = self.model.shown_rows()
        columns = [Column("序号", 7), *(Column(h, 10.0) for h in c.headers)]
        sample = rows[:MEASURED_ROWS]
        for index, header in enumerate(c.headers, start=1):
            widest = max([_text_units(header), *(_text_units(r[index - 1]) for r in sample)])
            columns[index] = Column(header, float(max(8, min(widest + 2, 40))), align="left")
        note = (
            f"本表列出《{c.table.title}》中“{c.row_label}”一行“{c.column_title}”（{c.cell.text}）所含的记录"
        )
        if self.model.search_text:
            note += f"中含“{self.model.search_text}”的 {len(rows):,} 条（共 {len(c.rows):,} 条）"
        else:
            note += f"，共 {len(rows):,} 条"
        notes = [note + "。"]
        if c.cell.is_rate:
            notes.append(f"最后一列“{c.cell.flag or '计入分子'}”为“是”的记录计入分子，全部记录为分母。")
        return StatTable(
            kind="drill",
            title=f"{c.leaf}明细（{c.row_label}）",
            period=c.table.period,
            unit=c.table.unit,
            contact=c.table.contact,
            header_rows=1,
            headers=tuple(HeaderCell(col.name, 0, i) for i, col in enumerate(columns)),
            columns=tuple(columns),
            rows=tuple((Cell(n), *(Cell(v) for v in row)) for n, row in enumerate(rows, start=1)),
            totals=None,
            notes=tuple(notes),
            sheet_name="明细",
        )

    def default_file_name(self) -> str:
        c = self.content
        return safe_file_name(f"{c.table.period.label}{c.leaf}明细（{c.row_label}）") + ".xlsx"

    def export_xlsx(self, path: str | Path | None = None) -> Path | None:
        """Write the listed records to an xlsx the clerk chooses (or to ``path``), behind a progress dialog."""
        target = save_target(
            self,
            path,
            title="导出明细",
            suggested=last_folder("reports") / self.default_file_name(),
            kind="Excel 工作簿",
            suffix=".xlsx",
        )
        if target is None:
            return None
        table = self.export_table()

        def job(progress: ProgressFn) -> Path:
            progress(f"{len(table.rows):,} 条记录", 0.1)
            from app.reports.xlsx import write_table_xlsx  # openpyxl: only when a file is written

            return write_table_xlsx(table, target)

        written = in_background(self, "正在导出明细", job, (OSError,))
        if isinstance(written, Failed):
            log.warning("drill-down list not written to %s: %s", target, written.error)
            feedback.error(self, file_error_text(written.error, target), title="导出失败")
            return None
        remember_folder("reports", written)
        self.count_label.setText(f"已导出 {len(table.rows):,} 条：{written.name}")
        parent = self.parentWidget()
        context = getattr(parent, "context", None)
        if context is not None:
            context.status_message.emit(f"明细已导出：{written}")
        return written
