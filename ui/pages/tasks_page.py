"""抽查任务: the year's tasks, new tasks from the plan or ad hoc, and the draw console for each."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.audit.cosign import CosignRefused, cosign_draw, cosignatures
from app.auth.roles import Permission
from app.tasks import TaskError, draw_history, plan_row_spec, task_definition, task_spec
from app.tasks.listing import PlanRowLine, TaskLine, list_tasks, plan_rows_for_tasks
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.draw.console import DrawConsole
from ui.draw.task_dialog import TaskDialog
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.pages import Page
from ui.permissions import restrict
from ui.widgets.dialog_buttons import accept_cancel_buttons

TASK_COLUMNS: list[Column[TaskLine]] = [
    Column("任务编号", lambda t: t.code),
    Column("任务名称", lambda t: t.title),
    Column("牵头部门", lambda t: t.department),
    Column("联合部门", lambda t: t.partners),
    Column("来源", lambda t: t.kind),
    Column("计划检查日期", lambda t: t.planned_date.isoformat() if t.planned_date else ""),
    Column("状态", lambda t: t.status),
    Column("抽取次数", lambda t: t.attempts, align_right=True),
    Column("抽中户数", lambda t: t.drawn, align_right=True),
    Column("已检查归档", lambda t: f"{t.filed}/{t.drawn}" if t.drawn else "", align_right=True),
]
PLAN_ROW_COLUMNS: list[Column[PlanRowLine]] = [
    Column("计划月份", lambda r: f"{r.planned_month}月" if r.planned_month else ""),
    Column("部门", lambda r: r.department),
    Column("抽查事项", lambda r: r.item),
    Column("计划抽查数", lambda r: r.planned_count, align_right=True),
    Column("已建任务", lambda r: r.tasks or "", align_right=True),
]


class PlanRowPicker(QDialog):
    """Choose the plan row a task is made from."""

    def __init__(self, rows: list[PlanRowLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("由年度计划生成任务：选择计划行")
        self.resize(820, 520)
        self.model: ListTableModel[PlanRowLine] = ListTableModel(PLAN_ROW_COLUMNS, rows)
        self.view = list_table_view(self.model, stretch_column=2, single=True)
        self.view.doubleClicked.connect(lambda _i: self.accept())
        buttons = accept_cancel_buttons("下一步", self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

    def chosen(self) -> PlanRowLine | None:
        return self.model.selected_object(self.view)


class TasksPage(Page):
    TITLE = "抽查任务与摇号"
    EDIT_PERMISSION = Permission.TASKS

    def editing_widgets(self) -> list[QWidget]:
        return [self.from_plan_button, self.adhoc_button, self.edit_button]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)
        top = self.heading_with_year()
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.from_plan_button = QPushButton("由年度计划生成任务…")
        self.adhoc_button = QPushButton("新建专项任务（计划外）…")
        self.edit_button = QPushButton("修改任务…")
        self.draw_button = QPushButton("开始摇号")
        self.draw_button.setDefault(True)
        self.cosign_button = QPushButton("复核签名…")
        self.cosign_button.setToolTip("监督人员重算核验已完成的抽取，并在审计日志中签名")
        for button in (self.from_plan_button, self.adhoc_button, self.edit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.cosign_button)
        bar.addWidget(self.draw_button)
        self.cosign_button.clicked.connect(self.cosign_selected)
        restrict(context.database.actor, Permission.COSIGN, self.cosign_button)
        layout.addLayout(bar)
        self.from_plan_button.clicked.connect(self.new_from_plan)
        self.adhoc_button.clicked.connect(self.new_adhoc)
        self.edit_button.clicked.connect(self.edit_selected)
        self.draw_button.clicked.connect(self.open_console)

        self.model: ListTableModel[TaskLine] = ListTableModel(TASK_COLUMNS)
        self.table = list_table_view(self.model, stretch_column=1, single=True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(lambda _i: self.open_console())
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选择一个任务查看抽取范围、规则和抽取记录。")
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([860, 360])
        layout.addWidget(splitter, 1)
        self.consoles: dict[int, DrawConsole] = {}
        self._update_buttons()

    def refresh(self) -> None:
        selected = self.selected()
        with self.context.database.sessions() as session:
            self.model.set_rows(list_tasks(session, self.year.value()))
        if selected is not None:
            self.select_task(selected.task_id)
        self._update_buttons()

    def selected(self) -> TaskLine | None:
        return self.model.selected_object(self.table)

    def select_task(self, task_id: int) -> None:
        self.model.select_first(self.table, lambda t: t.task_id == task_id)

    def _update_buttons(self) -> None:
        task = self.selected()
        self.edit_button.setEnabled(task is not None and task.status == "待抽取" and task.attempts == 0)
        # Anyone may open a drawn task's draw to look at it; only a clerk starts one.
        may_draw = self.context.database.actor.can(Permission.TASKS)
        self.draw_button.setEnabled(task is not None and (may_draw or task.status != "待抽取"))
        self.cosign_button.setEnabled(self._finished_draw_id() is not None)
        self.draw_button.setText("查看摇号" if task is not None and task.status != "待抽取" else "开始摇号")

    def _on_selection(self) -> None:
        self._update_buttons()
        task = self.selected()
        if task is None:
            self.detail.clear()
            return
        with self.context.database.sessions() as session:
            d = task_definition(session, task.task_id)
            history = draw_history(session, task.task_id)
            signatures = {a.draw_id: cosignatures(session, a.draw_id) for a in history if a.finished_at}
        lines = [
            f"{d.code}　{d.title}",
            f"状态：{d.status}　来源：{'计划外（专项）' if d.is_unplanned else '年度计划'}",
            "抽查事项：" + "；".join(d.items),
            "检查部门："
            + "、".join(f"{x.name}（{x.role}，每户 {x.inspectors_per_object} 名）" for x in d.departments),
            "计划检查日期：" + (d.planned_date.isoformat() if d.planned_date else "未定"),
            "检查对象范围："
            + ("；".join(d.pool_filter.describe()) if d.pool_filter.directed else "不定向（全部对象）"),
            "抽取规则：" + d.strata.describe(),
            "",
            "抽取记录：" if history else "尚未抽取。",
        ]
        for a in history:
            when = a.finished_at or a.prepared_at
            line = f"第{a.attempt_no}次　{a.status}　{when.astimezone():%Y-%m-%d %H:%M}　{a.operator_name}　{a.place}"
            if a.void_reason:
                line += f"\n　　作废原因：{a.void_reason}"
            if a.replacements:
                line += f"\n　　递补 {a.replacements} 次"
            for sign in signatures.get(a.draw_id, []):
                line += f"\n　　复核签名：{sign.username}　{sign.at.astimezone():%Y-%m-%d %H:%M}"
            lines.append(line)
        self.detail.setPlainText("\n".join(lines))

    # --- actions -------------------------------------------------------------------------------------
    def _finished_draw_id(self) -> int | None:
        task = self.selected()
        if task is None or task.status == "待抽取":
            return None
        with self.context.database.sessions() as session:
            for attempt in draw_history(session, task.task_id):
                if attempt.status == "已完成":
                    return attempt.draw_id
        return None

    def cosign_selected(self) -> bool:
        """复核签名: verify the task's finished draw and sign it in the audit trail."""
        draw_id = self._finished_draw_id()
        task = self.selected()
        if draw_id is None or task is None:
            return False
        question = (
            f"将对任务 {task.code} 的抽取结果进行复核：程序按 SJDRAW-1 重新计算并与记录比对，"
            "同时核对审计日志中的封存摘要。核验一致后以您的名义在审计日志中签名。\n\n确定复核并签名吗？"
        )
        if not feedback.confirm(self, question, ok_text="复核并签名", title="复核签名"):
            return False
        try:
            with transaction(self.context.database.sessions) as session:
                signed = cosign_draw(session, draw_id)
        except CosignRefused as exc:
            feedback.warn(self, exc.message_zh, title="复核未通过")
            return False
        feedback.info(self, f"复核通过，已签名。\n记录 SHA-256：{signed.record_sha256}", title="复核签名")
        self._on_selection()
        return True

    def new_from_plan(self) -> int | None:
        with self.context.database.sessions() as session:
            rows = plan_rows_for_tasks(session, self.year.value())
        if not rows:
            feedback.info(
                self, f"{self.year.value()}年度没有已报审或已备案的抽查计划。", title="由年度计划生成任务"
            )
            return None
        picker = PlanRowPicker(rows, self)
        if not picker.exec() or picker.chosen() is None:
            return None
        row = picker.chosen()
        assert row is not None
        try:
            with self.context.database.sessions() as session:
                spec = plan_row_spec(session, row.plan_row_id)
        except TaskError as exc:
            feedback.warn(self, exc.message_zh, title="计划行不完整")
            return None
        return self._run_dialog(TaskDialog(self.context, spec, plan_row_id=row.plan_row_id, parent=self))

    def new_adhoc(self) -> int | None:
        return self._run_dialog(TaskDialog(self.context, parent=self))

    def edit_selected(self) -> int | None:
        task = self.selected()
        if task is None:
            return None
        with self.context.database.sessions() as session:
            spec = task_spec(session, task.task_id)
        return self._run_dialog(TaskDialog(self.context, spec, task_id=task.task_id, parent=self))

    def _run_dialog(self, dialog: TaskDialog) -> int | None:
        if not dialog.exec() or dialog.saved_task_id is None:
            return None
        self.refresh()
        self.select_task(dialog.saved_task_id)
        self.context.data_changed.emit("tasks")
        self.context.status_message.emit("任务已保存。")
        return dialog.saved_task_id

    def open_console(self) -> DrawConsole | None:
        task = self.selected()
        if task is None:
            return None
        console = self.consoles.get(task.task_id)
        if console is None or not console.isVisible():
            console = DrawConsole(self.context, task.task_id)
            console.changed.connect(self.refresh)
            self.consoles[task.task_id] = console
        console.show()
        console.raise_()
        console.activateWindow()
        return console
