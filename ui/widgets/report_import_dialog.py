"""导入报表（Excel）: another department's filled 进展情况 / 非市场监管推行情况 statistics table, or a plan table,
read and checked by :mod:`app.reports.importer` behind a progress dialog; the dialog shows what the file is (table,
period, 填报单位, 填报日期), the departments with their key figures, what an import would write, and every problem
with its Excel row and column; 导入 writes it all or nothing.

    dialog = ReportImportDialog(context, path, parent)
    if dialog.check() or dialog.asking:        # False and not asking: the file cannot be used (dialog.failure)
        dialog.open()

When the file does not say its 统计期间 (or a plan table its year or department), a small form asks for it and
the file is checked again with the choice (the importer's ``period`` / ``plan_year`` / ``department`` options).

Beside the dialog: :mod:`ui.widgets.report_import_text` (what it says about the file: facts, figures, verdict,
result) and :mod:`ui.widgets.report_import_departments` (the table of the departments in the file).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from app.errors import UserFacingError
from app.io.report import write_issue_list
from app.registry.departments import list_departments
from app.reports.importer import (
    ReportImportPreview,
    ReportImportSummary,
    apply_report_import,
    preview_report_import,
)
from ui import feedback
from ui.context import AppContext
from ui.io.issue_model import COL_FIELD, COL_ROW, COL_SEVERITY, IssueTableModel
from ui.io.result_page import FigureCard
from ui.io.write_errors import save_issue_list
from ui.jobs import ProgressFn
from ui.widgets.drill_down_dialog import Failed, in_background
from ui.widgets.hint import hint_label
from ui.widgets.lazy_table import lazy_table_view
from ui.widgets.period_picker import PeriodPicker
from ui.widgets.report_import_departments import SHORT_KIND, fill_departments
from ui.widgets.report_import_text import (
    FIGURES,
    facts_rows,
    figures_of,
    gui_text,
    issues_of,
    needs_of,
    result_text,
    verdict_of,
)

log = logging.getLogger(__name__)

# SHORT_KIND and the text helpers live beside it; still imported from here (ui.pages.exchange_reported)
__all__ = ["SHORT_KIND", "ReportImportDialog", "facts_rows", "gui_text", "issues_of", "verdict_of"]

_Index = QModelIndex | QPersistentModelIndex
GOOD = "#1e7b34"
ERROR_COLOUR, WARNING_COLOUR = "#b3261e", "#a15c00"
KIND_CHOICES = (
    ("自动识别", None),
    ("进展情况统计表", "progress"),
    ("非市场监管推行情况统计表", "non_market"),
    ("行政执法检查计划表", "plan"),
)
_ASK = {
    "period": "文件的标题和“统计期间”一行都没有写明统计期间。请在下面选择统计期间，再点“按所选重新检查”。",
    "plan_year": "计划表的标题没有写明计划年度。请在下面选择计划年度，再点“按所选重新检查”。",
    "department": "请在下面选择这份计划表所属的部门，再点“按所选重新检查”。",
}


class _IssueModel(IssueTableModel):
    """The issue list with the whole line coloured: errors red, warnings amber."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            return super().data(self.index(index.row(), COL_SEVERITY), role)
        return super().data(index, role)


