"""年度抽查计划: the year's plans, a plan's rows, drafting, 报审 and 审核备案, recorded 调整 and the history of
versions, and the 《XX年度行政执法检查计划表》 as Excel or PDF."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.audit import record_event
from app.auth.roles import Permission
from app.forms.errors import PrintingError
from app.plans import (
    AddRow,
    EditRow,
    PlanError,
    PlanLine,
    RemoveRow,
    RevisionLine,
    RowDiff,
    RowInput,
    RowLine,
    add_row,
    adjust_plan,
    all_departments,
    base_count,
    compare_revisions,
    create_plan,
    departments_without_plan,
    file_plan,
    items_for_department,
    list_plans,
    parse_ratio,
    percent_text,
    plan_revisions,
    plan_rows,
    planned_count,
    remove_row,
    submit_plan,
    update_row,
)
from app.plans.county import county_joint_view
from app.tasks.listing import PlanRowProgress, plan_row_progress
from db.engine import transaction
from db.enums import PlanStatus
from ui import feedback
from ui.context import AppContext
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.pages import Page
from ui.widgets.county_view import CountyViewDialog
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.plan_import_dialog import PlanImportDialog

log = logging.getLogger(__name__)

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
REVISION_COLUMNS: list[Column[RevisionLine]] = [
    Column("版本", lambda r: r.revision_no, align_right=True),
    Column("类型", lambda r: r.kind),
    Column("经办人", lambda r: r.changed_by),
    Column("时间", lambda r: f"{r.changed_at.astimezone():%Y-%m-%d %H:%M}"),
    Column("原因/说明", lambda r: r.reason),
]
DIFF_COLUMNS: list[Column[tuple[RowDiff, str, str, str]]] = [
    Column("变化", lambda d: d[0].kind),
    Column("抽查事项", lambda d: d[0].item),
    Column("项目", lambda d: d[1]),
    Column("前一版本", lambda d: d[2]),
    Column("后一版本", lambda d: d[3]),
]
RATIO, QUANTITY = "按比例", "按数量"


def _shown(value: object, field: str = "") -> str:
    if value is None or value == "":
        return ""
    if field == "planned_month":
        return f"{value}月"
    if field == "ratio" and isinstance(value, str):
        return percent_text(value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _multiline() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(58)
    return edit


class NewPlanDialog(QDialog):
    """新建计划: choose a department that has no plan for the year."""

    def __init__(self, year: int, choices: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"新建{year}年度抽查计划")
        self.department = QComboBox()
        for dept_id, name in choices:
            self.department.addItem(name, dept_id)
        form = QFormLayout(self)
        form.addRow("部门：", self.department)
        form.addRow(accept_cancel_buttons("新建", self.accept, self.reject))

    def chosen(self) -> int | None:
        value = self.department.currentData()
        return int(value) if value is not None else None


class SignDialog(QDialog):
    """Who records a 报审 or 审核备案, with an optional note."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit(name)
        self.note = QLineEdit()
        self.note.setPlaceholderText("可选，例如：司法局审核意见文号")
        form = QFormLayout(self)
        form.addRow("经办人：", self.name)
        form.addRow("说明：", self.note)
        form.addRow(accept_cancel_buttons("确定", self._accept, self.reject))

    def _accept(self) -> None:
        if not self.name.text().strip():
            feedback.warn(self, "经办人不能为空", title=self.windowTitle())
            return
        self.accept()


