"""导入计划表: choose a department without a plan for the year and a 计划表 file in the official layout, see
every row with its problems, and import all rows as a new 草稿 plan (or nothing)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from app.plans import PlanError
from app.plans.importer import ImportedRow, PlanImportPreview, import_plan_table, read_plan_table
from ui import feedback
from ui.context import AppContext
from ui.jobs import ProgressFn, run_with_progress
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.widgets.dialog_buttons import accept_cancel_buttons

log = logging.getLogger(__name__)


def _amount(row: ImportedRow) -> str:
    if row.values is None:
        return ""
    if row.values.ratio:
        return row.values.ratio
    return f"{row.values.quantity}户"


PREVIEW_COLUMNS: list[Column[ImportedRow]] = [
    Column("行号", lambda r: r.line, align_right=True),
    Column("抽查事项", lambda r: r.item),
    Column("比例或数量", lambda r: _amount(r)),
    Column(
        "计划月份", lambda r: f"{r.values.planned_month}月" if r.values and r.values.planned_month else ""
    ),
    Column("状态", lambda r: "；".join(r.errors) if r.errors else "可导入"),
]


class PlanImportDialog(QDialog):
    """导入计划表 for ``year``; after it is accepted, :attr:`plan_id` is the new draft."""

    def __init__(
        self, context: AppContext, year: int, choices: list[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context, self.year = context, year
        self.plan_id: int | None = None
        self.preview: PlanImportPreview | None = None
        self.setWindowTitle(f"导入{year}年度抽查计划表")
        self.resize(900, 560)
        self.department = QComboBox()
        for dept_id, name in choices:
            self.department.addItem(name, dept_id)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("选择 xlsx / xls / csv 格式的计划表")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(lambda _c=False: self._browse())
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("导入为部门：", self.department)
        form.addRow("计划年度：", QLabel(f"{year}年（新建为草稿）"))
        form.addRow("计划表文件：", file_row)
        self.summary = QLabel("请选择计划表文件。")
        self.summary.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setFixedHeight(96)
        self.problems.hide()
        self.model: ListTableModel[ImportedRow] = ListTableModel(PREVIEW_COLUMNS)
        self.view = list_table_view(self.model, stretch_column=4)
        self.buttons = accept_cancel_buttons("导入", self.do_import, self.reject)
        self.import_button = self.buttons.buttons()[0]
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.department.currentIndexChanged.connect(lambda _i: self._recheck())
        self._show()

    def department_id(self) -> int | None:
        value = self.department.currentData()
        return int(value) if value is not None else None

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "选择计划表", "", "计划表 (*.xlsx *.xlsm *.xls *.et *.csv);;所有文件 (*)"
        )
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> PlanImportPreview | None:
        """Read and check ``path`` for the chosen department (writes nothing)."""
        self.path.setText(str(path))
        return self._recheck()

    def _recheck(self) -> PlanImportPreview | None:
        text, dept_id = self.path.text(), self.department_id()
        if not text or dept_id is None:
            self.preview = None
            self._show()
            return None
        database, path = self.context.database, Path(text)

        def job(_progress: ProgressFn) -> PlanImportPreview:
            with database.sessions() as session:
                preview = read_plan_table(session, path, dept_id)
                session.rollback()  # a preview writes nothing; make sure of it
            return preview

        self.preview = run_with_progress(self, "正在读取计划表", job)
        self._show()
        return self.preview

    def _show(self) -> None:
        preview = self.preview
        self.model.set_rows(list(preview.rows) if preview else [])
        if preview is None:
            self.summary.setText("请选择计划表文件。")
        elif preview.ok:
            self.summary.setText(
                f"共 {len(preview.rows)} 行，均可导入。点击“导入”新建{self.year}年度计划草稿。"
            )
        else:
            errors = preview.errors
            self.summary.setText(
                f"计划表有 {len(errors)} 处问题，不能导入（全部正确才导入，不会只导入一部分）："
            )
            self.problems.setPlainText("\n".join(errors))
        self.problems.setVisible(preview is not None and not preview.ok)
        self.import_button.setEnabled(preview is not None and preview.ok)

    def do_import(self) -> None:
        dept_id, preview = self.department_id(), self.preview
        if dept_id is None or preview is None or not preview.ok:
            return
        database, path, year = self.context.database, Path(self.path.text()), self.year

        def job(_progress: ProgressFn) -> int:
            with database.sessions() as session:
                return import_plan_table(session, path, dept_id, year)

        try:
            self.plan_id = run_with_progress(self, "正在导入计划表", job)
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title="未导入")
            return
        except (SQLAlchemyError, OSError) as exc:
            log.exception("plan import of %s failed while writing", path)
            feedback.error(self, "写入数据库时出错，本次导入已全部撤销。", title="导入失败", details=str(exc))
            return
        self.accept()
