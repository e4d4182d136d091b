"""批量修改: set one common field (e.g. 风险等级) on every selected record, after a confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.registry.fields import FieldSpec
from app.registry.records import RecordInvalid, bulk_field_specs, bulk_update
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.record_form import department_names, editor_for, editor_value


class BulkEditDialog(QDialog):
    def __init__(self, context: AppContext, kind: str, ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.ids = ids
        self.changed = 0
        self.setWindowTitle("批量修改")
        self.setMinimumWidth(440)
        self.specs: list[FieldSpec] = bulk_field_specs(kind)
        self.departments = department_names(context)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"将对选中的 {len(ids):,} 条记录统一修改一个字段。"))
        self.form = QFormLayout()
        self.field = QComboBox()
        for spec in self.specs:
            self.field.addItem(spec.label, spec.name)
        self.field.currentIndexChanged.connect(self._swap_editor)
        self.form.addRow("字段：", self.field)
        self.editor: QWidget = QWidget()
        self.form.addRow("改为：", self.editor)
        layout.addLayout(self.form)
        buttons = accept_cancel_buttons("修改", self.apply, self.reject)
        layout.addWidget(buttons)
        self._swap_editor()

    def spec(self) -> FieldSpec:
        return self.specs[self.field.currentIndex()]

    def _swap_editor(self) -> None:
        new = editor_for(self.spec(), self.departments)
        self.form.replaceWidget(self.editor, new)
        self.editor.deleteLater()
        self.editor = new

    def apply(self) -> bool:
        spec = self.spec()
        value = editor_value(self.editor)
        shown = spec.display(value) if not isinstance(value, str) else (value or "（空）")
        if not feedback.confirm(
            self, f"将 {len(self.ids):,} 条记录的“{spec.label}”改为“{shown}”。确定吗？", ok_text="修改"
        ):
            return False
        try:
            with transaction(self.context.database.sessions) as session:
                self.changed = bulk_update(session, self.kind, self.ids, spec.name, value)
        except RecordInvalid as exc:
            feedback.warn(self, exc.message_zh, title="未修改")
            return False
        self.accept()
        return True
