"""统计上报: the five statistics tables of the county documents for a period and departments, previewed as
they print, every number clickable down to its records, the 进展情况 charts, and 导出 Excel / PDF.

Facts are collected (:func:`app.reports.collect_facts`, ~0.5–1 s on a 100,000-object county) off the GUI
thread behind a progress dialog, and only when the period changes or the data changed elsewhere; the five
tables are built from them for the chosen departments at once, so switching tables costs nothing."""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.audit import record_event
from app.exchange import county_facts, list_received
from app.forms.errors import PrintingError
from app.reports import TABLE_KINDS, Facts, Period, ReportError, StatTable, build_table, collect_facts
from app.reports.drill import drill_records
from app.reports.measures import ProgressCharts, progress_charts
from app.reports.period import date_text
from app.reports.reported import REPORTED_KINDS, ReportedRow, package_senders, reported_rows, with_reported
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.io.recent import last_folder, remember_folder, save_target
from ui.jobs import ProgressFn
from ui.pages import Page
from ui.widgets.charts import ProgressChartsView
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.drill_down_dialog import (
    DrillContent,
    DrillDownDialog,
    Failed,
    file_error_text,
    in_background,
    safe_file_name,
)
from ui.widgets.period_picker import PeriodPicker
from ui.widgets.stat_table_view import StatTableView, clickable, column_title

log = logging.getLogger(__name__)

ALL, MARKET, NON_MARKET, CHOSEN = "全部部门", "市场监管领域", "非市场监管领域", "自选部门"
APPLY_DELAY_MS = 500  # wait for the clerk to finish choosing before counting again
BIG_FACTS = 3_000  # records from which building the tables or a drill-down runs behind a progress dialog
CodeChoice = tuple[str, ...] | None  # None: every department
# 数据来源: this PC's records, or the county — this PC's merged with the received 数据包 of the same period.
LOCAL, COUNTY = "本机数据", "全县汇总（本机＋收到的数据包）"
FILE_ERRORS = (PrintingError, OSError)  # a file not written for a reason the clerk can act on


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


