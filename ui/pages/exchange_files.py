"""The 数据交换 page's file actions: 导出摇号记录…, 导出数据包…, 导入数据包… (every file verified first, then
imported one by one) and 导入报表（Excel）…, each one's work done in the background behind a progress dialog.

:class:`ExchangeFileActions` is the base of :class:`ui.pages.exchange_page.ExchangePage`, which builds the
widgets and defines the methods declared here."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTabWidget, QWidget

from app.auth.roles import PermissionDenied
from app.exchange import (
    SUFFIX,
    ExchangeError,
    KeyChangedError,
    PackageReport,
    PackageSummary,
    export_package,
    import_package,
    inspect_package,
    received_record_text,
)
from app.registry.departments import list_departments
from app.reports import Period
from app.settings import load_settings
from ui import feedback
from ui.io.recent import last_folder, remember_folder, save_target
from ui.jobs import ProgressFn
from ui.pages import Page
from ui.pages.exchange_received import DrawLine
from ui.widgets.drill_down_dialog import Failed, file_error_text, in_background, safe_file_name
from ui.widgets.exchange_dialogs import (
    DUPLICATE,
    IMPORTED,
    REFUSED,
    DepartmentChoice,
    ExportChoiceDialog,
    ExportDoneDialog,
    ImportDialog,
    ImportResult,
    ask_accept_new_key,
)
from ui.widgets.report_import_dialog import ReportImportDialog

log = logging.getLogger(__name__)

FOLDER = "exchange"  # the last folder used, per purpose (ui/io/recent.py)
REPORT_FOLDER = "report_import"
EXPECTED = (ExchangeError, PermissionDenied)  # failures told to the clerk in the service's words


class ExchangeFileActions(Page):
    """导出 and 导入 of the 数据交换 page; ExchangePage builds the widgets and defines the methods declared here."""

    tabs: QTabWidget
    reported_panel: QWidget

    def selected_draw(self) -> DrawLine | None:
        raise NotImplementedError  # ExchangePage

    def select_package(self, package_id: int) -> bool:
        raise NotImplementedError  # ExchangePage

    def refresh_reported(self) -> None:
        raise NotImplementedError  # ExchangePage

    # --- files ----------------------------------------------------------------------------------------------
    def export_record(self, path: str | Path | None = None) -> Path | None:
        """The selected draw's SJDRAW-1 record, exactly as received, to a .json file."""
        draw = self.selected_draw()
        if draw is None:
            return None
        with self.context.database.sessions() as session:
            text = received_record_text(session, draw.draw_uid)
        if text is None:
            feedback.warn(self, f"本机没有摇号记录 {draw.draw_uid}。", title="导出摇号记录")
            return None
        target = save_target(
            self,
            path,
            title="导出摇号记录",
            suggested=last_folder(FOLDER) / f"{safe_file_name(draw.draw_uid)}.json",
            kind="摇号记录",
            suffix=".json",
        )
        if target is None:
            return None
        try:
            target.write_bytes(text.encode("utf-8"))
        except OSError as exc:
            log.warning("record %s not written to %s: %s", draw.draw_uid, target, exc)
            feedback.error(self, file_error_text(exc, target), title="导出失败")
            return None
        remember_folder(FOLDER, target)
        self.context.status_message.emit(f"摇号记录已导出：{target}（可用摇号核验程序独立核验）")
        return target

    def _department_choices(self) -> list[DepartmentChoice]:
        with self.context.database.sessions() as session:
            own = load_settings(session).own_department.strip()
            return [
                DepartmentChoice(d.id, d.name, bool(own) and d.name == own)
                for d in list_departments(session, include_archived=False)
                if d.id is not None
            ]

    def export_package(
        self, department_id: int | None = None, period: Period | None = None, path: str | Path | None = None
    ) -> ExportDoneDialog | None:
        """导出数据包…: the department and period (asked unless given), where to (asked unless given), written
        behind a progress dialog; then what was written and the key's fingerprint."""
        choices = self._department_choices()
        if department_id is None or period is None:
            dialog = ExportChoiceDialog(choices, period, self)
            if not dialog.exec():
                return None
            department_id, name, period = dialog.values()
        else:
            name = next((c.name for c in choices if c.id == department_id), "")
        target = save_target(
            self,
            path,
            title="保存数据包",
            suggested=last_folder(FOLDER) / (safe_file_name(f"{name}_{period.label}") + SUFFIX),
            kind="数据包",
            suffix=SUFFIX,
        )
        if target is None:
            return None
        database, chosen_id, chosen_period = self.context.database, department_id, period

        def job(progress: ProgressFn) -> PackageSummary:
            with database.sessions() as session:
                return export_package(session, chosen_id, chosen_period, target, progress)

        summary = in_background(self, "正在导出数据包", job, EXPECTED)
        if isinstance(summary, Failed):
            feedback.error(self, getattr(summary.error, "message_zh", str(summary.error)), title="导出失败")
            return None
        remember_folder(FOLDER, target)
        self.context.status_message.emit(f"数据包已导出：{target}")
        done = ExportDoneDialog(summary, self)
        done.setWindowModality(Qt.WindowModality.WindowModal)
        done.open()
        return done

    def import_packages(self, paths: list[str | Path] | None = None) -> ImportDialog | None:
        """导入数据包…: the chosen files verified behind a progress dialog, then the result of each and 导入."""
        if paths is None:
            chosen, _f = QFileDialog.getOpenFileNames(
                self, "选择要导入的数据包", str(last_folder(FOLDER)), f"数据包 (*{SUFFIX});;所有文件 (*)"
            )
            if not chosen:
                return None
            paths = list(chosen)
        files = [Path(p) for p in paths]
        if not files:
            return None

        def job(progress: ProgressFn) -> list[PackageReport]:
            reports = []
            for n, file in enumerate(files):

                def tell(stage: str, fraction: float, n: int = n, file: Path = file) -> None:
                    progress(f"{file.name}：{stage}", (n + fraction) / len(files))

                reports.append(inspect_package(file, tell))
            return reports

        reports = in_background(self, "正在核验数据包", job, ())
        remember_folder(FOLDER, files[0])
        dialog = ImportDialog(reports, self._import_one, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def _import_one(
        self, report: PackageReport, parent: QWidget, accept_new_key: bool = False
    ) -> ImportResult:
        database, path = self.context.database, report.path

        def job(progress: ProgressFn) -> Any:
            with database.sessions() as session:
                return import_package(session, path, accept_new_key=accept_new_key, progress=progress)

        outcome = in_background(parent, "正在导入数据包", job, EXPECTED)
        if isinstance(outcome, Failed):
            error = outcome.error
            if isinstance(error, KeyChangedError) and not accept_new_key:
                sender = report.manifest.sender.department_name if report.manifest else "发送部门"
                if ask_accept_new_key(parent, error, sender):
                    return self._import_one(report, parent, accept_new_key=True)
                return ImportResult(
                    REFUSED, "未接受新密钥，未导入，未写入任何数据。请与发送部门电话核对指纹后再导入。"
                )
            return ImportResult(REFUSED, getattr(error, "message_zh", str(error)))
        self.context.data_changed.emit("received")
        self.refresh()
        self.select_package(outcome.package_id)
        return ImportResult(DUPLICATE if outcome.duplicate else IMPORTED, outcome.message)

    # --- 导入报表（Excel） -----------------------------------------------------------------------------------------
    def import_report(self, path: str | Path | None = None) -> ReportImportDialog | None:
        """导入报表（Excel）…: the chosen xlsx read and checked behind a progress dialog, then what it holds, its
        problems and 导入 in a dialog. A file that cannot be used at all is only told about."""
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(
                self,
                "选择其他部门填报的统计表或计划表",
                str(last_folder(REPORT_FOLDER)),
                "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)",
            )
            if not chosen:
                return None
            path = chosen
        file = Path(path)
        remember_folder(REPORT_FOLDER, file)
        dialog = ReportImportDialog(self.context, file, self)
        if not dialog.check() and not dialog.asking:
            reason = dialog.failure
            dialog.deleteLater()
            feedback.warn(self, reason, title="无法导入报表")
            return None
        dialog.imported.connect(self._report_imported)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def _report_imported(self, summary: Any) -> None:
        self.context.data_changed.emit("plans" if summary.plan_ids else "reported")
        self.refresh_reported()
        if summary.figure_ids:
            self.tabs.setCurrentWidget(self.reported_panel)
