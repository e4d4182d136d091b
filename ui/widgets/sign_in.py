"""Signing in: the first administrator's account form and dialog, the sign-in dialog, changing one's password.

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
from app.setup import AdminAccount, SetupError
from db.engine import transaction
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.hint import hint_label


def password_field() -> QLineEdit:
    """A password box (dots, at most 128 characters) — sign-in and the 用户管理 forms alike."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class _FormDialog(QDialog):
    """A titled form with an explanation, a red problem line and an accept/cancel row."""

    def __init__(
        self,
        title: str,
        intro: str,
        accept_text: str,
        parent: QWidget | None = None,
        cancel_text: str = "取消",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        if intro:
            text = hint_label(intro)
            layout.addWidget(text)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.problem = QLabel("")
        self.problem.setObjectName("hint")
        self.problem.setProperty("alert", True)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = accept_cancel_buttons(accept_text, self._submit, self.reject, cancel_text)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _submit(self) -> None:  # pragma: no cover — every dialog overrides it
        raise NotImplementedError


class AdminAccountForm(QWidget):
    """用户名、姓名、密码、确认密码 of the first administrator — the one form FirstAdminDialog and the first-run
    setup share; the rules are :class:`app.setup.AdminAccount`'s."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.username = QLineEdit("admin")
        self.username.setMaxLength(50)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("例如：王建国")
        self.display_name.setMaxLength(50)
        self.password = password_field()
        self.password.setPlaceholderText(f"至少 {MIN_LENGTH} 位，字母、数字或符号混合")
        self.confirm = password_field()
        self.confirm.setPlaceholderText("再输入一次密码")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("密码：", self.password)
        form.addRow("确认密码：", self.confirm)
        self._fields = {
            "username": self.username,
            "display_name": self.display_name,
            "password": self.password,
            "confirm": self.confirm,
        }

    def account(self) -> AdminAccount:
        """What is typed, unchecked."""
        return AdminAccount(
            self.username.text(), self.display_name.text(), self.password.text(), self.confirm.text()
        )

    def checked_account(self) -> AdminAccount | SetupError:
        """The account when every rule holds; else the first problem, with the cursor put in its field (a
        mismatched confirmation is cleared, everything else stays as typed)."""
        try:
            return self.account().validated()
        except SetupError as problem:
            self.focus_field(problem.field)
            if problem.field == "confirm":
                self.confirm.clear()
            return problem

    def focus_field(self, field: str) -> None:
        widget = self._fields.get(field, self.password)
        widget.setFocus()
        widget.selectAll()


class FirstAdminDialog(_FormDialog):
    """A database nobody can sign in to (e.g. made by ``python -m app demo``): create the administrator."""

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
        self.account_form = AdminAccountForm()
        self.form.addRow(self.account_form)
        self.signed_in: SignedIn | None = None
        self.account_form.display_name.setFocus()

    def _submit(self) -> None:
        account = self.account_form.checked_account()
        if isinstance(account, SetupError):
            self.show_problem(account.message_zh)
            return
        try:
            with transaction(self.database.sessions) as session:
                create_first_admin(session, account.username, account.display_name, account.password)
            self.signed_in = authenticate(self.database.sessions, account.username, account.password)
        except UserError as exc:
            self.show_problem(exc.message_zh)
            self.account_form.focus_field("username")
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
            cancel_text="退出",  # the program ends: nobody works here without signing in
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
