"""新建/修改抽查任务: items, departments, 定向 conditions, exclusions, strata, cap, planned date.

Opened either blank (专项/计划外) or pre-filled from a plan row (年度计划). The pool itself is checked in the
draw console before any commitment; this dialog only says what the task is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.registry import query as rq
from app.tasks import (
    Exclusions,
    PoolFilter,
    StrataBasis,
    StrataSpec,
    TaskError,
    TaskSpec,
    create_adhoc_task,
    create_task_from_plan_row,
    update_task,
)
from db.models import Department, InspectionItem
from ui import feedback
from ui.context import AppContext
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.filter_button import FilterButton

_EXCLUSIONS = (
    ("deregistered", "排除注销、吊销、迁出、歇业的对象"),
    ("outside_item", "排除不属于抽查事项检查对象的"),
    ("already_inspected", "排除本年度已就同一事项被抽中的"),
    ("annual_cap", "排除本年度被抽中次数已达上限的"),
)


def parse_rule(text: str) -> str | int:
    """A stratum rule as typed: “5%”, “0.05” (a rate) or “10户”/“#10” (a count). ValueError if neither."""
    t = text.strip().replace("％", "%").replace(" ", "")
    if not t:
        raise ValueError("empty")
    if t.endswith("%"):
        return format(Decimal(t[:-1]) / 100, "f")
    if t.startswith("#") or t.endswith("户") or t.endswith("个"):
        return int(t.strip("#户个"))
    value = Decimal(t)
    if value >= 1 and value == value.to_integral_value():
        return int(value)  # “10” means ten objects; a rate is written 0.1 or 10%
    return t


def rule_text(spelled: str) -> str:
    """The stored spelling (0.05 / #10) as the clerk reads it (5% / 10户)."""
    if spelled.startswith("#"):
        return f"{spelled[1:]}户"
    percent = (Decimal(spelled) * 100).normalize()
    return f"{format(percent, 'f')}%"


