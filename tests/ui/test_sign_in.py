"""Signing in through the real dialogs, and what each role sees in the real main window."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.auth.users import authenticate, create_first_admin, create_user, reset_password
from app.database import Database
from db.engine import transaction
from db.enums import UserRole
from tests.accounts import staff
from tests.app.tasks.conftest import run_draw, sj_task
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.registry_page import EntitiesPage
from ui.pages.settings_page import SettingsPage
from ui.pages.tasks_page import TasksPage
from ui.widgets.sign_in import AdminAccountForm, ChangePasswordDialog, FirstAdminDialog, LoginDialog

PASSWORD = "Shuang#2026"


def _admin(db: Database) -> None:
    with transaction(db.sessions) as session:
        create_first_admin(session, "admin", "王管理", PASSWORD)


def test_first_start_dialog_keeps_the_input_and_explains(
    qtbot: QtBot, product_app, empty_db: Database
) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(empty_db)  # a database made by `python -m app demo` has no account yet
    qtbot.addWidget(dialog)
    form = dialog.account_form
    assert isinstance(form, AdminAccountForm), "the same form as the first-run setup's"
    form.display_name.setText("王管理")
    form.password.setText("short")
    form.confirm.setText("short")
    dialog.buttons.accepted.emit()
    assert "至少需要 8 位" in dialog.problem.text() and dialog.result() == 0
    form.password.setText(PASSWORD)
    form.confirm.setText("Different#1")
    dialog.buttons.accepted.emit()
    assert "两次输入的密码不一致" in dialog.problem.text() and not dialog.problem.isHidden()
    assert form.password.text() == PASSWORD and form.confirm.text() == "" and dialog.result() == 0
    form.confirm.setText(PASSWORD)
    dialog.buttons.accepted.emit()
    assert dialog.result() == 1
    assert dialog.signed_in is not None and dialog.signed_in.actor.role == UserRole.ADMIN


def test_login_counts_failures_then_signs_in(qtbot: QtBot, product_app, empty_db: Database) -> None:  # type: ignore[no-untyped-def]
    _admin(empty_db)
    dialog = LoginDialog(empty_db, "示范县行政执法局")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_username("admin")
    dialog.password.setText("wrong-password")
    qtbot.keyClick(dialog.password, "\r")
    assert "再输错 4 次" in dialog.problem.text()
    assert dialog.password.text() == "" and dialog.username.text() == "admin"
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, "\r")
    assert dialog.result() == 1 and dialog.signed_in is not None
    assert dialog.signed_in.actor.display_name == "王管理"


def test_a_reset_password_must_be_changed(qtbot: QtBot, product_app, empty_db: Database) -> None:  # type: ignore[no-untyped-def]
    _admin(empty_db)
    empty_db.sign_in(authenticate(empty_db.sessions, "admin", PASSWORD).actor)
    with transaction(empty_db.sessions) as session:
        user = create_user(session, "clerk", "李经办", UserRole.CLERK, "Temp#2026a")
        reset_password(session, user.id, "Temp#2026b")
    signed = authenticate(empty_db.sessions, "clerk", "Temp#2026b")
    assert signed.must_change_password
    empty_db.sign_in(signed.actor)
    dialog = ChangePasswordDialog(empty_db, forced=True)
    qtbot.addWidget(dialog)
    dialog.old.setText("Temp#2026b")
    dialog.new.setText("short")
    dialog.confirm.setText("short")
    dialog.buttons.accepted.emit()
    assert "至少需要 8 位" in dialog.problem.text()
    dialog.new.setText("Mine#2026cc")
    dialog.confirm.setText("Mine#2026cc")
    dialog.buttons.accepted.emit()
    assert dialog.result() == 1
    assert not authenticate(empty_db.sessions, "clerk", "Mine#2026cc").must_change_password


def test_a_supervisor_sees_no_changing_buttons(qtbot: QtBot, product_app, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    actors = staff(demo_db)
    with demo_db.sessions() as session:
        pending = sj_task(session, "SJ-001")
        drawn = sj_task(session, "SJ-002")
        run_draw(session, drawn)
    demo_db.sign_in(actors["watch"])
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.show()
    entities = window.show_page(EntitiesPage)
    assert isinstance(entities, EntitiesPage)
    assert not entities.add_button.isVisible() and not entities.import_button.isVisible()
    assert entities.export_button.isVisible()
    tasks = window.show_page(TasksPage)
    assert isinstance(tasks, TasksPage)
    assert tasks.cosign_button.isVisible()
    assert tasks.model.select_first(tasks.table, lambda line: line.task_id == pending)
    assert tasks.draw_button.text() == "开始摇号" and not tasks.draw_button.isEnabled()
    assert not tasks.cosign_button.isEnabled()
    assert tasks.model.select_first(tasks.table, lambda line: line.task_id == drawn)
    assert tasks.draw_button.text() == "查看摇号" and tasks.draw_button.isEnabled()
    assert tasks.cosign_button.isEnabled()
    console = tasks.open_console()
    assert console is not None
    qtbot.addWidget(console)
    assert console.void_button.isHidden() and console.replace_button.isHidden()
    assert not console.print_button.isHidden()
    console.close()
    settings = window.show_page(SettingsPage)
    assert isinstance(settings, SettingsPage)
    assert not settings.save_button.isVisible() and settings.bureau_name.isReadOnly()
    assert "赵监督（监督员）" in window.user_label.text()


def test_a_clerk_sees_the_work_but_not_the_settings(qtbot: QtBot, product_app, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    demo_db.sign_in(staff(demo_db)["clerk"])
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.show()
    tasks = window.show_page(TasksPage)
    assert isinstance(tasks, TasksPage)
    assert tasks.draw_button.isVisible() and not tasks.cosign_button.isVisible()
    settings = window.show_page(SettingsPage)
    assert isinstance(settings, SettingsPage)
    assert not settings.save_button.isVisible()
    assert settings.backups.restore_button.isHidden() and not settings.backups.backup_button.isHidden()


def test_the_sign_in_dialog_offers_to_quit_not_to_cancel(qtbot: QtBot, demo_db: Database) -> None:
    dialog = LoginDialog(demo_db, "示范县市场监督管理局")
    qtbot.addWidget(dialog)
    texts = [button.text() for button in dialog.buttons.buttons()]
    assert sorted(texts) == ["登录", "退出"], "closing the sign-in ends the program"
