"""新增/编辑 one registry record: a form built from the registry's field specs, problems shown by each field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.registry.fields import FieldKind, FieldSpec, registry_spec
from app.registry.records import RecordInvalid, record_values, save_record
from db.engine import transaction
from db.models import Department
from ui import feedback
from ui.context import AppContext
from ui.widgets.dialog_buttons import accept_cancel_buttons

_DEPARTMENT_FIELDS = ("department", "lead_department")


def department_names(context: AppContext) -> list[str]:
    with context.database.sessions() as session:
        return list(
            session.scalars(
                select(Department.name).where(Department.archived.is_(False)).order_by(Department.sort_order)
            )
        )


def editor_for(spec: FieldSpec, departments: list[str]) -> QWidget:
    """The input widget for one field."""
    if spec.name in _DEPARTMENT_FIELDS:
        combo = QComboBox()
        combo.addItem("")
        combo.addItems(departments)
        return combo
    if spec.kind is FieldKind.CHOICE:
        combo = QComboBox()
        if not spec.required:
            combo.addItem("")
        combo.addItems(list(spec.choices))
        return combo
    if spec.kind is FieldKind.BOOL:
        return QCheckBox()
    if spec.multiline:
        area = QPlainTextEdit()
        area.setFixedHeight(70)
        return area
    edit = QLineEdit()
    if spec.kind is FieldKind.DATE:
        edit.setPlaceholderText("如 2026-03-31")
    elif spec.kind is FieldKind.TAGS:
        edit.setPlaceholderText("多个用“、”分隔")
    elif spec.personal:
        edit.setPlaceholderText("选填；显示时打码")
    return edit


def set_editor_value(widget: QWidget, spec: FieldSpec, value: Any) -> None:
    text = spec.display(value) if not isinstance(value, str) else value
    if isinstance(widget, QComboBox):
        index = widget.findText(text)
        widget.setCurrentIndex(max(0, index))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)


def editor_value(widget: QWidget) -> Any:
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return None


class RecordDialog(QDialog):
    """Add (record_id None) or edit one record of `kind` (entities / inspectors / items)."""

    def __init__(
        self, context: AppContext, kind: str, record_id: int | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.record_id = record_id
        self.saved_id: int | None = None
        self.spec = registry_spec(kind)
        self.setWindowTitle(("编辑" if record_id else "新增") + self.spec.label)
        self.setMinimumSize(620, 560)
        departments = department_names(context)
        body = QWidget()
        form = QFormLayout(body)
        self.editors: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}
        for f in self.spec.fields:
            if f.name == "needs_code_fix":
                continue
            editor = editor_for(f, departments)
            problem = QLabel()
            problem.setObjectName("hint")
            problem.setProperty("alert", True)
            problem.setWordWrap(True)
            problem.hide()
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(problem)
            form.addRow(f.label + ("*" if f.required else "") + "：", holder)
            self.editors[f.name] = editor
            self.problems[f.name] = problem
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        note = QLabel("带 * 的为必填项。身份证号保存后只显示打码后的号码。")
        note.setObjectName("hint")
        layout.addWidget(note)
        layout.addWidget(scroll, 1)
        self.general_problem = QLabel()
        self.general_problem.setObjectName("hint")
        self.general_problem.setProperty("alert", True)
        self.general_problem.hide()
        layout.addWidget(self.general_problem)
        buttons = accept_cancel_buttons("保存", self.save, self.reject)
        layout.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        if self.record_id is None:
            for f in self.spec.fields:
                if f.name in self.editors and f.default is not None:
                    set_editor_value(self.editors[f.name], f, f.default)
            return
        with self.context.database.sessions() as session:
            values = record_values(session, self.kind, self.record_id)
        for f in self.spec.fields:
            if f.name in self.editors:
                value = values.get(f.name)
                if isinstance(value, dt.date):
                    value = value.isoformat()
                set_editor_value(self.editors[f.name], f, value if value is not None else "")

    def form_values(self) -> dict[str, Any]:
        return {name: editor_value(widget) for name, widget in self.editors.items()}

    def _show_problems(self, exc: RecordInvalid) -> None:
        for shown in self.problems.values():
            shown.clear()
            shown.hide()
        general: list[str] = []
        for issue in exc.issues:
            target = self.problems.get(issue.field)
            if target is None:
                general.append(issue.message)
                continue
            prefix = "" if issue.severity == "error" else "提醒："
            target.setText((target.text() + "\n" if target.text() else "") + prefix + issue.message)
            target.show()
        self.general_problem.setText("\n".join(general))
        self.general_problem.setVisible(bool(general))

    def save(self, accept_warnings: bool = False) -> bool:
        try:
            with transaction(self.context.database.sessions) as session:
                self.saved_id, _warnings = save_record(
                    session, self.kind, self.record_id, self.form_values(), accept_warnings=accept_warnings
                )
        except RecordInvalid as exc:
            self._show_problems(exc)
            if any(i.severity == "error" for i in exc.issues):
                return False
            warnings = "\n".join(i.message for i in exc.issues)
            if feedback.confirm(self, f"请核对：\n{warnings}\n\n仍然保存吗？", ok_text="仍然保存"):
                return self.save(accept_warnings=True)
            return False
        self.accept()
        return True
