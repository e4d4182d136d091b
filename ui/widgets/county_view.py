"""全县联合视图: the year's plan rows of all departments grouped into proposed joint visits (一次多查)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.plans.county import CountyView, JointVisit
from ui.models.list_table import Column, ListTableModel, list_table_view

VISIT_COLUMNS: list[Column[JointVisit]] = [
    Column("计划月份", lambda v: f"{v.month}月", align_right=True),
    Column("部门", lambda v: "、".join(v.departments)),
    Column("抽查事项", lambda v: "\n".join(v.items)),
    Column("共同行业", lambda v: "、".join(v.shared_industries) or "（联合部门）"),
    Column("事项行数", lambda v: len(v.rows), align_right=True),
    Column("可减少检查次数", lambda v: v.visits_saved, align_right=True),
]


class CountyViewDialog(QDialog):
    """Shows a :class:`CountyView` as a table, one proposed joint visit per line."""

    def __init__(self, view: CountyView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(f"全县联合视图 — {view.year}年度")
        self.resize(1100, 600)
        self.model: ListTableModel[JointVisit] = ListTableModel(VISIT_COLUMNS, view.visits)
        self.table = list_table_view(self.model, stretch_column=2, single=True)
        if view.visits:
            text = (
                f"{view.year}年度各部门共 {view.rows} 个计划行；同月、检查对象相同（或互为联合部门）的可一次多查："
                f"合并为 {len(view.visits)} 次联合检查，可减少 {view.visits_saved} 次入户检查。"
            )
        else:
            text = f"{view.year}年度各部门共 {view.rows} 个计划行，没有同月、检查对象相同的事项可合并。"
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.table.resizeRowsToContents()  # once the columns have their widths
