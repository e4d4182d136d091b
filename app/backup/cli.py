"""`python -m app backup` and `python -m app restore` (DESIGN.md): exit 0 done, 1 refused, 2 unusable input."""

from __future__ import annotations

from pathlib import Path

from app.backup.files import BackupKind, default_backup_dir
from app.backup.make import BackupError, make_backup
from app.backup.restore import RestoreError, restore_backup
from app.backup.settings import backup_settings_from_file
from app.console import fail as _fail
from app.console import say as _say


def _file_path(db_location: str) -> Path | None:
    return None if "://" in db_location else Path(db_location).expanduser()


def run_backup(db_location: str, to: Path | None) -> int:
    """Back up the database by hand (手动备份) into `to`, or into the backup folder and the second folder."""
    db_path = _file_path(db_location)
    if db_path is None:
        return _fail("错误：只能备份 SQLite 数据库文件；服务器数据库请用其自带的备份工具。", 2)
    if to is not None and to.exists() and not to.is_dir():
        return _fail(f"错误：--to 应为文件夹：{to}", 2)
    mirror = None if to is not None else backup_settings_from_file(db_path).mirror_path
    try:
        result = make_backup(db_path, BackupKind.MANUAL, folder=to or default_backup_dir(), mirror=mirror)
    except BackupError as exc:
        return _fail(f"错误：{exc.message_zh}", 2 if exc.unusable_source else 1)
    _say(
        f"已备份：{result.path}（{result.size / 1_048_576:.1f} MB，用时 {result.seconds:.1f} 秒，已通过完整性检查）"
    )
    if result.mirror_path:
        _say(f"第二备份位置：{result.mirror_path}")
    for warning in result.warnings:
        _say(f"注意：{warning}")
    return 0


def run_restore(backup: Path, db_location: str) -> int:
    """Restore a backup over the database; the current data is saved first as a 恢复前 backup."""
    db_path = _file_path(db_location)
    if db_path is None:
        return _fail("错误：只能恢复到 SQLite 数据库文件。", 2)

    def progress(stage: str, fraction: float) -> None:
        _say(f"  {int(fraction * 100):3d}%  {stage}")

    try:
        result = restore_backup(backup, db_path, progress=progress)
    except RestoreError as exc:
        return _fail(f"错误：{exc.message_zh}", 2 if exc.unusable else 1)
    if result.saved_current:
        _say(f"恢复前的数据已保存为：{result.saved_current.path}")
    for warning in result.warnings:
        _say(f"注意：{warning}")
    upgraded = "，并已升级到当前数据库版本" if result.migrated else ""
    _say(f"已从 {backup} 恢复数据库 {db_path}{upgraded}。")
    return 0
