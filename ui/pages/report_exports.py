"""导出 of 统计上报: 填报信息, the table shown as Excel or PDF, 全部导出 of the five tables into one folder,
each written behind a progress dialog and noted as 导出 in the audit trail.

:class:`ReportExports` is the base of :class:`ui.pages.reports_page.ReportsPage`, which keeps the figures
the files are written from (declared below)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel

from app.audit import record_event
from app.forms.errors import PrintingError
from app.reports import TABLE_KINDS, Facts, Period, StatTable
from app.reports.measures import ProgressCharts
from app.reports.period import date_text
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.io.recent import last_folder, remember_folder, save_target
from ui.jobs import ProgressFn
from ui.pages import Page
from ui.widgets.department_chooser import CodeChoice
from ui.widgets.drill_down_dialog import Failed, file_error_text, in_background, safe_file_name
from ui.widgets.export_info_dialog import ExportInfo, ExportInfoDialog

__all__ = ["FILE_ERRORS", "ReportExports", "write_file"]

log = logging.getLogger(__name__)

FILE_ERRORS = (PrintingError, OSError)  # a file not written for a reason the clerk can act on


class ReportExports(Page):
    """The page's 导出 actions and the 填报单位/联系人 the clerk typed for each choice of departments."""

    # Kept by the page: the facts counted, the tables and charts built from them, for which departments.
    facts: Facts | None
    tables: dict[str, StatTable]
    charts: ProgressCharts | None
    codes: CodeChoice
    info_label: QLabel

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self._export_info: dict[CodeChoice, tuple[str, str]] = {}  # 填报单位/联系人 the clerk typed

    def current_table(self) -> StatTable | None:
        raise NotImplementedError

    def county_chosen(self) -> bool:
        raise NotImplementedError

    def _show_info(self, table: StatTable) -> None:
        """The line the files print under the title, with what the clerk last typed for these departments."""
        info = self.default_info(table)
        self.info_label.setText(
            f"填报单位（盖章）：{info.unit}　　填报日期：{date_text(info.date)}　　"
            f"联系人：{info.contact or '（导出时填写）'}"
        )

    def default_info(self, table: StatTable) -> ExportInfo:
        unit, contact = self._export_info.get(self.codes, (table.unit, table.contact))
        return ExportInfo(unit, contact, dt.date.today())

    def ask_info(self, table: StatTable) -> ExportInfo | None:
        dialog = ExportInfoDialog(self.default_info(table), self)
        if not dialog.exec():
            return None
        info = dialog.values()
        self._export_info[self.codes] = (info.unit, info.contact)
        self._show_info(table)
        return info

    def file_stem(self, table: StatTable) -> str:
        """《title》 with the period when it is not a whole year, and the department when it is one."""
        stem = table.title
        if table.period != Period.year(table.period.start.year):
            stem += f"（{table.period.label}）"
        if self.codes is not None and len(self.codes) == 1 and self.facts is not None:
            dept = self.facts.department_by_code.get(self.codes[0])
            if dept is not None and dept.name not in stem:
                stem = f"{dept.name}_{stem}"
        return safe_file_name(stem)

    def export_table(
        self, fmt: str, path: str | Path | None = None, info: ExportInfo | None = None
    ) -> Path | None:
        """导出 Excel (``xlsx``) or PDF (``pdf``) of the table shown: 填报信息, where to, then written behind a
        progress dialog; the status bar says where it went."""
        table = self.current_table()
        if table is None:
            return None
        info = info or self.ask_info(table)
        if info is None:
            return None
        what = "Excel 工作簿" if fmt == "xlsx" else "PDF 文件"
        target = save_target(
            self,
            path,
            title=f"导出{what}",
            suggested=last_folder("reports") / f"{self.file_stem(table)}.{fmt}",
            kind=what,
            suffix=f".{fmt}",
        )
        if target is None:
            return None
        charts = self.charts if table.kind == "progress" else None
        written = in_background(
            self, f"正在导出{what}", lambda _p: write_file(table, fmt, target, info, charts), FILE_ERRORS
        )
        if isinstance(written, Failed):
            log.warning("report %s not written to %s: %s", table.kind, target, written.error)
            feedback.error(self, file_error_text(written.error, target), title="导出失败")
            return None
        remember_folder("reports", written)
        self._audit_export([written])
        self.context.status_message.emit(f"统计表已导出：{written}")
        return written

    def export_all(
        self, folder: str | Path | None = None, info: ExportInfo | None = None
    ) -> list[Path] | None:
        """全部导出: the five tables, each as xlsx and PDF, into one folder."""
        tables = [self.tables[k] for k in TABLE_KINDS if k in self.tables]
        if not tables:
            return None
        info = info or self.ask_info(self.tables.get("progress", tables[0]))
        if info is None:
            return None
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "全部导出到文件夹", str(last_folder("reports")))
            if not folder:
                return None
        place = Path(folder)
        if not place.is_dir():
            feedback.error(self, f"文件夹不存在：{place}\n请另选一个文件夹。", title="导出失败")
            return None
        targets = [(t, fmt, place / f"{self.file_stem(t)}.{fmt}") for t in tables for fmt in ("xlsx", "pdf")]
        existing = [p.name for _t, _f, p in targets if p.exists()]
        if existing and not feedback.confirm(
            self, f"文件夹中已有 {len(existing)} 个同名文件，要替换它们吗？", ok_text="替换", title="全部导出"
        ):
            return None
        charts = self.charts

        def job(progress: ProgressFn) -> list[Path] | Failed:
            done = []
            for number, (table, fmt, target) in enumerate(targets):
                progress(target.name, number / len(targets))
                try:
                    done.append(
                        write_file(table, fmt, target, info, charts if table.kind == "progress" else None)
                    )
                except FILE_ERRORS as exc:
                    return Failed(exc.with_traceback(None), target)
            return done

        written = in_background(self, "正在全部导出", job, FILE_ERRORS)
        if isinstance(written, Failed):
            log.warning("report files not written to %s: %s", place, written.error)
            feedback.error(self, file_error_text(written.error, written.path or place), title="导出失败")
            return None
        remember_folder("reports", place)
        self._audit_export(written)
        self.context.status_message.emit(f"已导出 {len(written)} 个文件到：{place}")
        return written

    def _audit_export(self, files: list[Path]) -> None:
        """Each export is an 导出 entry in the audit trail (which tables, period, source and files)."""
        period = self.facts.period.label if self.facts is not None else ""
        source = "全县汇总" if self.county_chosen() else "本机数据"
        names = "、".join(f"“{path.name}”" for path in files)
        with transaction(self.context.database.sessions) as session:
            record_event(session, "导出", "统计表", "", f"导出统计表（{period}，{source}）：{names}")


def write_file(
    table: StatTable, fmt: str, target: Path, info: ExportInfo, charts: ProgressCharts | None
) -> Path:
    """One file; openpyxl / reportlab are imported here, never at start-up."""
    if fmt == "xlsx":
        from app.reports.xlsx import write_table_xlsx  # noqa: PLC0415

        return write_table_xlsx(table, target, unit=info.unit, date=info.date, contact=info.contact)
    from app.reports.pdf import write_table_pdf  # noqa: PLC0415

    return write_table_pdf(table, target, unit=info.unit, date=info.date, contact=info.contact, charts=charts)
