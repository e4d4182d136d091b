"""审计日志: who did what and when, filtered and searched; each entry's fields before/after; export to Excel;
and 验证完整性, which checks the HMAC chain and the sealed records and points at the first broken link.

Every role may read the log and run the check (it only reads). The table is lazy (ui.models.audit_model).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.audit import listing as al
from app.audit.verify import VerifyReport, verify_engine
from ui import feedback
from ui.context import AppContext
from ui.io.recent import last_folder, remember_folder
from ui.io.write_errors import write_failure_text
from ui.jobs import ProgressFn, run_with_progress
from ui.models.audit_model import WIDTHS, AuditTableModel
from ui.pages import Page
from ui.widgets.audit_detail import AuditEntryDetail, AuditEntryDialog
from ui.widgets.audit_verify_dialog import VerifyProblemsDialog
from ui.widgets.lazy_table import debounced_search, lazy_table_view, table_beside_detail

log = logging.getLogger(__name__)

ALL = "全部"
_NO_DATE = QDate(2000, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date that may be left open (shows 不限); clicking an open one starts the calendar at today."""

    def __init__(self) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_NO_DATE)
        self.setSpecialValueText("不限")
        self.setDate(_NO_DATE)
        self.setMinimumWidth(110)

    def value(self) -> dt.date | None:
        return None if self.date() == _NO_DATE else self.date().toPython()  # type: ignore[return-value]

    def set_value(self, day: dt.date | None) -> None:
        self.setDate(_NO_DATE if day is None else QDate(day.year, day.month, day.day))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.date() == _NO_DATE:
            self.setDate(QDate.currentDate())
        super().mousePressEvent(event)


