"""检查录入与公示: the drawn tasks of the year, each object's 执法检查登记表, printing, and the 公示."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.auth.roles import Permission
from app.forms.errors import PrintingError
from app.inspections import (
    InspectionError,
    InspectionSummary,
    publication_rows,
    publication_title,
    publish_task,
    start_inspections,
    task_inspections,
    write_task_forms,
)
from app.paths import data_dir
from app.settings import load_settings
from app.tasks.listing import TaskLine, list_tasks
from db.enums import TaskStatus
from ui import feedback
from ui.context import AppContext
from ui.jobs import ProgressFn, run_with_progress
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.pages import Page
from ui.widgets.inspection_editor import InspectionEditor

log = logging.getLogger(__name__)

DRAWN_STATUSES = {
    TaskStatus.DRAWN.value,
    TaskStatus.INSPECTING.value,
    TaskStatus.COMPLETED.value,
    TaskStatus.PUBLISHED.value,
}
CHANNELS = ("门户网站", "国家企业信用信息公示系统")
FORMS_FOLDER = "登记表"
OVERDUE_COLOR = QColor("#c62828")

TASK_COLUMNS: list[Column[TaskLine]] = [
    Column("任务编号", lambda t: t.code),
    Column("任务名称", lambda t: t.title),
    Column("状态", lambda t: t.status),
    Column("户数", lambda t: t.drawn, align_right=True),
]


def _due_text(row: InspectionSummary) -> str:
    if row.due_on is None:
        return ""
    return row.due_on.isoformat() + ("（已逾期）" if row.overdue else "")


INSPECTION_COLUMNS: list[Column[InspectionSummary]] = [
    Column("顺序号", lambda r: r.order, align_right=True),
    Column("对象", lambda r: r.entity_name),
    Column("检查日期", lambda r: r.inspection_date.isoformat() if r.inspection_date else ""),
    Column("检查结果", lambda r: r.result),
    Column("状态", lambda r: r.status),
    Column("登记表期限", _due_text),
]


class InspectionListModel(ListTableModel[InspectionSummary]):
    """The task's forms; a draft past its filing deadline is shown in red."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and 0 <= index.row() < self.rowCount()
            and self.row_object(index.row()).overdue
        ):
            return OVERDUE_COLOR
        return super().data(index, role)