class ReportImportDialog(QDialog):
    """The check of one file and its import; :attr:`imported` carries the summary once written."""

    imported = Signal(object)  # ReportImportSummary

    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = Path(path)
        self.preview: ReportImportPreview | None = None
        self.summary: ReportImportSummary | None = None
        self.failure = ""  # why the file could not be checked, "" after a good check
        self.asked: set[str] = set()  # the choices the file did not say (period, plan_year, department)
        self.setWindowTitle(f"导入报表（Excel）— {self.path.name}")
        self.setMinimumSize(880, 560)
        self.resize(1080, 690)

        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.options = self._build_options()
        self.options.hide()

        cards = QHBoxLayout()
        self.cards: dict[str, FigureCard] = {}
        for key, caption in FIGURES:
            card = FigureCard(caption)
            card.setMinimumWidth(110)
            self.cards[key] = card
            cards.addWidget(card)
        self.verdict = hint_label()

        self.departments_label = QLabel("文件中的部门")
        self.departments_label.setObjectName("sectionTitle")
        self.departments = QTableWidget()
        self.departments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.departments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.departments.setAlternatingRowColors(True)
        self.departments.verticalHeader().setVisible(False)
        self.departments.verticalHeader().setDefaultSectionSize(24)

        self.issue_count = QLabel()
        self.issue_count.setObjectName("sectionTitle")
        self.issue_model = _IssueModel()
        self.issue_view = lazy_table_view(self.issue_model, (70, 150, 80), single=True)
        self.issue_view.horizontalHeader().setStretchLastSection(True)
        self.issue_view.verticalHeader().setVisible(False)
        self.issue_view.setColumnWidth(COL_ROW, 70)
        self.issue_view.setColumnWidth(COL_FIELD, 150)

        self.report_button = QPushButton("导出问题清单(&E)…")
        self.report_button.setToolTip("把全部错误和警告（行号、字段、说明）保存为 Excel 文件")
        self.report_button.clicked.connect(lambda _c=False: self.export_issue_report())
        self.recheck_button = QPushButton("重新检查(&R)")
        self.recheck_button.setToolTip("在 Excel 中改好并保存原文件后，再检查一次")
        self.recheck_button.clicked.connect(lambda _c=False: self.check())
        self.import_button = QPushButton("导入(&I)")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(lambda _c=False: self.do_import())
        self.close_button = QPushButton("取消")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = self.main_layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.options)
        layout.addLayout(cards)
        layout.addWidget(self.verdict)
        layout.addWidget(self.departments_label)
        layout.addWidget(self.departments, 2)
        layout.addWidget(self.issue_count)
        layout.addWidget(self.issue_view, 3)
        layout.addLayout(buttons)
        self._show()

    def _build_options(self) -> QGroupBox:
        box = QGroupBox("文件中没有写明的信息")
        self.kind_box = QComboBox()
        self.kind_box.setMaximumWidth(360)
        for text, kind in KIND_CHOICES:
            self.kind_box.addItem(text, kind)
        self.period_picker = PeriodPicker()
        self.period_picker.setMaximumWidth(360)
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(dt.date.today().year)
        self.year_box.setSuffix(" 年")
        self.department_box = QComboBox()  # filled when asked for
        self.ask_label = hint_label()
        self.apply_options_button = QPushButton("按所选重新检查")
        self.apply_options_button.clicked.connect(lambda _c=False: self.check())
        self.options_form = QFormLayout()
        self.options_form.addRow("表格类型(&K)：", self.kind_box)
        self.options_form.addRow("统计期间(&P)：", self.period_picker)
        self.options_form.addRow("计划年度(&Y)：", self.year_box)
        self.options_form.addRow("所属部门(&D)：", self.department_box)
        row = QHBoxLayout()
        row.addWidget(self.ask_label, 1)
        row.addWidget(self.apply_options_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(box)
        layout.addLayout(self.options_form)
        layout.addLayout(row)
        return box

    # --- checking -----------------------------------------------------------------------------------------
    @property
    def asking(self) -> bool:
        """Whether the form asks for something the file does not say."""
        return bool(self.asked)

    def options_chosen(self) -> dict[str, Any]:
        """The importer's options from the form (only what it asked for, and a kind other than 自动识别)."""
        chosen: dict[str, Any] = {}
        kind = self.kind_box.currentData()
        if kind and self.asked:
            chosen["kind"] = kind
        if "period" in self.asked:
            chosen["period"] = self.period_picker.period()
        if "plan_year" in self.asked:
            chosen["plan_year"] = self.year_box.value()
        if "department" in self.asked and self.department_box.currentIndex() >= 0:
            chosen["department"] = self.department_box.currentData()
        return chosen

    def check(self) -> bool:
        """Read and check the file (behind a progress dialog); True when a preview is shown."""
        try:
            options = self.options_chosen()
        except UserFacingError as exc:  # 自定义期间 with the dates the wrong way round
            self.period_picker.show_error(exc.message_zh)
            return False
        self.period_picker.clear_error()
        database, path = self.context.database, self.path

        def job(progress: ProgressFn) -> ReportImportPreview:
            with database.sessions() as session:
                preview = preview_report_import(session, path, progress=progress, **options)
                session.rollback()  # a preview writes nothing; make sure of it
            return preview

        result = in_background(self, "正在读取并检查报表", job, (UserFacingError,))
        if isinstance(result, Failed):
            message = getattr(result.error, "message_zh", str(result.error))
            need = needs_of(message)
            if need is not None:
                self.asked.add(need)
            self.preview = None
            self.failure = gui_text(message)
            log.info("report import of %s not checked: %s", path.name, message)
        else:
            self.preview = result
            self.failure = ""
            log.info(
                "report import preview %s: kind %s, %s", path.name, result.kind, result.counts.as_dict()
            )  # fmt: skip
        self._show()
        return self.preview is not None

    # --- showing ------------------------------------------------------------------------------------------
    def _show(self) -> None:
        preview = self.preview
        self._show_options()
        if preview is None:
            self.facts.setText(self._facts_html([("文件", self.path.name)]))
            for card in self.cards.values():
                card.show_value(None)
            self._set_verdict(self.failure or "正在检查文件…", alert=bool(self.failure))
            fill_departments(self.departments, self.departments_label, None)
            self.issue_model.set_issues([])
        else:
            self.facts.setText(self._facts_html([("文件", preview.file_name), *facts_rows(preview)]))
            for key, value in figures_of(preview).items():
                self.cards[key].show_value(value, alert=key == "errors" and value > 0)
            self._set_verdict(*verdict_of(preview))
            fill_departments(self.departments, self.departments_label, preview)
            self.issue_model.set_issues(issues_of(preview))
        self._show_issue_count()
        # the issue list takes the room when there are issues, the departments when there are none
        self.main_layout.setStretchFactor(self.issue_view, 3 if preview is not None and preview.issues else 1)
        done = self.summary is not None
        self.import_button.setVisible(not done)
        self.import_button.setEnabled(not done and preview is not None and preview.can_apply)
        self.report_button.setEnabled(preview is not None and bool(preview.issues))
        self.recheck_button.setVisible(not done)
        self.close_button.setText(
            "关闭" if done or (preview is not None and not preview.can_apply) else "取消"
        )

    def _show_options(self) -> None:
        shown = self.asking and self.summary is None
        if "department" in self.asked and self.department_box.count() == 0:
            with self.context.database.sessions() as session:
                for department in list_departments(session, include_archived=False):
                    self.department_box.addItem(department.name, department.code)
        self.options.setVisible(shown)
        for need, widget in (
            ("period", self.period_picker),
            ("plan_year", self.year_box),
            ("department", self.department_box),
        ):
            self.options_form.setRowVisible(widget, need in self.asked)
        if shown:
            asks = needs_of(self.failure)
            self.ask_label.setText(
                _ASK[asks] if asks else "已按所选检查。文件改好后也可以把“表格类型”改回“自动识别”再检查。"
            )

    @staticmethod
    def _facts_html(rows: Sequence[tuple[str, str]]) -> str:
        body = "".join(
            f"<tr><td style='color:#4a5a6e; padding-right:10px; white-space:nowrap'>{html.escape(k)}：</td>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<table cellspacing='0' cellpadding='1'>{body}</table>"

    def _set_verdict(self, text: str, alert: bool) -> None:
        self.verdict.setText(text)
        self.verdict.setProperty("alert", alert)
        self.verdict.setStyleSheet("" if alert or self.summary is None else f"color: {GOOD};")
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    def _show_issue_count(self) -> None:
        preview = self.preview
        if preview is None:
            self.issue_count.setText("问题清单")
            return
        if not preview.issues:
            self.issue_count.setText("问题清单：没有发现问题。")
            return
        self.issue_count.setText(
            f"问题清单（共 {len(preview.issues)} 条：错误 {preview.errors} 条，警告 {preview.warnings} 条）："
        )

    def department_texts(self) -> list[list[str]]:
        """The departments table as shown (tests and screen readers)."""
        table = self.departments
        return [
            [(table.item(r, c).text() if table.item(r, c) else "") for c in range(table.columnCount())]  # type: ignore[union-attr]
            for r in range(table.rowCount())
        ]

    # --- writing ------------------------------------------------------------------------------------------
    def do_import(self) -> ReportImportSummary | None:
        """导入: write what the preview found, all or nothing; the result in the dialog and the status bar."""
        preview = self.preview
        if preview is None or not preview.can_apply or self.summary is not None:
            return None
        database = self.context.database

        def job(_progress: ProgressFn) -> ReportImportSummary:
            with database.sessions() as session:
                return apply_report_import(session, preview)

        outcome = in_background(
            self, "正在导入报表", job, (UserFacingError, PermissionError, SQLAlchemyError)
        )
        if isinstance(outcome, Failed):
            error = outcome.error
            message = getattr(error, "message_zh", None)
            if message is None:
                log.error("report import of %s failed while writing: %s", preview.file_name, error)
                message = f"写入数据库时出错，本次导入已全部撤销，未写入任何数据。（{error}）"
            feedback.warn(self, gui_text(message), title="未导入")
            self.check()  # what the file means now (e.g. the same file imported meanwhile)
            return None
        self.summary = outcome
        text = result_text(outcome, preview)
        log.info("report import of %s: %s", preview.file_name, outcome.counts.as_dict())
        self._show()
        self._set_verdict(text, alert=not outcome.figure_ids and not outcome.plan_ids)
        self.context.status_message.emit(text)
        self.imported.emit(outcome)
        return outcome

    # --- the issue list ----------------------------------------------------------------------------------
    def export_issue_report(self, path: str | Path | None = None) -> Path | None:
        """The errors and warnings (行号, 字段, 严重程度, 说明) to an xlsx, as the registry import writes them."""
        preview = self.preview
        if preview is None or not preview.issues:
            return None
        verdict = "存在错误，未导入" if preview.errors else "可以导入"
        title = f"报表导入问题清单：{preview.file_name}（错误 {preview.errors} 个，警告 {preview.warnings} 个；{verdict}）"
        return save_issue_list(
            self,
            self.context,
            preview.path,
            preview.file_name,
            path,
            lambda target: write_issue_list(target, title, preview.issues, with_sheet=True),
        )
