"""备份与恢复 in the GUI: back up now, the second folder, restore after a confirmation (then a restart), the
exit backup, and a damaged database at start offered a restore."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.backup import BackupKind, default_backup_dir, make_backup
from app.database import Database, open_database
from ui.application import prepare_database
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.settings_page import SettingsPage
from ui.widgets.backup_panel import BackupPanel
from ui.widgets.damaged_database import DamagedDatabaseDialog


def _files(pattern: str) -> set[Path]:
    return set(default_backup_dir().glob(pattern))


def _name(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        name = str(conn.execute("SELECT name FROM entity WHERE id = 1").fetchone()[0])
    conn.close()
    return name


def _rename(database: Database, name: str) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE entity SET name = :n WHERE id = 1"), {"n": name})


@pytest.fixture
def panel(qtbot: QtBot, demo_db: Database) -> Iterator[BackupPanel]:
    widget = BackupPanel(AppContext(demo_db))
    widget.restarts = []  # type: ignore[attr-defined]
    widget.after_restore = lambda: widget.restarts.append(True)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def test_backup_now_writes_a_checked_copy_and_lists_it_first(qtbot: QtBot, panel: BackupPanel) -> None:
    before = _files("demo-*-manual*.db")
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    made = _files("demo-*-manual*.db") - before
    assert len(made) == 1
    new = made.pop()
    selected = panel.selected()
    assert selected is not None and selected.path == new
    row = next(r for r in range(panel.model.rowCount()) if panel.model.row_object(r).path == new)
    assert panel.model.index(row, 1).data() == "手动备份"
    assert "当前版本" in panel.model.index(row, 4).data()
    assert "已通过完整性检查" in panel.status.text()


def test_backup_is_reachable_from_the_keyboard(qtbot: QtBot, panel: BackupPanel) -> None:
    before = _files("demo-*-manual*.db")
    panel.backup_button.setFocus()
    qtbot.waitUntil(panel.backup_button.hasFocus)
    qtbot.keyClick(panel.backup_button, Qt.Key.Key_Space)
    assert len(_files("demo-*-manual*.db") - before) == 1


def test_second_folder_gets_a_copy_and_a_missing_one_only_warns(
    qtbot: QtBot, panel: BackupPanel, tmp_path: Path, dialogs
) -> None:  # type: ignore[no-untyped-def]
    usb = tmp_path / "usb"
    usb.mkdir()
    panel.set_mirror(str(usb))
    assert panel.mirror_edit.text() == str(usb)
    made = panel.backup_now()
    assert made is not None and (usb / made.name).exists()
    locations = {panel.model.index(r, 2).data() for r in range(panel.model.rowCount())}
    assert locations == {"本机备份文件夹", "第二备份位置"}

    shutil.rmtree(usb)  # the USB stick was pulled out
    dialogs.answer("确定")
    made = panel.backup_now()
    assert made is not None and made.exists()
    assert dialogs.seen and "第二备份位置不可用" in dialogs.seen[0]

    qtbot.mouseClick(panel.clear_mirror_button, Qt.MouseButton.LeftButton)
    assert panel.mirror_edit.text() == "" and not panel.clear_mirror_button.isEnabled()


def test_restore_asks_first_then_restores_and_restarts(
    qtbot: QtBot, panel: BackupPanel, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    assert demo_db.path is not None
    _rename(demo_db, "备份时的名称")
    backup = panel.backup_now()
    assert backup is not None
    _rename(demo_db, "备份后的名称")
    panel.refresh()
    assert panel.model.select_first(panel.table, lambda e: e.path == backup)

    dialogs.answer("取消")
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert "恢复前，当前数据会先自动另存" in dialogs.seen[0]
    assert _name(demo_db.path) == "备份后的名称" and panel.restarts == []  # type: ignore[attr-defined]

    dialogs.answer("恢复", "确定")
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert _name(demo_db.path) == "备份时的名称"
    assert panel.restarts == [True]  # type: ignore[attr-defined]
    assert "程序将重新启动" in dialogs.seen[-1]
    saved = panel.last_restore.saved_current if panel.last_restore else None
    assert saved is not None and saved.kind == BackupKind.BEFORE_RESTORE
    assert _name(saved.path) == "备份后的名称"


def test_restore_of_a_file_that_is_no_backup_is_refused_before_asking(
    panel: BackupPanel, demo_db: Database, tmp_path: Path, dialogs
) -> None:  # type: ignore[no-untyped-def]
    assert demo_db.path is not None
    notes = tmp_path / "notes.db"
    notes.write_text("会议纪要", encoding="utf-8")
    dialogs.answer("确定")
    assert not panel.restore_from(notes)
    assert len(dialogs.seen) == 1 and "不是 SQLite" in dialogs.seen[0]
    assert panel.restarts == []  # type: ignore[attr-defined]


def test_settings_page_has_the_tab_and_closing_the_window_backs_up(qtbot: QtBot, demo_db: Database) -> None:
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    settings = window.show_page(SettingsPage)
    assert isinstance(settings, SettingsPage)
    tabs = [settings.tabs.tabText(i) for i in range(settings.tabs.count())]
    assert "备份与恢复" in tabs
    before = _files("demo-*-exit*.db")
    window.close()
    assert len(_files("demo-*-exit*.db") - before) == 1


# --- the check at start ---------------------------------------------------------------------------------------


def _damaged_county(demo_template: Path, tmp_path: Path, stem: str) -> tuple[Path, Path]:
    """A county database with a daily backup, then damaged in the middle of the file."""
    path = tmp_path / f"{stem}.db"
    shutil.copyfile(demo_template, path)
    backup = make_backup(path, BackupKind.DAILY).path
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 3)
        fh.write(b"\x5a\xa5" * (size // 6))
    return path, backup


def _answer_damaged_dialog(choice: str) -> tuple[QTimer, list[str]]:
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, DamagedDatabaseDialog):
            seen.append(dialog.windowTitle())
            (dialog.restore_button if choice == "restore" else dialog.quit_button).click()
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    return timer, seen


def test_a_damaged_database_at_start_is_restored_from_a_backup(
    demo_template: Path, tmp_path: Path, dialogs
) -> None:  # type: ignore[no-untyped-def]
    path, backup = _damaged_county(demo_template, tmp_path, "damaged-start")
    _timer, seen = _answer_damaged_dialog("restore")
    dialogs.answer("确定")

    database = prepare_database(str(path), new_database_demo=True)

    assert seen == ["数据库已损坏"]
    assert database is not None
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 2_000
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        database.close()
    assert "已从" in dialogs.seen[0] and backup.name in dialogs.seen[0]
    assert _files("damaged-start-*-before-restore*.db"), "the damaged file is kept"


def test_a_damaged_database_at_start_can_be_left_alone(demo_template: Path, tmp_path: Path) -> None:
    path, _backup = _damaged_county(demo_template, tmp_path, "damaged-quit")
    damaged = path.read_bytes()
    _timer, seen = _answer_damaged_dialog("quit")

    assert prepare_database(str(path), new_database_demo=True) is None

    assert seen == ["数据库已损坏"]
    assert path.read_bytes() == damaged


def test_the_daily_backup_runs_in_the_background_once_a_day(
    qtbot: QtBot, demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "daily-check.db"
    shutil.copyfile(demo_template, path)
    database = open_database(path)
    window = MainWindow(AppContext(database))
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.auto_backup.finished, timeout=30_000):
            assert window.auto_backup.backup_daily_if_due()
        qtbot.waitUntil(lambda: "每日自动备份" in window.statusBar().currentMessage())
        assert len(_files("daily-check-*-daily*.db")) == 1
        assert not window.auto_backup.backup_daily_if_due(), "not due again within 24 hours"
        window.close()
        assert len(_files("daily-check-*-exit*.db")) == 1
    finally:
        database.close()


def test_restore_works_in_the_main_window_after_every_page_was_opened(
    qtbot: QtBot, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    assert demo_db.path is not None
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    for row in range(window.nav.count()):  # every page has read the database (and may keep models open)
        window.nav.setCurrentRow(row)
    settings = window.show_page(SettingsPage)
    assert isinstance(settings, SettingsPage)
    settings.tabs.setCurrentWidget(settings.backups)
    panel = settings.backups
    restarts: list[bool] = []
    panel.after_restore = lambda: restarts.append(True)
    _rename(demo_db, "备份时")
    backup = panel.backup_now()
    assert backup is not None
    _rename(demo_db, "备份后")

    dialogs.answer("恢复", "确定")
    assert panel.restore_from(backup)

    assert restarts == [True]
    assert _name(demo_db.path) == "备份时"
    assert not window.auto_backup.enabled, "no exit backup of the restored file before the restart"


def _break_an_index(path: Path) -> None:
    """Make ix_inspector_name disagree with its table, as a crash of a disk controller might: the pages are
    sound, so `quick_check` passes, but `integrity_check` finds the row missing from the index."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema=ON")
    row = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = 'ix_inspector_name'"
    ).fetchone()
    conn.execute("DELETE FROM sqlite_master WHERE name = 'ix_inspector_name'")
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)  # the index is unknown now, so it is not updated
    conn.execute("UPDATE inspector SET name = name || '改' WHERE id = (SELECT min(id) FROM inspector)")
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
    conn.close()


def test_index_damage_passes_the_quick_start_check_and_the_daily_backup_reports_it(
    qtbot: QtBot, demo_template: Path, tmp_path: Path, dialogs
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "index-damage.db"
    shutil.copyfile(demo_template, path)
    _break_an_index(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert "missing from index" in conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    dialogs.answer("确定")

    database = prepare_database(str(path), new_database_demo=False)  # the start goes on: pages are sound
    assert database is not None
    window = MainWindow(AppContext(database))
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.auto_backup.finished, timeout=30_000):
            assert window.auto_backup.backup_daily_if_due()
        qtbot.waitUntil(lambda: bool(dialogs.seen))
        assert "当前数据库可能已损坏" in dialogs.seen[0] and "ix_inspector_name" in dialogs.seen[0]
        assert not _files("index-damage-*-daily*.db"), "a damaged copy is not kept as a good backup"
    finally:
        window.auto_backup.enabled = False
        window.close()
        database.close()
