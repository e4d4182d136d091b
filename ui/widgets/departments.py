"""部门 settings table: list, add, edit, archive/restore."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.registry.departments import (
    DepartmentError,
    DepartmentRow,
    list_departments,
    save_department,
    set_department_archived,
)
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.widgets.dialog_buttons import accept_cancel_buttons

COLUMNS: list[Column[DepartmentRow]] = [
    Column("部门名称", lambda d: d.name + ("（已归档）" if d.archived else "")),
    Column("简称", lambda d: d.short_name),
    Column("部门编号", lambda d: d.code),
    Column("市场监管领域", lambda d: "是" if d.is_market_regulation else ""),
    Column("联系人", lambda d: d.contact_person),
    Column("联系电话", lambda d: d.contact_phone),
    Column("执法人员", lambda d: d.inspectors, align_right=True),
    Column("监管对象", lambda d: d.entities, align_right=True),
    Column("抽查事项", lambda d: d.items, align_right=True),
]


class DepartmentDialog(QDialog):
    """Add or edit one department."""

    def __init__(self, context: AppContext, row: DepartmentRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.row = row
        self.saved_id: int | None = None
        self.setWindowTitle("编辑部门" if row else "新增部门")
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.name = QLineEdit(row.name if row else "")
        self.short_name = QLineEdit(row.short_name if row else "")
        self.short_name.setPlaceholderText("用于文书编号，如“示市监”")
        self.code = QLineEdit(row.code if row else "")
        self.code.setMaxLength(30)
        self.code.setPlaceholderText("留空则按部门名称自动生成")
        self.code.setToolTip("司法局按部门编号区分各部门报来的数据包；同一部门在各台电脑上应使用同一编号。")
        self.market = QCheckBox("属于市场监管领域")
        self.market.setChecked(bool(row and row.is_market_regulation))
        self.contact_person = QLineEdit(row.contact_person if row else "")
        self.contact_phone = QLineEdit(row.contact_phone if row else "")
        form.addRow("部门名称：", self.name)
        form.addRow("简称：", self.short_name)
        form.addRow("部门编号：", self.code)
        form.addRow("", self.market)
        form.addRow("联系人：", self.contact_person)
        form.addRow("联系电话：", self.contact_phone)
        buttons = accept_cancel_buttons("保存", self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def edited(self) -> DepartmentRow:
        return DepartmentRow(
            id=self.row.id if self.row else None,
            name=self.name.text(),
            short_name=self.short_name.text(),
            code=self.code.text(),
            is_market_regulation=self.market.isChecked(),
            contact_person=self.contact_person.text(),
            contact_phone=self.contact_phone.text(),
        )

    def save(self) -> None:
        before = self.row.code if self.row else ""
        after = self.code.text().strip().upper()
        if (
            before
            and after not in ("", before)
            and not feedback.confirm(
                self,
                f"部门编号将由“{before}”改为“{after}”。\n\n"
                "司法局按部门编号区分各部门报来的数据包：已经报送过数据包的部门改了编号，司法局会把以后的数据包"
                "当作另一个部门的。只有编号与别的部门相同、或与司法局约定的编号不符时才需要修改。",
                ok_text="修改编号",
            )
        ):
            return
        try:
            with transaction(self.context.database.sessions) as session:
                self.saved_id = save_department(session, self.edited())
        except DepartmentError as exc:
            feedback.warn(self, exc.message_zh, title="部门未保存")
            return
        self.accept()


class DepartmentsPanel(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.model: ListTableModel[DepartmentRow] = ListTableModel(COLUMNS)
        self.table = list_table_view(self.model, stretch_column=0, single=True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增部门")
        self.edit_button = QPushButton("编辑")
        self.archive_button = QPushButton("归档")
        for button in (self.add_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.toggle_archive)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._update_buttons()

    def refresh(self) -> None:
        with self.context.database.sessions() as session:
            self.model.set_rows(list_departments(session))
        self._update_buttons()

    def selected(self) -> DepartmentRow | None:
        return self.model.selected_object(self.table)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.archive_button.setEnabled(row is not None)
        self.archive_button.setText("恢复" if row and row.archived else "归档")

    def add(self) -> None:
        dialog = DepartmentDialog(self.context, None, self)
        if dialog.exec():
            self._after_change("已新增部门。")

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = DepartmentDialog(self.context, row, self)
        if dialog.exec():
            self._after_change("部门已保存。")

    def toggle_archive(self) -> None:
        row = self.selected()
        if row is None or row.id is None:
            return
        if not row.archived and not feedback.confirm(
            self,
            f"归档“{row.name}”后，它不再出现在部门选项中；已有的 {row.inspectors} 名执法人员、"
            f"{row.entities} 个监管对象的记录保持不变。可随时恢复。",
            ok_text="归档",
        ):
            return
        with transaction(self.context.database.sessions) as session:
            set_department_archived(session, row.id, not row.archived)
        self._after_change("部门已恢复。" if row.archived else "部门已归档。")

    def _after_change(self, message: str) -> None:
        self.refresh()
        self.context.data_changed.emit("departments")
        self.context.status_message.emit(message)
