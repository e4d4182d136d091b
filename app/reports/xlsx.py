"""A :class:`~app.reports.model.StatTable` as a formatted xlsx, the way tables go upward on a USB stick.

Layout: the title (merged, bold, large), the 统计期间 line, a line with 填报单位（盖章）/ 填报日期 / 联系人, the
header rows with their merges, the body and the bold 合计 row — every cell of the table ruled — then the
填表说明. Numbers are numbers (rates as fractions formatted ``0.0%``); A4 landscape, one page wide
(fitToHeight 0), the header rows repeated on every printed page and frozen on screen.

    write_table_xlsx(table, "进展情况统计表.xlsx", unit="示范县司法局", date=dt.date.today(), contact="王芳")

This module imports openpyxl; import it only where a file is written (not at start-up).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.forms.xlsx_print import GRID_BORDER as BORDER
from app.forms.xlsx_print import HEADER_FILL, a4_landscape_one_page_wide, save_workbook_atomically
from app.forms.xlsx_print import XLSX_FONT as FONT
from app.reports.model import Cell, StatTable
from app.reports.period import date_text

__all__ = ["FIRST_HEADER_ROW", "info_line", "write_table_xlsx", "write_tables_xlsx"]

FIRST_HEADER_ROW = 4  # title, 统计期间, 填报单位 line above
RATE_FORMAT = "0.0%"
TOTALS_FILL = PatternFill("solid", fgColor="F2F2F2")


def info_line(
    table: StatTable, unit: str | None, date: dt.date | None, contact: str | None
) -> tuple[str, str, str]:
    """The three parts of the line under the title (defaults: the table's unit and contact, today)."""
    return (
        f"填报单位（盖章）：{table.unit if unit is None else unit}",
        f"填报日期：{date_text(date or dt.date.today())}",
        f"联系人：{table.contact if contact is None else contact}",
    )


def _lines_needed(text: str, width_chars: float) -> int:
    """Rough number of wrapped lines: a Chinese character is about two width units."""
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return max(1, math.ceil(units / max(width_chars * 1.0, 1.0)))


def _merge(sheet: Worksheet, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> None:
    if rowspan > 1 or colspan > 1:
        sheet.merge_cells(
            start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1
        )


def _write_cell(sheet: Worksheet, row: int, col: int, cell: Cell, align: str, font: Font) -> None:
    target = sheet.cell(row=row, column=col)
    if cell.is_rate:
        if cell.value is None:
            target.value = "—"
        else:
            target.value = float(cell.value)
            target.number_format = RATE_FORMAT
        horizontal = "center"
    elif isinstance(cell.value, int | float):
        target.value = cell.value
        horizontal = align
    else:
        target.value = "" if cell.value is None else str(cell.value)
        target.data_type = "s"  # never a formula, even when the text starts with "="
        horizontal = align
    target.font = font
    target.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


def _totals_label_span(table: StatTable) -> int:
    """合计 spans the first two columns when the second is left empty (the 部门 or 抽查事项 column)."""
    totals = table.totals
    if totals and len(totals) > 1 and not totals[1].drillable and totals[1].value in ("", None):
        return 2
    return 1


def _sheet(sheet: Worksheet, table: StatTable, parts: tuple[str, str, str]) -> None:
    n = len(table.columns)
    last = get_column_letter(n)
    total_width = sum(c.width for c in table.columns)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = table.title
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 34 * _lines_needed(table.title, total_width / 1.6)
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = f"统计期间：{table.period.span_text}"
    sheet["A2"].font = Font(name=FONT, size=11)
    sheet["A2"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[2].height = 20
    # 填报单位 | 填报日期 | 联系人, each over about a third of the columns.
    cuts = [0, max(1, round(n * 0.45)), max(2, round(n * 0.75)), n]
    for part, (first, after), horizontal in zip(
        parts, zip(cuts, cuts[1:], strict=False), ("left", "center", "right"), strict=True
    ):
        _merge(sheet, 3, first + 1, 1, after - first)
        cell = sheet.cell(row=3, column=first + 1, value=part)
        cell.font = Font(name=FONT, size=11)
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")
    sheet.row_dimensions[3].height = 22

    top = FIRST_HEADER_ROW
    tallest = [1] * table.header_rows
    for h in table.headers:
        sheet.cell(row=top + h.row, column=h.col + 1, value=h.text)
        _merge(sheet, top + h.row, h.col + 1, h.rowspan, h.colspan)
        width = sum(table.columns[c].width for c in range(h.col, h.col + h.colspan))
        lines = math.ceil(_lines_needed(h.text, width) / h.rowspan)
        tallest[h.row] = max(tallest[h.row], lines)
    for r, lines in enumerate(tallest):
        sheet.row_dimensions[top + r].height = max(20, 14 * lines + 6)
    header_font = Font(name=FONT, size=10, bold=True)
    for r in range(table.header_rows):  # after merging: merging resets the borders of the covered cells
        for c in range(n):
            target = sheet.cell(row=top + r, column=c + 1)
            target.border, target.fill, target.font = BORDER, HEADER_FILL, header_font
            target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    row = top + table.header_rows
    body_font = Font(name=FONT, size=10)
    if not table.rows:
        sheet.cell(row=row, column=1, value=table.empty_text).font = body_font
        _merge(sheet, row, 1, 1, n)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center")
        for c in range(1, n + 1):
            sheet.cell(row=row, column=c).border = BORDER
        row += 1
    for cells in table.rows:
        for c, (cell, column) in enumerate(zip(cells, table.columns, strict=True), start=1):
            _write_cell(sheet, row, c, cell, column.align, body_font)
            sheet.cell(row=row, column=c).border = BORDER
        row += 1
    if table.totals is not None:
        bold = Font(name=FONT, size=10, bold=True)
        for c, (cell, column) in enumerate(zip(table.totals, table.columns, strict=True), start=1):
            _write_cell(sheet, row, c, cell, "center" if c == 1 else column.align, bold)
        _merge(sheet, row, 1, 1, _totals_label_span(table))
        for c in range(1, n + 1):
            target = sheet.cell(row=row, column=c)
            target.border, target.fill = BORDER, TOTALS_FILL
        row += 1

    if table.notes:
        row += 1
        note_font = Font(name=FONT, size=10)
        for text in ["填表说明：", *(f"{i}. {note}" for i, note in enumerate(table.notes, start=1))]:
            _merge(sheet, row, 1, 1, n)
            cell = sheet.cell(row=row, column=1, value=text)
            cell.data_type = "s"
            cell.font = note_font
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            sheet.row_dimensions[row].height = 15 * _lines_needed(text, total_width * 0.95) + 2
            row += 1

    a4_landscape_one_page_wide(sheet, top + table.header_rows - 1, side=0.4, top_bottom=0.6)
    sheet.print_title_rows = f"{top}:{top + table.header_rows - 1}"  # every header row, not only the last


def _add_sheet(workbook: Workbook, table: StatTable, parts: tuple[str, str, str], first: bool) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    assert sheet is not None
    sheet.title = table.sheet_name[:31]
    _sheet(sheet, table, parts)


def write_table_xlsx(
    table: StatTable,
    path: str | Path,
    *,
    unit: str | None = None,
    date: dt.date | None = None,
    contact: str | None = None,
) -> Path:
    """The table as a formatted xlsx at ``path`` (written to a temporary file, then renamed). ``unit`` and
    ``contact`` default to the table's (the department's own when it is one department's), ``date`` to
    today."""
    workbook = Workbook()
    workbook.properties.title = table.title
    workbook.properties.creator = "shuangsuiji"
    _add_sheet(workbook, table, info_line(table, unit, date, contact), True)
    return save_workbook_atomically(workbook, path)


def write_tables_xlsx(
    tables: Sequence[StatTable],
    path: str | Path,
    *,
    unit: str | None = None,
    date: dt.date | None = None,
    contact: str | None = None,
) -> Path:
    """Several tables in one workbook, one sheet each (sheet names must differ)."""
    workbook = Workbook()
    workbook.properties.creator = "shuangsuiji"
    for index, table in enumerate(tables):
        _add_sheet(workbook, table, info_line(table, unit, date, contact), index == 0)
    return save_workbook_atomically(workbook, path)
