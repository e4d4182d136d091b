"""One audit entry in full: who, when, what, the fields before and after (修改前/修改后), and its seal.

Used as the 审计日志 page's right-hand pane and, larger, in the dialog Enter opens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.audit.listing import AuditDetail, FieldChange, local_time_text
from ui.models.list_table import Column, ListTableModel, list_table_view

FIELD_COLUMNS: list[Column[FieldChange]] = [
    Column("字段", lambda c: c.label),
    Column("修改前", lambda c: c.before),
    Column("修改后", lambda c: c.after),
]


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _code_field() -> QLineEdit:
    """A hash: read-only and copyable; a line edit, so 64 characters need not widen the pane."""
    field = QLineEdit()
    field.setReadOnly(True)
    field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return field


class AuditEntryDetail(QWidget):
    """The selected entry, or a hint when none is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: AuditDetail | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 0, 0, 0)
        self.title = QLabel("记录详情")
        self.title.setObjectName("sectionTitle")
        outer.addWidget(self.title)
        self.empty = QLabel("选择一条审计记录查看详情。\n按 Enter 在单独的窗口中打开。")
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.empty, 1)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.number = _value_label()
        self.when = _value_label()
        self.user = _value_label()
        self.action = _value_label()
        self.object = _value_label()
        self.summary = _value_label()
        form.addRow("序号：", self.number)
        form.addRow("时间：", self.when)
        form.addRow("用户：", self.user)
        form.addRow("操作：", self.action)
        form.addRow("对象：", self.object)
        form.addRow("摘要：", self.summary)
        body.addLayout(form)

        self.fields_title = QLabel("字段变化")
        self.fields_title.setObjectName("sectionTitle")
        body.addWidget(self.fields_title)
        self.fields_model: ListTableModel[FieldChange] = ListTableModel(FIELD_COLUMNS)
        self.fields = list_table_view(self.fields_model, stretch_column=2)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fields.setWordWrap(True)
        self.fields.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        body.addWidget(self.fields, 1)
        self.no_fields = QLabel("此记录不涉及字段变化。")
        self.no_fields.setObjectName("hint")
        body.addWidget(self.no_fields)

        seal_title = QLabel("校验信息")
        seal_title.setObjectName("sectionTitle")
        body.addWidget(seal_title)
        seal = QFormLayout()
        seal.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.hmac = _code_field()
        self.prev_hmac = _code_field()
        self.key_id = _code_field()
        seal.addRow("本条校验值（HMAC-SHA256）：", self.hmac)
        seal.addRow("前一条校验值：", self.prev_hmac)
        seal.addRow("签名密钥指纹：", self.key_id)
        body.addLayout(seal)
        outer.addWidget(self.body, 3)
        self.show_detail(None)

    def show_detail(self, detail: AuditDetail | None) -> None:
        self.detail = detail
        self.empty.setVisible(detail is None)
        self.body.setVisible(detail is not None)
        if detail is None:
            self.fields_model.set_rows([])
            return
        row = detail.row
        self.number.setText(f"第 {row.id} 条")
        self.when.setText(local_time_text(row.at))
        self.user.setText(row.username or "（未记录）")
        self.action.setText(row.action)
        self.object.setText(f"{row.object_type} #{row.object_id}" if row.object_id else row.object_type)
        self.summary.setText(row.summary)
        self.fields_model.set_rows(detail.changes)
        self.fields.setVisible(bool(detail.changes))
        self.fields_title.setVisible(bool(detail.changes))
        self.no_fields.setVisible(not detail.changes)
        for field, text in (
            (self.hmac, detail.hmac or "（无）"),
            (self.prev_hmac, detail.prev_hmac or "（链首，无前一条）"),
            (self.key_id, detail.key_id or "（无）"),
        ):
            field.setText(text)
            field.setCursorPosition(0)


class AuditEntryDialog(QDialog):
    """An entry in its own window, for long before/after values."""

    def __init__(self, detail: AuditDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"审计记录 第 {detail.row.id} 条")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(820, 600)
        layout = QVBoxLayout(self)
        self.detail = AuditEntryDetail()
        self.detail.show_detail(detail)
        layout.addWidget(self.detail, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
