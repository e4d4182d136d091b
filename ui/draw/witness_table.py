"""监督人报数 entry: one row per witness (姓名, 单位/身份, 报数), checked as it is typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.tasks import WitnessInput, WitnessInputError, parse_witness_values
from ui.draw.scenes import WitnessLine

HEADERS = ("监督人姓名", "单位/身份", "报出的数（按顺序，空格分隔）")
DEFAULT_AFFILIATIONS = ("县人大代表", "县政协委员", "县纪委监委")


class WitnessTable(QTableWidget):
    """Emits `edited` on every change so the projection can show the numbers as they are typed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 130)
        header.resizeSection(1, 150)
        header.setStretchLastSection(True)
        self.verticalHeader().setVisible(True)
        self.itemChanged.connect(lambda _item: self._on_change())
        for affiliation in DEFAULT_AFFILIATIONS:
            self.add_witness(affiliation=affiliation)

    def add_witness(self, name: str = "", affiliation: str = "", values: str = "") -> None:
        row = self.rowCount()
        self.blockSignals(True)
        self.insertRow(row)
        for column, text in enumerate((name, affiliation, values)):
            self.setItem(row, column, QTableWidgetItem(text))
        self.blockSignals(False)
        self._on_change()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.selectedIndexes()}, reverse=True)
        for row in rows:
            self.removeRow(row)
        self._on_change()

    def _text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""

    def lines(self) -> list[WitnessLine]:
        return [
            WitnessLine(self._text(r, 0), self._text(r, 1), self._text(r, 2)) for r in range(self.rowCount())
        ]

    def problems(self) -> list[str]:
        """What stops the draw: Chinese messages naming the row."""
        found: list[str] = []
        complete = 0
        for row in range(self.rowCount()):
            name, values = self._text(row, 0), self._text(row, 2)
            if not name and not values:
                continue
            if not name:
                found.append(f"第 {row + 1} 行：请填写监督人姓名。")
            try:
                if not parse_witness_values(values):
                    raise WitnessInputError(f"第 {row + 1} 行：{name or '该监督人'}尚未报数。")
                complete += 1
            except WitnessInputError as exc:
                found.append(f"第 {row + 1} 行（{name or '未填姓名'}）：{exc.message_zh}")
        if complete == 0 and not found:
            found.append("至少需要一位监督人报数。")
        return found

    def witnesses(self) -> list[WitnessInput]:
        """The filled rows, in order (call only when problems() is empty)."""
        result = []
        for row in range(self.rowCount()):
            name, values = self._text(row, 0), self._text(row, 2)
            if name or values:
                result.append(WitnessInput(name, self._text(row, 1), parse_witness_values(values)))
        return result

    def _on_change(self) -> None:
        self.blockSignals(True)  # colouring an item would otherwise re-enter this slot
        for row in range(self.rowCount()):
            item = self.item(row, 2)
            if item is None:
                continue
            try:
                parse_witness_values(item.text())
                ok = True
            except WitnessInputError:
                ok = False
            item.setForeground(QBrush(QColor("#000000" if ok else "#b3261e")))
        self.blockSignals(False)
        self.edited.emit()
