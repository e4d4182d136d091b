"""Automatic backups while the window is open: daily (soon after start when due, then checked hourly) in the
background, and one on exit. A failed automatic backup is logged and shown in the status bar; it never stops
the program or its exit."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from app.backup import (
    BackupError,
    BackupKind,
    BackupResult,
    daily_backup_due,
    default_backup_dir,
    make_backup,
)
from app.backup.settings import load_backup_settings
from ui import feedback
from ui.context import AppContext

log = logging.getLogger(__name__)

FIRST_DAILY_CHECK_MS = 5_000  # after start, so the copy does not compete with the first screen
DAILY_CHECK_INTERVAL_MS = 60 * 60 * 1000


def backup_outcome_text(result: BackupResult) -> str:
    """One line for the status bar about a finished backup."""
    text = f"已完成{result.kind.label}：{result.path.name}"
    if result.warnings:
        text += "。注意：" + "；".join(result.warnings)
    return text


@dataclass(frozen=True)
class _Damaged:
    """The daily backup found the database itself damaged (the copy failed the full integrity check)."""

    text: str


class AutoBackup(QObject):
    """Owned by the main window, so it ends with it (the 备份与恢复 panel finds it there to pause it)."""

    finished = Signal(object)  # a BackupResult, or the Chinese text of a failure; emitted from the worker

    def __init__(self, context: AppContext, parent: QObject) -> None:
        super().__init__(parent)
        self.context = context
        self.enabled = context.database.path is not None  # a server database is backed up by its own tools
        self._thread: threading.Thread | None = None
        self._exit_done = False  # after the exit backup nothing more is started or shown
        self.finished.connect(self._report, Qt.ConnectionType.QueuedConnection)
        self.timer = QTimer(self)
        self.timer.setInterval(DAILY_CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.backup_daily_if_due)
        self.first_check = QTimer(self)
        self.first_check.setSingleShot(True)
        self.first_check.setInterval(FIRST_DAILY_CHECK_MS)
        self.first_check.timeout.connect(self.backup_daily_if_due)
        if self.enabled:
            self.timer.start()
            self.first_check.start()

    def _mirror(self) -> Path | None:
        try:
            with self.context.database.sessions() as session:
                return load_backup_settings(session).mirror_path
        except Exception as exc:  # unreadable settings must not cost the backup itself
            log.warning("backup settings unreadable: %s", exc)
            return None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @Slot()
    def backup_daily_if_due(self) -> bool:
        """Start the 每日 backup in the background when none is younger than 24 hours. True if started."""
        db_path = self.context.database.path
        if not self.enabled or self._exit_done or db_path is None or self.busy:
            return False
        if not daily_backup_due(default_backup_dir(), db_path.stem):
            return False
        mirror = self._mirror()
        self._thread = threading.Thread(
            target=self._run, args=(db_path, BackupKind.DAILY, mirror), name="daily-backup", daemon=True
        )
        self._thread.start()
        return True

    def _run(self, db_path: Path, kind: BackupKind, mirror: Path | None) -> None:
        try:
            result: object = make_backup(db_path, kind, mirror=mirror)
        except BackupError as exc:
            result = _Damaged(exc.message_zh) if exc.damaged else f"{kind.label}失败：{exc.message_zh}"
        except Exception as exc:  # the background must never take the program down
            log.exception("automatic backup failed")
            result = f"{kind.label}失败：{exc}"
        try:
            self.finished.emit(result)
        except RuntimeError:  # the window (and this object) went away meanwhile; the log has it
            log.info("automatic backup finished after the window closed: %s", result)

    @Slot(object)
    def _report(self, outcome: object) -> None:
        if isinstance(outcome, _Damaged) and not self._exit_done:
            log.error("integrity check of the backup copy failed: %s", outcome.text)
            parent = self.parent()
            feedback.warn(
                parent if isinstance(parent, QWidget) else None,
                f"{outcome.text}\n\n可在“系统设置 → 备份与恢复”中从较早的备份恢复。",
                title="数据库可能已损坏",
            )
            return
        if isinstance(outcome, BackupResult):
            text = backup_outcome_text(outcome)
            log.info("%s", text)
        else:
            text = str(outcome)
            log.error("%s", text)
        if not self._exit_done:  # after exit there is no status bar left to show it
            self.context.status_message.emit(text)

    def wait(self) -> None:
        """Let a background backup finish (before exit or a restore)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def suspend(self) -> None:
        """No more automatic backups in this run (a restore is replacing the database)."""
        self.enabled = False
        self.timer.stop()
        self.first_check.stop()
        self.wait()

    def resume(self) -> None:
        """Automatic backups again (a restore was refused and the database is unchanged)."""
        self.enabled = self.context.database.path is not None
        if self.enabled:
            self.timer.start()

    def backup_on_exit(self) -> BackupResult | None:
        """The 退出时 backup, made once while the window closes. Never raises."""
        self.timer.stop()
        self.first_check.stop()
        self.wait()
        db_path = self.context.database.path
        if not self.enabled or self._exit_done or db_path is None:
            self._exit_done = True
            return None
        outcome: BackupResult | str
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            outcome = make_backup(db_path, BackupKind.EXIT, mirror=self._mirror())
        except BackupError as exc:
            outcome = f"{BackupKind.EXIT.label}失败：{exc.message_zh}"
        except Exception:
            log.exception("backup on exit failed")
            outcome = f"{BackupKind.EXIT.label}失败，详见日志。"
        finally:
            QApplication.restoreOverrideCursor()
        self._report(outcome)  # the window is still there to show it
        self._exit_done = True
        return outcome if isinstance(outcome, BackupResult) else None