class ReportsPage(Page):
    TITLE = "统计上报"

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.as_of: dt.date | None = None  # the 截至 day of the figures (None: today); tests fix it
        self.facts: Facts | None = None
        # Under 全县汇总: other departments' figures imported from their filled tables (报表导入), by table kind.
        self.reported = Reported({}, frozenset())
        self.tables: dict[str, StatTable] = {}
        self.charts: ProgressCharts | None = None
        self.codes: CodeChoice = None  # the departments the tables were built for
        self.drill_dialog: DrillDownDialog | None = None
        self._stale = True
        self.received_senders: tuple[str, ...] = ()  # the senders merged into the county figures
        self._export_info: dict[CodeChoice, tuple[str, str]] = {}  # 填报单位/联系人 the clerk typed
        context.data_changed.connect(lambda _what: self._mark_stale())

        top = QHBoxLayout()
        heading = QLabel(self.TITLE)
        heading.setObjectName("pageHeading")
        top.addWidget(heading)
        top.addStretch(1)
        self.refresh_button = QPushButton("重新统计")
        self.refresh_button.setToolTip("重新读取数据并统计（F5）")
        self.xlsx_button = QPushButton("导出 Excel…")
        self.xlsx_button.setToolTip("将当前统计表导出为 Excel 工作簿（Ctrl+E）")
        self.pdf_button = QPushButton("导出 PDF…")
        self.pdf_button.setToolTip("将当前统计表导出为 A4 横向 PDF（Ctrl+P）")
        self.all_button = QPushButton("全部导出…")
        self.all_button.setToolTip("五张统计表各导出 Excel 和 PDF 到一个文件夹")
        for button, action in (
            (self.refresh_button, lambda: self.recompute(collect=True)),
            (self.xlsx_button, lambda: self.export_table("xlsx")),
            (self.pdf_button, lambda: self.export_table("pdf")),
            (self.all_button, lambda: self.export_all()),
        ):
            top.addWidget(button)
            button.clicked.connect(lambda _c=False, act=action: act())
        for keys, action in (
            ("Ctrl+E", lambda: self.export_table("xlsx")),
            ("Ctrl+P", lambda: self.export_table("pdf")),
            ("F5", lambda: self.recompute(collect=True)),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(action)

        body = QSplitter()
        body.addWidget(self._build_choices())
        body.addWidget(self._build_preview())
        body.setStretchFactor(1, 1)
        body.setSizes([250, 900])
        body.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        for first, second in (
            (self.source, self.table_list),
            (self.table_list, self.period_kind),
            (self.period_kind, self.year),
            (self.year, self.start_date),
            (self.start_date, self.end_date),
            (self.end_date, self.dept_choice),
            (self.dept_choice, self.dept_list),
            (self.dept_list, self.view),
            (self.view, self.tabs),
            (self.tabs, self.notes),
            (self.notes, self.refresh_button),
            (self.refresh_button, self.xlsx_button),
            (self.xlsx_button, self.pdf_button),
            (self.pdf_button, self.all_button),
        ):
            self.setTabOrder(first, second)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_DELAY_MS)
        self._timer.timeout.connect(self.apply_choices)
        self._show_table()

    # --- building ------------------------------------------------------------------------------------------
    def _build_choices(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        source = QGroupBox("数据来源")
        box = QVBoxLayout(source)
        self.source = QComboBox()
        self.source.addItems([LOCAL, COUNTY])
        # The whole name in view (the style's padding and the arrow beside it): the panel widens for it.
        self.source.ensurePolished()  # measured in the style's font
        self.source.setMinimumWidth(self.source.fontMetrics().horizontalAdvance(COUNTY) + 48)
        self.source.setToolTip(
            "全县汇总：本机数据与“数据交换”页收到的、统计期间完全相同的各部门数据包合并统计"
        )
        self.source.currentIndexChanged.connect(lambda _i: self._on_source())
        self.source_hint = QLabel()
        self.source_hint.setObjectName("hint")
        self.source_hint.setWordWrap(True)
        self.source_hint.hide()
        box.addWidget(self.source)
        box.addWidget(self.source_hint)
        layout.addWidget(source)

        tables = QGroupBox("统计表")
        self.table_list = QListWidget()
        for kind, (name, _builder) in TABLE_KINDS.items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            self.table_list.addItem(item)
        self.table_list.setFixedHeight(self.table_list.sizeHintForRow(0) * len(TABLE_KINDS) + 8)
        self.table_list.setCurrentRow(list(TABLE_KINDS).index("progress"))
        self.table_list.currentRowChanged.connect(lambda _r: self._show_table())
        QVBoxLayout(tables).addWidget(self.table_list)
        layout.addWidget(tables)

        period = QGroupBox("统计期间")
        self.period_picker = PeriodPicker()
        QVBoxLayout(period).addWidget(self.period_picker)
        picker = self.period_picker
        self.period_kind, self.year = picker.kind, picker.year
        self.start_date, self.end_date = picker.start_date, picker.end_date
        self.period_error = picker.error
        picker.changed.connect(self._schedule)
        layout.addWidget(period)

        departments = QGroupBox("部门")
        box = QVBoxLayout(departments)
        self.dept_choice = QComboBox()
        self.dept_choice.addItems([ALL, MARKET, NON_MARKET, CHOSEN])
        self.dept_choice.activated.connect(lambda _i: self._on_dept_choice())
        self.dept_list = QListWidget()
        self.dept_list.itemChanged.connect(lambda _item: self._on_dept_checked())
        box.addWidget(self.dept_choice)
        box.addWidget(self.dept_list, 1)
        layout.addWidget(departments, 1)
        panel.setMinimumWidth(max(230, layout.minimumSize().width()))  # 数据来源 shown in full
        return panel

    def _build_preview(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        self.title_label = QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)
        self.period_label = QLabel()
        self.period_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info_label = QLabel()
        self.info_label.setObjectName("hint")
        self.info_label.setWordWrap(True)
        for label in (self.title_label, self.period_label, self.info_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)

        self.view = StatTableView()
        self.view.drill_requested.connect(lambda row, column: self.open_drill(row, column))
        self.notes = QTextBrowser()
        self.notes.setOpenLinks(False)
        self.table_tab = table_tab = QSplitter(Qt.Orientation.Vertical)
        table_tab.addWidget(self.view)
        table_tab.addWidget(self.notes)
        table_tab.setStretchFactor(0, 3)
        table_tab.setStretchFactor(1, 1)
        table_tab.setSizes([420, 150])
        table_tab.setChildrenCollapsible(False)
        self.chart_view = ProgressChartsView()
        self.tabs = QTabWidget()
        self.tabs.addTab(table_tab, "统计表")
        self.charts_tab = self.tabs.addTab(self.chart_view, "图表：各月进展与检查结果")
        layout.addWidget(self.tabs, 1)
        self.hint = QLabel("蓝色数字可点击（或选中后按 Enter）查看其明细记录。")
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        return panel

    # --- choices --------------------------------------------------------------------------------------------
    def current_kind(self) -> str:
        item = self.table_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else "progress"

    def select_table(self, kind: str) -> None:
        self.table_list.setCurrentRow(list(TABLE_KINDS).index(kind))

    def current_table(self) -> StatTable | None:
        return self.tables.get(self.current_kind())

    def chosen_period(self) -> Period:
        """The period of the choices; :class:`ReportInputError` for dates the other way round."""
        return self.period_picker.period()

    def set_period(self, kind: str, year: int | None = None) -> None:
        """Choose a period by its name in the list (年度, 上半年 … 第四季度) and year."""
        self.period_picker.set_period(kind, year)

    def county_chosen(self) -> bool:
        """Whether the figures are the county's (this PC's and the received 数据包) rather than this PC's."""
        return self.source.currentText() == COUNTY

    def set_source(self, county: bool) -> None:
        """Choose 本机数据 or 全县汇总 and count again."""
        self.source.setCurrentText(COUNTY if county else LOCAL)

    def chosen_codes(self) -> CodeChoice:
        """The ticked departments (None when every one is ticked)."""
        items = [self.dept_list.item(r) for r in range(self.dept_list.count())]
        ticked = tuple(
            str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked
        )
        return None if len(ticked) == len(items) else ticked

    def set_departments(self, codes: CodeChoice) -> None:
        """Tick exactly these departments (None: all) and count again."""
        self._tick(lambda code, _market: codes is None or code in codes)
        self._on_dept_checked()

    def _on_source(self) -> None:
        self._mark_stale()
        self._schedule()

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
        self._schedule()

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
        self._schedule()

    def _fill_departments(self, facts: Facts) -> None:
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

    def _schedule(self) -> None:
        self._timer.start()

    def _mark_stale(self) -> None:
        self._stale = True

    # --- counting ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Shown: count when nothing is counted yet or the data changed since."""
        if self.facts is None or self._stale:
            self.recompute(collect=True)

    def apply_choices(self) -> None:
        """After a change of period or departments: collect again only for a new period."""
        self._timer.stop()
        try:
            period = self.chosen_period()
        except ReportError as exc:
            self.period_picker.show_error(exc.message_zh)
            return
        self.period_picker.clear_error()
        collect = self.facts is None or self._stale or self.facts.period != period
        if collect or self.chosen_codes() != self.codes:
            self.recompute(collect=collect)

    def recompute(self, *, collect: bool) -> bool:
        """Collect the facts (``collect``) and build the five tables and the charts for the chosen departments."""
        self._timer.stop()
        try:
            period = self.chosen_period()
        except ReportError as exc:
            self.period_picker.show_error(exc.message_zh)
            return False
        database, as_of, facts = self.context.database, self.as_of, self.facts
        codes, county, senders = self.chosen_codes(), self.county_chosen(), self.received_senders

        reported = self.reported

        def job(
            progress: ProgressFn,
        ) -> tuple[Facts, tuple[str, ...], Reported, dict[str, StatTable], ProgressCharts | None]:
            found, merged, figures = facts, senders, reported
            if collect or found is None:
                progress("读取数据", 0.05)
                with database.sessions() as session:
                    if county:
                        found = county_facts(session, period, as_of=as_of)
                        merged = _received_for(session, period)
                        figures = Reported(
                            {kind: reported_rows(session, kind, period) for kind in REPORTED_KINDS},
                            frozenset(package_senders(session, period)),
                        )
                    else:
                        found, merged = collect_facts(session, period, as_of=as_of), ()
                        figures = Reported({}, frozenset())
                progress("生成统计表", 0.6)
            return found, merged, figures, *_build(found, codes, figures)

        if collect or facts is None or _size(facts) >= BIG_FACTS:
            # Any failure comes back as a value: a database that cannot be read must not close the page.
            result = in_background(self, "正在统计", job, (Exception,))
        else:
            result = job(lambda _stage, _fraction: None)
        if isinstance(result, Failed):
            if isinstance(result.error, ReportError):
                feedback.warn(self, result.error.message_zh, title="统计上报")
            else:
                feedback.error(
                    self, "统计数据未能读取，请稍后重试。", title="统计上报", details=str(result.error)
                )
            return False
        self.facts, self.received_senders, self.reported, self.tables, self.charts = result
        self._stale = False
        self._show_source()
        if collect or self.dept_list.count() != len(self.facts.departments):
            self._fill_departments(self.facts)
        self.codes = self.chosen_codes()
        if self.codes != codes:  # a department added elsewhere since the last count
            self.tables, self.charts = _build(self.facts, self.codes, self.reported)
        self._show_table()
        return True

    # --- showing ------------------------------------------------------------------------------------------------
    def _show_source(self) -> None:
        """Under 全县汇总: how many received 数据包 the figures hold (only those of exactly this period merge)."""
        if not self.county_chosen() or self.facts is None:
            self.source_hint.hide()
            return
        rule = "只合并统计期间完全相同的数据包，同一部门以其数据包为准。"
        if self.received_senders:
            self.source_hint.setText(f"已合并 {len(self.received_senders)} 个部门的数据包。")
            self.source_hint.setToolTip("、".join(self.received_senders) + "\n" + rule)
        else:
            self.source_hint.setText(f"没有统计期间为“{self.facts.period.label}”的数据包。")
            self.source_hint.setToolTip("表中只有本机数据。" + rule)
        self.source_hint.show()

    def _show_table(self) -> None:
        table = self.current_table()
        self.view.set_table(table)
        has = table is not None
        for button in (self.xlsx_button, self.pdf_button, self.all_button):
            button.setEnabled(has)
        self.tabs.setTabEnabled(self.charts_tab, has and self.current_kind() == "progress")
        if not has and self.tabs.currentIndex() == self.charts_tab:
            self.tabs.setCurrentIndex(0)
        self.chart_view.set_charts(self.charts if has and self.current_kind() == "progress" else None)
        if table is None:
            nothing = "请至少勾选一个部门。" if self.codes == () else "尚未统计。"
            self.title_label.setText(TABLE_KINDS[self.current_kind()][0])
            self.period_label.setText(nothing)
            self.info_label.clear()
            self.notes.clear()
            return
        self.title_label.setText(table.title)
        self.period_label.setText(f"统计期间：{table.period.span_text}")
        self._show_info(table)
        items = "".join(f"<li>{html.escape(n)}</li>" for n in table.notes)
        self.notes.setHtml(f"<p><b>填表说明：</b></p><ol style='margin-left:0'>{items}</ol>")
        self._fit_split()

    def _show_info(self, table: StatTable) -> None:
        """The line the files print under the title, with what the clerk last typed for these departments."""
        info = self.default_info(table)
        self.info_label.setText(
            f"填报单位（盖章）：{info.unit}　　填报日期：{date_text(info.date)}　　"
            f"联系人：{info.contact or '（导出时填写）'}"
        )

    def _fit_split(self) -> None:
        """The whole table in view when the page has room for it (the 合计 row matters most); the notes
        below take the rest, at least a few lines."""
        sizes = self.table_tab.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        wanted = min(self.view.full_height(), total - 110)
        self.table_tab.setSizes([max(wanted, 160), total - max(wanted, 160)])

    def notes_text(self) -> str:
        return self.notes.toPlainText()

    # --- drill-down ------------------------------------------------------------------------------------------
    def open_drill(self, row: int, column: int) -> DrillDownDialog | None:
        """The records behind the number at (row, column) of the preview, in a dialog beside the page."""
        table, facts = self.current_table(), self.facts
        cell = self.view.stat_model.cell_at(row, column)
        if table is None or facts is None or cell is None or not clickable(cell):
            return None
        count = len(cell.base if cell.is_rate else cell.keys)
        if count >= BIG_FACTS:
            listed = in_background(
                self, "正在列出明细", lambda _p: drill_records(facts, cell), (ReportError,)
            )
        else:
            listed = drill_records(facts, cell)
        if isinstance(listed, Failed):
            feedback.warn(self, getattr(listed.error, "message_zh", str(listed.error)), title="明细")
            return None
        headers, rows, ids = listed
        label = "合计" if self.view.stat_model.is_totals(row) else _row_label(table, row)
        content = DrillContent(table, cell, label, column_title(table, column), headers, rows, ids)
        opener, place = self._opener(cell.record)
        if self.drill_dialog is not None:
            self.drill_dialog.close()
        dialog = DrillDownDialog(content, opener, place, self)
        dialog.destroyed.connect(lambda _o=None: self._forget_dialog(dialog))
        dialog.show()
        self.drill_dialog = dialog
        return dialog

    def _forget_dialog(self, dialog: DrillDownDialog) -> None:
        if self.drill_dialog is dialog:
            self.drill_dialog = None

    def _opener(self, record: str) -> tuple[Callable[[int], bool] | None, str]:
        """How a drilled record of this PC opens where the app keeps it (a task on 抽查任务与摇号 …)."""
        window = self.window()
        show_page = getattr(window, "show_page", None)
        if show_page is None or self.facts is None:
            return None, ""
        facts = self.facts

        def shown() -> None:
            window.raise_()
            window.activateWindow()

        if record == "task":
            years = {t.local_id: t.year for t in facts.tasks}

            def open_task(task_id: int) -> bool:
                from ui.pages.tasks_page import TasksPage  # noqa: PLC0415 - loaded when first needed

                page = show_page(TasksPage)
                page.year.setValue(years.get(task_id, page.year.value()))
                page.select_task(task_id)
                shown()
                return page.selected() is not None and page.selected().task_id == task_id

            return open_task, "抽查任务与摇号"
        if record == "inspection":
            tasks = {
                i.local_id: facts.task_by_key[i.task_key]
                for i in facts.inspections
                if i.task_key in facts.task_by_key
            }

            def open_inspection(inspection_id: int) -> bool:
                from ui.pages.inspections_page import InspectionsPage  # noqa: PLC0415

                task = tasks.get(inspection_id)
                if task is None or task.local_id is None:
                    return False
                page = show_page(InspectionsPage)
                page.year.setValue(task.year)
                found = page.select_task(task.local_id) and page.select_inspection(inspection_id)
                shown()
                return bool(found)

            return open_inspection, "检查录入与公示"
        if record == "plan_row":
            plans = {r.local_id: (p.local_id, p.year) for p in facts.plans for r in p.rows}

            def open_plan_row(row_id: int) -> bool:
                from ui.pages.plans_page import PlansPage  # noqa: PLC0415

                plan_id, year = plans.get(row_id, (None, 0))
                if plan_id is None:
                    return False
                page = show_page(PlansPage)
                page.year.setValue(year)
                page.select_plan(plan_id)
                found = page.row_model.select_first(page.row_view, lambda r: r.row_id == row_id)
                shown()
                return found

            return open_plan_row, "年度抽查计划"
        if record in ("object", "item"):
            entities = record == "object"

            def open_registry(row_id: int) -> bool:
                from ui.pages.registry_page import EntitiesPage, ItemsPage  # noqa: PLC0415

                page = show_page(EntitiesPage if entities else ItemsPage)
                if not page.select_id(row_id):
                    page.reset_filters()  # the clerk's search there may hide it
                found = page.select_id(row_id)
                shown()
                return found

            return open_registry, "检查对象名录库" if entities else "随机抽查事项清单"
        return None, ""

    # --- files -------------------------------------------------------------------------------------------------
    def default_info(self, table: StatTable) -> ExportInfo:
        unit, contact = self._export_info.get(self.codes, (table.unit, table.contact))
        return ExportInfo(unit, contact, dt.date.today())

    def ask_info(self, table: StatTable) -> ExportInfo | None:
        dialog = ExportInfoDialog(self.default_info(table), self)
        if not dialog.exec():
            return None
        info = dialog.values()
        self._export_info[self.codes] = (info.unit, info.contact)
        self._show_info(table)
        return info

    def file_stem(self, table: StatTable) -> str:
        """《title》 with the period when it is not a whole year, and the department when it is one."""
        stem = table.title
        if table.period != Period.year(table.period.start.year):
            stem += f"（{table.period.label}）"
        if self.codes is not None and len(self.codes) == 1 and self.facts is not None:
            dept = self.facts.department_by_code.get(self.codes[0])
            if dept is not None and dept.name not in stem:
                stem = f"{dept.name}_{stem}"
        return safe_file_name(stem)

    def export_table(
        self, fmt: str, path: str | Path | None = None, info: ExportInfo | None = None
    ) -> Path | None:
        """导出 Excel (``xlsx``) or PDF (``pdf``) of the table shown: 填报信息, where to, then written behind a
        progress dialog; the status bar says where it went."""
        table = self.current_table()
        if table is None:
            return None
        info = info or self.ask_info(table)
        if info is None:
            return None
        what = "Excel 工作簿" if fmt == "xlsx" else "PDF 文件"
        target = save_target(
            self,
            path,
            title=f"导出{what}",
            suggested=last_folder("reports") / f"{self.file_stem(table)}.{fmt}",
            kind=what,
            suffix=f".{fmt}",
        )
        if target is None:
            return None
        charts = self.charts if table.kind == "progress" else None
        written = in_background(
            self, f"正在导出{what}", lambda _p: _write(table, fmt, target, info, charts), FILE_ERRORS
        )
        if isinstance(written, Failed):
            log.warning("report %s not written to %s: %s", table.kind, target, written.error)
            feedback.error(self, file_error_text(written.error, target), title="导出失败")
            return None
        remember_folder("reports", written)
        self._audit_export([written])
        self.context.status_message.emit(f"统计表已导出：{written}")
        return written

    def export_all(
        self, folder: str | Path | None = None, info: ExportInfo | None = None
    ) -> list[Path] | None:
        """全部导出: the five tables, each as xlsx and PDF, into one folder."""
        tables = [self.tables[k] for k in TABLE_KINDS if k in self.tables]
        if not tables:
            return None
        info = info or self.ask_info(self.tables.get("progress", tables[0]))
        if info is None:
            return None
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "全部导出到文件夹", str(last_folder("reports")))
            if not folder:
                return None
        place = Path(folder)
        if not place.is_dir():
            feedback.error(self, f"文件夹不存在：{place}\n请另选一个文件夹。", title="导出失败")
            return None
        targets = [(t, fmt, place / f"{self.file_stem(t)}.{fmt}") for t in tables for fmt in ("xlsx", "pdf")]
        existing = [p.name for _t, _f, p in targets if p.exists()]
        if existing and not feedback.confirm(
            self, f"文件夹中已有 {len(existing)} 个同名文件，要替换它们吗？", ok_text="替换", title="全部导出"
        ):
            return None
        charts = self.charts

        def job(progress: ProgressFn) -> list[Path] | Failed:
            done = []
            for number, (table, fmt, target) in enumerate(targets):
                progress(target.name, number / len(targets))
                try:
                    done.append(
                        _write(table, fmt, target, info, charts if table.kind == "progress" else None)
                    )
                except FILE_ERRORS as exc:
                    return Failed(exc.with_traceback(None), target)
            return done

        written = in_background(self, "正在全部导出", job, FILE_ERRORS)
        if isinstance(written, Failed):
            log.warning("report files not written to %s: %s", place, written.error)
            feedback.error(self, file_error_text(written.error, written.path or place), title="导出失败")
            return None
        remember_folder("reports", place)
        self._audit_export(written)
        self.context.status_message.emit(f"已导出 {len(written)} 个文件到：{place}")
        return written

    def _audit_export(self, files: list[Path]) -> None:
        """Each export is an 导出 entry in the audit trail (which tables, period, source and files)."""
        period = self.facts.period.label if self.facts is not None else ""
        source = "全县汇总" if self.county_chosen() else "本机数据"
        names = "、".join(f"“{path.name}”" for path in files)
        with transaction(self.context.database.sessions) as session:
            record_event(session, "导出", "统计表", "", f"导出统计表（{period}，{source}）：{names}")


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def _received_for(session: Session, period: Period) -> tuple[str, ...]:
    """The senders of the current received 数据包 of exactly ``period`` (those :func:`county_facts` merges)."""
    return tuple(
        row.sender_name
        for row in list_received(session)
        if row.current and (row.period.start, row.period.end) == (period.start, period.end)
    )


