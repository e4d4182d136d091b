"""备份与恢复 on real SQLite files: consistent copies of an open database, rotation, the second folder, restore
with its refusals, the 恢复前 copy, migration of an older backup, and the integrity check at start."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.backup import (
    BackupKind,
    BackupSettings,
    RestoreError,
    check_integrity,
    daily_backup_due,
    default_backup_dir,
    list_backups,
    load_backup_settings,
    make_backup,
    parse_backup_name,
    restore_backup,
    save_backup_settings,
)
from app.backup.settings import backup_settings_from_file
from app.database import Database, open_database
from db.engine import make_engine, transaction
from db.migrate import alembic_config, current_revision, head_revision

NOON = dt.datetime(2026, 11, 22, 12, 0, 0)


def _entity_name(path: Path, entity_id: int = 1) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT name FROM entity WHERE id = ?", (entity_id,)).fetchone()[0])


def _rename_entity(database: Database, name: str, entity_id: int = 1) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE entity SET name = :n WHERE id = :i"), {"n": name, "i": entity_id})


def _corrupt(path: Path) -> None:
    """Overwrite the middle third of the file with junk, keeping the header: the kind of damage a bad disk does."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 3)
        fh.write(b"\x5a\xa5" * (size // 6))


# --- making backups ---------------------------------------------------------------------------------------


def test_backup_of_an_open_database_holds_every_committed_change(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    _rename_entity(demo_db, "备份前最后一笔修改")
    with demo_db.engine.connect() as busy:  # another connection in the middle of its own unfinished write
        busy.execute(text("UPDATE entity SET name = '尚未提交' WHERE id = 2"))
        result = make_backup(demo_db.path, BackupKind.MANUAL, folder=tmp_path / "备份", now=NOON)
        busy.rollback()
    assert result.path.name == "demo-20261122-120000-manual.db"
    assert result.path.parent == tmp_path / "备份"
    assert not Path(f"{result.path}-wal").exists(), "a backup is one self-contained file"
    assert _entity_name(result.path) == "备份前最后一笔修改"
    assert _entity_name(result.path, 2) != "尚未提交"
    assert check_integrity(result.path).ok
    assert [p.name for p in (tmp_path / "备份").iterdir()] == [result.path.name], "no temporary file left"


def test_backups_go_to_the_data_directory_by_default_and_are_listed_newest_first(demo_db: Database) -> None:
    assert demo_db.path is not None
    folder = default_backup_dir()
    older = make_backup(demo_db.path, BackupKind.DAILY, now=NOON - dt.timedelta(days=400))
    newer = make_backup(demo_db.path, BackupKind.EXIT, now=NOON - dt.timedelta(days=399))
    assert older.path.parent == folder
    (folder / "记录.db").write_bytes(b"not a database")
    entries = [e for e in list_backups([folder]) if e.path in (older.path, newer.path, folder / "记录.db")]
    (folder / "记录.db").unlink()
    older.path.unlink()
    newer.path.unlink()
    assert [e.path for e in entries][-2:] == [newer.path, older.path]
    assert entries[-1].kind_label == "每日自动备份" and entries[-2].kind_label == "退出时自动备份"
    assert entries[-1].schema.state == "current" and entries[-1].schema.ours
    assert entries[-1].size > 100_000
    stranger = next(e for e in entries if e.path.name == "记录.db")
    assert stranger.kind is None and stranger.schema.label == "无法读取"


def test_names_carry_time_and_kind_and_two_in_one_second_do_not_collide(
    demo_db: Database, tmp_path: Path
) -> None:
    assert demo_db.path is not None
    first = make_backup(demo_db.path, BackupKind.BEFORE_RESTORE, folder=tmp_path, now=NOON)
    second = make_backup(demo_db.path, BackupKind.BEFORE_RESTORE, folder=tmp_path, now=NOON)
    assert first.path != second.path
    for made in (first, second):
        parsed = parse_backup_name(made.path.name)
        assert parsed is not None
        assert (parsed.db_stem, parsed.made_at, parsed.kind) == ("demo", NOON, BackupKind.BEFORE_RESTORE)
    assert parse_backup_name("demo-2026-manual.db") is None


def test_rotation_keeps_ten_exit_backups_and_never_deletes_manual_ones(
    demo_db: Database, tmp_path: Path
) -> None:
    assert demo_db.path is not None
    for hour in range(12):
        make_backup(demo_db.path, BackupKind.EXIT, folder=tmp_path, now=NOON + dt.timedelta(hours=hour))
        make_backup(demo_db.path, BackupKind.MANUAL, folder=tmp_path, now=NOON + dt.timedelta(hours=hour))
    exits = sorted(p.name for p in tmp_path.glob("*-exit.db"))
    assert len(exits) == 10
    assert exits[0] == "demo-20261122-140000-exit.db", "the two oldest went"
    assert len(list(tmp_path.glob("*-manual.db"))) == 12


def test_a_missing_second_folder_only_warns(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    usb = tmp_path / "U盘未插入" / "备份"
    result = make_backup(demo_db.path, BackupKind.DAILY, folder=tmp_path / "main", mirror=usb, now=NOON)
    assert result.path.exists()
    assert result.mirror_path is None
    assert len(result.warnings) == 1 and "第二备份位置不可用" in result.warnings[0]
    assert not usb.exists(), "nothing is created on a drive that is not there"


def test_the_second_folder_gets_the_same_checked_copy(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    usb = tmp_path / "usb"
    usb.mkdir()
    result = make_backup(demo_db.path, BackupKind.DAILY, folder=tmp_path / "main", mirror=usb, now=NOON)
    assert result.warnings == []
    assert result.mirror_path == usb / result.path.name
    assert result.mirror_path.read_bytes() == result.path.read_bytes()


def test_the_second_folder_is_a_database_setting(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    with transaction(demo_db.sessions) as session:
        assert load_backup_settings(session) == BackupSettings()
        save_backup_settings(session, BackupSettings(mirror_dir=str(tmp_path / "U盘")))
    with demo_db.sessions() as session:
        assert load_backup_settings(session).mirror_path == tmp_path / "U盘"
    assert backup_settings_from_file(demo_db.path).mirror_path == tmp_path / "U盘"


def test_a_daily_backup_is_due_after_24_hours(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    assert daily_backup_due(tmp_path, "demo", NOON)
    make_backup(demo_db.path, BackupKind.DAILY, folder=tmp_path, now=NOON)
    make_backup(demo_db.path, BackupKind.EXIT, folder=tmp_path, now=NOON + dt.timedelta(hours=23))
    assert not daily_backup_due(tmp_path, "demo", NOON + dt.timedelta(hours=23, minutes=59))
    assert daily_backup_due(tmp_path, "demo", NOON + dt.timedelta(hours=24))
    assert daily_backup_due(tmp_path, "other", NOON), "each database has its own"


# --- restoring ----------------------------------------------------------------------------------------------


def test_restore_brings_back_the_data_and_keeps_what_was_there_as_a_before_restore_backup(
    demo_db: Database, tmp_path: Path
) -> None:
    path = demo_db.path
    assert path is not None
    _rename_entity(demo_db, "备份时的名称")
    backup = make_backup(path, BackupKind.MANUAL, folder=tmp_path / "b", now=NOON).path
    _rename_entity(demo_db, "备份之后录入的名称")
    demo_db.close()

    result = restore_backup(backup, path, folder=tmp_path / "b")

    assert _entity_name(path) == "备份时的名称"
    assert result.saved_current is not None
    assert result.saved_current.kind == BackupKind.BEFORE_RESTORE
    assert _entity_name(result.saved_current.path) == "备份之后录入的名称", "nothing typed is ever lost"
    assert not result.migrated
    reopened = open_database(path)
    assert current_revision(reopened.engine) == head_revision()
    reopened.close()


@pytest.mark.parametrize("damage", ["garbage", "corrupted", "foreign", "newer", "missing"])
def test_restore_refuses_an_unusable_backup_and_changes_nothing(
    demo_db: Database, tmp_path: Path, damage: str
) -> None:
    path = demo_db.path
    assert path is not None
    bad = tmp_path / "incoming" / "backup.db"
    bad.parent.mkdir()
    if damage == "garbage":
        bad.write_text("这是一份 Word 文档，不是数据库", encoding="utf-8")
    elif damage == "corrupted":
        shutil.copyfile(make_backup(path, BackupKind.MANUAL, folder=tmp_path / "b").path, bad)
        _corrupt(bad)
    elif damage == "foreign":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
        conn.close()
    elif damage == "newer":
        shutil.copyfile(make_backup(path, BackupKind.MANUAL, folder=tmp_path / "b").path, bad)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        conn.close()
    _rename_entity(demo_db, "现在的数据")
    demo_db.close()
    before = path.read_bytes()
    saved = tmp_path / "saved"

    with pytest.raises(RestoreError) as caught:
        restore_backup(bad, path, folder=saved)

    message = caught.value.message_zh
    expected = {
        "garbage": "不是 SQLite",
        "corrupted": "损坏",
        "foreign": "不是本程序的数据库",
        "newer": "更新版本",
        "missing": "不存在",
    }[damage]
    assert expected in message
    assert caught.value.unusable == (damage == "missing")
    assert path.read_bytes() == before
    assert _entity_name(path) == "现在的数据"
    assert not saved.exists() or not list(saved.iterdir()), "a refused restore saves nothing either"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == [], "no staging file left"


def test_restore_of_a_backup_from_an_older_version_migrates_it(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    assert path is not None
    _rename_entity(demo_db, "旧版本里的名称")
    old = make_backup(path, BackupKind.MANUAL, folder=tmp_path / "b").path
    # An "older" backup: the same data taken back to the first schema with the migrations' own downgrade.
    engine = make_engine(old)
    command.downgrade(alembic_config(engine), "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:  # the first version wrote no audit entries; the downgrade leaves today's
        conn.exec_driver_sql("DELETE FROM audit_entry")
    engine.dispose()
    listed = next(e for e in list_backups([tmp_path / "b"]) if e.path == old)
    assert listed.schema.state == "older"
    demo_db.close()

    result = restore_backup(old, path, folder=tmp_path / "b")

    assert result.migrated and result.from_revision == "0001"
    database = open_database(path)
    try:
        assert current_revision(database.engine) == head_revision()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM entity WHERE id = 1")).scalar() == "旧版本里的名称"
    finally:
        database.close()


def test_restore_is_refused_while_another_program_has_the_database_open(
    demo_db: Database, tmp_path: Path
) -> None:
    path = demo_db.path
    assert path is not None
    backup = make_backup(path, BackupKind.MANUAL, folder=tmp_path / "b").path
    _rename_entity(demo_db, "另一窗口正在使用")
    with demo_db.engine.connect() as other_window:
        other_window.execute(text("SELECT count(*) FROM entity")).scalar()
        with pytest.raises(RestoreError, match="正被其他程序使用"):
            restore_backup(backup, path, folder=tmp_path / "b")
    assert _entity_name(path) == "另一窗口正在使用"


def test_a_damaged_database_can_be_restored_and_is_kept_for_rescue(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    assert path is not None
    backup = make_backup(path, BackupKind.DAILY, folder=tmp_path / "b").path
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    demo_db.close()
    _corrupt(path)
    damaged_bytes = path.read_bytes()
    report = check_integrity(path)
    assert not report.ok and report.problems

    result = restore_backup(backup, path, folder=tmp_path / "b")

    assert check_integrity(path).ok
    assert result.saved_current is not None
    # Page for page as it was (only the 100-byte file header differs: the copy is not in WAL mode).
    assert result.saved_current.path.read_bytes()[100:] == damaged_bytes[100:], "the damaged data is kept"
    assert any("未通过完整性检查" in w for w in result.warnings)


def test_integrity_check_at_start_passes_a_healthy_database_in_use(demo_db: Database) -> None:
    assert demo_db.path is not None
    _rename_entity(demo_db, "在 WAL 中的修改")
    report = check_integrity(demo_db.path)
    assert report.ok and report.problems == []
    assert report.seconds < 30


def test_integrity_check_names_a_file_that_is_no_database_at_all(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"\x00" * 8192)
    report = check_integrity(path)
    assert not report.ok and "SQLite" in report.problems[0]
