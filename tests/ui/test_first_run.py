"""首次设置 through the real wizard on a real SQLite file: the demo and empty paths, problems shown on the page
they belong to, 取消 and a failure leaving no file, and an audit trail that verifies afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.backup.settings import load_backup_settings
from app.settings import load_settings
from db.models import Department, Entity, User
from tests.cli import run_app
from ui.widgets.first_run import (
    PAGE_ADMIN,
    PAGE_BACKUP,
    PAGE_BUREAU,
    PAGE_DATA,
    PAGE_SUMMARY,
    PAGE_WELCOME,
    FirstRunWizard,
)
from ui.widgets.sign_in import AdminAccountForm

PASSWORD = "Shuang#2026"


@pytest.fixture
def open_wizards(qtbot: QtBot) -> Iterator[list[FirstRunWizard]]:
    """The wizards a test made, closed at its end without the 退出初始设置？ question (which would wait for an
    answer forever; qtbot.addWidget would close them that way)."""
    wizards: list[FirstRunWizard] = []
    yield wizards
    for wizard in wizards:
        if wizard.isVisible():
            wizard.done(QWizard.DialogCode.Rejected.value)
        wizard.deleteLater()
        if wizard.database is not None:
            wizard.database.close()


def _wizard(qtbot: QtBot, open_wizards: list[FirstRunWizard], path: Path, *, demo: bool) -> FirstRunWizard:
    wizard = FirstRunWizard(path, demo=demo)
    open_wizards.append(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    return wizard


def _click(qtbot: QtBot, wizard: FirstRunWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _next(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)


def _fill_admin(wizard: FirstRunWizard, password: str = PASSWORD, confirm: str = PASSWORD) -> None:
    form = wizard.admin_page.account_form
    form.display_name.setText("王管理")
    form.password.setText(password)
    form.confirm.setText(confirm)


def test_the_demo_path_prefills_the_demo_county_and_keeps_what_was_typed(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path
) -> None:
    path = tmp_path / "county.db"
    wizard = _wizard(qtbot, open_wizards, path, demo=True)
    assert wizard.currentId() == PAGE_WELCOME
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "下一步(&N)"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "取消"
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DATA and wizard.data_page.demo_button.isChecked()
    _next(qtbot, wizard)
    page = wizard.bureau_page
    assert (page.bureau_name.text(), page.county_name.text()) == ("示范县市场监督管理局", "示范县")
    assert page.department.currentText() == "示范县市场监督管理局" and page.short_name.text() == "示市监"
    assert page.market.isChecked() and "演示县中已有" in page.department_note.text()
    page.bureau_name.setText("示范县综合行政执法局")
    _click(qtbot, wizard, QWizard.WizardButton.BackButton)
    _next(qtbot, wizard)
    assert page.bureau_name.text() == "示范县综合行政执法局", "going back and forth keeps what was typed"
    page.department.setCurrentIndex(page.department.findText("示范县卫生健康委员会"))
    assert page.short_name.text() == "示卫健" and not page.market.isChecked()
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_ADMIN
    assert "示范县卫生健康委员会" in wizard.admin_page.department_note.text()
    _fill_admin(wizard)
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_BACKUP
    assert str(wizard.backup_page.main_folder).endswith("backups")
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_SUMMARY
    rows = wizard.summary_page.rows
    assert rows["数据"].text().startswith("载入演示县") and rows["第二备份位置"].text() == "未设置"
    assert rows["本机所属部门"].text() == "示范县卫生健康委员会（简称“示卫健”，非市场监管领域）"
    assert not path.exists(), "nothing is written before 完成"

    started = time.perf_counter()
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    print(f"demo county set up in {time.perf_counter() - started:.2f} s")  # noqa: T201 — a figure

    assert wizard.result() == QWizard.DialogCode.Accepted and wizard.database is not None
    assert wizard.signed_in is not None and wizard.signed_in.actor.display_name == "王管理"
    database = wizard.database
    try:
        with database.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Entity)) == 20_000
            settings = load_settings(session)
            assert settings.bureau_name == "示范县综合行政执法局" and settings.county_name == "示范县"
            assert settings.own_department == "示范县卫生健康委员会"
            admin = session.scalars(select(User)).one()
            assert admin.department is not None and admin.department.name == "示范县卫生健康委员会"
    finally:
        database.close()
    verified = run_app("audit", "verify", "--db", path, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_starting_empty_asks_for_everything_and_shows_problems_on_their_page(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path
) -> None:
    path = tmp_path / "county.db"
    wizard = _wizard(qtbot, open_wizards, path, demo=False)  # as `python -m app --empty`
    _next(qtbot, wizard)
    assert wizard.data_page.empty_button.isChecked()
    _next(qtbot, wizard)
    page = wizard.bureau_page
    assert page.bureau_name.text() == "" and page.department.count() == 0, "no demo names for real use"
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_BUREAU, "下一步 is refused until the page is complete"
    assert "单位名称" in page.problem.text() and page.problem.isVisible()
    page.bureau_name.insert("某县市场监督管理局")  # as typed (an input method commits the whole word)
    assert page.department.currentText() == "某县市场监督管理局", "the department follows the bureau's name"
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_BUREAU and "县（区）名称" in page.problem.text()
    assert page.bureau_name.text() == "某县市场监督管理局", "input is kept"
    assert page.department.count() == 0, "nothing to offer before the county is known"
    page.county_name.setText("某县")
    assert page.department.findText("某县卫生健康委员会") >= 0, "the usual departments, named for the county"
    page.department.setCurrentIndex(page.department.findText("某县卫生健康委员会"))
    assert page.short_name.text() == "某卫健" and not page.market.isChecked()
    page.department.setCurrentIndex(page.department.findText("某县市场监督管理局"))
    assert page.short_name.text() == "某市监" and page.market.isChecked()
    page.short_name.clear()
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_BUREAU and "部门简称" in page.problem.text()
    page.short_name.setText("某市监")
    assert "完成时将在部门列表中建立" in page.department_note.text()
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_ADMIN

    admin = wizard.admin_page
    _fill_admin(wizard, PASSWORD, "Shuang#2025")
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_ADMIN and "两次输入的密码不一致" in admin.problem.text()
    assert admin.problem.isVisible() and admin.account_form.password.text() == PASSWORD
    assert admin.account_form.confirm.text() == ""
    _fill_admin(wizard, "short", "short")
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_ADMIN and "至少需要 8 位" in admin.problem.text()
    _fill_admin(wizard)
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_BACKUP and not admin.problem.isVisible()

    usb = tmp_path / "U盘" / "备份"
    wizard.backup_page.mirror_edit.setText(str(usb))
    assert wizard.backup_page.warning.isVisible() and "不存在" in wizard.backup_page.warning.text()
    _next(qtbot, wizard)
    assert wizard.currentId() == PAGE_SUMMARY, "a missing folder is a warning, not a refusal"
    assert wizard.summary_page.rows["第二备份位置"].text().startswith(str(usb))
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.database is not None
    database = wizard.database
    try:
        with database.sessions() as session:
            department = session.scalars(select(Department)).one()
            assert (department.name, department.short_name, department.is_market_regulation) == (
                "某县市场监督管理局",
                "某市监",
                True,
            )
            assert department.code == "SJ", "picked from the list: the county-wide code of 市场监管"
            admin_row = session.scalars(select(User)).one()
            assert admin_row.department_id == department.id and admin_row.role == "管理员"
            settings = load_settings(session)
            assert (settings.bureau_name, settings.county_name, settings.own_department) == (
                "某县市场监督管理局",
                "某县",
                "某县市场监督管理局",
            )
            assert load_backup_settings(session).mirror_dir == str(usb)
            assert session.scalar(select(func.count()).select_from(Entity)) == 0
    finally:
        database.close()


def test_the_welcome_text_is_plain_and_the_file_line_a_grey_hint(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, open_wizards, tmp_path / "style.db", demo=True)
    labels = {label.text(): label for label in wizard.currentPage().findChildren(QLabel)}
    intro = next(label for text, label in labels.items() if text.startswith("这里填写的内容以后都可以"))
    file_line = next(label for text, label in labels.items() if text.startswith("数据库文件："))
    assert intro.objectName() != "hint" and intro.wordWrap()
    assert file_line.objectName() == "hint" and file_line.wordWrap()


def test_the_keyboard_walks_the_wizard(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, open_wizards, tmp_path / "county.db", demo=True)
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_DATA
    qtbot.keyClick(wizard.data_page.demo_button, Qt.Key.Key_Down)
    assert wizard.data_page.empty_button.isChecked()
    qtbot.keyClick(wizard.data_page.empty_button, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_BUREAU and wizard.bureau_page.bureau_name.hasFocus()
    qtbot.keyClick(wizard.bureau_page.bureau_name, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_BUREAU and "单位名称" in wizard.bureau_page.problem.text()


def test_cancel_asks_once_and_leaves_no_file(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path, dialogs
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "county.db"
    wizard = _wizard(qtbot, open_wizards, path, demo=True)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    dialogs.answer("取消")
    _click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert wizard.isVisible() and wizard.currentId() == PAGE_BUREAU, "取消 in the question keeps the setup"
    dialogs.answer("退出设置")
    _click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible() and wizard.result() == QWizard.DialogCode.Rejected
    assert "不会建立数据库文件" in dialogs.seen[-1]
    assert wizard.database is None and not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_applying_leaves_no_file_and_says_why(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def disk_full(session, settings):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.setup.save_backup_settings", disk_full)
    path = tmp_path / "county.db"
    wizard = _wizard(qtbot, open_wizards, path, demo=False)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    page = wizard.bureau_page
    page.bureau_name.setText("某县司法局")
    page.county_name.setText("某县")
    page.department.setEditText("某县司法局")
    page.short_name.setText("某司法")
    _next(qtbot, wizard)
    _fill_admin(wizard)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    dialogs.answer("确定")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert dialogs.seen and "初始设置没有完成" in dialogs.seen[0] and "无法写入磁盘" in dialogs.seen[0]
    assert not path.exists() and list(tmp_path.iterdir()) == []
    assert wizard.isVisible() and wizard.currentId() == PAGE_SUMMARY and wizard.database is None

    monkeypatch.undo()  # the disk has room again: 完成 once more works with everything as typed
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.database is not None and path.exists()
    wizard.database.close()


def test_the_wizard_and_the_first_admin_dialog_share_one_account_form(
    qtbot: QtBot, open_wizards: list[FirstRunWizard], tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, open_wizards, tmp_path / "county.db", demo=True)
    assert type(wizard.admin_page.account_form) is AdminAccountForm
    assert wizard.admin_page.account_form.username.text() == "admin"
