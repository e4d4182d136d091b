"""Backups and restore of the SQLite database (备份与恢复): automatic on exit and daily, by hand, with rotation,
an optional second folder (e.g. a USB drive), and an integrity check at start. No Qt here."""

from app.backup.files import (
    KEEP,
    BackupEntry,
    BackupKind,
    daily_backup_due,
    default_backup_dir,
    list_backups,
    parse_backup_name,
)
from app.backup.make import BackupError, BackupResult, make_backup
from app.backup.restore import RestoreError, RestoreResult, check_backup_file, restore_backup
from app.backup.settings import (
    BackupSettings,
    backup_settings_from_file,
    load_backup_settings,
    save_backup_settings,
)
from app.backup.sqlite_copy import IntegrityReport, SchemaInfo, check_integrity

__all__ = [
    "KEEP",
    "BackupEntry",
    "BackupError",
    "BackupKind",
    "BackupResult",
    "BackupSettings",
    "IntegrityReport",
    "RestoreError",
    "RestoreResult",
    "SchemaInfo",
    "backup_settings_from_file",
    "check_backup_file",
    "check_integrity",
    "daily_backup_due",
    "default_backup_dir",
    "list_backups",
    "load_backup_settings",
    "make_backup",
    "parse_backup_name",
    "restore_backup",
    "save_backup_settings",
]
