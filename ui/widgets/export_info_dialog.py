"""填报信息 asked before 统计上报 writes a file: 填报单位（盖章）, 联系人 and 填报日期, printed under the title."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui import feedback
from ui.widgets.dialog_buttons import accept_cancel_buttons

__all__ = ["ExportInfo", "ExportInfoDialog"]


@dataclass(frozen=True)
class ExportInfo:
    """The line under a table's title: 填报单位（盖章）, 联系人, 填报日期."""

    unit: str
    contact: str
    date: dt.date


class ExportInfoDialog(QDialog):
    """填报信息 before a file is written (defaults: the bureau or the one department, its contact, today)."""

    def __init__(self, info: ExportInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("填报信息")
        self.setMinimumWidth(460)
        self.unit = QLineEdit(info.unit)
        self.contact = QLineEdit(info.contact)
        self.contact.setPlaceholderText("姓名（电话）")
        self.date = QDateEdit(QDate(info.date.year, info.date.month, info.date.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        form = QFormLayout()
        form.addRow("填报单位（盖章）(&U)：", self.unit)
        form.addRow("联系人(&C)：", self.contact)
        form.addRow("填报日期(&D)：", self.date)
        hint = QLabel("以上内容印在表名下方。")
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(accept_cancel_buttons("下一步", self._accept, self.reject))

    def _accept(self) -> None:
        if not self.unit.text().strip():
            feedback.warn(self, "请填写填报单位。", title="填报信息")
            return
        self.accept()

    def values(self) -> ExportInfo:
        return ExportInfo(self.unit.text().strip(), self.contact.text().strip(), _day(self.date.date()))


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())
