"""Backup files on disk: their names, the folders they live in, listing and rotation.

A backup is named `<数据库名>-YYYYMMDD-HHMMSS-<kind>.db` (local time), e.g. `shuangsuiji-20261122-153000-daily.db`,
so a clerk browsing the folder sees at once when and why each copy was made.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.backup.sqlite_copy import SchemaInfo, read_schema_info
from app.paths import data_dir

log = logging.getLogger(__name__)

BACKUP_SUFFIX = ".db"
_STAMP_FORMAT = "%Y%m%d-%H%M%S"


class BackupKind(StrEnum):
    """Why a backup was made; the value is the ASCII tag in the file name."""

    MANUAL = "manual"
    EXIT = "exit"
    DAILY = "daily"
    BEFORE_RESTORE = "before-restore"

    @property
    def label(self) -> str:
        """The Chinese name shown to the clerk."""
        return _LABELS[self]


_LABELS = {
    BackupKind.MANUAL: "手动备份",
    BackupKind.EXIT: "退出时自动备份",
    BackupKind.DAILY: "每日自动备份",
    BackupKind.BEFORE_RESTORE: "恢复前自动保存",
}

# How many of each kind rotation keeps per database; None = never deleted automatically.
KEEP: dict[BackupKind, int | None] = {
    BackupKind.MANUAL: None,
    BackupKind.EXIT: 10,
    BackupKind.DAILY: 14,
    BackupKind.BEFORE_RESTORE: 5,
}

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>"
    + "|".join(re.escape(k.value) for k in BackupKind)
    + r")(?:-(?P<seq>\d+))?\.db$"
)


def default_backup_dir() -> Path:
    """The backup folder in the user's data directory (created on demand)."""
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_name(db_stem: str, kind: BackupKind, when: dt.datetime, seq: int = 0) -> str:
    """The file name of a backup; seq > 0 separates two backups of one kind within the same second."""
    extra = f"-{seq}" if seq else ""
    return f"{db_stem}-{when.strftime(_STAMP_FORMAT)}-{kind.value}{extra}{BACKUP_SUFFIX}"


def free_backup_path(folder: Path, db_stem: str, kind: BackupKind, when: dt.datetime) -> Path:
    """A name in `folder` that no file has yet."""
    seq = 0
    while True:
        candidate = folder / backup_name(db_stem, kind, when, seq)
        if not candidate.exists():
            return candidate
        seq += 1


@dataclass(frozen=True)
class ParsedName:
    db_stem: str
    made_at: dt.datetime
    kind: BackupKind


def parse_backup_name(name: str) -> ParsedName | None:
    """The parts of one of our backup names, or None for any other file name."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        made_at = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT)
    except ValueError:
        return None
    return ParsedName(match["stem"], made_at, BackupKind(match["kind"]))


@dataclass(frozen=True)
class BackupEntry:
    """One file in a backup folder, as the backup list shows it."""

    path: Path
    made_at: dt.datetime  # from the name; the file's modification time for files named otherwise
    kind: BackupKind | None  # None: a database file not made by the backup function
    db_stem: str
    size: int
    schema: SchemaInfo

    @property
    def kind_label(self) -> str:
        return self.kind.label if self.kind else "其他文件"


def backup_files(folder: Path, db_stem: str | None = None) -> list[tuple[Path, ParsedName]]:
    """Our backup files in a folder (of one database when db_stem is given), newest first. No file is opened."""
    found: list[tuple[Path, ParsedName]] = []
    try:
        children = list(folder.iterdir())
    except OSError:
        return []
    for path in children:
        parsed = parse_backup_name(path.name)
        if parsed is None or not path.is_file():
            continue
        if db_stem is not None and parsed.db_stem != db_stem:
            continue
        found.append((path, parsed))
    found.sort(key=lambda item: (item[1].made_at, item[0].name), reverse=True)
    return found


def list_backups(folders: list[Path], db_stem: str | None = None) -> list[BackupEntry]:
    """Every database file in the folders (ours by name, or any other *.db), newest first, with its schema.

    Temporary files of a backup in progress (names starting with a dot) are left out.
    """
    entries: list[BackupEntry] = []
    for folder in folders:
        try:
            children = sorted(folder.iterdir())
        except OSError:
            continue
        for path in children:
            if path.name.startswith(".") or path.suffix.lower() not in (".db", ".sqlite", ".sqlite3"):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if not path.is_file():
                continue
            parsed = parse_backup_name(path.name)
            if parsed is not None and db_stem is not None and parsed.db_stem != db_stem:
                continue
            entries.append(
                BackupEntry(
                    path=path,
                    made_at=parsed.made_at if parsed else dt.datetime.fromtimestamp(stat.st_mtime),
                    kind=parsed.kind if parsed else None,
                    db_stem=parsed.db_stem if parsed else path.stem,
                    size=stat.st_size,
                    schema=read_schema_info(path),
                )
            )
    entries.sort(key=lambda e: (e.made_at, e.path.name), reverse=True)
    return entries


def rotate(folder: Path, db_stem: str, kind: BackupKind) -> list[Path]:
    """Delete the oldest backups of that kind beyond what KEEP allows. Returns the deleted files."""
    keep = KEEP[kind]
    if keep is None:
        return []
    same_kind = [path for path, parsed in backup_files(folder, db_stem) if parsed.kind == kind]
    deleted: list[Path] = []
    for path in same_kind[keep:]:
        try:
            path.unlink()
            deleted.append(path)
        except OSError as exc:  # a locked or read-only old copy is harmless; try again next time
            log.warning("could not delete old backup %s: %s", path, exc)
    return deleted


def newest_backup(folder: Path, db_stem: str, kind: BackupKind) -> ParsedName | None:
    for _path, parsed in backup_files(folder, db_stem):
        if parsed.kind == kind:
            return parsed
    return None


def daily_backup_due(folder: Path, db_stem: str, now: dt.datetime | None = None) -> bool:
    """True when this database has no 每日 backup in the folder younger than 24 hours."""
    newest = newest_backup(folder, db_stem, BackupKind.DAILY)
    if newest is None:
        return True
    now = now or dt.datetime.now()
    return now - newest.made_at >= dt.timedelta(hours=24) or newest.made_at > now + dt.timedelta(hours=1)
