"""Restoring a backup over the database: check the file, save the current data first, write, migrate.

Nothing is ever lost: before the database is replaced, it is saved as a 恢复前 (before-restore) backup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.auth.roles import Actor, Permission, PermissionDenied, process_actor
from app.backup.files import BackupKind
from app.backup.make import BackupError, BackupResult, make_backup
from app.backup.sqlite_copy import (
    SchemaInfo,
    fsync_folder,
    integrity_problems,
    is_sqlite_file,
    known_revisions,
    read_schema_info,
    snapshot,
)
from app.errors import UserFacingError

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
# How long a restore waits for another program holding the database before refusing.
IN_USE_TIMEOUT_S = 2.0


class RestoreError(UserFacingError):
    """The restore was refused and the database is unchanged; message_zh says why, for the user."""

    def __init__(self, message_zh: str, *, unusable: bool = False) -> None:
        super().__init__(message_zh)
        self.unusable = (
            unusable  # a missing file or an unusable path rather than a refused backup (CLI exit 2)
        )


@dataclass(frozen=True)
class RestoreResult:
    backup: Path
    database: Path
    from_revision: str | None  # the schema the backup had
    migrated: bool  # the backup came from an older version and was upgraded
    saved_current: BackupResult | None  # the 恢复前 copy of what the database held (None: there was none)
    warnings: list[str] = field(default_factory=list)


def _no_progress(stage: str, fraction: float) -> None:
    pass


def check_backup_file(path: Path) -> SchemaInfo:
    """Refuse (RestoreError) a file that cannot be a backup of this program, judging by what it says about itself.

    The full integrity check happens on the restore's own copy; this is the quick look for the user interface.
    """
    if not path.is_file():
        raise RestoreError(f"备份文件不存在：{path}", unusable=True)
    if not is_sqlite_file(path):
        raise RestoreError(f"该文件不是 SQLite 数据库，不能用于恢复：{path.name}")
    info = read_schema_info(path)
    _refuse_schema(info, path)
    return info


def _refuse_schema(info: SchemaInfo, path: Path) -> None:
    state = info.state
    if state == "unreadable":
        raise RestoreError(f"无法读取该文件，它可能已损坏：{path.name}")
    if state == "foreign":
        raise RestoreError(f"该文件是 SQLite 数据库，但不是本程序的数据库，不能用于恢复：{path.name}")
    if state == "newer":
        raise RestoreError(
            f"该备份由更新版本的程序创建（数据库版本 {info.revision}，本程序最高支持 "
            f"{known_revisions()[-1]}）。请先安装最新版本的程序再恢复。"
        )


def restore_backup(
    backup: Path,
    db_path: Path,
    *,
    folder: Path | None = None,
    progress: ProgressFn = _no_progress,
    actor: Actor | None = None,
) -> RestoreResult:
    """Replace the database at `db_path` with the contents of `backup`.

    The backup must be an intact database of this program from this or an older version; an older one is
    migrated. The current database is first saved as a 恢复前 backup in `folder` (default: the data
    directory's backups folder). The caller must have closed its own connections to `db_path` (engine
    disposed); another program still using the file makes the restore refuse. Raises RestoreError.
    """
    who = actor or process_actor()
    if not who.can(Permission.RESTORE):
        raise PermissionDenied(who, Permission.RESTORE, "恢复备份")
    backup, db_path = Path(backup), Path(db_path)
    progress("检查备份文件", 0.05)
    check_backup_file(backup)
    if db_path.is_dir():
        raise RestoreError(f"指定的数据库路径是一个文件夹：{db_path}", unusable=True)
    if db_path.exists() and db_path.resolve() == backup.resolve():
        raise RestoreError("备份文件就是当前数据库本身，无需恢复。", unusable=True)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RestoreError(f"无法创建数据库所在文件夹：{exc}", unusable=True) from exc

    # Check and later write from a private copy: the backup may be on a USB drive that goes away.
    staging = db_path.parent / f".{db_path.name}.restore-{os.getpid()}.tmp"
    try:
        info = _stage(backup, staging)
        progress("保存当前数据", 0.3)
        saved = _save_current(db_path, folder)
        progress("写入数据库", 0.6)
        _write_into(staging, db_path)
    finally:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
    progress("升级数据库结构", 0.85)
    migrated = info.state == "older"
    _open_and_migrate(db_path, who, backup, saved.path if saved else None)
    progress("完成", 1.0)
    log.info(
        "restored %s over %s (schema %s%s); current data saved as %s",
        backup,
        db_path,
        info.revision,
        ", migrated" if migrated else "",
        saved.path if saved else None,
    )
    return RestoreResult(
        backup=backup,
        database=db_path,
        from_revision=info.revision,
        migrated=migrated,
        saved_current=saved,
        warnings=list(saved.warnings) if saved else [],
    )


def _stage(backup: Path, staging: Path) -> SchemaInfo:
    """Copy the backup to `staging` and check the copy: intact, ours, not from a newer version."""
    try:
        snapshot(backup, staging)
    except sqlite3.DatabaseError as exc:
        raise RestoreError(f"备份文件已损坏，无法读取：{exc}。数据库未作任何更改。") from exc
    except OSError as exc:
        raise RestoreError(f"无法复制备份文件：{exc}", unusable=True) from exc
    problems = integrity_problems(staging)
    if problems:
        raise RestoreError(
            "备份文件已损坏（完整性检查未通过），不能用于恢复。数据库未作任何更改。请选择其他备份。\n"
            + "；".join(problems[:3])
        )
    info = read_schema_info(staging)
    _refuse_schema(info, backup)
    return info


def _save_current(db_path: Path, folder: Path | None) -> BackupResult | None:
    """Save what the database holds now as a 恢复前 backup; refuse the restore when that is impossible."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        return make_backup(db_path, BackupKind.BEFORE_RESTORE, folder=folder, require_intact=False)
    except BackupError as exc:
        raise RestoreError(f"未能先保存当前数据库，为防止数据丢失，恢复已取消。{exc.message_zh}") from exc


