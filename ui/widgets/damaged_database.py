"""A database that fails `PRAGMA quick_check` at start (:func:`ui.application.database_intact_at_start`) is not
opened; the clerk is told plainly and offered a restore from one of the backups (the damaged file is saved
first), or to quit.

The start runs the quick check (67 ms on the 100,000-object county instead of 0.6 s for the full
`integrity_check`, which would take a third of the two-second start); it finds damaged pages and records. The
full check, which also compares every index with its table, runs on each day's backup copy, and a failure
there is shown as a dialog (ui/auto_backup.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backup import (
    BackupKind,
    IntegrityReport,
    RestoreError,
    RestoreResult,
    backup_settings_from_file,
    default_backup_dir,
    list_backups,
    restore_backup,
)
from ui import feedback
from ui.jobs import ProgressFn, run_with_progress
from ui.widgets.backup_panel import BACKUP_FILE_FILTER, backup_table
from ui.widgets.hint import hint_label

log = logging.getLogger(__name__)


class DamagedDatabaseDialog(QDialog):
    """Says what is wrong and lists the backups; `chosen` is the backup to restore (None: quit)."""

    def __init__(self, report: IntegrityReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("数据库已损坏")
        self.setMinimumSize(820, 460)
        self.chosen: Path | None = None
        main_folder = default_backup_dir()
        mirror = backup_settings_from_file(report.path).mirror_path
        folders = [main_folder] + ([mirror] if mirror and mirror.is_dir() else [])
        entries = list_backups(folders, report.path.stem)

        text = QLabel(
            "数据库文件未通过完整性检查，可能因断电、磁盘故障或存储设备被拔出而损坏：\n"
            f"{report.path}\n\n"
            "为免损坏扩大，程序不会打开它。请从下面的备份中选择一份恢复（一般选最近的一份）。"
            "恢复前，损坏的文件会先另存一份，供技术人员抢救其中的数据。"
        )
        text.setWordWrap(True)
        details = hint_label("检查结果：" + "；".join(report.problems[:3]))
        self.model, self.table = backup_table(main_folder)
        self.model.set_rows(entries)
        # The newest usable backup; a 恢复前 copy may be the damaged file itself, so it is offered only last.
        usable = ("current", "older")
        if not self.model.select_first(
            self.table, lambda e: e.kind != BackupKind.BEFORE_RESTORE and e.schema.state in usable
        ):
            self.model.select_first(self.table, lambda e: e.schema.state in usable)
        self.table.doubleClicked.connect(lambda _index: self._restore_selected())
        none_found = QLabel(
            "备份文件夹中没有找到这个数据库的备份。可以“从其他文件恢复”，或退出后联系技术支持。"
        )
        none_found.setObjectName("hint")
        none_found.setVisible(not entries)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("恢复所选备份")
        self.restore_button.setDefault(True)
        self.restore_button.setEnabled(bool(entries))
        self.file_button = QPushButton("从其他文件恢复…")
        self.quit_button = QPushButton("退出程序")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore_selected)
        self.file_button.clicked.connect(self._restore_file)
        self.quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(details)
        layout.addWidget(self.table, 1)
        layout.addWidget(none_found)
        layout.addWidget(buttons)

    def _restore_selected(self) -> None:
        entry = self.model.selected_object(self.table)
        if entry is not None:
            self.chosen = entry.path
            self.accept()

    def _restore_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "选择要恢复的备份文件", str(default_backup_dir()), BACKUP_FILE_FILTER
        )
        if chosen:
            self.chosen = Path(chosen)
            self.accept()


def _restore_job(backup: Path, db_path: Path) -> Callable[[ProgressFn], RestoreResult]:
    def job(progress: ProgressFn) -> RestoreResult:
        return restore_backup(backup, db_path, progress=progress)

    return job


def offer_restore(report: IntegrityReport) -> bool:
    """The database failed the check at start: say so and offer the backups. True: one was restored, go on
    and open it; False: the user chose to quit (the damaged file is left as it was)."""
    db_path = report.path
    while True:
        dialog = DamagedDatabaseDialog(report)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            log.warning("damaged database %s left as it is; the user quit", db_path)
            return False
        backup = dialog.chosen
        try:
            result: RestoreResult = run_with_progress(None, "正在恢复备份", _restore_job(backup, db_path))
        except RestoreError as exc:
            feedback.warn(None, exc.message_zh + "\n请选择其他备份。", title="恢复未完成")
            continue
        saved = result.saved_current
        kept = f"\n损坏的文件已另存为：{saved.path}" if saved else ""
        feedback.info(None, f"已从“{backup.name}”恢复数据库，程序将继续启动。{kept}", title="恢复完成")
        return True
