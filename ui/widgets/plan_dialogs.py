"""The plan-level dialogs of 年度抽查计划: 新建计划 (a department without a plan for the year) and who signs a
报审 or 审核备案. The row dialogs are in :mod:`ui.widgets.plan_row_dialogs`."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QWidget

from ui import feedback
from ui.widgets.dialog_buttons import accept_cancel_buttons

__all__ = ["NewPlanDialog", "SignDialog"]


class NewPlanDialog(QDialog):
    """新建计划: choose a department that has no plan for the year."""

    def __init__(self, year: int, choices: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"新建{year}年度抽查计划")
        self.department = QComboBox()
        for dept_id, name in choices:
            self.department.addItem(name, dept_id)
        form = QFormLayout(self)
        form.addRow("部门：", self.department)
        form.addRow(accept_cancel_buttons("新建", self.accept, self.reject))

    def chosen(self) -> int | None:
        value = self.department.currentData()
        return int(value) if value is not None else None


class SignDialog(QDialog):
    """Who records a 报审 or 审核备案, with an optional note."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit(name)
        self.note = QLineEdit()
        self.note.setPlaceholderText("可选，例如：司法局审核意见文号")
        form = QFormLayout(self)
        form.addRow("经办人：", self.name)
        form.addRow("说明：", self.note)
        form.addRow(accept_cancel_buttons("确定", self._accept, self.reject))

    def _accept(self) -> None:
        if not self.name.text().strip():
            feedback.warn(self, "经办人不能为空", title=self.windowTitle())
            return
        self.accept()
