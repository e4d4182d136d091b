"""备份与恢复 (系统设置 tab): where backups go, the second folder, the list of backups, back up now, restore."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.auth.roles import Permission, PermissionDenied
from app.backup import (
    KEEP,
    BackupEntry,
    BackupError,
    BackupKind,
    BackupSettings,
    RestoreError,
    RestoreResult,
    check_backup_file,
    default_backup_dir,
    list_backups,
    load_backup_settings,
    make_backup,
    restore_backup,
    save_backup_settings,
)
from db.engine import transaction
from ui import feedback
from ui.auto_backup import AutoBackup, backup_outcome_text
from ui.context import AppContext
from ui.jobs import run_with_progress
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.restart import restart_when_this_process_ends
from ui.widgets.hint import hint_label

log = logging.getLogger(__name__)

BACKUP_FILE_FILTER = "数据库备份 (*.db *.sqlite *.sqlite3);;所有文件 (*)"


def backup_columns(main_folder: Path) -> list[Column[BackupEntry]]:
    """The backup list's columns; 位置 tells the data directory's folder from the second folder."""
    return [
        Column("备份时间", lambda e: e.made_at.strftime("%Y-%m-%d %H:%M:%S")),
        Column("类型", lambda e: e.kind_label),
        Column("位置", lambda e: "本机备份文件夹" if e.path.parent == main_folder else "第二备份位置"),
        Column("大小", lambda e: f"{e.size / 1_048_576:.1f} MB", align_right=True),
        Column("数据库版本", lambda e: e.schema.label),
        Column("文件名", lambda e: e.path.name),
    ]


def backup_table(main_folder: Path) -> tuple[ListTableModel[BackupEntry], QTableView]:
    model: ListTableModel[BackupEntry] = ListTableModel(backup_columns(main_folder))
    view = list_table_view(model, stretch_column=5, single=True)
    return model, view


def _keep_text() -> str:
    return (
        f"自动备份：每天第一次使用时和每次退出程序时各备份一份。自动保留最近 {KEEP[BackupKind.EXIT]} 份退出备份、"
        f"{KEEP[BackupKind.DAILY]} 份每日备份、{KEEP[BackupKind.BEFORE_RESTORE]} 份恢复前备份；手动备份不会自动删除。"
    )


def restart_program() -> None:
    """Close the program and start it again on the restored database."""
    restart_when_this_process_ends()
    QApplication.closeAllWindows()
    QApplication.quit()


class BackupPanel(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.main_folder = default_backup_dir()
        # What happens after a successful restore; tests replace it so the test run is not restarted.
        self.after_restore: Callable[[], None] = restart_program
        self.last_restore: RestoreResult | None = None

        self.folder_label = QLabel(str(self.main_folder))
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton("打开备份文件夹")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)

        self.mirror_edit = QLineEdit()
        self.mirror_edit.setReadOnly(True)
        self.mirror_edit.setPlaceholderText("未设置（可选，如 U 盘或另一块硬盘上的文件夹）")
        self.choose_mirror_button = QPushButton("选择…")
        self.clear_mirror_button = QPushButton("清除")
        mirror_row = QHBoxLayout()
        mirror_row.addWidget(self.mirror_edit, 1)
        mirror_row.addWidget(self.choose_mirror_button)
        mirror_row.addWidget(self.clear_mirror_button)

        form = QFormLayout()
        form.addRow("备份文件夹：", folder_row)
        form.addRow("第二备份位置：", mirror_row)
        hint = hint_label(
            _keep_text() + "第二备份位置不可用时（如 U 盘未插入）只作提示，备份照常保存在本机。"
        )

        self.backup_button = QPushButton("立即备份")
        self.backup_button.setDefault(True)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_file_button = QPushButton("从其他文件恢复…")
        self.refresh_button = QPushButton("刷新列表")
        buttons = QHBoxLayout()
        for button in (
            self.backup_button,
            self.restore_button,
            self.restore_file_button,
            self.refresh_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.model, self.table = backup_table(self.main_folder)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.status = hint_label()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.open_folder_button.clicked.connect(self.open_folder)
        self.choose_mirror_button.clicked.connect(self.choose_mirror)
        self.clear_mirror_button.clicked.connect(lambda: self.set_mirror(""))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.refresh_button.clicked.connect(self.refresh)
        self._update_buttons()

    # --- showing ---------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # lazily: the list opens each backup file, so only when the tab is looked at

    def settings(self) -> BackupSettings:
        with self.context.database.sessions() as session:
            return load_backup_settings(session)

    def refresh(self) -> None:
        mirror = self.settings().mirror_path
        self.mirror_edit.setText(str(mirror) if mirror else "")
        self.clear_mirror_button.setEnabled(mirror is not None)
        db_path = self.context.database.path
        folders = [self.main_folder] + ([mirror] if mirror and mirror != self.main_folder else [])
        self.model.set_rows(list_backups(folders, db_path.stem if db_path else None))
        if mirror is not None and not mirror.is_dir():
            self.status.setText(f"第二备份位置当前不可用：{mirror}")
        self._update_buttons()

    def selected(self) -> BackupEntry | None:
        return self.model.selected_object(self.table)

    def _update_buttons(self) -> None:
        file_database = self.context.database.path is not None
        self.backup_button.setEnabled(file_database)
        self.restore_button.setEnabled(file_database and self.selected() is not None)
        self.restore_file_button.setEnabled(file_database)

    # --- folders ---------------------------------------------------------------------------------------------

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.main_folder)))

    def choose_mirror(self) -> None:
        start = self.mirror_edit.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "选择第二备份位置", start)
        if chosen:
            self.set_mirror(chosen)

    def set_mirror(self, folder: str) -> None:
        """Store the second backup folder ("" for none) in the database settings."""
        with transaction(self.context.database.sessions) as session:
            save_backup_settings(session, BackupSettings(mirror_dir=folder))
        log.info("second backup folder set to %r", folder)
        self.context.status_message.emit(
            f"第二备份位置已设为：{folder}" if folder else "已清除第二备份位置。"
        )
        self.refresh()

    # --- backing up ------------------------------------------------------------------------------------------

    def backup_now(self) -> Path | None:
        """立即备份: a 手动 backup behind a progress dialog. Returns the new file."""
        db_path = self.context.database.path
        if db_path is None:
            return None
        mirror = self.settings().mirror_path
        try:
            result = run_with_progress(
                self, "正在备份", lambda _progress: make_backup(db_path, BackupKind.MANUAL, mirror=mirror)
            )
        except BackupError as exc:
            feedback.error(self, exc.message_zh, title="备份失败")
            return None
        text = backup_outcome_text(result)
        self.status.setText(f"{text}（{result.size / 1_048_576:.1f} MB，已通过完整性检查）")
        self.context.status_message.emit(text)
        self.refresh()
        self.model.select_first(self.table, lambda e: e.path == result.path)
        if result.warnings:
            feedback.warn(self, "\n".join(result.warnings), title="备份已完成，但有提示")
        return Path(result.path)

    # --- restoring -------------------------------------------------------------------------------------------

    def restore_selected(self) -> bool:
        entry = self.selected()
        return entry is not None and self.restore_from(entry.path)

    def restore_from_file(self) -> bool:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "选择要恢复的备份文件", str(self.main_folder), BACKUP_FILE_FILTER
        )
        return bool(chosen) and self.restore_from(Path(chosen))

    def restore_from(self, backup: Path) -> bool:
        """The one place the GUI restores a backup over the open database (after the user confirms).

        On success the program restarts on the restored data. Returns True when restored.
        """
        db_path = self.context.database.path
        if db_path is None:
            return False
        actor = self.context.database.actor
        if not actor.can(Permission.RESTORE):
            feedback.warn(
                self, PermissionDenied(actor, Permission.RESTORE, "恢复备份").message_zh, title="没有权限"
            )
            return False
        try:
            info = check_backup_file(backup)
        except RestoreError as exc:
            feedback.warn(self, exc.message_zh, title="不能用该文件恢复")
            return False
        upgrade = "该备份来自较旧版本的程序，恢复后会自动升级数据库结构。\n" if info.state == "older" else ""
        question = (
            f"将用备份“{backup.name}”替换当前数据库中的全部数据。\n\n"
            "恢复前，当前数据会先自动另存为一份“恢复前自动保存”备份，需要时可以再恢复回来，不会丢失。\n"
            f"{upgrade}恢复完成后程序将自动重新启动。\n\n确定要恢复吗？"
        )
        if not feedback.confirm(self, question, ok_text="恢复", title="恢复备份"):
            return False
        auto = self.window().findChild(AutoBackup)  # the main window's automatic backups
        if auto is not None:
            auto.suspend()
        self.context.database.close()  # every pooled connection; the restore needs the file to itself
        try:
            result: RestoreResult = run_with_progress(
                self,
                "正在恢复备份",
                lambda progress: restore_backup(backup, db_path, progress=progress, actor=actor),
            )
        except RestoreError as exc:
            # Nothing changed: the engine reconnects on its next use and work goes on with the current data.
            if auto is not None:
                auto.resume()
            feedback.warn(self, exc.message_zh, title="恢复未完成")
            self.refresh()
            return False
        self.last_restore = result
        saved = result.saved_current
        lines = [f"已从“{backup.name}”恢复数据库。"]
        if saved is not None:
            lines.append(f"恢复前的数据已保存为：{saved.path.name}")
        if result.migrated:
            lines.append("数据库结构已升级到当前版本。")
        lines.extend(result.warnings)
        lines.append("程序将重新启动，以使用恢复后的数据。")
        feedback.info(self, "\n".join(lines), title="恢复完成")
        self.after_restore()
        return True