def _size(facts: Facts) -> int:
    return len(facts.entities) + len(facts.inspections) + len(facts.tasks)


@dataclass(frozen=True)
class Reported:
    """Figures imported from other departments' filled tables (报表导入) and the departments whose current
    数据包 outweighs them (app.reports.reported.with_reported)."""

    rows: dict[str, list[ReportedRow]]
    skip_codes: frozenset[str]


def _build(
    facts: Facts, codes: CodeChoice, reported: Reported | None = None
) -> tuple[dict[str, StatTable], ProgressCharts | None]:
    """The five tables and the 进展情况 charts for the departments ``codes`` (None: all; empty: none); under
    全县汇总 the 进展情况 and 非市场监管推行情况 tables also carry the reported figures."""
    if codes == ():
        return {}, None
    tables = {kind: build_table(kind, facts, codes) for kind in TABLE_KINDS}
    for kind, rows in (reported.rows if reported else {}).items():
        if rows and kind in tables:
            tables[kind] = with_reported(
                tables[kind], facts, rows, skip_codes=reported.skip_codes if reported else ()
            )
    return tables, progress_charts(facts, codes)


def _write(table: StatTable, fmt: str, target: Path, info: ExportInfo, charts: ProgressCharts | None) -> Path:
    """One file; openpyxl / reportlab are imported here, never at start-up."""
    if fmt == "xlsx":
        from app.reports.xlsx import write_table_xlsx  # noqa: PLC0415

        return write_table_xlsx(table, target, unit=info.unit, date=info.date, contact=info.contact)
    from app.reports.pdf import write_table_pdf  # noqa: PLC0415

    return write_table_pdf(table, target, unit=info.unit, date=info.date, contact=info.contact, charts=charts)


def _row_label(table: StatTable, row: int) -> str:
    """What a body row is about: its department, task or plan row."""
    cells = table.rows[row] if 0 <= row < len(table.rows) else ()
    names = [c.name for c in table.columns]
    for wanted in ("任务名称", "抽查事项", "部门"):
        if wanted in names and cells:
            text = cells[names.index(wanted)].text
            return f"第{cells[0].text}行 {text}" if wanted == "抽查事项" else text
    return f"第{row + 1}行"
