"""The result of 验证完整性 when something is broken: every problem found, the first one highlighted, and a way
to jump to the audit entry a problem names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.audit.verify import Problem, VerifyReport
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.widgets.hint import hint_label

_Index = QModelIndex | QPersistentModelIndex

PROBLEM_COLUMNS: list[Column[Problem]] = [
    Column("类别", lambda p: p.area),
    Column("审计记录", lambda p: f"第 {p.entry_id} 条" if p.entry_id is not None else "", align_right=True),
    Column("问题", lambda p: p.message),
]

_FIRST_BACKGROUND = QBrush(QColor("#fbe4e2"))
_FIRST_FOREGROUND = QBrush(QColor("#b3261e"))


class _ProblemModel(ListTableModel[Problem]):
    """Problems in the order found; the first one stands out."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() == 0:
            if role == Qt.ItemDataRole.BackgroundRole:
                return _FIRST_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return _FIRST_FOREGROUND
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return self.row_object(index.row()).message
        return super().data(index, role)


class VerifyProblemsDialog(QDialog):
    """核验不通过: the problems, the first named above the list. locate(entry_id) asks the page to select it.

    Modeless, so the reader can look through the log while the list of problems stays open."""

    locate = Signal(int)

    def __init__(self, report: VerifyReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("验证完整性：核验不通过")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(880, 320)
        layout = QVBoxLayout(self)
        lines = report.lines()
        intro = QLabel(
            f"核验不通过，发现 {len(report.problems)} 处问题。数据库曾被绕过本程序改动，"
            "请保留现状并报告单位负责人；可用备份恢复后再次核验。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        first = report.first_problem
        self.first_label = QLabel(f"首个问题：〔{first.area}〕{first.message}" if first else "")
        self.first_label.setWordWrap(True)
        self.first_label.setObjectName("hint")
        self.first_label.setProperty("alert", True)
        bold = self.first_label.font()
        bold.setBold(True)
        self.first_label.setFont(bold)
        self.first_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.first_label)

        self.model = _ProblemModel(PROBLEM_COLUMNS, report.problems)
        self.table = list_table_view(self.model, stretch_column=2, single=True)
        self.table.setWordWrap(True)
        self.table.doubleClicked.connect(lambda _index: self.locate_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_button())
        layout.addWidget(self.table, 1)
        counts = hint_label(lines[0])
        layout.addWidget(counts)

        buttons = QDialogButtonBox()
        self.locate_button = QPushButton("在日志中定位")
        self.locate_button.setToolTip("在审计日志列表中选中该问题所指的记录（也可双击问题）")
        buttons.addButton(self.locate_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.locate_button.clicked.connect(self.locate_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # The first problem stands out by its colour; the selection starts on the first one that names an
        # entry, so 在日志中定位 works straight away.
        locatable = [n for n, p in enumerate(report.problems) if p.entry_id is not None]
        if report.problems:
            self.table.selectRow(locatable[0] if locatable else 0)
        self._update_button()

    def selected_problem(self) -> Problem | None:
        return self.model.selected_object(self.table)

    def _update_button(self) -> None:
        problem = self.selected_problem()
        self.locate_button.setEnabled(problem is not None and problem.entry_id is not None)

    def locate_selected(self) -> None:
        problem = self.selected_problem()
        if problem is not None and problem.entry_id is not None:
            self.locate.emit(problem.entry_id)
