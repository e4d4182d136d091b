"""Backup settings kept in the database's `setting` table: the optional second backup folder (第二备份位置)."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from db.models import Setting

log = logging.getLogger(__name__)

MIRROR_KEY = "backup_mirror_dir"


@dataclass(frozen=True)
class BackupSettings:
    """Where backups go besides the data directory."""

    mirror_dir: str = ""  # e.g. a USB drive "E:\\备份"; "" when there is no second folder

    @property
    def mirror_path(self) -> Path | None:
        return Path(self.mirror_dir).expanduser() if self.mirror_dir.strip() else None


def load_backup_settings(session: Session) -> BackupSettings:
    row = session.get(Setting, MIRROR_KEY)
    value = row.value if row is not None else ""
    return BackupSettings(mirror_dir=value if isinstance(value, str) else "")


def save_backup_settings(session: Session, settings: BackupSettings) -> None:
    """Store the settings (the caller commits)."""
    value = settings.mirror_dir.strip()
    row = session.get(Setting, MIRROR_KEY)
    if row is None:
        session.add(Setting(key=MIRROR_KEY, value=value))
    elif row.value != value:
        row.value = value


def backup_settings_from_file(db_path: Path) -> BackupSettings:
    """The settings read straight from a database file, without opening (and migrating) it.

    For the command line, which backs up a database exactly as it is. Defaults when anything is unreadable.
    """
    from app.backup.sqlite_copy import connect_read_only, is_sqlite_file

    if not is_sqlite_file(db_path):
        return BackupSettings()
    try:
        conn = connect_read_only(db_path)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (MIRROR_KEY,)).fetchone()
        finally:
            conn.close()
        value = json.loads(row[0]) if row and row[0] else ""
    except (sqlite3.Error, ValueError) as exc:
        log.warning("backup settings unreadable in %s: %s", db_path, exc)
        return BackupSettings()
    return BackupSettings(mirror_dir=value if isinstance(value, str) else "")
