"""节假日 settings table: a year's 放假 and 调休上班 days, edited by the bureau, restorable to the official ones."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.workdays import (
    CalendarEditError,
    CalendarEntry,
    CalendarFileError,
    DayInput,
    NoOfficialCalendarError,
    YearSummary,
    calendar_years,
    check_day,
    delete_day,
    import_calendar_year,
    list_year,
    read_calendar_file,
    restore_official,
    save_day,
    weekday_name,
    year_summary,
)
from db.engine import transaction
from db.enums import CalendarDayKind
from ui import feedback
from ui.context import AppContext
from ui.models.list_table import Column, ListTableModel
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.hint import hint_label

log = logging.getLogger(__name__)

COLUMNS: list[Column[CalendarEntry]] = [
    Column("日期", lambda e: f"{e.day:%Y-%m-%d}"),
    Column("星期", lambda e: e.weekday),
    Column("休/班", lambda e: e.kind.value),
    Column("名称", lambda e: e.name),
    Column("来源", lambda e: e.source_label),
]
HOLIDAY_NAMES = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "国庆节、中秋节"]
FILE_FILTER = "节假日安排表 (*.csv *.xlsx *.xls);;所有文件 (*)"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class CalendarDayDialog(QDialog):
    """Add or edit one exception day."""

    def __init__(
        self, context: AppContext, year: int, entry: CalendarEntry | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.entry = entry
        self.setWindowTitle("编辑日期" if entry else "新增日期")
        self.setMinimumWidth(420)
        today = dt.date.today()
        start = entry.day if entry else (today if today.year == year else dt.date(year, 1, 1))
        self.date = QDateEdit(_qdate(start))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.weekday = QLabel()
        self.weekday.setObjectName("hint")
        self.kind = QComboBox()
        self.kind.addItem("休（放假）", CalendarDayKind.HOLIDAY.value)
        self.kind.addItem("班（调休上班）", CalendarDayKind.WORKDAY.value)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(HOLIDAY_NAMES)
        self.name.setCurrentText(entry.name if entry else "")
        if entry:
            self.kind.setCurrentIndex(self.kind.findData(entry.kind.value))
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addWidget(self.weekday)
        date_row.addStretch(1)
        form = QFormLayout()
        form.addRow("日期：", date_row)
        form.addRow("类型：", self.kind)
        form.addRow("名称：", self.name)
        buttons = accept_cancel_buttons("保存", self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.date.dateChanged.connect(self._on_date_changed)
        self._on_date_changed()

    @Slot()
    def _on_date_changed(self) -> None:
        day = _pydate(self.date.date())
        self.weekday.setText(weekday_name(day))
        if self.entry is None:
            # A new weekend day is almost always a 调休 班; a new weekday a 休.
            wanted = CalendarDayKind.WORKDAY if day.weekday() >= 5 else CalendarDayKind.HOLIDAY
            self.kind.setCurrentIndex(self.kind.findData(wanted.value))

    def edited(self) -> DayInput:
        return DayInput(_pydate(self.date.date()), str(self.kind.currentData()), self.name.currentText())

    @Slot()
    def save(self) -> None:
        edited = self.edited()
        replacing = self.entry.day if self.entry else None
        try:
            with self.context.database.sessions() as session:
                warnings = check_day(session, edited, replacing)
            if warnings and not feedback.confirm(
                self, "\n".join(warnings) + "\n仍要保存吗？", ok_text="仍然保存", title="请确认"
            ):
                return
            with transaction(self.context.database.sessions) as session:
                save_day(session, edited, replacing)
        except CalendarEditError as exc:
            feedback.warn(self, exc.message_zh, title="日期未保存")
            return
        log.info("calendar day saved: %s (replacing %s)", edited, replacing)
        self.accept()


class CalendarPanel(QWidget):
    """Year selector, the year's exception days, and the edits the bureau may make to them."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.summary: YearSummary | None = None
        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(110)
        self.coverage = hint_label()
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_combo)
        top.addWidget(self.coverage, 1)

        self.model: ListTableModel[CalendarEntry] = ListTableModel(COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增日期")
        self.edit_button = QPushButton("编辑")
        self.delete_button = QPushButton("删除")
        self.import_button = QPushButton("从文件导入…")
        self.restore_button = QPushButton("恢复官方安排")
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(lambda: self.import_from_file())
        self.restore_button.clicked.connect(self.restore)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())

        hint = hint_label(
            "表中只列出与“周一至周五上班”不同的日子：法定节假日放假（休）和调休上班（班）。"
            "登记表和公示期限按此计算工作日。导入文件为三列：日期、休/班、名称。"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self._update_buttons()

    # --- reading -----------------------------------------------------------------------------------------
    def year(self) -> int:
        """The year shown (this year until the clerk picks another)."""
        data = self.year_combo.currentData()
        return int(data) if data is not None else dt.date.today().year

    def select_year(self, year: int) -> None:
        """Show a year (added to the selector when it is not offered yet)."""
        self._fill_years(self._offered_years(), year)
        self.refresh()

    def _offered_years(self) -> list[int]:
        return [int(self.year_combo.itemData(i)) for i in range(self.year_combo.count())]

    def _fill_years(self, years: list[int], selected: int) -> None:
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(set(years) | {selected}):
            self.year_combo.addItem(f"{year}年", year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(selected))
        self.year_combo.blockSignals(False)

    def refresh(self) -> None:
        """Reload the years offered and the shown year's days (loading a shipped year the database lacks)."""
        year = self.year()
        with transaction(self.context.database.sessions) as session:
            years = calendar_years(session)
            entries = list_year(session, year)
            self.summary = year_summary(session, year)
        self._fill_years([*years, *self._offered_years()], year)
        self.model.set_rows(entries)
        self.coverage.setText(self.summary.message)
        self.coverage.setProperty("alert", not self.summary.covered)
        self.coverage.style().unpolish(self.coverage)
        self.coverage.style().polish(self.coverage)
        self._update_buttons()

    def selected(self) -> CalendarEntry | None:
        return self.model.selected_object(self.table)

    @Slot()
    def _update_buttons(self) -> None:
        entry = self.selected()
        self.edit_button.setEnabled(entry is not None)
        self.delete_button.setEnabled(entry is not None)
        self.restore_button.setEnabled(bool(self.summary and self.summary.official_available))

    # --- editing -----------------------------------------------------------------------------------------
    def make_dialog(self, entry: CalendarEntry | None) -> CalendarDayDialog:
        return CalendarDayDialog(self.context, self.year(), entry, self)

    @Slot()
    def add(self) -> None:
        dialog = self.make_dialog(None)
        if dialog.exec():
            self._after_change(dialog.edited().day.year, "已新增日期。")

    @Slot()
    def edit_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dialog = self.make_dialog(entry)
        if dialog.exec():
            self._after_change(dialog.edited().day.year, "日期已保存。")

    @Slot()
    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        ordinary = "工作日" if entry.day.weekday() < 5 else "休息日"
        if not feedback.confirm(
            self,
            f"删除 {entry.day:%Y-%m-%d}（{entry.weekday}，{entry.kind.value} {entry.name}）？\n"
            f"删除后该日按平常的{ordinary}计算。",
            ok_text="删除",
        ):
            return
        try:
            with transaction(self.context.database.sessions) as session:
                delete_day(session, entry.day)
        except CalendarEditError as exc:
            feedback.warn(self, exc.message_zh)
            self.refresh()
            return
        self._after_change(entry.day.year, "日期已删除。")

    @Slot()
    def restore(self) -> None:
        year = self.year()
        summary = self.summary
        changes = []
        if summary and summary.user_days:
            changes.append(f"本单位录入或修改的 {summary.user_days} 天将被官方安排替换")
        if summary and summary.removed_official:
            changes.append(f"已删除的 {summary.removed_official} 个官方日期将恢复")
        detail = "；".join(changes) + "。" if changes else "当前已是官方安排。"
        if not feedback.confirm(self, f"恢复{year}年的官方节假日安排？\n{detail}", ok_text="恢复"):
            return
        try:
            with transaction(self.context.database.sessions) as session:
                restore_official(session, year)
        except NoOfficialCalendarError as exc:
            feedback.warn(self, exc.message_zh)
            return
        self._after_change(year, f"已恢复{year}年的官方节假日安排。")

    def import_from_file(self, path: Path | None = None) -> bool:
        """Import one year from a file (asks for it when ``path`` is None); True when something was imported."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(self, "导入节假日安排", "", FILE_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        try:
            calendar_file = read_calendar_file(path)
        except CalendarFileError as exc:
            feedback.warn(self, exc.message_zh, title="未导入", details="\n".join(exc.problems))
            return False
        with self.context.database.sessions() as session:
            existing = len(list_year(session, calendar_file.year))
        text = (
            f"将从“{path.name}”导入{calendar_file.year}年的 {len(calendar_file.days)} 个日期，"
            f"替换该年度现有的 {existing} 条记录（含官方安排）。"
        )
        if calendar_file.warnings:
            text += (
                f"\n另有 {len(calendar_file.warnings)} 个日期与平常安排相同（如周末标为“休”），不影响计算。"
            )
        if not feedback.confirm(self, text, ok_text="导入"):
            return False
        with transaction(self.context.database.sessions) as session:
            outcome = import_calendar_year(session, calendar_file)
        log.info("calendar imported from %s: %s", path, outcome)
        self._after_change(outcome.year, f"已导入{outcome.year}年节假日安排 {outcome.imported} 天。")
        return True

    def _after_change(self, year: int, message: str) -> None:
        self.select_year(year)
        self.context.data_changed.emit("calendar")
        self.context.status_message.emit(message)
