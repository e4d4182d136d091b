"""年度抽查计划: the year's plans, a plan's rows, drafting, 报审 and 审核备案, recorded 调整 and the history of
versions, and the 《XX年度行政执法检查计划表》 as Excel or PDF.

Beside this page: :mod:`ui.pages.plan_exports` (the plan table as Excel or PDF) and the widgets
:mod:`ui.widgets.plan_dialogs` (新建计划, who signs a 报审 or 审核备案), :mod:`ui.widgets.plan_row_dialogs`
(a row 新增/编辑/调整, 调整：删除行), :mod:`ui.widgets.plan_history` (历史版本),
:mod:`ui.widgets.plan_import_dialog` (导入计划表) and :mod:`ui.widgets.county_view` (全县联合视图)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.auth.roles import Permission
from app.plans import (
    AddRow,
    EditRow,
    PlanError,
    PlanLine,
    RemoveRow,
    RowInput,
    RowLine,
    add_row,
    adjust_plan,
    create_plan,
    departments_without_plan,
    file_plan,
    list_plans,
    plan_revisions,
    plan_rows,
    remove_row,
    submit_plan,
    update_row,
)
from app.plans.county import county_joint_view
from app.tasks.listing import PlanRowProgress, plan_row_progress
from db.enums import PlanStatus
from ui import feedback
from ui.context import AppContext
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.pages import Page
from ui.pages.plan_exports import export_plan_table
from ui.widgets.county_view import CountyViewDialog
from ui.widgets.plan_dialogs import NewPlanDialog, SignDialog
from ui.widgets.plan_history import HistoryDialog
from ui.widgets.plan_import_dialog import PlanImportDialog
from ui.widgets.plan_row_dialogs import RemoveRowDialog, RowDialog

__all__ = [  # the dialogs' names, imported from here too
    "HistoryDialog",
    "NewPlanDialog",
    "PlansPage",
    "RemoveRowDialog",
    "RowDialog",
    "SignDialog",
]

PLAN_COLUMNS: list[Column[PlanLine]] = [
    Column("部门", lambda p: p.department),
    Column("计划名称", lambda p: p.title),
    Column("状态", lambda p: p.status),
    Column("事项行数", lambda p: p.rows, align_right=True),
    Column("计划抽查数", lambda p: p.planned_objects, align_right=True),
    Column("版本", lambda p: p.revisions or "", align_right=True),
]
ROW_COLUMNS: list[Column[RowLine]] = [
    Column("序号", lambda r: r.seq, align_right=True),
    Column("抽查事项", lambda r: r.item),
    Column("检查对象范围", lambda r: r.scope_text),
    Column("基数", lambda r: r.base_count, align_right=True),
    Column("比例或数量", lambda r: r.ratio_or_quantity, align_right=True),
    Column("计划抽查数", lambda r: r.planned_count, align_right=True),
    Column("计划月份", lambda r: f"{r.planned_month}月" if r.planned_month else ""),
    Column("检查方式", lambda r: r.method),
    Column("联合部门", lambda r: r.joint_departments),
    Column("频次上限", lambda r: r.frequency_cap or ""),
    Column("备注", lambda r: r.remarks),
]


class PlansPage(Page):
    TITLE = "年度抽查计划"
    EDIT_PERMISSION = Permission.PLANS

    def editing_widgets(self) -> list[QWidget]:
        return [
            self.import_button,
            self.new_plan_button,
            self.add_row_button,
            self.edit_row_button,
            self.remove_row_button,
            self.submit_button,
            self.file_button,
            self.adjust_button,
            self.adjust_add_button,
            self.adjust_remove_button,
        ]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.operator_name = ""  # remembered between 报审/备案/调整 of one session
        layout = QVBoxLayout(self)
        top = self.heading_with_year()
        self.import_button = QPushButton("导入计划表…")
        self.import_button.clicked.connect(lambda _c=False: self.import_plan())
        self.county_button = QPushButton("全县联合视图…")
        self.county_button.clicked.connect(lambda _c=False: self.show_county_view())
        top.addWidget(self.import_button)
        top.addWidget(self.county_button)
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.new_plan_button = QPushButton("新建计划…")
        self.add_row_button = QPushButton("新增行…")
        self.edit_row_button = QPushButton("编辑行…")
        self.remove_row_button = QPushButton("删除行")
        self.submit_button = QPushButton("报审…")
        self.file_button = QPushButton("审核备案…")
        self.adjust_button = QPushButton("调整…")
        self.adjust_add_button = QPushButton("调整：新增行…")
        self.adjust_remove_button = QPushButton("调整：删除行…")
        self.history_button = QPushButton("历史版本…")
        self.xlsx_button = QPushButton("导出 Excel…")
        self.pdf_button = QPushButton("打印 PDF…")
        actions: list[tuple[QPushButton, Callable[[], object]]] = [
            (self.new_plan_button, self.new_plan),
            (self.add_row_button, self.add_row),
            (self.edit_row_button, self.edit_row),
            (self.remove_row_button, self.remove_row),
            (self.submit_button, self.submit),
            (self.file_button, self.file),
            (self.adjust_button, self.adjust_row),
            (self.adjust_add_button, self.adjust_add_row),
            (self.adjust_remove_button, self.adjust_remove_row),
            (self.history_button, self.show_history),
            (self.xlsx_button, self.export_xlsx),
            (self.pdf_button, self.export_pdf),
        ]
        # Two rows so the page fits 1366 px: drafting and filing above, 调整 and output below.
        second = QHBoxLayout()
        for button, action in actions:
            target = (
                second
                if button
                in (
                    self.adjust_button,
                    self.adjust_add_button,
                    self.adjust_remove_button,
                    self.history_button,
                    self.xlsx_button,
                    self.pdf_button,
                )
                else bar
            )
            if button in (self.add_row_button, self.submit_button, self.history_button):
                target.addSpacing(12)
            target.addWidget(button)
            button.clicked.connect(lambda _c=False, act=action: act())
        bar.addStretch(1)
        second.addStretch(1)
        layout.addLayout(bar)
        layout.addLayout(second)

        self.plan_model: ListTableModel[PlanLine] = ListTableModel(PLAN_COLUMNS)
        self.plan_view = list_table_view(self.plan_model, stretch_column=1, single=True)
        self.plan_view.selectionModel().selectionChanged.connect(lambda *_a: self._show_rows())
        self._progress: dict[int, PlanRowProgress] = {}
        progress_column: Column[RowLine] = Column("进度（抽中/归档）", self._progress_text, align_right=True)
        self.row_model: ListTableModel[RowLine] = ListTableModel([*ROW_COLUMNS, progress_column])
        self.row_view = list_table_view(self.row_model, stretch_column=2, single=True)
        header = self.row_view.horizontalHeader()
        for column, width in ((1, 200), (7, 120), (8, 110), (10, 80)):  # long texts must not crowd out 范围
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.row_view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.row_view.doubleClicked.connect(lambda _i: self._open_row())
        self.rows_label = QLabel("选择一个计划查看其抽查事项。")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.rows_label)
        lower_layout.addWidget(self.row_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plan_view)
        splitter.addWidget(lower)
        splitter.setSizes([220, 420])
        layout.addWidget(splitter, 1)
        self._update_buttons()

    def _progress_text(self, row: RowLine) -> str:
        """抽中 and 已归档 against the row's 计划抽查数, from the tasks made from this row."""
        done = self._progress.get(row.row_id)
        if done is None or done.tasks == 0:
            return "未建任务"
        return f"{done.drawn}/{done.filed}"

    # --- state ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_plan()
        with self.context.database.sessions() as session:
            self.plan_model.set_rows(list_plans(session, self.year.value()))
        if selected is not None:
            self.select_plan(selected.plan_id)
        self._show_rows()

    def selected_plan(self) -> PlanLine | None:
        return self.plan_model.selected_object(self.plan_view)

    def selected_row(self) -> RowLine | None:
        return self.row_model.selected_object(self.row_view)

    def select_plan(self, plan_id: int) -> None:
        self.plan_model.select_first(self.plan_view, lambda p: p.plan_id == plan_id)

    def _show_rows(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            self.row_model.set_rows([])
            self.rows_label.setText("选择一个计划查看其抽查事项。")
        else:
            with self.context.database.sessions() as session:
                self._progress = plan_row_progress(session, plan.plan_id)
                self.row_model.set_rows(plan_rows(session, plan.plan_id))
            note = {
                PlanStatus.DRAFT.value: "草稿，可直接修改。",
                PlanStatus.SUBMITTED.value: "已报审：修改须通过“调整”并说明原因。",
                PlanStatus.FILED.value: "已审核备案：修改须通过“调整”并说明原因。",
            }.get(plan.status, "")
            self.rows_label.setText(f"{plan.title}（{plan.status}）　{note}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan, row = self.selected_plan(), self.selected_row()
        draft = plan is not None and plan.status == PlanStatus.DRAFT.value
        self.add_row_button.setEnabled(draft)
        self.edit_row_button.setEnabled(draft and row is not None)
        self.remove_row_button.setEnabled(draft and row is not None)
        self.submit_button.setEnabled(draft and plan is not None and plan.rows > 0)
        self.file_button.setEnabled(plan is not None and plan.status == PlanStatus.SUBMITTED.value)
        self.adjust_button.setEnabled(plan is not None and not draft and row is not None)
        self.adjust_add_button.setEnabled(plan is not None and not draft)
        self.adjust_remove_button.setEnabled(plan is not None and not draft and row is not None)
        self.history_button.setEnabled(plan is not None and plan.revisions > 0)
        self.xlsx_button.setEnabled(plan is not None)
        self.pdf_button.setEnabled(plan is not None)

    def _changed(self, plan_id: int, message: str) -> None:
        self.refresh()
        self.select_plan(plan_id)
        self.context.data_changed.emit("plans")
        self.context.status_message.emit(message)

    def _open_row(self) -> None:
        plan = self.selected_plan()
        if plan is not None and plan.status == PlanStatus.DRAFT.value:
            self.edit_row()
        elif plan is not None:
            self.adjust_row()

    # --- actions -------------------------------------------------------------------------------------
    def new_plan(self) -> int | None:
        year = self.year.value()
        with self.context.database.sessions() as session:
            choices = [(c.id, c.name) for c in departments_without_plan(session, year)]
        if not choices:
            feedback.info(self, f"每个部门都已有{year}年度抽查计划。", title="新建计划")
            return None
        dialog = NewPlanDialog(year, choices, self)
        if not dialog.exec() or dialog.chosen() is None:
            return None
        dept_id = dialog.chosen()
        assert dept_id is not None
        try:
            with self.context.database.sessions() as session:
                plan_id = create_plan(session, dept_id, year)
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title="新建计划")
            return None
        self._changed(plan_id, "已新建计划草稿。")
        return plan_id

    def add_row(self) -> bool:
        plan = self.selected_plan()
        if plan is None or plan.status != PlanStatus.DRAFT.value:
            return False

        def save(values: RowInput, _reason: str, _who: str) -> None:
            with self.context.database.sessions() as session:
                add_row(session, plan.plan_id, values)

        if not RowDialog(self.context, plan.department_id, save, parent=self).exec():
            return False
        self._changed(plan.plan_id, "已新增计划行。")
        return True

    def edit_row(self) -> bool:
        plan, row = self.selected_plan(), self.selected_row()
        if plan is None or row is None or plan.status != PlanStatus.DRAFT.value:
            return False

        def save(values: RowInput, _reason: str, _who: str) -> None:
            with self.context.database.sessions() as session:
                update_row(session, plan.plan_id, row.row_id, values)

        dialog = RowDialog(
            self.context, plan.department_id, save, row.as_input(), item_name=row.item, parent=self
        )
        if not dialog.exec():
            return False
        self._changed(plan.plan_id, f"已修改第{row.seq}行。")
        return True

    def remove_row(self) -> bool:
        plan, row = self.selected_plan(), self.selected_row()
        if plan is None or row is None or plan.status != PlanStatus.DRAFT.value:
            return False
        if not feedback.confirm(self, f"删除第{row.seq}行“{row.item}”？", "删除"):
            return False
        try:
            with self.context.database.sessions() as session:
                remove_row(session, plan.plan_id, row.row_id)
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title="删除行")
            return False
        self._changed(plan.plan_id, f"已删除第{row.seq}行。")
        return True

    def _sign(self, title: str) -> tuple[str, str] | None:
        dialog = SignDialog(title, self.operator_name, self)
        if not dialog.exec():
            return None
        self.operator_name = dialog.name.text().strip()
        return self.operator_name, dialog.note.text()

    def submit(self) -> bool:
        """报审: 草稿 → 已报审, recorded as a version."""
        plan = self.selected_plan()
        if plan is None or plan.status != PlanStatus.DRAFT.value:
            return False
        signed = self._sign(f"报审 — {plan.title}")
        if signed is None:
            return False
        try:
            with self.context.database.sessions() as session:
                no = submit_plan(session, plan.plan_id, *signed)
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title="报审")
            return False
        self._changed(plan.plan_id, f"计划已报审（第{no}版）。")
        return True

    def file(self) -> bool:
        """审核备案: 已报审 → 已审核备案 after confirmation, recorded as a version."""
        plan = self.selected_plan()
        if plan is None or plan.status != PlanStatus.SUBMITTED.value:
            return False
        if not feedback.confirm(
            self,
            f"确认“{plan.title}”已经司法局审核备案？备案后任何修改都须作为“调整”记录原因。",
            "审核备案",
        ):
            return False
        signed = self._sign(f"审核备案 — {plan.title}")
        if signed is None:
            return False
        try:
            with self.context.database.sessions() as session:
                no = file_plan(session, plan.plan_id, *signed)
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title="审核备案")
            return False
        self._changed(plan.plan_id, f"计划已审核备案（第{no}版）。")
        return True

    def adjust_row(self) -> bool:
        """调整: change a row of a submitted or filed plan, with a required reason; a new version is recorded."""
        plan, row = self.selected_plan(), self.selected_row()
        if plan is None or row is None or plan.status == PlanStatus.DRAFT.value:
            return False
        recorded: list[int] = []

        def save(values: RowInput, reason: str, who: str) -> None:
            with self.context.database.sessions() as session:
                recorded.append(
                    adjust_plan(session, plan.plan_id, [EditRow(row.row_id, values)], reason, who)
                )

        dialog = RowDialog(
            self.context,
            plan.department_id,
            save,
            row.as_input(),
            adjust=True,
            name=self.operator_name,
            item_name=row.item,
            parent=self,
        )
        if not dialog.exec():
            return False
        self.operator_name = dialog.who.text().strip()
        self._changed(plan.plan_id, f"已记录调整（第{recorded[-1]}版）。")
        return True

    def adjust_add_row(self) -> bool:
        """调整：新增行: add a row to a submitted or filed plan, with a required reason; a new version is recorded."""
        plan = self.selected_plan()
        if plan is None or plan.status == PlanStatus.DRAFT.value:
            return False
        recorded: list[int] = []

        def save(values: RowInput, reason: str, who: str) -> None:
            with self.context.database.sessions() as session:
                recorded.append(adjust_plan(session, plan.plan_id, [AddRow(values)], reason, who))

        dialog = RowDialog(
            self.context, plan.department_id, save, adjust=True, name=self.operator_name, parent=self
        )
        dialog.setWindowTitle("调整：新增计划行")
        if not dialog.exec():
            return False
        self.operator_name = dialog.who.text().strip()
        self._changed(plan.plan_id, f"已记录调整：新增一行（第{recorded[-1]}版）。")
        return True

    def adjust_remove_row(self) -> bool:
        """调整：删除行: remove the selected row of a submitted or filed plan, with a required reason."""
        plan, row = self.selected_plan(), self.selected_row()
        if plan is None or row is None or plan.status == PlanStatus.DRAFT.value:
            return False
        recorded: list[int] = []

        def save(reason: str, who: str) -> None:
            with self.context.database.sessions() as session:
                recorded.append(adjust_plan(session, plan.plan_id, [RemoveRow(row.row_id)], reason, who))

        dialog = RemoveRowDialog(row, save, self.operator_name, self)
        if not dialog.exec():
            return False
        self.operator_name = dialog.who.text().strip()
        self._changed(plan.plan_id, f"已记录调整：删除第{row.seq}行（第{recorded[-1]}版）。")
        return True

    def show_history(self) -> HistoryDialog | None:
        plan = self.selected_plan()
        if plan is None:
            return None
        with self.context.database.sessions() as session:
            revisions = plan_revisions(session, plan.plan_id)
        dialog = HistoryDialog(plan.title, revisions, self)
        dialog.open()
        return dialog

    def _export(self, path: str | Path | None, suffix: str, what: str) -> Path | None:
        plan = self.selected_plan()
        if plan is None:
            return None
        return export_plan_table(self, self.context, plan, self.year.value(), path, suffix, what)

    def export_xlsx(self, path: str | Path | None = None) -> Path | None:
        """导出 Excel: the plan table as xlsx where the clerk chooses (or to ``path``)."""
        return self._export(path, "xlsx", "导出 Excel")

    def export_pdf(self, path: str | Path | None = None) -> Path | None:
        """打印 PDF: the plan table as an A4 landscape PDF where the clerk chooses (or to ``path``)."""
        return self._export(path, "pdf", "打印 PDF")

    def import_plan(self) -> PlanImportDialog | None:
        """导入计划表: a plan table file in the official layout as a new 草稿 plan of the year."""
        year = self.year.value()
        with self.context.database.sessions() as session:
            choices = [(c.id, c.name) for c in departments_without_plan(session, year)]
        if not choices:
            feedback.info(self, f"每个部门都已有{year}年度抽查计划。", title="导入计划表")
            return None
        dialog = PlanImportDialog(self.context, year, choices, self)
        dialog.accepted.connect(lambda: self._changed(dialog.plan_id or 0, "已导入计划草稿。"))
        dialog.open()
        return dialog

    def show_county_view(self) -> CountyViewDialog:
        """全县联合视图: the year's rows of all departments grouped into proposed joint visits."""
        with self.context.database.sessions() as session:
            view = county_joint_view(session, self.year.value())
        dialog = CountyViewDialog(view, self)
        dialog.open()
        return dialog
