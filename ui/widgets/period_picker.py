"""统计期间 chooser shared by 统计上报 and 数据交换: 年度, 上半年/下半年, a quarter, or 自定义期间 (two dates).

picker = PeriodPicker()
picker.changed.connect(...)      # any choice changed
period = picker.period()         # ReportInputError (Chinese) for dates the wrong way round
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from app.reports import Period
from app.reports.period import MAX_YEAR, MIN_YEAR

__all__ = ["CUSTOM", "PERIODS", "PeriodPicker"]

PERIODS = ("年度", "上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度", "自定义期间")
CUSTOM = len(PERIODS) - 1


class PeriodPicker(QWidget):
    """The kind of period with its year, or two dates for 自定义期间, and a line for a period that is wrong."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox()
        self.kind.addItems(PERIODS)
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(" 年")
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(self.year)
        form.addRow(row)
        today = QDate.currentDate()
        self.start_date = QDateEdit(QDate(today.year(), 1, 1))
        self.end_date = QDateEdit(today)
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.start_label, self.end_label = QLabel("起："), QLabel("止：")
        form.addRow(self.start_label, self.start_date)
        form.addRow(self.end_label, self.end_date)
        self.error = QLabel()
        self.error.setObjectName("hint")
        self.error.setProperty("alert", True)
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        self.kind.currentIndexChanged.connect(lambda _i: self._on_kind())
        self.year.valueChanged.connect(lambda _v: self.changed.emit())
        self._show_fields()

    def period(self) -> Period:
        """The period chosen; :class:`~app.reports.errors.ReportInputError` for dates the other way round."""
        kind, year = self.kind.currentIndex(), self.year.value()
        if kind == 0:
            return Period.year(year)
        if kind in (1, 2):
            return Period.half(year, kind)
        if kind < CUSTOM:
            return Period.quarter(year, kind - 2)
        return Period.between(_day(self.start_date.date()), _day(self.end_date.date()))

    def set_period(self, kind: str, year: int | None = None) -> None:
        """Choose a period by its name in the list (年度, 上半年 … 第四季度, 自定义期间) and year."""
        if year is not None:
            self.year.setValue(year)
        self.kind.setCurrentIndex(PERIODS.index(kind))

    def set_value(self, period: Period) -> None:
        """Show ``period``: as 年度, a half or a quarter when it is one, else as 自定义期间 with its dates."""
        year = period.start.year
        named = [Period.year(year), Period.half(year, 1), Period.half(year, 2)]
        named += [Period.quarter(year, q) for q in (1, 2, 3, 4)]
        spans = [(p.start, p.end) for p in named]
        if (period.start, period.end) in spans:
            self.set_period(PERIODS[spans.index((period.start, period.end))], year)
            return
        self.start_date.setDate(QDate(period.start.year, period.start.month, period.start.day))
        self.end_date.setDate(QDate(period.end.year, period.end.month, period.end.day))
        self.set_period(PERIODS[CUSTOM])

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()

    def _on_kind(self) -> None:
        self._show_fields()
        self.changed.emit()

    def _show_fields(self) -> None:
        custom = self.kind.currentIndex() == CUSTOM
        self.year.setVisible(not custom)
        for widget in (self.start_label, self.start_date, self.end_label, self.end_date):
            widget.setVisible(custom)


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())
