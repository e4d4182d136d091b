"""What a 报表导入 preview holds, and what applying it wrote: :class:`ReportedLine` (one department's accepted
row), :class:`SheetRead` (one statistics sheet, read and checked), :class:`PlanPart` (one department's part of a
plan table), :class:`ReportImportPreview` (everything an import would write) and :class:`ReportImportSummary`.
Plain values; :mod:`app.reports.importer` fills and applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.io.preview import ImportCounts
from app.io.rows import RowIssue
from app.reports.import_values import Info
from app.reports.period import Period

__all__ = ["PlanPart", "ReportImportPreview", "ReportImportSummary", "ReportedLine", "SheetRead"]


@dataclass(frozen=True)
class ReportedLine:
    """One department's accepted row: what will be stored."""

    row: int
    department_code: str  # "" = a department not in this database's list
    department_name: str
    figures: dict[str, Any]

    @property
    def new_department(self) -> bool:
        return not self.department_code


@dataclass
class SheetRead:
    """One statistics sheet of the file, read and checked."""

    sheet: str
    kind: str
    period: Period
    info: Info
    header_rows: tuple[int, ...]  # 1-based
    mapping: dict[str, str]  # header label → column
    lines: list[ReportedLine] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    totals_row: int | None = None
    skipped: int = 0  # totals, notes, footers

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")


@dataclass(frozen=True)
class PlanPart:
    """One department's part of a plan table: its rows as :func:`app.plans.importer.read_plan_table` read them."""

    department_id: int
    department_name: str
    preview: Any  # app.plans.importer.PlanImportPreview


@dataclass
class ReportImportPreview:
    """Everything an import would write; nothing has been written. Pass it to :func:`apply_report_import`."""

    path: Path
    file_name: str
    file_sha256: str
    file_size: int
    kind: str  # progress / non_market / statistics (both) / plan
    sheets: list[SheetRead] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why)
    plan_year: int | None = None
    plan_parts: list[PlanPart] = field(default_factory=list)
    plan_issues: list[RowIssue] = field(default_factory=list)
    duplicate: str = ""  # the sentence saying when the same file was imported, "" when new
    replacing: int = 0  # rows that will supersede figures imported before (counted as updated)
    kept_old: int = 0  # rows older (填报日期) than the figures already current: stored superseded (skipped)

    @property
    def issues(self) -> list[tuple[str, RowIssue]]:
        """(sheet, issue) of every problem, errors first within a row."""
        out = [(s.sheet, i) for s in self.sheets for i in s.issues]
        out += [("", i) for i in self.plan_issues]
        return out

    @property
    def errors(self) -> int:
        return sum(1 for _s, i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    @property
    def can_apply(self) -> bool:
        return self.errors == 0 and not self.duplicate and bool(self.lines or self.plan_parts)

    @property
    def lines(self) -> list[tuple[SheetRead, ReportedLine]]:
        return [(s, line) for s in self.sheets for line in s.lines]

    @property
    def plan_rows(self) -> int:
        return sum(len(p.preview.rows) for p in self.plan_parts)

    @property
    def counts(self) -> ImportCounts:
        """What would be written (a refused or duplicate file writes nothing: imported 0)."""
        skipped = sum(s.skipped for s in self.sheets)
        if self.duplicate:
            return ImportCounts(0, 0, skipped + len(self.lines) + self.plan_rows, self.warnings, self.errors)
        new = len(self.lines) - self.replacing - self.kept_old + self.plan_rows
        return ImportCounts(new, self.replacing, skipped + self.kept_old, self.warnings, self.errors)

    def messages(self, limit: int | None = None) -> list[str]:
        """The problems as the clerk reads them: ``[错误] 第6行 已检查数（12）大于抽取数（10）`` (the sheet is
        named when the file has several)."""
        several = len(self.sheets) > 1
        out = []
        for sheet, issue in self.issues:
            where = f"工作表“{sheet}”" if several and sheet else ""
            out.append(f"[{issue.severity_zh}] {where}{issue.message}")
        return out if limit is None else out[:limit]


@dataclass(frozen=True)
class ReportImportSummary:
    """What :func:`apply_report_import` wrote."""

    file_name: str
    counts: ImportCounts
    figure_ids: tuple[int, ...] = ()
    superseded: int = 0  # earlier figures this file replaced as current
    stored_superseded: int = 0  # rows of this file kept already superseded (an older 填报日期)
    plan_ids: tuple[int, ...] = ()
    message: str = ""
