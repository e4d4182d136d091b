"""用户管理 (a tab of 系统设置, for 管理员): the accounts, new users, changes, password resets, 停用/启用, 解锁.

The services (app.auth.users) check the permission themselves; this panel is only offered to an actor who
may manage users. A refused change keeps its dialog open with what was typed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.audit.listing import local_time_text
from app.auth.roles import Permission, PermissionDenied
from app.auth.users import UserError, UserView, create_user, list_users, reset_password, update_user
from app.registry.departments import list_departments
from db.base import utcnow
from db.engine import transaction
from db.enums import UserRole
from ui import feedback
from ui.context import AppContext
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.hint import hint_label
from ui.widgets.sign_in import password_field

log = logging.getLogger(__name__)

NO_DEPARTMENT = "（不限部门）"
ROLE_HINTS = {
    UserRole.ADMIN.value: "管理员：管理用户、系统设置和恢复备份，也可办理日常业务",
    UserRole.CLERK.value: "经办人：维护名录库、编制计划、抽查任务与摇号、录入检查结果",
    UserRole.SUPERVISOR.value: "监督员：查看全部信息、复核签名、核验记录，不能修改数据",
}


def may_manage_users(context: AppContext) -> bool:
    """True when whoever this window acts for may manage user accounts (管理员, or the program itself)."""
    return context.database.actor.can(Permission.MANAGE_USERS)


def user_state(user: UserView, now: dt.datetime | None = None) -> str:
    """启用 / 停用 / 锁定中 (a locked account is still 启用; the lock runs out by itself)."""
    if not user.active:
        return "停用"
    if user.locked_until is not None and user.locked_until > (now or utcnow()):
        return "锁定中"
    return "启用"


COLUMNS: list[Column[UserView]] = [
    Column("用户名", lambda u: u.username),
    Column("姓名", lambda u: u.display_name),
    Column("角色", lambda u: u.role),
    Column("部门", lambda u: u.department),
    Column("状态", user_state),
    Column("最近登录", lambda u: local_time_text(u.last_login_at) if u.last_login_at else "从未登录"),
    Column("须改密码", lambda u: "是" if u.must_change_password else ""),
]
COL_STATE = 4


def _save(parent: QWidget, context: AppContext, title: str, change: Callable[[Session], object]) -> bool:
    """Run one account change in its own transaction; a refusal is shown and nothing is written."""
    try:
        with transaction(context.database.sessions) as session:
            change(session)
    except (UserError, PermissionDenied) as exc:
        feedback.warn(parent, exc.message_zh, title=title)
        return False
    return True


class UserDialog(QDialog):
    """新增用户 (with an initial password typed twice) or 修改 (姓名, 角色, 部门) of an existing one."""

    def __init__(self, context: AppContext, user: UserView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user = user
        self.saved_username: str | None = None
        self.setWindowTitle(f"修改用户“{user.username}”" if user else "新增用户")
        self.setMinimumWidth(480)
        form = QFormLayout()
        self.username = QLineEdit(user.username if user else "")
        self.username.setReadOnly(user is not None)
        self.username.setPlaceholderText("登录时输入，不含空格，如 zhangsan")
        self.display_name = QLineEdit(user.display_name if user else "")
        self.role = QComboBox()
        for role in UserRole:
            self.role.addItem(role.value, role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(user.role if user else UserRole.CLERK.value)))
        self.role_hint = hint_label()
        self.role.currentIndexChanged.connect(lambda _i: self._show_role_hint())
        self.department = QComboBox()
        self.department.addItem(NO_DEPARTMENT, "")
        with context.database.sessions() as session:
            for department in list_departments(session, include_archived=False):
                self.department.addItem(department.name, department.name)
        if user and user.department and self.department.findData(user.department) < 0:
            self.department.addItem(user.department, user.department)  # an archived department keeps showing
        self.department.setCurrentIndex(max(0, self.department.findData(user.department if user else "")))
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("角色：", self.role)
        form.addRow("", self.role_hint)
        form.addRow("部门：", self.department)
        self.password = password_field()
        self.password_again = password_field()
        if user is None:
            form.addRow("初始密码：", self.password)
            form.addRow("再次输入：", self.password_again)
            note = hint_label("初始密码请当面告知本人；首次登录时须修改为只有本人知道的密码。")
            form.addRow("", note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(accept_cancel_buttons("保存", self.save, self.reject))
        self._show_role_hint()

    def _show_role_hint(self) -> None:
        self.role_hint.setText(ROLE_HINTS.get(self.role.currentData(), ""))

    def save(self) -> None:
        role = str(self.role.currentData())
        department = str(self.department.currentData() or "")
        if self.user is None:
            if self.password.text() != self.password_again.text():
                feedback.warn(self, "两次输入的初始密码不一致，请重新输入。", title="用户未保存")
                return
            username, name, password = self.username.text(), self.display_name.text(), self.password.text()

            def change(session: Session) -> None:
                create_user(session, username, name, role, password, department or None)

            if _save(self, self.context, "用户未保存", change):
                self.saved_username = username.strip()
                self.accept()
            return
        user_id, name = self.user.id, self.display_name.text()

        def edit(session: Session) -> None:
            # department "" clears it (the service reads "" as 无部门; None would mean 不修改).
            update_user(session, user_id, display_name=name, role=role, department=department)

        if _save(self, self.context, "用户未保存", edit):
            self.saved_username = self.user.username
            self.accept()


class ResetPasswordDialog(QDialog):
    """A new temporary password, typed twice; the user must change it at the next sign-in."""

    def __init__(self, context: AppContext, user: UserView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user = user
        self.setWindowTitle(f"重置“{user.display_name}（{user.username}）”的密码")
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.password = password_field()
        self.password_again = password_field()
        form.addRow("临时密码：", self.password)
        form.addRow("再次输入：", self.password_again)
        note = hint_label("重置后账号同时解除锁定；本人下次登录时须修改密码。")
        form.addRow("", note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(accept_cancel_buttons("重置密码", self.save, self.reject))

    def save(self) -> None:
        if self.password.text() != self.password_again.text():
            feedback.warn(self, "两次输入的密码不一致，请重新输入。", title="密码未重置")
            return
        user_id, password = self.user.id, self.password.text()
        if _save(
            self, self.context, "密码未重置", lambda session: reset_password(session, user_id, password)
        ):
            self.accept()


class UsersPanel(QWidget):
    """The accounts table and its buttons."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.model: ListTableModel[UserView] = ListTableModel(COLUMNS)
        self.table = list_table_view(self.model, stretch_column=3, single=True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增用户…")
        self.edit_button = QPushButton("修改…")
        self.reset_button = QPushButton("重置密码…")
        self.active_button = QPushButton("停用")
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setToolTip("密码连续输错被锁定的账号，可在此立即解锁")
        for button in (
            self.add_button,
            self.edit_button,
            self.reset_button,
            self.active_button,
            self.unlock_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.active_button.clicked.connect(self.toggle_active)
        self.unlock_button.clicked.connect(self.unlock_selected)
        hint = hint_label(
            "管理员：全部功能；经办人：日常业务；监督员：只读、复核签名、核验记录。"
            "账号不能删除，不再使用时请停用（审计日志仍保留其操作记录）。"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self._update_buttons()

    def refresh(self) -> None:
        selected = self.selected()
        with self.context.database.sessions() as session:
            self.model.set_rows(list_users(session))
        if selected is not None:
            self.select_username(selected.username)
        self._update_buttons()

    def selected(self) -> UserView | None:
        return self.model.selected_object(self.table)

    def select_username(self, username: str) -> bool:
        return self.model.select_first(self.table, lambda u: u.username == username)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.reset_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText("启用" if user is not None and not user.active else "停用")
        self.unlock_button.setEnabled(user is not None and user_state(user) == "锁定中")

    # --- actions -------------------------------------------------------------------------------------
    def add(self) -> UserDialog:
        dialog = UserDialog(self.context, None, self)
        if dialog.exec() and dialog.saved_username:
            self._after_change(dialog.saved_username, f"已新增用户“{dialog.saved_username}”。")
        return dialog

    def edit_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(self.context, user, self)
        if dialog.exec():
            self._after_change(user.username, f"用户“{user.username}”已保存。")

    def reset_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        if not feedback.confirm(
            self,
            f"要重置“{user.display_name}（{user.username}）”的密码吗？\n"
            "原密码将立即失效；请把新的临时密码当面告知本人，本人下次登录时须修改。",
            ok_text="重置密码",
        ):
            return
        dialog = ResetPasswordDialog(self.context, user, self)
        if dialog.exec():
            self._after_change(user.username, f"已重置“{user.username}”的密码。")

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        enabling = not user.active
        verb = "启用" if enabling else "停用"
        text = (
            f"要启用“{user.display_name}（{user.username}）”吗？启用后可以用原密码登录。"
            if enabling
            else f"要停用“{user.display_name}（{user.username}）”吗？停用后不能再登录；"
            "已有的工作记录和审计日志保持不变，可随时重新启用。"
        )
        if not feedback.confirm(self, text, ok_text=verb):
            return
        if _save(self, self.context, f"未能{verb}", lambda s: update_user(s, user.id, active=enabling)):
            self._after_change(user.username, f"已{verb}用户“{user.username}”。")

    def unlock_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        if _save(self, self.context, "未能解锁", lambda s: update_user(s, user.id, unlock=True)):
            self._after_change(user.username, f"已解锁用户“{user.username}”。")

    def _after_change(self, username: str, message: str) -> None:
        log.info("users: %s", message)
        self.refresh()
        self.select_username(username)
        self.context.data_changed.emit("users")
        self.context.status_message.emit(message)