def _write_into(staging: Path, db_path: Path) -> None:
    """Write the checked copy into the database file through the backup API.

    Switching the target out of WAL first checkpoints and removes its -wal file, and fails while any other
    connection still has the file open, so a running window cannot be overwritten under its feet.
    """
    target_readable = is_sqlite_file(db_path) or not db_path.exists() or db_path.stat().st_size == 0
    if target_readable:
        try:
            _backup_api_write(staging, db_path)
            return
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise RestoreError(
                    "数据库正被其他程序使用（例如已打开的程序窗口），无法恢复。请关闭后再试。数据库未作更改。"
                ) from exc
            raise RestoreError(f"写入数据库时出错：{exc}") from exc
        except sqlite3.DatabaseError:
            log.warning("current database %s unreadable by SQLite; replacing the file instead", db_path)
    # A damaged current file (already saved above) cannot take the backup API: replace the file itself.
    for sidecar in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{sidecar}").unlink(missing_ok=True)
    replacement = db_path.parent / f".{db_path.name}.replacement.tmp"
    snapshot(staging, replacement)
    os.replace(replacement, db_path)
    fsync_folder(db_path.parent)


def _backup_api_write(staging: Path, db_path: Path) -> None:
    source = sqlite3.connect(staging)
    try:
        target = sqlite3.connect(db_path, timeout=IN_USE_TIMEOUT_S)
        try:
            mode = target.execute("PRAGMA journal_mode=DELETE").fetchone()
            if mode is None or str(mode[0]).lower() != "delete":
                raise sqlite3.OperationalError("database is locked")
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _open_and_migrate(db_path: Path, actor: Actor, backup: Path, saved: Path | None) -> None:
    """Open (migrating an older backup) and record the restore in the restored database's audit trail."""
    from app.audit import record_event
    from app.database import DatabaseOpenError, DatabaseVersionError, open_database
    from db.engine import transaction

    try:
        database = open_database(db_path, create=False, actor=actor)
        try:
            with transaction(database.sessions) as session:
                record_event(
                    session,
                    "恢复备份",
                    "数据库",
                    "",
                    f"用备份“{backup.name}”恢复数据库"
                    + (f"；恢复前的数据已另存为“{saved.name}”" if saved else ""),
                    after={"backup": str(backup), "saved_current": str(saved) if saved else None},
                )
        finally:
            database.close()
    except (DatabaseOpenError, DatabaseVersionError) as exc:
        raise RestoreError(
            f"备份已写入，但打开时出错：{exc.message_zh}。恢复前的数据已保存在备份文件夹中。"
        ) from exc
