"""The plan-row dialogs of 年度抽查计划: a row 新增, 编辑 or 调整 with its live 基数 and 计划抽查数
(:class:`RowDialog`), and 调整：删除行 with its reason (:class:`RemoveRowDialog`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.plans import (
    PlanError,
    RowInput,
    RowLine,
    all_departments,
    base_count,
    items_for_department,
    parse_ratio,
    percent_text,
    planned_count,
)
from ui import feedback
from ui.context import AppContext
from ui.widgets.dialog_buttons import accept_cancel_buttons

__all__ = ["QUANTITY", "RATIO", "RemoveRowDialog", "RowDialog"]

RATIO, QUANTITY = "按比例", "按数量"


def _multiline() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(58)
    return edit


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