class RowDialog(QDialog):
    """One plan row: item, scope, 比例 or 数量 with the live 基数 and 计划抽查数, content, basis, month, method,
    joint departments, cap and remarks. With ``adjust`` it also asks for the 调整 reason and who makes it.

    ``save(values, reason, who)`` stores the row; a :class:`PlanError` keeps the dialog open with its message.
    """

    def __init__(
        self,
        context: AppContext,
        department_id: int,
        save: Callable[[RowInput, str, str], None],
        initial: RowInput | None = None,
        *,
        adjust: bool = False,
        name: str = "",
        item_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._initial_name = item_name
        self._save = save
        self.setWindowTitle("调整计划行" if adjust else ("编辑计划行" if initial else "新增计划行"))
        self.resize(640, 0)
        with context.database.sessions() as session:
            self._items = {i.id: i for i in items_for_department(session, department_id)}
            departments = [d for d in all_departments(session) if d.id != department_id]
        self.item = QComboBox()
        for item in self._items.values():
            self.item.addItem(item.name, item.id)
        self.scope = QLineEdit()
        self.base = QLabel()
        self.mode = QComboBox()
        self.mode.addItems([RATIO, QUANTITY])
        self.ratio = QLineEdit()
        self.ratio.setPlaceholderText("例如 5% 或 0.05")
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 1_000_000)
        self.quantity.setSuffix(" 户")
        self.planned = QLabel()
        self.content = _multiline()
        self.basis = _multiline()
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setSuffix(" 月")
        self.method = QLineEdit()
        self.joint = QListWidget()
        self.joint.setFixedHeight(90)
        for dept in departments:
            entry = QListWidgetItem(dept.name)
            entry.setData(Qt.ItemDataRole.UserRole, dept.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.joint.addItem(entry)
        self.cap = QSpinBox()
        self.cap.setRange(0, 99)
        self.cap.setSpecialValueText("不限")
        self.cap.setSuffix(" 次/年")
        self.remarks = QLineEdit()
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(58)
        self.who = QLineEdit(name)

        amount = QHBoxLayout()
        amount.addWidget(self.mode)
        amount.addWidget(self.ratio, 1)
        amount.addWidget(self.quantity, 1)
        form = QFormLayout(self)
        form.addRow("抽查事项：", self.item)
        form.addRow("检查对象范围：", self.scope)
        form.addRow("检查对象基数：", self.base)
        form.addRow("抽查比例或数量：", amount)
        form.addRow("计划抽查数：", self.planned)
        form.addRow("检查内容：", self.content)
        form.addRow("检查依据：", self.basis)
        form.addRow("计划月份：", self.month)
        form.addRow("检查方式：", self.method)
        form.addRow("联合部门：", self.joint)
        form.addRow("频次上限：", self.cap)
        form.addRow("备注：", self.remarks)
        if adjust:
            form.addRow("调整原因：", self.reason)
            form.addRow("经办人：", self.who)
        form.addRow(accept_cancel_buttons("保存调整" if adjust else "保存", self._accept, self.reject))
        self._adjust = adjust
        self._base_value = 0

        if initial is not None:
            self._load(initial)
        else:
            self._fill_from_item()
        self.item.currentIndexChanged.connect(lambda _i: self._fill_from_item())
        self.mode.currentIndexChanged.connect(lambda _i: self._update_amount())
        self.ratio.textChanged.connect(lambda _t: self._update_amount())
        self.quantity.valueChanged.connect(lambda _v: self._update_amount())
        self._update_base()

    def _load(self, row: RowInput) -> None:
        if (
            self.item.findData(row.item_id) < 0
        ):  # e.g. an item archived since: keep it, never swap it silently
            self.item.addItem(self._initial_name or f"抽查事项（编号 {row.item_id}）", row.item_id)
        self.item.setCurrentIndex(self.item.findData(row.item_id))
        self.scope.setText(row.scope_text)
        self.mode.setCurrentText(RATIO if row.ratio else QUANTITY)
        self.ratio.setText(percent_text(row.ratio) if row.ratio else "")
        self.quantity.setValue(row.quantity or 1)
        self.content.setPlainText(row.content)
        self.basis.setPlainText(row.basis)
        self.month.setValue(row.planned_month or 1)
        self.method.setText(row.method)
        for i in range(self.joint.count()):
            entry = self.joint.item(i)
            checked = entry.data(Qt.ItemDataRole.UserRole) in row.joint_department_ids
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.cap.setValue(row.frequency_cap or 0)
        self.remarks.setText(row.remarks)

    def _fill_from_item(self) -> None:
        """A new item suggests the scope, content, basis, method and ratio from the item list."""
        item = self._items.get(self.item.currentData())
        if item is not None:
            self.scope.setText(item.target_desc)
            self.content.setPlainText(item.key_points)
            self.basis.setPlainText(item.basis)
            self.method.setText(item.methods)
            if "%" in item.ratio_text:
                digits = "".join(ch for ch in item.ratio_text if ch.isdigit() or ch == ".")
                self.mode.setCurrentText(RATIO)
                self.ratio.setText(f"{digits}%")
        self._update_base()

    def _update_base(self) -> None:
        item_id = self.item.currentData()
        if item_id is None:
            self._base_value = 0
            self.base.setText("（本部门没有可列入计划的抽查事项）")
        else:
            with self.context.database.sessions() as session:
                self._base_value = base_count(session, int(item_id))
            self.base.setText(f"{self._base_value} 户（按当前检查对象名录实时计算）")
        self._update_amount()

    def _update_amount(self) -> None:
        by_ratio = self.mode.currentText() == RATIO
        self.ratio.setVisible(by_ratio)
        self.quantity.setVisible(not by_ratio)
        if not by_ratio:
            self.planned.setText(f"{self.quantity.value()} 户")
            return
        try:
            ratio = parse_ratio(self.ratio.text())
        except PlanError as exc:
            self.planned.setText(exc.message_zh if self.ratio.text().strip() else "（请填写抽查比例）")
            return
        self.planned.setText(f"{planned_count(self._base_value, ratio, None)} 户")

    def values(self) -> RowInput:
        by_ratio = self.mode.currentText() == RATIO
        item_id = self.item.currentData()
        joint = tuple(
            int(self.joint.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.joint.count())
            if self.joint.item(i).checkState() == Qt.CheckState.Checked
        )
        return RowInput(
            item_id=int(item_id) if item_id is not None else 0,
            scope_text=self.scope.text(),
            ratio=self.ratio.text() if by_ratio else "",
            quantity=None if by_ratio else self.quantity.value(),
            content=self.content.toPlainText(),
            basis=self.basis.toPlainText(),
            planned_month=self.month.value(),
            method=self.method.text(),
            joint_department_ids=joint,
            frequency_cap=self.cap.value() or None,
            remarks=self.remarks.text(),
        )

    def _accept(self) -> None:
        try:
            self._save(self.values(), self.reason.toPlainText(), self.who.text())
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title=self.windowTitle())
            return
        self.accept()


