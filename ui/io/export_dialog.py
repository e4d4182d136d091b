"""导出: the current filter result or the whole registry to an xlsx that imports back unchanged.

ID numbers are masked unless the clerk ticks 包含个人信息; the file is written off the GUI thread, and
afterwards the clerk may open the folder it went to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.io import ExportError, ExportSummary, export_registry
from app.registry import query as rq
from app.registry.fields import registry_spec
from ui import feedback
from ui.context import AppContext
from ui.io.recent import last_folder, remember_folder
from ui.io.wording import default_export_name, registry_name
from ui.io.write_errors import write_failure_text
from ui.jobs import ProgressFn, run_with_progress
from ui.widgets.hint import hint_label

log = logging.getLogger(__name__)

PERSONAL_NOTE = (
    "默认只导出打码的号码（如 110105********002X），打码的号码再导入时不会覆盖库中的原号码。"
    "勾选后导出完整号码：文件含个人信息，请妥善保管，不要通过微信、QQ 或电子邮件传送。"
)


class ExportDialog(QDialog):
    """Choose what to export (筛选结果 / 全部), whether to include personal data, and where to."""

    def __init__(
        self, context: AppContext, kind: str, filtered_ids: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.filtered_ids = list(filtered_ids)
        self.summary: ExportSummary | None = None
        spec = registry_spec(kind)
        with context.database.sessions() as session:
            self.total = rq.count(session, rq.VIEWS[kind], rq.RegistryQuery())
        self.setWindowTitle(f"导出{registry_name(kind)}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)

        scope = QGroupBox("导出哪些记录")
        scope_layout = QVBoxLayout(scope)
        self.filtered_radio = QRadioButton(f"当前筛选结果（{len(self.filtered_ids):,} 条）")
        self.all_radio = QRadioButton(f"全部在册记录（{self.total:,} 条，不含已归档）")
        scope_layout.addWidget(self.filtered_radio)
        scope_layout.addWidget(self.all_radio)
        self.filtered_radio.setEnabled(bool(self.filtered_ids))
        (self.filtered_radio if self.filtered_ids else self.all_radio).setChecked(True)
        layout.addWidget(scope)

        personal = [f.label for f in spec.fields if f.personal]
        self.personal_box = QCheckBox(f"包含个人信息（完整的{'、'.join(personal) or '身份证号'}）")
        self.personal_note = hint_label(PERSONAL_NOTE)
        self.personal_box.toggled.connect(self._on_personal)
        privacy = QGroupBox("个人信息")
        privacy_layout = QVBoxLayout(privacy)
        privacy_layout.addWidget(self.personal_box)
        privacy_layout.addWidget(self.personal_note)
        layout.addWidget(privacy)
        privacy.setVisible(bool(personal))

        row = QHBoxLayout()
        prompt = QLabel("保存到(&T)：")
        self.target_edit = QLineEdit(str(last_folder("export") / default_export_name(kind)))
        prompt.setBuddy(self.target_edit)
        self.choose_button = QPushButton("选择(&S)…")
        self.choose_button.clicked.connect(self.choose_target)
        row.addWidget(prompt)
        row.addWidget(self.target_edit, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("导出(&E)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._confirmed_target: Path | None = None  # chosen in the save dialog, which asked about replacing

    # --- choices -------------------------------------------------------------------------------------
    def set_target(self, path: str | Path) -> None:
        """The file to write (tests and the save dialog set it)."""
        self.target_edit.setText(str(path))

    def target(self) -> Path:
        path = Path(self.target_edit.text().strip().strip('"'))
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def choose_target(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "导出到", self.target_edit.text(), "Excel 工作簿 (*.xlsx)"
        )
        if chosen:
            self.set_target(chosen)
            self._confirmed_target = self.target()

    def _on_personal(self, checked: bool) -> None:
        self.personal_note.setProperty("alert", checked)
        self.personal_note.style().unpolish(self.personal_note)
        self.personal_note.style().polish(self.personal_note)

    # --- exporting -----------------------------------------------------------------------------------
    def run_export(self) -> ExportSummary | None:
        """Write the file in the background; on success offer to open its folder and close."""
        target = self.target()
        if not self.target_edit.text().strip():
            feedback.warn(self, "请先选择保存位置。", title="未导出")
            return None
        if not target.parent.is_dir():
            feedback.warn(self, f"文件夹不存在：{target.parent}\n请重新选择保存位置。", title="未导出")
            return None
        if (
            target.exists()
            and target != self._confirmed_target
            and not feedback.confirm(self, f"文件“{target.name}”已存在，要替换它吗？", ok_text="替换")
        ):
            return None
        ids = self.filtered_ids if self.filtered_radio.isChecked() else None
        personal = self.personal_box.isChecked()
        database = self.context.database
        kind = self.kind

        def job(progress: ProgressFn) -> ExportSummary:
            with database.sessions() as session:
                return export_registry(session, kind, target, ids, progress, include_personal=personal)

        try:
            summary: ExportSummary = run_with_progress(self, "正在导出", job)
        except (ExportError, OSError) as exc:
            log.warning("export of %s to %s failed: %s", kind, target, exc)
            feedback.error(self, write_failure_text(exc, target), title="导出失败")
            return None
        self.summary = summary
        remember_folder("export", target)
        log.info(
            "exported %d %s to %s (%s%s)", summary.rows, kind, target, "filtered" if ids is not None else "all",
            ", with personal data" if personal else "",
        )  # fmt: skip
        self.context.status_message.emit(f"已导出 {summary.rows:,} 条：{target}")
        if feedback.confirm(
            self,
            f"已导出 {summary.rows:,} 条{registry_name(kind)}记录到：\n{target}",
            ok_text="打开所在文件夹",
            title="导出完成",
        ):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent)))
        self.accept()
        return summary