class InspectionsPage(Page):
    TITLE = "检查录入与公示"
    EDIT_PERMISSION = Permission.INSPECTIONS

    def editing_widgets(self) -> list[QWidget]:
        return [self.start_button, self.publish_button, self.channel]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.published_files: dict[int, Path] = {}  # task id → the last exported 公示 xlsx

        top = self.heading_with_year()

        bar = QHBoxLayout()
        self.start_button = QPushButton("开始检查")
        self.blank_button = QPushButton("打印空白登记表")
        self.filled_button = QPushButton("打印已填登记表")
        self.export_button = QPushButton("导出公示表…")
        self.channel = QComboBox()
        self.channel.addItems(CHANNELS)
        self.publish_button = QPushButton("标记已公示")
        for widget in (self.start_button, self.blank_button, self.filled_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(QLabel("公示渠道："))
        bar.addWidget(self.channel)
        bar.addWidget(self.publish_button)
        self.start_button.clicked.connect(self.start)
        self.blank_button.clicked.connect(lambda: self.print_forms(blank=True))
        self.filled_button.clicked.connect(lambda: self.print_forms(blank=False))
        self.export_button.clicked.connect(lambda: self.export_publication())
        self.publish_button.clicked.connect(self.publish)

        self.task_model: ListTableModel[TaskLine] = ListTableModel(TASK_COLUMNS)
        self.task_table = list_table_view(self.task_model, stretch_column=1, single=True)
        self.task_table.selectionModel().selectionChanged.connect(self._on_task_selected)
        self.inspection_model = InspectionListModel(INSPECTION_COLUMNS)
        self.inspection_table = list_table_view(self.inspection_model, stretch_column=1, single=True)
        self.inspection_table.selectionModel().selectionChanged.connect(self._on_inspection_selected)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.task_table)
        left.addWidget(self.inspection_table)
        left.setSizes([200, 400])

        self.editor = InspectionEditor(context)
        self.editor.changed.connect(self._on_form_changed)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setSizes([520, 640])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._update_buttons()

    # --- showing -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        task = self.selected_task()
        with self.context.database.sessions() as session:
            tasks = [t for t in list_tasks(session, self.year.value()) if t.status in DRAWN_STATUSES]
        self.task_model.set_rows(tasks)
        if task is not None:
            self.select_task(task.task_id)
        self._load_inspections()

    def selected_task(self) -> TaskLine | None:
        return self.task_model.selected_object(self.task_table)

    def selected_inspection(self) -> InspectionSummary | None:
        return self.inspection_model.selected_object(self.inspection_table)

    def select_task(self, task_id: int) -> bool:
        return self.task_model.select_first(self.task_table, lambda t: t.task_id == task_id)

    def select_inspection(self, inspection_id: int) -> bool:
        for row in range(self.inspection_model.rowCount()):
            if self.inspection_model.row_object(row).inspection_id == inspection_id:
                self.inspection_table.selectRow(row)
                return True
        return False

    def _load_inspections(self) -> None:
        """Reload the selected task's forms, keeping the selected form."""
        task = self.selected_task()
        current = self.selected_inspection()
        rows: list[InspectionSummary] = []
        if task is not None:
            with self.context.database.sessions() as session:
                rows = task_inspections(session, task.task_id)
        self.inspection_model.set_rows(rows)
        if current is None or not self.select_inspection(current.inspection_id):
            self.editor.load(None)
        self._update_buttons()

    def _on_task_selected(self) -> None:
        self.inspection_model.set_rows([])
        self._load_inspections()

    def _on_inspection_selected(self) -> None:
        row = self.selected_inspection()
        self.editor.load(row.inspection_id if row else None)

    def _on_form_changed(self, inspection_id: int) -> None:
        self.refresh()
        self.select_inspection(inspection_id)
        self.context.data_changed.emit("inspections")

    def _update_buttons(self) -> None:
        task = self.selected_task()
        status = task.status if task else ""
        self.start_button.setEnabled(status == TaskStatus.DRAWN.value)
        has_forms = self.inspection_model.rowCount() > 0
        self.blank_button.setEnabled(has_forms)
        self.filled_button.setEnabled(has_forms)
        self.export_button.setEnabled(status == TaskStatus.COMPLETED.value)
        self.publish_button.setEnabled(status == TaskStatus.COMPLETED.value)
        self.channel.setEnabled(status == TaskStatus.COMPLETED.value)

    # --- actions -----------------------------------------------------------------------------------------
    def start(self) -> bool:
        """开始检查: one draft form per drawn object; the task becomes 检查中."""
        task = self.selected_task()
        if task is None:
            return False
        try:
            with self.context.database.sessions() as session:
                started = start_inspections(session, task.task_id)
        except InspectionError as exc:
            feedback.warn(self, exc.message_zh, title="开始检查")
            return False
        self.refresh()
        self.context.data_changed.emit("tasks")
        self.context.status_message.emit(f"已为 {len(started.inspection_ids)} 户检查对象生成登记表草稿。")
        return True

    def print_forms(self, *, blank: bool) -> Path | None:
        """The task's forms in one PDF under the data directory's 登记表 folder, opened for printing."""
        task = self.selected_task()
        if task is None:
            return None
        folder = data_dir() / FORMS_FOLDER
        target = folder / f"{task.code}_{'空白' if blank else '已填'}登记表.pdf"
        database = self.context.database

        def job(progress: ProgressFn) -> Path:
            progress("正在生成", 0.1)
            folder.mkdir(parents=True, exist_ok=True)
            with database.sessions() as session:
                path = write_task_forms(session, task.task_id, target, blank=blank)
            progress("完成", 1.0)
            return path

        try:
            path: Path = run_with_progress(self, "生成执法检查登记表", job)
        except (InspectionError, PrintingError) as exc:
            feedback.error(self, f"登记表未能生成：{exc.message_zh}", title="打印")
            return None
        except OSError as exc:
            log.warning("forms of task %s not written to %s: %s", task.code, target, exc)
            feedback.error(self, f"登记表未能写入“{target}”：{exc.strerror or exc}", title="打印")
            return None
        self.context.status_message.emit(f"登记表已生成：{path}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def export_publication(self, folder: str | Path | None = None) -> tuple[Path, Path] | None:
        """导出公示表: the task's 公示 rows as xlsx and PDF into a folder the clerk picks."""
        task = self.selected_task()
        if task is None or task.status != TaskStatus.COMPLETED.value:
            return None
        chosen = folder or QFileDialog.getExistingDirectory(self, "选择公示表的保存文件夹")
        if not chosen:
            return None
        base = Path(chosen) / f"{task.code}_抽查结果公示"
        from app.forms.publication import write_publication_pdf, write_publication_xlsx  # reportlab, openpyxl

        try:
            with self.context.database.sessions() as session:
                rows = publication_rows(session, task.task_id)
                title = publication_title(session, task.task_id)
                bureau = load_settings(session).bureau_name
            xlsx = write_publication_xlsx(rows, base.with_suffix(".xlsx"), title=title)
            pdf = write_publication_pdf(rows, base.with_suffix(".pdf"), title=title, bureau_name=bureau)
        except (InspectionError, PrintingError) as exc:
            feedback.error(self, f"公示表未能导出：{exc.message_zh}", title="导出公示表")
            return None
        except OSError as exc:
            log.warning("publication of task %s not written to %s: %s", task.code, chosen, exc)
            feedback.error(self, f"公示表未能写入“{chosen}”：{exc.strerror or exc}", title="导出公示表")
            return None
        self.published_files[task.task_id] = xlsx
        self.context.status_message.emit(f"公示表已导出：{xlsx.name}、{pdf.name}")
        feedback.info(
            self,
            f"已导出 {len(rows)} 条公示记录：\n{xlsx.name}\n{pdf.name}\n\n到：{chosen}",
            title="导出完成",
        )
        return xlsx, pdf

    def publish(self) -> bool:
        """标记已公示 with today's date and the chosen channel, after confirmation."""
        task = self.selected_task()
        if task is None or task.status != TaskStatus.COMPLETED.value:
            return False
        channel = self.channel.currentText()
        today = dt.date.today()
        exported = self.published_files.get(task.task_id)
        if not feedback.confirm(
            self,
            f"登记任务 {task.code} 已于 {today.isoformat()} 在“{channel}”公示？登记后任务状态为已公示，不能撤销。",
            "登记公示",
        ):
            return False
        try:
            with self.context.database.sessions() as session:
                info = publish_task(session, task.task_id, today, channel, published_file=exported)
        except InspectionError as exc:
            feedback.warn(self, exc.message_zh, title="标记已公示")
            return False
        self.refresh()
        self.context.data_changed.emit("tasks")
        note = "（已超过公示期限）" if info.overdue else ""
        self.context.status_message.emit(f"任务 {task.code} 已登记公示{note}。")
        return True
