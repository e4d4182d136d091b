"""递补: an assigned inspector withdraws (回避, illness …); a replacement is drawn with fresh witness numbers."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.tasks import AssignedObject, ReplacementOutcome, TaskError, replace_inspector
from ui import feedback
from ui.context import AppContext
from ui.draw.witness_table import WitnessTable
from ui.widgets.dialog_buttons import accept_cancel_buttons


class ReplacementDialog(QDialog):
    def __init__(
        self, context: AppContext, draw_id: int, target: AssignedObject, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.draw_id = draw_id
        self.target = target
        self.outcome: ReplacementOutcome | None = None
        self.reason = ""
        self.witness_text = ""
        self.setWindowTitle("递补抽取")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"检查对象：第 {target.order} 号　{target.name}（{target.code}）"))
        form = QFormLayout()
        self.inspector = QComboBox()
        for person in target.active_inspectors:
            self.inspector.addItem(f"{person.name}（{person.cert_no}，{person.group}）", person.inspector_id)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("如：与该对象负责人系近亲属，申请回避")
        form.addRow("退出人员：", self.inspector)
        form.addRow("退出原因：", self.reason_edit)
        layout.addLayout(form)
        layout.addWidget(QLabel("监督人现场重新报数（递补使用新的随机数）："))
        self.witnesses = WitnessTable()
        layout.addWidget(self.witnesses)
        buttons = accept_cancel_buttons("抽取递补人员", self.run, self.reject)
        layout.addWidget(buttons)

    def run(self) -> None:
        self.reason = self.reason_edit.text().strip()
        if not self.reason:
            feedback.warn(self, "请填写退出原因，它将记入抽取记录。", title="递补")
            return
        problems = self.witnesses.problems()
        if problems:
            feedback.warn(self, "\n".join(problems), title="报数不完整")
            return
        witnesses = self.witnesses.witnesses()
        self.witness_text = "；".join(f"{w.name} {w.values_text()}" for w in witnesses)
        with self.context.database.sessions() as session:
            try:
                self.outcome = replace_inspector(
                    session,
                    self.draw_id,
                    self.target.entity_id,
                    self.inspector.currentData(),
                    self.reason,
                    witnesses,
                )
            except TaskError as exc:
                feedback.warn(self, exc.message_zh, title="递补未完成")
                return
        self.accept()