class HistoryDialog(QDialog):
    """历史版本: every recorded version; choose two to see what changed, row by row."""

    def __init__(self, title: str, revisions: list[RevisionLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"历史版本 — {title}")
        self.resize(1000, 620)
        self.revisions = revisions
        self.list_model: ListTableModel[RevisionLine] = ListTableModel(REVISION_COLUMNS, revisions)
        self.list_view = list_table_view(self.list_model, stretch_column=4, single=True)
        self.first = QComboBox()
        self.second = QComboBox()
        for r in revisions:
            label = f"第{r.revision_no}版（{r.kind}，{r.changed_at.astimezone():%Y-%m-%d}）"
            self.first.addItem(label, r.revision_no)
            self.second.addItem(label, r.revision_no)
        self.first.setCurrentIndex(max(len(revisions) - 2, 0))
        self.second.setCurrentIndex(max(len(revisions) - 1, 0))
        self.diff_model: ListTableModel[tuple[RowDiff, str, str, str]] = ListTableModel(DIFF_COLUMNS)
        self.diff_view = list_table_view(self.diff_model, stretch_column=4)
        self.summary = QLabel()
        pick = QHBoxLayout()
        pick.addWidget(QLabel("比较："))
        pick.addWidget(self.first, 1)
        pick.addWidget(QLabel("→"))
        pick.addWidget(self.second, 1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list_view, 1)
        layout.addLayout(pick)
        layout.addWidget(self.summary)
        layout.addWidget(self.diff_view, 2)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.first.currentIndexChanged.connect(lambda _i: self.show_diff())
        self.second.currentIndexChanged.connect(lambda _i: self.show_diff())
        self.show_diff()

    def show_diff(self) -> None:
        by_no = {r.revision_no: r for r in self.revisions}
        a, b = by_no.get(self.first.currentData()), by_no.get(self.second.currentData())
        if a is None or b is None:
            self.diff_model.set_rows([])
            self.summary.setText("尚无记录的版本。")
            return
        diff = compare_revisions(a.snapshot, b.snapshot)
        lines: list[tuple[RowDiff, str, str, str]] = []
        for row in diff.rows:
            if row.kind == "修改":
                lines += [
                    (row, c.label, _shown(c.before, c.field), _shown(c.after, c.field)) for c in row.changes
                ]
            elif row.kind == "新增" and row.after is not None:
                lines.append((row, "整行", "", f"计划抽查数 {_shown(row.after.get('planned_count'))}"))
            elif row.kind == "删除" and row.before is not None:
                lines.append((row, "整行", f"计划抽查数 {_shown(row.before.get('planned_count'))}", ""))
        self.diff_model.set_rows(lines)
        self.summary.setText(
            f"第{a.revision_no}版 → 第{b.revision_no}版：新增 {len(diff.added)} 行，删除 {len(diff.removed)} 行，"
            f"修改 {len(diff.changed)} 行。" + (f"　调整原因：{b.reason}" if b.reason else "")
        )


class RemoveRowDialog(QDialog):
    """调整：删除行: which row goes, why and who decides it; ``save(reason, who)`` records the 调整 and a
    :class:`PlanError` keeps the dialog open with its message."""

    def __init__(
        self, row: RowLine, save: Callable[[str, str], None], name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle("调整：删除计划行")
        self.resize(520, 0)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(58)
        self.who = QLineEdit(name)
        form = QFormLayout(self)
        form.addRow("删除的行：", QLabel(f"第{row.seq}行　{row.item}（计划抽查数 {row.planned_count}）"))
        form.addRow("调整原因：", self.reason)
        form.addRow("经办人：", self.who)
        form.addRow(accept_cancel_buttons("删除并记录调整", self._accept, self.reject))

    def _accept(self) -> None:
        try:
            self._save(self.reason.toPlainText(), self.who.text())
        except PlanError as exc:
            feedback.warn(self, exc.message_zh, title=self.windowTitle())
            return
        self.accept()


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
        if path is None:
            name = f"{plan.title}.{suffix}"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, f"{what}：{plan.title}", name, f"{what} (*.{suffix})"
            )
            if not chosen:
                return None
            path = chosen
        from app.forms.plan_table import write_plan_table_pdf, write_plan_table_xlsx  # reportlab, openpyxl

        with self.context.database.sessions() as session:
            rows = plan_rows(session, plan.plan_id)
        write = write_plan_table_xlsx if suffix == "xlsx" else write_plan_table_pdf
        try:
            written = write(rows, path, year=self.year.value(), unit=plan.department, date=dt.date.today())
        except PrintingError as exc:
            feedback.error(self, f"{what}未能生成：{exc.message_zh}", title=what)
            return None
        except OSError as exc:
            log.warning("plan table %s not written to %s: %s", plan.plan_id, path, exc)
            feedback.error(self, f"{what}未能写入“{path}”：{exc.strerror or exc}", title=what)
            return None
        with transaction(self.context.database.sessions) as session:
            record_event(
                session,
                "导出",
                "年度抽查计划",
                plan.plan_id,
                f"导出计划表“{Path(written).name}”：{plan.title}",
            )
        self.context.status_message.emit(f"计划表已导出：{written}")
        return written

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
