"""The 执法检查登记表 editor: one drawn object's form, saved as a draft (草稿) or filed (归档).

The widget only gathers the clerk's entries into an :class:`InspectionInput`; saving, filing and every
check are done by :mod:`app.inspections`. A filed form is shown read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.inspections import (
    FindingInput,
    IncompleteInspectionError,
    InspectionDetail,
    InspectionError,
    InspectionInput,
    file_inspection,
    filing_problems,
    inspection_detail,
    record_inspection,
)
from db.enums import FollowUp, InspectionMethod, InspectionResult
from db.models import Inspection
from ui import feedback
from ui.context import AppContext

COL_CONTENT, COL_PROBLEM, COL_HANDLING = range(3)
NOT_CHOSEN = "（请选择）"


def _choice_combo(values: list[str]) -> QComboBox:
    """A combo with a leading 未选择 entry (stored as ``""``) and the allowed values."""
    combo = QComboBox()
    combo.addItem(NOT_CHOSEN, "")
    for value in values:
        combo.addItem(value, value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class InspectionEditor(QWidget):
    """Edits one form; ``changed`` carries the inspection id after a save or a filing."""

    changed = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.detail: InspectionDetail | None = None
        self.inspector_boxes: dict[int, QCheckBox] = {}

        self.heading = QLabel("选择左侧的检查对象以填写执法检查登记表。")
        self.heading.setWordWrap(True)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.method = _choice_combo([m.value for m in InspectionMethod])
        self.result = _choice_combo([r.value for r in InspectionResult])
        self.follow_up = _choice_combo([f.value for f in FollowUp])
        self.follow_up_note = QLineEdit()
        self.follow_up_note.setPlaceholderText("移送、抄告等须写明接收部门")

        self.findings = QTableWidget(0, 3)
        self.findings.setHorizontalHeaderLabels(["检查内容", "发现问题", "处置情况"])
        self.findings.verticalHeader().setVisible(False)
        self.findings.setWordWrap(True)
        header = self.findings.horizontalHeader()
        header.setSectionResizeMode(COL_CONTENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PROBLEM, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_HANDLING, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_PROBLEM, 150)
        header.resizeSection(COL_HANDLING, 150)

        self.inspectors_group = QGroupBox("到场检查人员（仅限本对象抽中或递补的人员）")
        self.inspectors_layout = QHBoxLayout(self.inspectors_group)

        form = QFormLayout()
        form.addRow("检查日期：", self.date)
        form.addRow("检查方式：", self.method)
        form.addRow("检查结果：", self.result)
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up)
        follow.addWidget(QLabel("说明："))
        follow.addWidget(self.follow_up_note, 1)
        form.addRow("后续处置：", follow)

        self.save_button = QPushButton("保存")
        self.file_button = QPushButton("归档")
        self.save_button.clicked.connect(self.save)
        self.file_button.clicked.connect(self.file)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.file_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.inspectors_group)
        layout.addLayout(buttons)
        self.load(None)

    # --- showing a form ----------------------------------------------------------------------------------
    def load(self, inspection_id: int | None) -> None:
        """Show the form (None: nothing selected, everything disabled)."""
        if inspection_id is None:
            self.detail = None
        else:
            with self.context.database.sessions() as session:
                self.detail = inspection_detail(session, inspection_id)
        self._fill()

    def _fill(self) -> None:
        d = self.detail
        today = QDate.currentDate()
        self.date.setMaximumDate(today)
        day = d.inspection_date if d else None
        self.date.setDate(QDate(day.year, day.month, day.day) if day else today)
        _select(self.method, d.method if d else "")
        _select(self.result, d.result if d else "")
        _select(self.follow_up, d.follow_up if d else "")
        self.follow_up_note.setText(d.follow_up_note if d else "")

        findings = d.findings if d else ()
        self.findings.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            content = QTableWidgetItem(f"{finding.seq}. {finding.content}")
            content.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.findings.setItem(row, COL_CONTENT, content)
            self.findings.setItem(row, COL_PROBLEM, QTableWidgetItem(finding.problem))
            self.findings.setItem(row, COL_HANDLING, QTableWidgetItem(finding.handling))
        self.findings.resizeRowsToContents()

        for box in self.inspector_boxes.values():
            self.inspectors_layout.removeWidget(box)
            box.deleteLater()
        self.inspector_boxes = {}
        for person in d.inspectors if d else ():
            label = f"{person.name}（{person.department}）"
            if person.replacement:
                label += "〔递补〕"
            box = QCheckBox(label)
            box.setChecked(person.present)
            box.setToolTip(f"执法证号：{person.cert_no or '未登记'}")
            self.inspectors_layout.addWidget(box)
            self.inspector_boxes[person.inspector_id] = box

        if d is None:
            self.heading.setText("选择左侧的检查对象以填写执法检查登记表。")
        else:
            state = f"已归档　文书编号 {d.doc_no}　档案号 {d.archive_no}" if d.filed else "草稿"
            self.heading.setText(f"第 {d.order} 号　{d.entity_name}　{d.code}\n状态：{state}")
        self._set_editable(d is not None and not d.filed)

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.date, self.method, self.result, self.follow_up, self.follow_up_note):
            widget.setEnabled(editable)
        for box in self.inspector_boxes.values():
            box.setEnabled(editable)
        self.findings.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.save_button.setEnabled(editable)
        self.file_button.setEnabled(editable)

    def is_read_only(self) -> bool:
        """True when the shown form cannot be changed (filed, or none shown)."""
        return not self.save_button.isEnabled()

    # --- saving ------------------------------------------------------------------------------------------
    def entries(self) -> InspectionInput:
        """What the clerk has entered, as the service takes it."""
        findings = []
        for row, view in enumerate(self.detail.findings if self.detail else ()):
            problem, handling = self.findings.item(row, COL_PROBLEM), self.findings.item(row, COL_HANDLING)
            findings.append(
                FindingInput(view.seq, problem.text() if problem else "", handling.text() if handling else "")
            )
        day: dt.date = self.date.date().toPython()  # type: ignore[assignment]
        return InspectionInput(
            inspection_date=day,
            method=self.method.currentData(),
            result=self.result.currentData(),
            follow_up=self.follow_up.currentData(),
            follow_up_note=self.follow_up_note.text(),
            findings=tuple(findings),
            inspector_ids=tuple(i for i, box in self.inspector_boxes.items() if box.isChecked()),
        )

    def save(self) -> bool:
        """Save the entries as a draft; a refused value is shown in Chinese and nothing is kept."""
        if self.detail is None or self.detail.filed:
            return False
        # A cell still being typed in is committed before it is read.
        for cell_editor in self.findings.viewport().findChildren(QLineEdit):
            self.findings.commitData(cell_editor)
        try:
            with self.context.database.sessions() as session:
                record_inspection(session, self.detail.inspection_id, self.entries())
        except InspectionError as exc:
            feedback.warn(self, exc.message_zh, title="未能保存")
            return False
        inspection_id = self.detail.inspection_id
        self.load(inspection_id)
        self.context.status_message.emit(f"第 {self.detail.order} 号登记表已保存。")
        self.changed.emit(inspection_id)
        return True

    def file(self) -> bool:
        """Save, then file (归档) after confirmation; what keeps the form from filing is listed."""
        if self.detail is None or self.detail.filed or not self.save():
            return False
        assert self.detail is not None
        inspection_id = self.detail.inspection_id
        with self.context.database.sessions() as session:
            inspection = session.get(Inspection, inspection_id)
            problems = filing_problems(session, inspection) if inspection is not None else []
        if problems:
            self._refuse_filing(problems)
            return False
        if not feedback.confirm(
            self,
            f"归档第 {self.detail.order} 号登记表（{self.detail.entity_name}）？归档后不能修改。",
            "归档",
        ):
            return False
        try:
            with self.context.database.sessions() as session:
                filed = file_inspection(session, inspection_id)
        except IncompleteInspectionError as exc:
            self._refuse_filing(exc.problems)
            return False
        except InspectionError as exc:
            feedback.warn(self, exc.message_zh, title="未能归档")
            return False
        self.load(inspection_id)
        message = f"已归档，文书编号 {filed.numbers.doc_no}。"
        if filed.task_completed:
            message += "本任务全部登记表已归档，任务已完成。"
        self.context.status_message.emit(message)
        self.changed.emit(inspection_id)
        return True

    def _refuse_filing(self, problems: Sequence[str]) -> None:
        lines = "\n".join(f"{n}. {p}" for n, p in enumerate(problems, start=1))
        feedback.warn(self, f"登记表还不能归档，草稿已保存：\n{lines}", title="未能归档")
