"""用户管理 in 系统设置: the administrator adds a clerk, resets a password, disables and unlocks accounts; a
refused change keeps the form open with what was typed; a clerk never sees the tab."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.auth.roles import Actor
from app.auth.users import MAX_FAILURES, LoginError, authenticate, create_first_admin, create_user
from app.database import Database
from db.engine import transaction
from db.enums import UserRole
from ui.context import AppContext
from ui.pages.settings_page import SettingsPage
from ui.widgets.users_panel import COLUMNS, ResetPasswordDialog, UserDialog, UsersPanel

PASSWORD = "Shuang#2026"
DEPARTMENT = "示范县市场监督管理局"


class DialogDriver:
    """Each time a dialog of ``kind`` is the active modal window, applies the next step to it."""

    def __init__(self, kind: type[QDialog], *steps: Callable[[Any], None]) -> None:
        self.kind = kind
        self.steps = list(steps)
        self.errors: list[BaseException] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, self.kind) or not widget.isVisible() or not self.steps:
            return
        step = self.steps.pop(0)
        if not self.steps:
            self._timer.stop()
        try:
            step(widget)
        except BaseException as exc:  # an assertion inside a step: close the dialog, fail in the test
            self.errors.append(exc)
            self.steps.clear()
            self._timer.stop()
            widget.reject()

    def check(self) -> None:
        assert not self.steps, f"{len(self.steps)} dialog steps never ran"
        if self.errors:
            raise self.errors[0]

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def drive() -> Iterator[Callable[..., DialogDriver]]:
    drivers: list[DialogDriver] = []

    def start(kind: type[QDialog], *steps: Callable[[Any], None]) -> DialogDriver:
        drivers.append(DialogDriver(kind, *steps))
        return drivers[-1]

    yield start
    for driver in drivers:
        driver.stop()


def _press(dialog: QDialog, text: str) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    next(b for b in box.buttons() if b.text() == text).click()


def _sign_in_admin(db: Database) -> Actor:
    with transaction(db.sessions) as session:
        create_first_admin(session, "admin", "王管理", PASSWORD)
    admin = authenticate(db.sessions, "admin", PASSWORD).actor
    db.sign_in(admin)
    return admin


@pytest.fixture
def page(qtbot: QtBot, demo_db: Database) -> SettingsPage:
    _sign_in_admin(demo_db)
    widget = SettingsPage(AppContext(demo_db))
    qtbot.addWidget(widget)
    widget.resize(1200, 650)
    widget.show()
    widget.refresh()
    return widget


def _tab_titles(page: SettingsPage) -> list[str]:
    return [page.tabs.tabText(i) for i in range(page.tabs.count())]


def _row(panel: UsersPanel, username: str) -> dict[str, str]:
    for row in range(panel.model.rowCount()):
        if panel.model.row_object(row).username == username:
            return {c.title: panel.model.index(row, n).data() for n, c in enumerate(COLUMNS)}
    raise AssertionError(f"{username} not listed")


def _select(panel: UsersPanel, username: str) -> None:
    assert panel.select_username(username)


def test_the_administrator_adds_a_clerk_and_refused_input_stays_in_the_form(
    qtbot: QtBot, page: SettingsPage, demo_db: Database, dialogs, drive
) -> None:  # type: ignore[no-untyped-def]
    assert "用户管理" in _tab_titles(page)
    panel = page.users
    page.tabs.setCurrentWidget(panel)
    assert page.tabs.isTabEnabled(page.tabs.indexOf(panel))
    assert _row(panel, "admin")["角色"] == "管理员"

    def fill_mismatched(dialog: UserDialog) -> None:
        dialog.username.setText("clerk")
        dialog.display_name.setText("李经办")
        dialog.role.setCurrentIndex(dialog.role.findData(UserRole.CLERK.value))
        dialog.department.setCurrentIndex(dialog.department.findData(DEPARTMENT))
        dialog.password.setText("Temp#2026a")
        dialog.password_again.setText("Temp#2026b")
        _press(dialog, "保存")

    def too_short(dialog: UserDialog) -> None:
        assert (dialog.username.text(), dialog.display_name.text()) == ("clerk", "李经办")  # kept
        dialog.password.setText("short")
        dialog.password_again.setText("short")
        _press(dialog, "保存")

    def good(dialog: UserDialog) -> None:
        assert dialog.department.currentData() == DEPARTMENT and dialog.role.currentData() == "经办人"
        dialog.password.setText("Temp#2026a")
        dialog.password_again.setText("Temp#2026a")
        _press(dialog, "保存")

    dialogs.answer("确定", "确定")
    driver = drive(UserDialog, fill_mismatched, too_short, good)
    with qtbot.waitSignal(page.context.data_changed) as changed:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    driver.check()
    assert changed.args == ["users"]
    assert "两次输入的初始密码不一致" in dialogs.seen[0] and "至少需要 8 位" in dialogs.seen[1]
    row = _row(panel, "clerk")
    assert row == {
        "用户名": "clerk",
        "姓名": "李经办",
        "角色": "经办人",
        "部门": DEPARTMENT,
        "状态": "启用",
        "最近登录": "从未登录",
        "须改密码": "是",
    }
    assert panel.selected() is not None and panel.selected().username == "clerk"  # type: ignore[union-attr]
    assert authenticate(demo_db.sessions, "clerk", "Temp#2026a").must_change_password
    panel.refresh()
    assert _row(panel, "clerk")["最近登录"] != "从未登录"


def test_edit_changes_name_role_and_department(
    qtbot: QtBot, page: SettingsPage, demo_db: Database, drive
) -> None:  # type: ignore[no-untyped-def]
    with transaction(demo_db.sessions) as session:
        create_user(session, "clerk", "李经办", UserRole.CLERK, "Temp#2026a", DEPARTMENT)
    panel = page.users
    panel.refresh()
    _select(panel, "clerk")

    def edit(dialog: UserDialog) -> None:
        assert dialog.username.isReadOnly() and dialog.department.currentData() == DEPARTMENT
        dialog.display_name.setText("李监督")
        dialog.role.setCurrentIndex(dialog.role.findData(UserRole.SUPERVISOR.value))
        dialog.department.setCurrentIndex(0)  # 不限部门
        _press(dialog, "保存")

    driver = drive(UserDialog, edit)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    driver.check()
    row = _row(panel, "clerk")
    assert (row["姓名"], row["角色"], row["部门"]) == ("李监督", "监督员", "")


def test_reset_password_asks_first_then_sets_a_temporary_one(
    qtbot: QtBot, page: SettingsPage, demo_db: Database, dialogs, drive
) -> None:  # type: ignore[no-untyped-def]
    with transaction(demo_db.sessions) as session:
        create_user(session, "clerk", "李经办", UserRole.CLERK, "Temp#2026a")
    panel = page.users
    panel.refresh()
    _select(panel, "clerk")

    dialogs.answer("取消")
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert "要重置“李经办（clerk）”的密码吗" in dialogs.seen[0]

    def fill(dialog: ResetPasswordDialog) -> None:
        dialog.password.setText("Reset#2026x")
        dialog.password_again.setText("Reset#2026x")
        _press(dialog, "重置密码")

    dialogs.answer("重置密码")
    driver = drive(ResetPasswordDialog, fill)
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    driver.check()
    with pytest.raises(LoginError):
        authenticate(demo_db.sessions, "clerk", "Temp#2026a")
    signed = authenticate(demo_db.sessions, "clerk", "Reset#2026x")
    assert signed.must_change_password


def test_disable_enable_and_unlock_after_a_confirmation(
    qtbot: QtBot, page: SettingsPage, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    with transaction(demo_db.sessions) as session:
        create_user(session, "clerk", "李经办", UserRole.CLERK, "Temp#2026a")
    panel = page.users
    panel.refresh()
    _select(panel, "clerk")
    assert panel.active_button.text() == "停用" and not panel.unlock_button.isEnabled()

    dialogs.answer("停用")
    qtbot.mouseClick(panel.active_button, Qt.MouseButton.LeftButton)
    assert "停用后不能再登录" in dialogs.seen[-1]
    assert _row(panel, "clerk")["状态"] == "停用" and panel.active_button.text() == "启用"
    with pytest.raises(LoginError, match="已停用"):
        authenticate(demo_db.sessions, "clerk", "Temp#2026a")

    dialogs.answer("启用")
    qtbot.mouseClick(panel.active_button, Qt.MouseButton.LeftButton)
    assert _row(panel, "clerk")["状态"] == "启用"

    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginError):
            authenticate(demo_db.sessions, "clerk", "wrong-password")
    panel.refresh()
    assert _row(panel, "clerk")["状态"] == "锁定中" and panel.unlock_button.isEnabled()
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert _row(panel, "clerk")["状态"] == "启用" and not panel.unlock_button.isEnabled()
    authenticate(demo_db.sessions, "clerk", "Temp#2026a")


def test_a_refusal_by_the_service_is_shown_in_its_own_words(
    qtbot: QtBot, page: SettingsPage, dialogs
) -> None:  # type: ignore[no-untyped-def]
    panel = page.users
    _select(panel, "admin")
    dialogs.answer("停用", "确定")
    qtbot.mouseClick(panel.active_button, Qt.MouseButton.LeftButton)
    assert "最后一个启用的管理员账号" in dialogs.seen[-1]
    assert _row(panel, "admin")["状态"] == "启用"


def test_a_clerk_does_not_see_the_tab_and_the_service_refuses_anyway(
    qtbot: QtBot, page: SettingsPage, demo_db: Database, dialogs, drive
) -> None:  # type: ignore[no-untyped-def]
    with transaction(demo_db.sessions) as session:
        create_user(session, "clerk", "李经办", UserRole.CLERK, "Temp#2026a")
    clerk = authenticate(demo_db.sessions, "clerk", "Temp#2026a").actor

    # The panel is still open when the clerk takes over this window: the service says no, the form stays.
    demo_db.sign_in(clerk)

    def try_it(dialog: UserDialog) -> None:
        dialog.username.setText("sneaky")
        dialog.display_name.setText("某人")
        dialog.password.setText("Temp#2026z")
        dialog.password_again.setText("Temp#2026z")
        _press(dialog, "保存")

    def still_open(dialog: UserDialog) -> None:
        assert dialog.username.text() == "sneaky"
        dialog.reject()

    dialogs.answer("确定")
    driver = drive(UserDialog, try_it, still_open)
    page.users.add()
    driver.check()
    assert "没有“管理用户账号”的权限" in dialogs.seen[0]

    page.refresh()  # shown again: the tab is gone
    assert "用户管理" not in _tab_titles(page)
    fresh = SettingsPage(AppContext(demo_db))
    qtbot.addWidget(fresh)
    fresh.refresh()
    assert "用户管理" not in _tab_titles(fresh)
    assert fresh.tabs.indexOf(fresh.users) == -1
