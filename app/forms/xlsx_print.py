"""Shared by the formatted xlsx tables (计划表, 公示表, the statistics tables): the typeface, ruled cells, the
heading row, A4-landscape print setup and a save that never leaves half a file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

XLSX_FONT = "宋体"  # the typeface of every sheet we write (Excel on the clerk's PC has it)
_THIN = Side(style="thin", color="000000")
GRID_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)  # every cell of a table is ruled
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")


def write_header_row(sheet: Worksheet, row: int, names: Sequence[str], *, size: int) -> None:
    """One row of column headings from column A: bold, grey, centred, wrapped, ruled."""
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font = Font(name=XLSX_FONT, size=size, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = GRID_BORDER


def a4_landscape_one_page_wide(sheet: Worksheet, header_row: int, *, side: float, top_bottom: float) -> None:
    """Freeze and repeat the header row, fit the width to one A4 landscape page, number the pages."""
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = side
    sheet.page_margins.top = sheet.page_margins.bottom = top_bottom
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"


def save_workbook_atomically(workbook: Workbook, path: str | Path) -> Path:
    """Save under a temporary name, then rename: a failure never leaves half a file at ``path``."""
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    try:
        workbook.save(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
