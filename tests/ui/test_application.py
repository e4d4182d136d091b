"""Start-up pieces: a brand-new database gets the demo county behind a progress dialog, bad files are
explained, one window per database, background jobs hand back results and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.demo.generate import DemoError
from ui.application import instance_lock, prepare_database
from ui.crash import ErrorDialog
from ui.jobs import run_with_progress


def test_a_new_database_is_filled_with_the_demo_county(tmp_path: Path) -> None:
    database = prepare_database(str(tmp_path / "first-start.db"), new_database_demo=True)
    assert database is not None
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 20_000
        assert conn.execute(text("SELECT count(*) FROM annual_plan")).scalar() >= 1
    database.close()


def test_a_new_database_can_start_empty(tmp_path: Path) -> None:
    database = prepare_database(str(tmp_path / "empty.db"), new_database_demo=False)
    assert database is not None
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 0
    database.close()


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
