"""统计上报: the five statistics tables of the county documents for a period and departments, previewed as
they print, every number clickable down to its records, the 进展情况 charts, and 导出 Excel / PDF.

Facts are collected (:func:`app.reports.collect_facts`, ~0.5–1 s on a 100,000-object county) off the GUI
thread behind a progress dialog, and only when the period changes or the data changed elsewhere; the five
tables are built from them for the chosen departments at once, so switching tables costs nothing.

Beside this page: :mod:`ui.pages.report_tables` (building the tables), :mod:`ui.pages.report_exports`
(导出 and 填报信息), :mod:`ui.pages.report_drill` (drilled records opened on their pages), and the widgets
:mod:`ui.widgets.department_chooser` and :mod:`ui.widgets.export_info_dialog`."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.exchange import county_facts
from app.reports import TABLE_KINDS, Facts, Period, ReportError, StatTable, collect_facts
from app.reports.drill import drill_records
from app.reports.measures import ProgressCharts
from app.reports.reported import REPORTED_KINDS, package_senders, reported_rows
from ui import feedback
from ui.context import AppContext
from ui.jobs import ProgressFn
from ui.pages.report_drill import record_opener, row_label
from ui.pages.report_exports import ReportExports
from ui.pages.report_tables import Reported, build_tables, facts_size, received_for
from ui.widgets.charts import ProgressChartsView
from ui.widgets.department_chooser import CodeChoice, DepartmentChooser
from ui.widgets.drill_down_dialog import DrillContent, DrillDownDialog, Failed, in_background
from ui.widgets.export_info_dialog import ExportInfo, ExportInfoDialog
from ui.widgets.hint import hint_label
from ui.widgets.period_picker import PeriodPicker
from ui.widgets.stat_table_view import StatTableView, clickable, column_title

__all__ = ["ExportInfo", "ExportInfoDialog", "ReportsPage"]  # the dialog's names, imported from here too

APPLY_DELAY_MS = 500  # wait for the clerk to finish choosing before counting again
BIG_FACTS = 3_000  # records from which building the tables or a drill-down runs behind a progress dialog
# 数据来源: this PC's records, or the county — this PC's merged with the received 数据包 of the same period.
LOCAL, COUNTY = "本机数据", "全县汇总（本机＋收到的数据包）"


class ReportsPage(ReportExports):
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
        context.data_changed.connect(lambda _what: self._mark_stale())

        top = self.heading_bar()
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
        self.source_hint = hint_label()
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

        self.dept_chooser = DepartmentChooser()
        self.dept_choice, self.dept_list = self.dept_chooser.dept_choice, self.dept_chooser.dept_list
        self.dept_chooser.changed.connect(self._schedule)
        layout.addWidget(self.dept_chooser, 1)
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
        self.info_label = hint_label()
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
        return self.dept_chooser.chosen_codes()

    def set_departments(self, codes: CodeChoice) -> None:
        """Tick exactly these departments (None: all) and count again."""
        self.dept_chooser.set_codes(codes)

    def _on_source(self) -> None:
        self._mark_stale()
        self._schedule()

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
                        merged = received_for(session, period)
                        figures = Reported(
                            {kind: reported_rows(session, kind, period) for kind in REPORTED_KINDS},
                            frozenset(package_senders(session, period)),
                        )
                    else:
                        found, merged = collect_facts(session, period, as_of=as_of), ()
                        figures = Reported({}, frozenset())
                progress("生成统计表", 0.6)
            return found, merged, figures, *build_tables(found, codes, figures)

        if collect or facts is None or facts_size(facts) >= BIG_FACTS:
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
            self.dept_chooser.fill(self.facts)
        self.codes = self.chosen_codes()
        if self.codes != codes:  # a department added elsewhere since the last count
            self.tables, self.charts = build_tables(self.facts, self.codes, self.reported)
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
        label = "合计" if self.view.stat_model.is_totals(row) else row_label(table, row)
        content = DrillContent(table, cell, label, column_title(table, column), headers, rows, ids)
        opener, place = record_opener(self.window(), self.facts, cell.record)
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
