"""导入向导: choose a file, check the column mapping, review what the import would do, then write it.

The wizard owns the state (file, preview, summary) and talks to :mod:`app.io`; its pages only show that
state and call back here. Reading and writing run in a worker thread behind a progress dialog; the
write is one transaction, so an import is all-or-nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard
from sqlalchemy.exc import SQLAlchemyError

from app.io import (
    ImportFileError,
    ImportPreview,
    ImportRefusedError,
    ImportSummary,
    apply_import,
    preview_import,
    write_issue_report,
)
from app.registry.fields import registry_spec
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.io.done_page import DonePage
from ui.io.file_page import FilePage
from ui.io.mapping_page import MappingPage
from ui.io.recent import remember_folder
from ui.io.result_page import ResultPage
from ui.io.samples import column_samples
from ui.io.wording import registry_name, summary_text
from ui.io.write_errors import save_issue_list
from ui.jobs import ProgressFn, run_with_progress

log = logging.getLogger(__name__)

PAGE_FILE, PAGE_MAPPING, PAGE_RESULT, PAGE_DONE = range(4)
FieldMapping = Mapping[str, str | None]  # header label → field name, None = 不导入


class ImportWizard(QWizard):
    """Imports one file into the registry ``kind`` ("entities", "inspectors", "items")."""

    preview_changed = Signal()  # a new preview (or none, after a failed re-check) is available
    imported = Signal(object)  # the ImportSummary, after the import was written and committed

    def __init__(self, context: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.spec = registry_spec(kind)
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.samples: dict[int, list[str]] = {}
        self.first_mapping: dict[str, str | None] = {}  # as first read: automatic or remembered
        self.first_source = "auto"
        self.user_mapping: dict[str, str | None] | None = None  # set once the clerk changes a column
        self.read_error = ""  # why the file (or the mapping) could not be used
        self.summary: ImportSummary | None = None

        self.setWindowTitle(f"导入{registry_name(kind)}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步(&B)")
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步(&N)")
        self.setButtonText(QWizard.WizardButton.CommitButton, "开始导入(&I)")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成(&F)")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.result_page = ResultPage(self)
        self.done_page = DonePage(self)
        self.setPage(PAGE_FILE, self.file_page)
        self.setPage(PAGE_MAPPING, self.mapping_page)
        self.setPage(PAGE_RESULT, self.result_page)
        self.setPage(PAGE_DONE, self.done_page)
        self.setMinimumSize(900, 600)
        self.resize(1060, 680)

    def done(self, result: int) -> None:
        """Closing (完成, 取消, Esc) never leaves a re-check pending behind the closed window."""
        self.mapping_page.cancel_pending()
        super().done(result)

    # --- reading -----------------------------------------------------------------------------------------
    def set_path(self, path: str | Path) -> None:
        """Put ``path`` in the file box, as if the clerk had chosen it (tests use this too)."""
        self.file_page.set_path(Path(path))

    def read_file(self, path: Path) -> bool:
        """Read and check ``path`` from scratch (automatic or remembered mapping). On failure the
        clerk is told why (``message_zh``) and False is returned, so another file can be chosen."""
        try:
            preview, samples = self._run_preview(path, None, "正在读取并检查文件")
        except ImportFileError as exc:
            self.read_error = exc.message_zh
            log.info("import file refused: %s: %s", path, exc.message_zh)
            feedback.warn(self, exc.message_zh, title="无法读取文件")
            return False
        self.path = path
        self.samples = samples
        self.user_mapping = None
        self.first_source = preview.mapping_source
        self.first_mapping = {c.header: c.field for c in preview.columns}
        self.read_error = ""
        remember_folder("import", path)
        self._set_preview(preview)
        return True

    def remap(self, mapping: FieldMapping) -> bool:
        """Check the file again with the clerk's column mapping. A mapping that cannot work (a required
        field with no column) leaves no preview and ``read_error`` saying why; returns success."""
        if self.path is None:
            return False
        self.user_mapping = dict(mapping)
        return self._check_again("正在按新的列对应关系检查")

    def recheck(self) -> bool:
        """Read the same file again (after the clerk fixed it in Excel), keeping the mapping."""
        if self.path is None:
            return False
        ok = self._check_again("正在重新检查文件")
        if not ok:
            feedback.warn(self, self.read_error, title="无法读取文件")
        return ok

    def _check_again(self, title: str) -> bool:
        assert self.path is not None
        try:
            preview, samples = self._run_preview(self.path, self.user_mapping, title)
        except ImportFileError as exc:
            self.read_error = exc.message_zh
            self._set_preview(None)
            return False
        self.read_error = ""
        self.samples = samples or self.samples
        self._set_preview(preview)
        return True

    def _run_preview(
        self, path: Path, mapping: FieldMapping | None, title: str
    ) -> tuple[ImportPreview, dict[int, list[str]]]:
        database = self.context.database
        kind = self.kind

        def job(progress: ProgressFn) -> tuple[ImportPreview, dict[int, list[str]]]:
            with database.sessions() as session:
                preview = preview_import(session, kind, path, mapping, progress=progress)
                session.rollback()  # a preview writes nothing; make sure of it
            return preview, column_samples(path, preview.sheet, preview.header_rows)

        result: tuple[ImportPreview, dict[int, list[str]]] = run_with_progress(self, title, job)
        return result

    def _set_preview(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        if preview is not None:
            counts = preview.counts
            log.info(
                "import preview %s (%s, mapping %s): new %d, updated %d, unchanged %d, errors %d, warnings %d",
                preview.file_name, self.kind, preview.mapping_source, counts.imported, counts.updated,
                counts.unchanged, counts.errors, counts.warnings,
            )  # fmt: skip
        self.preview_changed.emit()

    # --- writing ------------------------------------------------------------------------------------------
    def apply(self) -> bool:
        """Write the previewed import in one transaction; True when committed (or nothing to write)."""
        preview = self.preview
        if preview is None or not preview.can_apply:
            return False
        database = self.context.database

        def job(progress: ProgressFn) -> ImportSummary:
            with transaction(database.sessions) as session:
                summary = apply_import(session, preview, progress=progress)
            if summary.batch_id is not None:
                database.refresh_statistics()
            return summary

        try:
            summary: ImportSummary = run_with_progress(self, "正在导入", job)
        except ImportRefusedError as exc:  # the registry changed meanwhile and the file now has errors
            feedback.warn(self, exc.message_zh, title="未导入")
            return False
        except (SQLAlchemyError, OSError) as exc:
            log.exception("import of %s failed while writing", preview.file_name)
            feedback.error(
                self,
                "写入数据库时出错，本次导入已全部撤销，名录没有任何改动。",
                title="导入失败",
                details=str(exc),
            )
            return False
        self.summary = summary
        log.info(
            "imported %s into %s: %s (batch %s)",
            summary.file_name,
            self.kind,
            summary.as_dict(),
            summary.batch_id,
        )
        self.context.data_changed.emit(self.kind)
        self.context.status_message.emit(summary_text(summary))
        self.imported.emit(summary)
        return True

    # --- the issue report -------------------------------------------------------------------------------
    def export_issue_report(self, path: str | Path | None = None) -> Path | None:
        """Write the preview's errors and warnings to an xlsx (asks where when ``path`` is None)."""
        preview = self.preview
        if preview is None:
            return None
        return save_issue_list(
            self,
            self.context,
            preview.path,
            preview.file_name,
            path,
            lambda target: write_issue_report(preview, target),
        )
