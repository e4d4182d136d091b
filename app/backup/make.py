"""Making a backup: a consistent, checked copy in the backup folder, a mirror copy, rotation of old ones."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.backup.files import BackupKind, default_backup_dir, free_backup_path, rotate
from app.backup.sqlite_copy import fsync_file, fsync_folder, integrity_problems, is_sqlite_file, snapshot
from app.errors import UserFacingError

log = logging.getLogger(__name__)


class BackupError(UserFacingError):
    """No backup was made; message_zh says why, for the user."""

    def __init__(self, message_zh: str, *, unusable_source: bool = False, damaged: bool = False) -> None:
        super().__init__(message_zh)
        self.unusable_source = unusable_source  # the database itself is missing or not a file (CLI exit 2)
        # The copy failed `PRAGMA integrity_check`: the database itself is damaged. The start only runs the
        # quick check, so the daily backup is where index damage is found, and the GUI says so in a dialog.
        self.damaged = damaged


@dataclass(frozen=True)
class BackupResult:
    path: Path  # the backup in the backup folder
    kind: BackupKind
    size: int
    seconds: float
    mirror_path: Path | None = None  # the copy in the second folder, when it was written
    warnings: list[str] = field(default_factory=list)  # e.g. the second folder was unavailable
    deleted: list[Path] = field(default_factory=list)  # old backups removed by rotation


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def _raw_copy(source: Path, target: Path) -> None:
    """Byte copy of a file SQLite cannot read, with its WAL beside it: kept only so nothing is thrown away."""
    shutil.copyfile(source, target)
    fsync_file(target)
    wal = Path(f"{source}-wal")
    if wal.exists():
        shutil.copyfile(wal, f"{target}-wal")


def make_backup(
    db_path: Path,
    kind: BackupKind,
    *,
    folder: Path | None = None,
    mirror: Path | None = None,
    now: dt.datetime | None = None,
    require_intact: bool = True,
) -> BackupResult:
    """Back up the database file `db_path` (it may be open and in use) into `folder` (default: the data
    directory's backups folder) and, when given, also into `mirror`.

    The copy is taken with SQLite's online backup API into a temporary file, fsynced, checked with
    `PRAGMA integrity_check`, then renamed to its final name. A mirror that is missing or fails only adds a
    warning. With require_intact False (the copy saved before a restore) a damaged database is kept anyway.
    Raises BackupError when no backup could be made.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"数据库文件不存在：{db_path}", unusable_source=True)
    sqlite = is_sqlite_file(db_path)
    if not sqlite and require_intact:
        raise BackupError(f"该文件不是 SQLite 数据库，无法备份：{db_path}", unusable_source=True)
    folder = Path(folder) if folder is not None else default_backup_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份文件夹 {folder}：{exc}") from exc
    now = now or dt.datetime.now()
    final = free_backup_path(folder, db_path.stem, kind, now)
    staging = folder / f".{final.name}.tmp"
    warnings: list[str] = []
    try:
        try:
            if not sqlite:
                raise sqlite3.DatabaseError("not a database")
            snapshot(db_path, staging)
            problems = integrity_problems(staging)
        except sqlite3.DatabaseError as exc:
            if require_intact:
                raise BackupError(f"备份时出错，未能备份：{exc}") from exc
            staging.unlink(missing_ok=True)
            _raw_copy(db_path, staging)
            problems = [str(exc)]
        if problems:
            if require_intact:
                raise BackupError(
                    "备份副本未通过完整性检查，当前数据库可能已损坏。请勿继续录入，并联系技术支持。\n"
                    + "；".join(problems[:3]),
                    damaged=True,
                )
            warnings.append("当前数据库未通过完整性检查；其副本仍已保存，以便技术人员抢救数据。")
        os.replace(staging, final)
        if Path(f"{staging}-wal").exists():
            os.replace(f"{staging}-wal", f"{final}-wal")
        fsync_folder(folder)
    except OSError as exc:
        raise BackupError(f"无法写入备份文件夹 {folder}：{exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
            Path(f"{staging}-wal").unlink(missing_ok=True)
    deleted = rotate(folder, db_path.stem, kind)
    size = final.stat().st_size
    log.info("backup %s of %s written to %s (%s)", kind.value, db_path, final, _mb(size))

    mirror_path: Path | None = None
    if mirror is not None:
        mirror_path, mirror_warning = _copy_to_mirror(final, Path(mirror), db_path.stem, kind)
        if mirror_warning:
            warnings.append(mirror_warning)
            log.warning("backup mirror: %s", mirror_warning)
    return BackupResult(
        path=final,
        kind=kind,
        size=size,
        seconds=time.perf_counter() - started,
        mirror_path=mirror_path,
        warnings=warnings,
        deleted=deleted,
    )


def _copy_to_mirror(backup: Path, mirror: Path, db_stem: str, kind: BackupKind) -> tuple[Path | None, str]:
    """Copy a finished backup into the second folder. Returns (copy, "") or (None, a warning)."""
    if not mirror.is_dir():
        return None, f"第二备份位置不可用（{mirror}），本次备份只保存在：{backup.parent}"
    target = mirror / backup.name
    staging = mirror / f".{backup.name}.tmp"
    try:
        shutil.copyfile(backup, staging)
        fsync_file(staging)
        os.replace(staging, target)
        fsync_folder(mirror)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the drive may have gone away
            staging.unlink(missing_ok=True)
        return None, f"未能复制到第二备份位置（{mirror}）：{exc}。本次备份已保存在：{backup.parent}"
    rotate(mirror, db_stem, kind)
    return target, ""
