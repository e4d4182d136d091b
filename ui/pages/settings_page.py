"""系统设置: the bureau's name, county, this installation's own department, deadlines and document numbers."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.auth.roles import Permission
from app.registry.departments import list_departments
from app.settings import BureauSettings, SettingsError, save_settings
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.pages import Page
from ui.widgets.backup_panel import BackupPanel
from ui.widgets.calendar_panel import CalendarPanel
from ui.widgets.departments import DepartmentsPanel
from ui.widgets.users_panel import UsersPanel, may_manage_users

log = logging.getLogger(__name__)


class SettingsPage(Page):
    TITLE = "系统设置"
    EDIT_PERMISSION = Permission.SETTINGS

    def editing_widgets(self) -> list[QWidget]:
        calendar = self.calendar
        departments = self.departments
        return [
            self.save_button,
            self.revert_button,
            calendar.add_button,
            calendar.edit_button,
            calendar.delete_button,
            calendar.import_button,
            calendar.restore_button,
            departments.add_button,
            departments.edit_button,
            departments.archive_button,
            self.backups.restore_button,
            self.backups.restore_file_button,
            self.backups.choose_mirror_button,
            self.backups.clear_mirror_button,
        ]

    def apply_role(self) -> None:
        super().apply_role()
        if not self.context.database.actor.can(Permission.SETTINGS):
            for edit in (self.bureau_name, self.county_name, self.doc_no_pattern):
                edit.setReadOnly(True)
            self.own_department.setEnabled(False)
            for spin in (self.form_deadline, self.publication_deadline):
                spin.setReadOnly(True)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        page_layout = QVBoxLayout(self)
        heading = QLabel("系统设置")
        heading.setObjectName("pageHeading")
        page_layout.addWidget(heading)
        self.tabs = QTabWidget()
        page_layout.addWidget(self.tabs, 1)
        general = QWidget()
        outer = QVBoxLayout(general)
        self.tabs.addTab(general, "单位信息")
        self.departments = DepartmentsPanel(context)
        self.tabs.addTab(self.departments, "部门")
        self.calendar = CalendarPanel(context)
        self.tabs.addTab(self.calendar, "节假日")
        self.backups = BackupPanel(context)
        self.tabs.addTab(self.backups, "备份与恢复")
        self.users = UsersPanel(context)
        self._sync_users_tab()
        form_box = QWidget()
        form_box.setMaximumWidth(720)
        form = QFormLayout(form_box)
        labels = BureauSettings.LABELS
        self.bureau_name = QLineEdit()
        self.county_name = QLineEdit()
        # 本机所属部门: which department this PC works for (the sender of its 数据包); chosen from 部门.
        self.own_department = QComboBox()
        self.own_department.setMinimumContentsLength(16)
        self.form_deadline = QSpinBox()
        self.publication_deadline = QSpinBox()
        for spin in (self.form_deadline, self.publication_deadline):
            spin.setRange(1, 60)
            spin.setSuffix(" 个工作日")
        self.doc_no_pattern = QLineEdit()
        self.doc_no_preview = QLabel()
        self.doc_no_preview.setObjectName("hint")
        form.addRow(labels["bureau_name"] + "：", self.bureau_name)
        form.addRow(labels["county_name"] + "：", self.county_name)
        form.addRow(labels["own_department"] + "：", self.own_department)
        form.addRow(labels["form_deadline_workdays"] + "：", self.form_deadline)
        form.addRow(labels["publication_deadline_workdays"] + "：", self.publication_deadline)
        form.addRow(labels["doc_no_pattern"] + "：", self.doc_no_pattern)
        form.addRow("", self.doc_no_preview)
        outer.addWidget(form_box)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("还原")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        outer.addStretch(1)

        for edit in (self.bureau_name, self.county_name, self.doc_no_pattern):
            edit.textChanged.connect(self._on_edited)
        for spin in (self.form_deadline, self.publication_deadline):
            spin.valueChanged.connect(self._on_edited)
        self.own_department.currentIndexChanged.connect(self._on_edited)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)
        self._stored = BureauSettings()

    def refresh(self) -> None:
        self._sync_users_tab()
        self.departments.refresh()
        self.calendar.refresh()
        self._stored = self.context.settings()
        s = self._stored
        self.bureau_name.setText(s.bureau_name)
        self.county_name.setText(s.county_name)
        self._fill_own_department(s.own_department)
        self.form_deadline.setValue(s.form_deadline_workdays)
        self.publication_deadline.setValue(s.publication_deadline_workdays)
        self.doc_no_pattern.setText(s.doc_no_pattern)
        self._on_edited()

    def _fill_own_department(self, chosen: str) -> None:
        """The registry's departments (and the stored name even if it was renamed or archived since)."""
        with self.context.database.sessions() as session:
            names = [row.name for row in list_departments(session, include_archived=False)]
        if chosen and chosen not in names:
            names.append(chosen)
        self.own_department.blockSignals(True)
        self.own_department.clear()
        self.own_department.addItem("（未设置）", "")
        for name in names:
            self.own_department.addItem(name, name)
        self.own_department.setCurrentIndex(max(0, self.own_department.findData(chosen)))
        self.own_department.blockSignals(False)

    def _sync_users_tab(self) -> None:
        """用户管理 is a tab only for whoever may manage users (the services refuse the others anyway)."""
        index = self.tabs.indexOf(self.users)
        if may_manage_users(self.context):
            if index < 0:
                self.tabs.addTab(self.users, "用户管理")
            self.users.refresh()
        elif index >= 0:
            self.tabs.removeTab(index)

    def edited_settings(self) -> BureauSettings:
        return BureauSettings(
            bureau_name=self.bureau_name.text().strip(),
            county_name=self.county_name.text().strip(),
            form_deadline_workdays=self.form_deadline.value(),
            publication_deadline_workdays=self.publication_deadline.value(),
            doc_no_pattern=self.doc_no_pattern.text().strip(),
            own_department=str(self.own_department.currentData() or ""),
        )

    def _on_edited(self) -> None:
        edited = self.edited_settings()
        changed = edited != self._stored
        self.save_button.setEnabled(changed)
        self.revert_button.setEnabled(changed)
        try:
            sample = edited.doc_no_pattern.format(year=dt.date.today().year, dept_short="示市监", seq=7)
        except (KeyError, ValueError, IndexError):
            self.doc_no_preview.setText("格式无效。可用占位符：{year}、{dept_short}、{seq:04d}")
            self.doc_no_preview.setProperty("alert", True)
        else:
            self.doc_no_preview.setText(f"示例：{sample}")
            self.doc_no_preview.setProperty("alert", False)
        self.doc_no_preview.style().unpolish(self.doc_no_preview)
        self.doc_no_preview.style().polish(self.doc_no_preview)

    def save(self) -> bool:
        edited = self.edited_settings()
        try:
            with transaction(self.context.database.sessions) as session:
                save_settings(session, edited)
        except SettingsError as exc:
            feedback.warn(self, exc.message_zh, title="设置未保存")
            return False
        log.info("settings saved: %s", edited)
        self._stored = edited
        self._on_edited()
        self.context.settings_changed.emit()
        return True
