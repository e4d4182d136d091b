"""Start-up pieces: a brand-new database starts with the first-run setup (demo county or empty), bad files
are explained, one window per database, background jobs hand back results and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.demo.generate import DemoError
from tests.ui.conftest import DialogAnswerer
from ui import application
from ui.application import instance_lock, prepare_database
from ui.crash import ErrorDialog
from ui.jobs import run_with_progress
from ui.widgets.first_run import PAGE_SUMMARY, FirstRunWizard

PASSWORD = "Shuang#2026"


class _SetupUser:
    """Waits for the first-run wizard that prepare_database shows modally, and goes through it like a user:
    keeps or changes the data choice, fills the pages, then 完成 or 取消. If the setup cannot finish, the
    message boxes are answered and the wizard left (the test then fails on what ``told`` holds, not hangs)."""

    def __init__(self, *, demo: bool | None = None, finish: bool = True) -> None:
        self.demo = demo
        self.finish = finish
        self.seen: list[FirstRunWizard] = []
        self.chose_demo: bool | None = None
        self.boxes = DialogAnswerer()
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    @property
    def told(self) -> list[str]:
        return self.boxes.seen

    def _poll(self) -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, FirstRunWizard) or wizard in self.seen:
            return
        self._timer.stop()
        self.seen.append(wizard)
        try:
            if self.finish:
                self._go_through(wizard)
        finally:
            self.boxes.stop()
            if wizard.database is None:
                wizard.done(QWizard.DialogCode.Rejected.value)  # as 取消 → 退出设置

    def _go_through(self, wizard: FirstRunWizard) -> None:
        wizard.next()
        if self.demo is not None:
            (wizard.data_page.demo_button if self.demo else wizard.data_page.empty_button).setChecked(True)
        self.chose_demo = wizard.data_page.demo
        wizard.next()
        page = wizard.bureau_page
        if not wizard.data_page.demo:
            page.bureau_name.setText("某县市场监督管理局")
            page.county_name.setText("某县")
            page.department.setEditText("某县市场监督管理局")
            page.short_name.setText("某市监")
        wizard.next()
        form = wizard.admin_page.account_form
        form.display_name.setText("王管理")
        form.password.setText(PASSWORD)
        form.confirm.setText(PASSWORD)
        wizard.next()
        wizard.next()
        if wizard.currentId() == PAGE_SUMMARY:
            self.boxes.answer("确定")  # only a failed setup shows a message box here
            wizard.accept()


def test_a_new_database_starts_with_the_setup_and_can_load_the_demo_county(tmp_path: Path) -> None:
    user = _SetupUser()
    database = prepare_database(str(tmp_path / "first-start.db"), new_database_demo=True)
    assert database is not None and user.seen, user.told
    assert database.actor.role == "管理员" and database.actor.display_name == "王管理", "signed straight in"
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 20_000
        assert conn.execute(text("SELECT count(*) FROM annual_plan")).scalar() >= 1
    database.close()


def test_a_new_database_can_start_empty(tmp_path: Path) -> None:
    user = _SetupUser()  # --empty preselects 从空白开始; the user keeps it
    database = prepare_database(str(tmp_path / "empty.db"), new_database_demo=False)
    assert database is not None and user.chose_demo is False, user.told
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 0
        assert conn.execute(text("SELECT name FROM department")).scalars().all() == ["某县市场监督管理局"]
    database.close()


def test_after_the_setup_the_administrator_goes_straight_to_the_main_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs
) -> None:  # type: ignore[no-untyped-def]
    windows: list[str] = []

    def main_window(app, database):  # type: ignore[no-untyped-def]
        windows.append(database.actor.display_name)
        return 0, False

    def second_prompt(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the new administrator was asked to sign in again")

    monkeypatch.setattr(application, "_run_window", main_window)
    monkeypatch.setattr(application, "sign_in", second_prompt)
    monkeypatch.setattr(application, "install_excepthook", lambda: None)
    user = _SetupUser(demo=False)
    dialogs.answer("确定")  # where the audit key is kept, told once per installation (if not yet told)
    assert application.run_gui(str(tmp_path / "county.db"), new_database_demo=True) == 0
    assert user.chose_demo is False and windows == ["王管理"]


def test_leaving_the_setup_leaves_no_database(tmp_path: Path) -> None:
    user = _SetupUser(finish=False)
    assert prepare_database(str(tmp_path / "left.db"), new_database_demo=True) is None
    assert user.seen and not (tmp_path / "left.db").exists()


def test_a_file_that_is_not_a_database_is_explained(tmp_path: Path, dialogs) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "名录.xlsx"
    path.write_bytes(b"PK\x03\x04...")
    dialogs.answer("确定")
    assert prepare_database(str(path), new_database_demo=True) is None
    assert dialogs.seen and "不是本程序的数据库" in dialogs.seen[0]


def test_a_second_window_on_the_same_database_is_refused(tmp_path: Path) -> None:
    first = instance_lock(str(tmp_path / "x.db"))
    second = instance_lock(str(tmp_path / "x.db"))
    other = instance_lock(str(tmp_path / "y.db"))
    try:
        assert first.tryLock(0)
        assert not second.tryLock(0)
        assert other.tryLock(0)
    finally:
        first.unlock()
        other.unlock()
    assert second.tryLock(0)
    second.unlock()


def test_background_job_reports_progress_and_returns_its_result(qtbot: QtBot) -> None:
    seen: list[float] = []

    def work(progress):  # type: ignore[no-untyped-def]
        for step in range(5):
            progress("计算", step / 4)
            seen.append(step / 4)
        return sum(range(100))

    assert run_with_progress(None, "测试任务", work) == 4950
    assert seen == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_background_job_errors_come_back_to_the_caller(qtbot: QtBot) -> None:
    def work(progress):  # type: ignore[no-untyped-def]
        raise DemoError("该数据库已有数据，演示数据只能写入空数据库。")

    with pytest.raises(DemoError, match="已有数据"):
        run_with_progress(None, "测试任务", work)


def test_error_dialog_hides_details_until_asked(qtbot: QtBot) -> None:
    dialog = ErrorDialog("ValueError: 坏数据", "Traceback (most recent call last): 坏数据")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.details.isVisible()
    toggle = next(b for b in dialog.findChildren(QPushButton) if b.text() == "显示详细信息")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible()
    assert "Traceback" in dialog.details.toPlainText()
    assert toggle.text() == "隐藏详细信息"
