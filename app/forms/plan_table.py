"""《XX年度行政执法检查计划表》 as files: an xlsx in the official layout (for 报审/备案 and upward reporting)
and an A4 landscape PDF, both from :func:`app.plans.plan_rows`.

    rows = plan_rows(session, plan_id)
    write_plan_table_xlsx(rows, "计划表.xlsx", year=2026, unit="示范县市场监督管理局", date=dt.date.today())
    write_plan_table_pdf(rows, "计划表.pdf", year=2026, unit="示范县市场监督管理局", date=dt.date.today())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from app.plans import RowLine

# openpyxl and reportlab are imported inside the writers: the layout below (HEADERS, plan_row_cells, widths)
# is shared with the county-wide statistics tables (app.reports), which must load without them.


class PlanRowText(Protocol):
    """What a plan table row is printed from: :class:`app.plans.RowLine` (one department's plan) or
    :class:`app.reports.facts.PlanRowFact` (the county-wide tables, also for plans received from other PCs)."""

    @property
    def seq(self) -> int: ...
    @property
    def item(self) -> str: ...
    @property
    def scope_text(self) -> str: ...
    @property
    def base_count(self) -> int | None: ...
    @property
    def ratio_or_quantity(self) -> str: ...
    @property
    def planned_count(self) -> int | None: ...
    @property
    def content(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def planned_month(self) -> int | None: ...
    @property
    def method(self) -> str: ...
    @property
    def joint_departments(self) -> str: ...
    @property
    def frequency_cap(self) -> int | None: ...
    @property
    def remarks(self) -> str: ...


HEADERS = (
    "序号",
    "抽查事项",
    "检查对象范围",
    "检查对象基数",
    "抽查比例或数量",
    "计划抽查数",
    "检查内容",
    "检查依据",
    "计划月份",
    "检查方式",
    "联合部门",
    "频次上限",
    "备注",
)
XLSX_WIDTHS = (5, 20, 18, 9, 10, 9, 26, 24, 7, 12, 14, 7, 12)  # characters
PDF_WIDTHS_MM = (9, 26, 22, 13, 15, 13, 36, 34, 11, 18, 18, 11)  # the last column takes what is left
CENTRED = {1, 4, 5, 6, 9, 12}  # 1-based columns of short figures


def plan_table_title(year: int) -> str:
    return f"{year}年度行政执法检查计划表"


def plan_row_cells(row: PlanRowText) -> list[str]:
    """One row of the table as text, in :data:`HEADERS` order."""

    def num(value: int | None) -> str:
        return "" if value is None else str(value)

    return [
        str(row.seq),
        row.item,
        row.scope_text,
        num(row.base_count),
        row.ratio_or_quantity,
        num(row.planned_count),
        row.content,
        row.basis,
        f"{row.planned_month}月" if row.planned_month else "",
        row.method,
        row.joint_departments,
        f"每年{row.frequency_cap}次" if row.frequency_cap else "",
        row.remarks,
    ]


def _info_line(unit: str, date: dt.date) -> tuple[str, str]:
    return f"填报单位（盖章）：{unit}", f"填报日期：{date.year}年{date.month}月{date.day}日"


def _sheet(sheet: Worksheet, rows: Sequence[RowLine], year: int, unit: str, date: dt.date) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from app.forms.xlsx_print import GRID_BORDER, XLSX_FONT, a4_landscape_one_page_wide, write_header_row

    border = GRID_BORDER
    last = get_column_letter(len(HEADERS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = plan_table_title(year)
    sheet["A1"].font = Font(name=XLSX_FONT, size=18, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 36
    left, right = _info_line(unit, date)
    sheet.merge_cells("A2:F2")
    sheet.merge_cells(f"G2:{last}2")
    sheet["A2"], sheet["G2"] = left, right
    for ref, align in (("A2", "left"), ("G2", "right")):
        sheet[ref].font = Font(name=XLSX_FONT, size=11)
        sheet[ref].alignment = Alignment(horizontal=align, vertical="center")
    sheet.row_dimensions[2].height = 22
    header_row = 3
    write_header_row(sheet, header_row, HEADERS, size=10)
    body_font = Font(name=XLSX_FONT, size=10)
    for index, row in enumerate(rows, start=1):
        for column, text in enumerate(plan_row_cells(row), start=1):
            value: object = text
            if column in (1, 4, 6) and text:
                value = int(text)
            cell = sheet.cell(row=header_row + index, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with "="
            cell.font, cell.border = body_font, border
            horizontal = "center" if column in CENTRED else "left"
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    for column, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    a4_landscape_one_page_wide(sheet, header_row, side=0.4, top_bottom=0.6)


def write_plan_table_xlsx(
    rows: Sequence[RowLine], path: str | Path, *, year: int, unit: str, date: dt.date
) -> Path:
    """The plan table as xlsx: merged title, 填报单位 and 填报日期, the 13-column header, thin borders, wrapped
    text, A4 landscape one page wide with the header repeated. Written to a temporary file, then renamed."""
    from openpyxl import Workbook

    from app.forms.xlsx_print import save_workbook_atomically

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "检查计划表"
    _sheet(sheet, rows, year, unit, date)
    return save_workbook_atomically(workbook, path)


def write_plan_table_pdf(
    rows: Sequence[RowLine],
    path: str | Path,
    *,
    year: int,
    unit: str,
    date: dt.date,
    font_path: str | Path | None = None,
) -> Path:
    """The plan table on A4 landscape with the CJK fonts embedded, the header on every page and 第 X 页 共 Y 页.
    Raises :class:`~app.forms.fonts.MissingGlyphsError` when the font lacks a character."""
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

    fonts = register_cjk_fonts(font_path)
    title = plan_table_title(year)
    left, right = _info_line(unit, date)
    body = [plan_row_cells(r) for r in rows]
    missing = missing_glyphs("".join([title, left, right, *HEADERS, *(c for r in body for c in r)]), fonts)
    if missing:
        raise MissingGlyphsError(missing, fonts)
    st = form_styles(fonts)
    page = landscape(A4)
    frame = page[0] - MARGIN_LEFT - MARGIN_RIGHT
    widths = [w * mm for w in PDF_WIDTHS_MM]
    widths.append(frame - sum(widths))
    size = 8.0
    cells = column_wrap([list(HEADERS), *body], widths, [fonts.song] * len(widths), size)
    commands = grid_commands(fonts.song, size, 11, header_rows=1)
    commands.append(("FONT", (0, 0), (-1, 0), fonts.hei, size, 11))
    commands += [("ALIGN", (c - 1, 1), (c - 1, -1), "CENTER") for c in CENTRED]
    table = Table(cells, colWidths=widths, style=TableStyle(commands), repeatRows=1)
    info = Table(
        [[left, right]],
        colWidths=[frame / 2, frame / 2],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.fang, 10.5),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )
    story: list[Flowable] = [title_line(title, st), info]
    story.append(table if body else para("（本计划尚无抽查事项）", st.body))
    return build_pdf(
        path,
        story,
        page_decorator(st, unit, title, page),
        title=title,
        author=unit,
        initial_font=fonts.song,
        page_size=page,
    )
