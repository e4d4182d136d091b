"""The 公示 of a task's inspection results as files: an xlsx (for the portal and upward reporting) and a PDF
in a publication layout (A4 landscape), both from :func:`app.inspections.publication_rows`.

Neither file carries personal data: the rows are made without it (see :mod:`app.inspections.publication`).

    rows = publication_rows(session, task_id)
    title = publication_title(session, task_id)
    write_publication_xlsx(rows, "公示.xlsx", title=title)
    write_publication_pdf(rows, "公示.pdf", title=title, bureau_name=settings.bureau_name)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from app.forms.fonts import MissingGlyphsError, missing_glyphs, register_cjk_fonts
from app.forms.layout import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    build_pdf,
    column_wrap,
    form_styles,
    grid_commands,
    page_decorator,
    para,
    title_line,
)
from app.forms.xlsx_print import (
    GRID_BORDER,
    XLSX_FONT,
    a4_landscape_one_page_wide,
    save_workbook_atomically,
    write_header_row,
)
from app.inspections.publication import PUBLICATION_HEADERS, PublicationRow

HEADERS = ("序号", *PUBLICATION_HEADERS)
"""Columns of both files: 序号 then the publication columns."""
XLSX_WIDTHS = (6, 38, 22, 30, 12, 30, 30)  # characters
PDF_WIDTHS_MM = (11, 62, 38, 40, 21, 40)  # the last column takes what is left
CODE_COLUMN = 3  # 统一社会信用代码, 1-based in the sheet
DATE_COLUMN = 5
TEXT_FORMAT = "@"


def _cells(index: int, row: PublicationRow) -> list[str]:
    return [str(index), *row.cells()]


def _sheet(sheet: Worksheet, rows: Sequence[PublicationRow], title: str, note: str) -> None:
    border = GRID_BORDER
    wrap = Alignment(wrap_text=True, vertical="center")
    last = get_column_letter(len(HEADERS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = title
    sheet["A1"].font = Font(name=XLSX_FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36
    header_row = 2
    if note:
        sheet.merge_cells(f"A2:{last}2")
        sheet["A2"] = note
        sheet["A2"].font = Font(name=XLSX_FONT, size=10)
        sheet["A2"].alignment = Alignment(horizontal="right", vertical="center")
        header_row = 3
    write_header_row(sheet, header_row, HEADERS, size=11)
    body_font = Font(name=XLSX_FONT, size=11)
    for index, row in enumerate(rows, start=1):
        values: list[object] = [index, *row.cells()]
        values[DATE_COLUMN - 1] = row.inspection_date
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + index, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with "="
                cell.number_format = TEXT_FORMAT  # codes stay text when edited in Excel
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cell.font, cell.border = body_font, border
            cell.alignment = Alignment(horizontal="center", vertical="center") if column in (1, 5) else wrap
    for column, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    a4_landscape_one_page_wide(sheet, header_row, side=0.5, top_bottom=0.75)


def write_publication_xlsx(
    rows: Sequence[PublicationRow], path: str | Path, *, title: str, note: str = ""
) -> Path:
    """The 公示 table as xlsx: title row, header, borders, column widths, codes as text, A4 landscape print
    setup with the header repeated on every page. ``note`` (e.g. ``公示日期：2026-04-10``) goes under the
    title. Written to a temporary file, then renamed."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "公示"
    _sheet(sheet, rows, title, note)
    return save_workbook_atomically(workbook, path)


def write_publication_pdf(
    rows: Sequence[PublicationRow],
    path: str | Path,
    *,
    title: str,
    bureau_name: str,
    note: str = "",
    font_path: str | Path | None = None,
) -> Path:
    """The 公示 table as PDF on A4 landscape: title, note, the table with its header on every page, and
    第 X 页 共 Y 页. Raises :class:`~app.forms.fonts.MissingGlyphsError` when the font lacks a character."""
    fonts = register_cjk_fonts(font_path)
    texts = [title, bureau_name, note, *HEADERS, *(c for r in rows for c in r.cells())]
    missing = missing_glyphs("".join(texts), fonts)
    if missing:
        raise MissingGlyphsError(missing, fonts)
    st = form_styles(fonts)
    page = landscape(A4)
    frame = page[0] - MARGIN_LEFT - MARGIN_RIGHT
    widths = [w * mm for w in PDF_WIDTHS_MM]
    widths.append(frame - sum(widths))
    body = [_cells(i, row) for i, row in enumerate(rows, start=1)]
    cells = column_wrap([list(HEADERS), *body], widths, [fonts.song] * len(widths), st.cell_size)
    commands = grid_commands(fonts.song, st.cell_size, 12.5, header_rows=1)
    commands += [("FONT", (0, 0), (-1, 0), fonts.hei, st.cell_size), ("ALIGN", (0, 1), (0, -1), "CENTER")]
    commands += [("ALIGN", (4, 1), (4, -1), "CENTER")]
    table = Table(cells, colWidths=widths, style=TableStyle(commands), repeatRows=1)
    story: list[Flowable] = [title_line(title, st)]
    if note:
        story.append(para(note, st.subtitle))
    story.append(table if body else para("（本任务没有已归档的检查结果）", st.body))
    return build_pdf(
        path,
        story,
        page_decorator(st, bureau_name, note, page),
        title=title,
        author=bureau_name,
        initial_font=fonts.song,
        page_size=page,
    )