class TaskDialog(QDialog):
    """Create or edit a task. `spec` pre-fills the form; `plan_row_id` makes it a 年度计划 task."""

    def __init__(
        self,
        context: AppContext,
        spec: TaskSpec | None = None,
        *,
        plan_row_id: int | None = None,
        task_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.plan_row_id = plan_row_id
        self.task_id = task_id
        self.saved_task_id: int | None = None
        self.setWindowTitle(
            "修改抽查任务" if task_id else ("由年度计划生成任务" if plan_row_id else "新建专项任务（计划外）")
        )
        self.setMinimumSize(860, 640)
        with context.database.sessions() as session:
            self.departments = list(
                session.execute(
                    select(Department.id, Department.name)
                    .where(Department.archived.is_(False))
                    .order_by(Department.sort_order)
                ).all()
            )
            self.items = list(
                session.execute(
                    select(InspectionItem.id, InspectionItem.code, InspectionItem.name)
                    .where(InspectionItem.archived.is_(False))
                    .order_by(InspectionItem.code)
                ).all()
            )
        self._build()
        self.fill(
            spec
            or TaskSpec(
                title="", item_ids=[], lead_department_id=self.departments[0][0] if self.departments else 0
            )
        )

    # --- form ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：2026年度餐饮服务提供者监督检查")
        top.addRow("任务名称：", self.title)
        self.planned_date = QDateEdit()
        self.planned_date.setCalendarPopup(True)
        self.planned_date.setDisplayFormat("yyyy年M月d日")
        top.addRow("计划检查日期：", self.planned_date)
        layout.addLayout(top)

        columns = QHBoxLayout()
        items_box = QGroupBox("抽查事项（可多选，一次多查）")
        items_layout = QVBoxLayout(items_box)
        self.item_search = QLineEdit()
        self.item_search.setPlaceholderText("筛选事项…")
        self.item_search.textChanged.connect(self._filter_items)
        self.item_list = QListWidget()
        for item_id, code, name in self.items:
            entry = QListWidgetItem(f"{code}　{name}")
            entry.setData(Qt.ItemDataRole.UserRole, item_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.item_list.addItem(entry)
        items_layout.addWidget(self.item_search)
        items_layout.addWidget(self.item_list)
        columns.addWidget(items_box, 3)

        dept_box = QGroupBox("检查部门")
        dept_layout = QFormLayout(dept_box)
        self.lead = QComboBox()
        for dept_id, name in self.departments:
            self.lead.addItem(name, dept_id)
        self.partners = QListWidget()
        for dept_id, name in self.departments:
            entry = QListWidgetItem(name)
            entry.setData(Qt.ItemDataRole.UserRole, dept_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.partners.addItem(entry)
        self.per_object = QSpinBox()
        self.per_object.setRange(1, 5)
        self.per_object.setSuffix(" 名")
        self.cap = QComboBox()
        self.cap.setEditable(True)
        self.cap.addItem("自动（平均分配）", "auto")
        self.cap.addItem("不限", "none")
        dept_layout.addRow("牵头部门：", self.lead)
        dept_layout.addRow("联合部门：", self.partners)
        dept_layout.addRow("每户每部门检查人员：", self.per_object)
        dept_layout.addRow("每人最多检查对象数：", self.cap)
        columns.addWidget(dept_box, 2)
        layout.addLayout(columns, 1)

        pool_box = QGroupBox("检查对象范围（不选为不定向，即全部对象）")
        pool_layout = QVBoxLayout(pool_box)
        filters = QHBoxLayout()
        self.filter_buttons: dict[str, FilterButton] = {}
        for key, field_name in (("kind", "kinds"), ("industry", "industries"), ("town", "towns"),
                                ("risk_level", "risk_levels"), ("credit_class", "credit_classes")):  # fmt: skip
            definition = rq.ENTITIES.filter(key)
            button = FilterButton(field_name, definition.title, functools.partial(self._filter_values, key))
            self.filter_buttons[field_name] = button
            filters.addWidget(button)
        self.abnormal_only = QCheckBox("仅经营异常名录")
        filters.addWidget(self.abnormal_only)
        filters.addStretch(1)
        pool_layout.addLayout(filters)
        exclusions = QGridLayout()
        self.exclusion_boxes: dict[str, QCheckBox] = {}
        for n, (key, label) in enumerate(_EXCLUSIONS):
            box = QCheckBox(label)
            self.exclusion_boxes[key] = box
            exclusions.addWidget(box, n // 2, n % 2)
        pool_layout.addLayout(exclusions)
        layout.addWidget(pool_box)

        strata_box = QGroupBox("抽取比例或数量")
        strata_layout = QHBoxLayout(strata_box)
        self.basis = QComboBox()
        for basis in StrataBasis:
            self.basis.addItem("不分层" if basis is StrataBasis.ALL else f"按{basis.value}分层", basis.value)
        self.basis.currentIndexChanged.connect(self._rebuild_rules)
        strata_layout.addWidget(self.basis)
        self.rules_holder = QWidget()
        self.rules_layout = QHBoxLayout(self.rules_holder)
        self.rules_layout.setContentsMargins(0, 0, 0, 0)
        strata_layout.addWidget(self.rules_holder, 1)
        hint = QLabel("填比例如 5%，或数量如 10户")
        hint.setObjectName("hint")
        strata_layout.addWidget(hint)
        layout.addWidget(strata_box)
        self.rule_edits: dict[str, QLineEdit] = {}

        buttons = accept_cancel_buttons("保存任务", self.save, self.reject)
        layout.addWidget(buttons)

    def _filter_values(self, key: str) -> list[str]:
        with self.context.database.sessions() as session:
            return rq.filter_values(session, rq.ENTITIES, key)

    def _filter_items(self, text: str) -> None:
        for row in range(self.item_list.count()):
            entry = self.item_list.item(row)
            entry.setHidden(bool(text) and text not in entry.text())

    def _rebuild_rules(self, *_args: object, rules: dict[str, str] | None = None) -> None:
        old = {label: edit.text() for label, edit in self.rule_edits.items()}
        while self.rules_layout.count():
            taken = self.rules_layout.takeAt(0)
            child = taken.widget() if taken is not None else None
            if child is not None:
                child.deleteLater()
        self.rule_edits = {}
        basis = StrataBasis(self.basis.currentData())
        for label in basis.labels:
            self.rules_layout.addWidget(QLabel(f"{label}：" if basis is not StrataBasis.ALL else "抽取："))
            edit = QLineEdit((rules or {}).get(label, old.get(label, "5%")))
            edit.setMaximumWidth(90)
            self.rule_edits[label] = edit
            self.rules_layout.addWidget(edit)
        self.rules_layout.addStretch(1)

    def fill(self, spec: TaskSpec) -> None:
        self.title.setText(spec.title)
        date = spec.planned_date or dt.date.today()
        self.planned_date.setDate(QDate(date.year, date.month, date.day))
        wanted = set(spec.item_ids)
        for row in range(self.item_list.count()):
            entry = self.item_list.item(row)
            checked = entry.data(Qt.ItemDataRole.UserRole) in wanted
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        index = self.lead.findData(spec.lead_department_id)
        self.lead.setCurrentIndex(max(0, index))
        partners = set(spec.partner_department_ids)
        for row in range(self.partners.count()):
            entry = self.partners.item(row)
            checked = entry.data(Qt.ItemDataRole.UserRole) in partners
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        k = spec.inspectors_per_object
        self.per_object.setValue(k if isinstance(k, int) else max(k.values(), default=2))
        cap_index = self.cap.findData(str(spec.cap))
        if cap_index >= 0:
            self.cap.setCurrentIndex(cap_index)
        else:
            self.cap.setEditText(str(spec.cap))
        f = spec.pool_filter
        for field_name, button in self.filter_buttons.items():
            button.set_selected(list(getattr(f, field_name)))
        self.abnormal_only.setChecked(bool(f.abnormal_list))
        for key, box in self.exclusion_boxes.items():
            box.setChecked(bool(getattr(spec.exclusions, key)))
        self.basis.blockSignals(True)
        self.basis.setCurrentIndex(max(0, self.basis.findData(spec.strata.basis.value)))
        self.basis.blockSignals(False)
        self._rebuild_rules(rules={label: rule_text(spelled) for label, spelled in spec.strata.rules})
        self._spec = spec

    # --- reading the form ------------------------------------------------------------------------------
    def edited_spec(self) -> TaskSpec:
        """The task as the form says, or TaskError-like ValueError with a Chinese message."""
        items = [
            self.item_list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.item_list.count())
            if self.item_list.item(r).checkState() == Qt.CheckState.Checked
        ]
        lead = self.lead.currentData()
        partners = [
            self.partners.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.partners.count())
            if self.partners.item(r).checkState() == Qt.CheckState.Checked
            and self.partners.item(r).data(Qt.ItemDataRole.UserRole) != lead
        ]
        rules: dict[str, str | int] = {}
        for label, edit in self.rule_edits.items():
            try:
                rules[label] = parse_rule(edit.text())
            except (ValueError, InvalidOperation):
                raise ValueError(
                    f"分层“{label}”的抽取比例或数量“{edit.text()}”无法识别，请填写如 5% 或 10户。"
                ) from None
        cap_data = (
            self.cap.currentData()
            if self.cap.currentText() == self.cap.itemText(self.cap.currentIndex())
            else None
        )
        cap: str = cap_data or self.cap.currentText().strip()
        qdate = self.planned_date.date()
        chosen = {name: button.selected() for name, button in self.filter_buttons.items()}
        f = PoolFilter(
            kinds=chosen["kinds"],
            industries=chosen["industries"],
            towns=chosen["towns"],
            risk_levels=chosen["risk_levels"],
            credit_classes=chosen["credit_classes"],
            abnormal_list=True if self.abnormal_only.isChecked() else None,
        )
        exclusions = Exclusions(**{key: box.isChecked() for key, box in self.exclusion_boxes.items()})
        return dataclasses.replace(
            self._spec,
            title=self.title.text().strip(),
            item_ids=items,
            lead_department_id=lead,
            partner_department_ids=partners,
            inspectors_per_object=self.per_object.value(),
            pool_filter=f,
            exclusions=dataclasses.replace(
                exclusions, annual_cap_limit=self._spec.exclusions.annual_cap_limit
            ),
            strata=StrataSpec.build(StrataBasis(self.basis.currentData()), rules),
            cap=cap,
            planned_date=dt.date(qdate.year(), qdate.month(), qdate.day()),
            year=qdate.year(),
        )

    def save(self) -> None:
        try:
            spec = self.edited_spec()
            if not spec.title:
                raise ValueError("请填写任务名称。")
            if not spec.item_ids:
                raise ValueError("请至少选择一个抽查事项。")
            with self.context.database.sessions() as session:
                if self.task_id is not None:
                    task = update_task(session, self.task_id, spec)
                elif self.plan_row_id is not None:
                    task = create_task_from_plan_row(session, self.plan_row_id, spec)
                else:
                    task = create_adhoc_task(session, spec)
                self.saved_task_id = task.id
        except TaskError as exc:
            feedback.warn(self, exc.message_zh, title="任务未保存")
            return
        except ValueError as exc:
            feedback.warn(self, str(exc), title="任务未保存")
            return
        self.accept()
