"""部门 chooser of 统计上报: 全部部门 / 市场监管领域 / 非市场监管领域 / 自选部门 over a ticked list of departments.

chooser = DepartmentChooser()
chooser.changed.connect(...)     # the ticks changed (by the clerk or set_codes)
codes = chooser.chosen_codes()   # None when every department is ticked
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.reports import Facts

__all__ = ["ALL", "CHOSEN", "MARKET", "NON_MARKET", "CodeChoice", "DepartmentChooser"]

ALL, MARKET, NON_MARKET, CHOSEN = "全部部门", "市场监管领域", "非市场监管领域", "自选部门"
CodeChoice = tuple[str, ...] | None  # None: every department


class DepartmentChooser(QGroupBox):
    """The 部门 box: a choice naming the ticks, and the departments of the facts, each ticked or not."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("部门", parent)
        box = QVBoxLayout(self)
        self.dept_choice = QComboBox()
        self.dept_choice.addItems([ALL, MARKET, NON_MARKET, CHOSEN])
        self.dept_choice.activated.connect(lambda _i: self._on_dept_choice())
        self.dept_list = QListWidget()
        self.dept_list.itemChanged.connect(lambda _item: self._on_dept_checked())
        box.addWidget(self.dept_choice)
        box.addWidget(self.dept_list, 1)

    def chosen_codes(self) -> CodeChoice:
        """The ticked departments (None when every one is ticked)."""
        items = [self.dept_list.item(r) for r in range(self.dept_list.count())]
        ticked = tuple(
            str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked
        )
        return None if len(ticked) == len(items) else ticked

    def set_codes(self, codes: CodeChoice) -> None:
        """Tick exactly these departments (None: all); ``changed`` follows."""
        self._tick(lambda code, _market: codes is None or code in codes)
        self._on_dept_checked()

    def _tick(self, wanted: Callable[[str, bool], bool]) -> None:
        self.dept_list.blockSignals(True)
        for row in range(self.dept_list.count()):
            item = self.dept_list.item(row)
            on = wanted(
                str(item.data(Qt.ItemDataRole.UserRole)), bool(item.data(Qt.ItemDataRole.UserRole + 1))
            )
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.dept_list.blockSignals(False)

    def _on_dept_choice(self) -> None:
        choice = self.dept_choice.currentText()
        if choice == CHOSEN:
            return
        self._tick(lambda _code, market: choice == ALL or (market == (choice == MARKET)))
        self.changed.emit()

    def _on_dept_checked(self) -> None:
        """Name the ticks (全部 / 市场监管领域 / 非市场监管领域 / 自选) and count again."""
        states = [
            (bool(i.data(Qt.ItemDataRole.UserRole + 1)), i.checkState() == Qt.CheckState.Checked)
            for i in (self.dept_list.item(r) for r in range(self.dept_list.count()))
        ]
        if all(on for _m, on in states):
            name = ALL
        elif states and all(on == market for market, on in states):
            name = MARKET
        elif states and all(on != market for market, on in states):
            name = NON_MARKET
        else:
            name = CHOSEN
        self.dept_choice.setCurrentText(name)
        self.changed.emit()

    def fill(self, facts: Facts) -> None:
        """The departments of the facts, keeping the clerk's ticks (a new department is ticked)."""
        before = {
            str(i.data(Qt.ItemDataRole.UserRole)): i.checkState()
            for i in (self.dept_list.item(r) for r in range(self.dept_list.count()))
        }
        self.dept_list.blockSignals(True)
        self.dept_list.clear()
        for dept in facts.departments:
            item = QListWidgetItem(dept.name)
            item.setData(Qt.ItemDataRole.UserRole, dept.code)
            item.setData(Qt.ItemDataRole.UserRole + 1, dept.is_market_regulation)
            item.setToolTip(
                f"{dept.name}（{'市场监管领域' if dept.is_market_regulation else '非市场监管领域'}）"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(before.get(dept.code, Qt.CheckState.Checked))
            self.dept_list.addItem(item)
        self.dept_list.blockSignals(False)