class AuditPage(Page):
    TITLE = "审计日志"

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)

        top = self.heading_bar()
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        top.addWidget(self.count_label)
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("把当前筛选出的审计记录导出为 Excel 文件")
        self.export_button.clicked.connect(self.choose_export)
        top.addWidget(self.export_button)
        self.verify_button = QPushButton("验证完整性")
        self.verify_button.setToolTip(
            "逐条核验审计链和已封存的记录（摇号、递补、计划版本、检查登记表）是否被改动"
        )
        self.verify_button.clicked.connect(self.verify)
        top.addWidget(self.verify_button)
        layout.addLayout(top)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("日期："))
        self.date_from = OptionalDateEdit()
        self.date_to = OptionalDateEdit()
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.date_to)
        self.user_combo = self._combo("用户：", bar, 12)
        self.action_combo = self._combo("操作：", bar, 6)
        self.type_combo = self._combo("对象类型：", bar, 8)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索摘要或对象编号（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 1)
        self.clear_button = QPushButton("清除筛选")
        self.clear_button.clicked.connect(self.reset_filters)
        bar.addWidget(self.clear_button)
        layout.addLayout(bar)

        self.model = AuditTableModel(context.database)
        self.table = lazy_table_view(self.model, WIDTHS, single=True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_selected())
        self.table.doubleClicked.connect(lambda _index: self.open_selected())

        self.detail = AuditEntryDetail()
        layout.addWidget(table_beside_detail(self.table, self.detail, (880, 380)), 1)

        self._search_timer = debounced_search(self.search, self.apply_filter, self)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.apply_filter())
        for combo in (self.user_combo, self.action_combo, self.type_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            opener = QShortcut(QKeySequence(key), self.table)
            opener.setContext(Qt.ShortcutContext.WidgetShortcut)
            opener.activated.connect(self.open_selected)
        self.model.filter_changed.connect(self._update_count)
        self._total = 0
        self._loading = False
        self.last_report: VerifyReport | None = None
        self.problems_dialog: VerifyProblemsDialog | None = None
        self.entry_dialog: AuditEntryDialog | None = None

    def _combo(self, prompt: str, bar: QHBoxLayout, width: int) -> QComboBox:
        bar.addWidget(QLabel(prompt))
        combo = QComboBox()
        # A fixed width in characters: a long user name must not squeeze the search box.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(width)
        combo.addItem(ALL, "")
        bar.addWidget(combo)
        return combo

    # --- loading -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the filter choices and the log (entries written since the page was last shown appear)."""
        with self.context.database.sessions() as session:
            choices = al.filter_choices(session)
            self._total = al.latest_id(session)
        self._loading = True
        try:
            for combo, values in (
                (self.user_combo, choices.usernames),
                (self.action_combo, choices.actions),
                (self.type_combo, choices.object_types),
            ):
                current = combo.currentData() or ""
                combo.clear()
                combo.addItem(ALL, "")
                for value in values:
                    combo.addItem(value, value)
                combo.setCurrentIndex(max(0, combo.findData(current)))
        finally:
            self._loading = False
        self.apply_filter()

    def current_filter(self) -> al.AuditFilter:
        return al.AuditFilter(
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            username=self.user_combo.currentData() or "",
            action=self.action_combo.currentData() or "",
            object_type=self.type_combo.currentData() or "",
            text=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        if self._loading:
            return
        self._search_timer.stop()
        selected = self.selected_id()
        self.model.set_filter(self.current_filter())
        if selected is None or not self.select_id(selected):
            self._show_selected()

    def reset_filters(self) -> None:
        self._loading = True
        try:
            self.date_from.set_value(None)
            self.date_to.set_value(None)
            for combo in (self.user_combo, self.action_combo, self.type_combo):
                combo.setCurrentIndex(0)
            self.search.clear()
        finally:
            self._loading = False
        self.apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        narrowed = self.model.filter.narrowed
        if narrowed:
            self.count_label.setText(f"共 {self._total:,} 条　筛选出 {shown:,} 条")
        else:
            self.count_label.setText(f"共 {shown:,} 条")
        self.clear_button.setEnabled(narrowed)
        self.export_button.setEnabled(shown > 0)

    # --- selection and detail ------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_id(
        self,
        entry_id: int,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.PositionAtCenter,
    ) -> bool:
        """Select and show entry ``entry_id`` if the current filter lists it."""
        row = self.model.row_of(entry_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), hint)
        self._show_selected()
        return True

    def _show_selected(self) -> None:
        entry_id = self.selected_id()
        detail = None
        if entry_id is not None:
            with self.context.database.sessions() as session:
                detail = al.entry_detail(session, entry_id)
        self.detail.show_detail(detail)

    def open_selected(self) -> AuditEntryDialog | None:
        """The selected entry in its own window (Enter or a double-click)."""
        entry_id = self.selected_id()
        if entry_id is None:
            return None
        with self.context.database.sessions() as session:
            detail = al.entry_detail(session, entry_id)
        if detail is None:
            return None
        dialog = AuditEntryDialog(detail, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.entry_dialog = dialog
        return dialog

    # --- export --------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        default = last_folder("export") / f"审计日志_{dt.date.today():%Y%m%d}.xlsx"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "导出审计日志", str(default), "Excel 工作簿 (*.xlsx)"
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, target: Path) -> int | None:
        """Write the entries the current filter lists to ``target`` (xlsx) in the background."""
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        audit_filter = self.model.filter
        database = self.context.database

        def job(progress: ProgressFn) -> int:
            with database.sessions() as session:
                return al.export_entries(session, audit_filter, target, progress)

        try:
            written: int = run_with_progress(self, "正在导出审计日志", job)
        except OSError as exc:
            log.warning("audit export to %s failed: %s", target, exc)
            feedback.error(self, write_failure_text(exc, target), title="导出失败")
            return None
        remember_folder("export", target)
        log.info("exported %d audit entries to %s", written, target)
        self.context.status_message.emit(f"已导出审计日志 {written:,} 条：{target}")
        feedback.info(self, f"已导出 {written:,} 条审计记录到：\n{target}", title="导出完成")
        self.refresh()  # the export is itself an audited action
        return written

    # --- 验证完整性 ----------------------------------------------------------------------------------------
    def verify(self) -> VerifyReport | None:
        """Check the chain and the sealed records; report success, or the problems with the first one named
        and its entry selected in the table."""
        engine = self.context.database.engine
        try:
            report: VerifyReport = run_with_progress(
                self, "正在验证完整性", lambda p: verify_engine(engine, p)
            )
        except Exception as exc:  # noqa: BLE001 — a database that cannot be read at all
            log.exception("audit verification failed")
            feedback.error(self, f"无法完成核验：{exc}", title="验证完整性")
            return None
        self.last_report = report
        log.info("audit verification: %s", " ".join(report.lines()))
        if report.intact:
            self.model.mark_broken(set())
            lines = report.lines()
            feedback.info(self, f"{lines[1]}\n\n{lines[0]}", title="验证通过")
            return report
        broken = {p.entry_id for p in report.problems if p.entry_id is not None}
        self.model.mark_broken(broken)
        first_entry = next((p.entry_id for p in report.problems if p.entry_id is not None), None)
        if first_entry is not None:
            self.locate_entry(first_entry)
        if self.problems_dialog is not None:
            self.problems_dialog.close()
        dialog = VerifyProblemsDialog(report, self)
        dialog.locate.connect(self.locate_entry)
        dialog.show()
        self.problems_dialog = dialog
        return report

    def locate_entry(self, entry_id: int) -> bool:
        """Select entry ``entry_id``, clearing the filters when they hide it. It goes to the top of the table,
        clear of the problems dialog in the middle of the window."""
        top = QAbstractItemView.ScrollHint.PositionAtTop
        if self.select_id(entry_id, top):
            return True
        if self.model.filter.narrowed:
            self.reset_filters()
        else:
            self.model.reload()
        return self.select_id(entry_id, top)

    def set_filter(self, **changes: object) -> None:
        """Set filter widgets by AuditFilter field name (tests and links from other pages)."""
        wanted = dataclasses.replace(self.current_filter(), **changes)  # type: ignore[arg-type]
        self._loading = True
        try:
            self.date_from.set_value(wanted.date_from)
            self.date_to.set_value(wanted.date_to)
            for combo, value in (
                (self.user_combo, wanted.username),
                (self.action_combo, wanted.action),
                (self.type_combo, wanted.object_type),
            ):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.search.setText(wanted.text)
        finally:
            self._loading = False
        self.apply_filter()
