"""Signing in: the first start's administrator, the sign-in dialog and changing one's password.

Problems are shown inside the dialog (red line under the fields) and the typed input stays, so a clerk who
mistypes never starts again from empty fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.auth.passwords import MIN_LENGTH
from app.auth.users import (
    LoginError,
    SignedIn,
    UserError,
    authenticate,
    change_own_password,
    create_first_admin,
)
from app.database import Database
from db.engine import transaction
from ui.widgets.dialog_buttons import accept_cancel_buttons


def password_field() -> QLineEdit:
    """A password box (dots, at most 128 characters) — sign-in and the 用户管理 forms alike."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class _FormDialog(QDialog):
    """A titled form with an explanation, a red problem line and an accept/cancel row."""

    def __init__(self, title: str, intro: str, accept_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        if intro:
            text = QLabel(intro)
            text.setObjectName("hint")
            text.setWordWrap(True)
            layout.addWidget(text)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.problem = QLabel("")
        self.problem.setObjectName("hint")
        self.problem.setProperty("alert", True)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = accept_cancel_buttons(accept_text, self._submit, self.reject)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _submit(self) -> None:  # pragma: no cover — every dialog overrides it
        raise NotImplementedError


class FirstAdminDialog(_FormDialog):
    """First start on a database nobody can sign in to: create the administrator."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            "创建管理员账号",
            "这是本数据库第一次启动。请创建管理员账号：管理员负责用户账号、系统设置和数据恢复，也可以办理日常工作。"
            f"密码至少 {MIN_LENGTH} 位，请牢记；如果遗忘，可由持有数据库文件的人员在命令行执行 "
            "python -m app users reset-password 用户名 重置。",
            "创建并登录",
            parent,
        )
        self.database = database
        self.username = QLineEdit("admin")
        self.username.setMaxLength(50)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("例如：王建国")
        self.display_name.setMaxLength(50)
        self.password = password_field()
        self.confirm = password_field()
        self.form.addRow("用户名：", self.username)
        self.form.addRow("姓名：", self.display_name)
        self.form.addRow("密码：", self.password)
        self.form.addRow("确认密码：", self.confirm)
        self.signed_in: SignedIn | None = None
        self.display_name.setFocus()

    def _submit(self) -> None:
        if not self.display_name.text().strip():
            self.show_problem("请填写管理员的姓名（会记录在审计日志和文书中）。")
            self.display_name.setFocus()
            return
        if self.password.text() != self.confirm.text():
            self.show_problem("两次输入的密码不一致，请重新输入。")
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            with transaction(self.database.sessions) as session:
                create_first_admin(
                    session, self.username.text(), self.display_name.text(), self.password.text()
                )
            self.signed_in = authenticate(self.database.sessions, self.username.text(), self.password.text())
        except UserError as exc:
            self.show_problem(exc.message_zh)
            self.password.setFocus()
            return
        self.accept()


class LoginDialog(_FormDialog):
    """用户名 and 密码; Enter signs in. Wrong passwords count towards the lockout."""

    def __init__(self, database: Database, bureau_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(
            "登录",
            f"{bureau_name} · 双随机、一公开工作平台" if bureau_name else "双随机、一公开工作平台",
            "登录",
            parent,
        )
        self.database = database
        self.username = QLineEdit()
        self.username.setMaxLength(50)
        self.password = password_field()
        self.form.addRow("用户名：", self.username)
        self.form.addRow("密码：", self.password)
        self.signed_in: SignedIn | None = None
        self.username.setFocus()

    def set_username(self, username: str) -> None:
        self.username.setText(username)
        if username:
            self.password.setFocus()

    def _submit(self) -> None:
        if not self.username.text().strip():
            self.show_problem("请输入用户名。")
            self.username.setFocus()
            return
        try:
            self.signed_in = authenticate(self.database.sessions, self.username.text(), self.password.text())
        except LoginError as exc:
            self.show_problem(exc.message_zh)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class ChangePasswordDialog(_FormDialog):
    """Change one's own password; ``forced`` after a reset by the administrator (cancel then signs out)."""

    def __init__(self, database: Database, *, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(
            "修改密码",
            "管理员为您设置了临时密码，请先设置自己的新密码再开始工作。" if forced else "",
            "修改密码",
            parent,
        )
        self.database = database
        self.old = password_field()
        self.new = password_field()
        self.confirm = password_field()
        self.form.addRow("原密码：", self.old)
        self.form.addRow("新密码：", self.new)
        self.form.addRow("确认新密码：", self.confirm)
        self.old.setFocus()
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)

    def _submit(self) -> None:
        if self.new.text() != self.confirm.text():
            self.show_problem("两次输入的新密码不一致，请重新输入。")
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            with transaction(self.database.sessions) as session:
                change_own_password(session, self.old.text(), self.new.text())
        except UserError as exc:
            self.show_problem(exc.message_zh)
            return
        self.accept()
