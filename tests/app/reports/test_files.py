"""The statistics tables as files: xlsx layout and print setup read back with openpyxl; PDFs read with poppler."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.forms.fonts import MissingGlyphsError
from app.forms.plan_table import HEADERS as PLAN_HEADERS
from app.reports import Cell, Facts, all_tables, joint_table, plan_table, progress_table
from app.reports.measures import ProgressCharts, progress_charts
from app.reports.pdf import write_table_pdf
from app.reports.xlsx import write_table_xlsx, write_tables_xlsx
from tests.app.forms.pdf_tools import page_count, pdf_text, png_gray_pixels, run_tool, squeeze

DATE = dt.date(2026, 7, 20)
UNIT = "示范县司法局"
SJ = "示范县市场监督管理局"


def sheet_of(path: Path) -> Worksheet:
    sheet = load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


def ruled(sheet: Worksheet, row: int, column: int) -> bool:
    """Whether the cell is boxed on all four sides — for a merged cell, on the sides of its merged range
    (openpyxl clears the inner sides of a merged range when it reads the file; spreadsheets draw the box)."""
    sides = {"left", "right", "top", "bottom"}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            sides = {
                side
                for side, outer in (
                    ("left", column == merged.min_col),
                    ("right", column == merged.max_col),
                    ("top", row == merged.min_row),
                    ("bottom", row == merged.max_row),
                )
                if outer
            }
    border = sheet.cell(row=row, column=column).border
    return all(getattr(border, side).style == "thin" for side in sides)


def test_progress_xlsx_layout_and_print_setup(h1: Facts, tmp_path: Path) -> None:
    path = write_table_xlsx(progress_table(h1), tmp_path / "进展.xlsx", unit=UNIT, date=DATE, contact="王芳")
    sheet = sheet_of(path)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value == "市直部门2026年度随机抽查工作进展情况统计表" and "A1:P1" in merged
    assert sheet["A1"].font.b and sheet["A1"].font.sz >= 16
    assert sheet["A2"].value == "统计期间：2026年上半年（2026年1月1日至2026年6月30日）"
    line = [sheet.cell(row=3, column=c).value for c in range(1, 17) if sheet.cell(row=3, column=c).value]
    assert line == [f"填报单位（盖章）：{UNIT}", "填报日期：2026年7月20日", "联系人：王芳"]
    # Two header rows: 序号/部门/抽查事项数 span both; the three groups span their columns.
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:G4", "H4:L4", "M4:P4"} <= merged
    assert (sheet["D4"].value, sheet["D5"].value, sheet["P5"].value) == (
        "抽查任务（个）",
        "年度计划任务数",
        "按时公示率",
    )
    assert sheet["B6"].value == SJ and sheet["C6"].value == 2 and sheet["H6"].value == 10
    assert sheet["O6"].value == 1.0 and sheet["O6"].number_format == "0.0%"
    assert sheet["O9"].value == "—"  # 教育局: nothing inspected, no rate
    # The totals row: bold, 合计 over 序号 and 部门, numbers as numbers, rates recomputed from the sums.
    assert sheet["A10"].value == "合计" and sheet["A10"].font.b and "A10:B10" in merged
    assert [sheet.cell(row=10, column=c).value for c in range(3, 15)] == [
        4,
        5,
        4,
        2,
        2,
        16,
        10,
        7,
        3,
        2,
        2,
        5,
    ]
    assert sheet["O10"].value == pytest.approx(5 / 7) and sheet["O10"].number_format == "0.0%"
    assert sheet["P10"].value == pytest.approx(0.6)
    assert all(ruled(sheet, r, c) for r in range(4, 11) for c in range(1, 17)), "every table cell is ruled"
    assert not ruled(sheet, 11, 1)
    assert sheet["A12"].value == "填表说明：" and sheet["A13"].value.startswith("1. 统计期间：")
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$5"  # both header rows repeat on every printed page
    assert sheet.freeze_panes == "A6"
    assert 20 <= (sheet.column_dimensions["B"].width or 0) <= 30


def test_one_department_xlsx_defaults_to_its_unit_and_contact(h1: Facts, tmp_path: Path) -> None:
    sheet = sheet_of(write_table_xlsx(plan_table(h1, ["SJ"]), tmp_path / "计划.xlsx", date=DATE))
    assert sheet["A1"].value == "2026年度行政执法检查计划表"
    assert sheet["A3"].value == f"填报单位（盖章）：{SJ}"
    assert any(sheet.cell(row=3, column=c).value == "联系人：张敏（0898-1234567）" for c in range(1, 14))
    assert [sheet.cell(row=4, column=c).value for c in range(1, 14)] == list(PLAN_HEADERS)
    assert sheet.print_title_rows == "$4:$4" and sheet.freeze_panes == "A5"
    assert [sheet.cell(row=5, column=c).value for c in (1, 2, 4, 5, 6, 9)] == [
        1,
        "食品经营者的监督检查",
        100,
        "5%",
        5,
        "3月",
    ]
    assert sheet["A8"].value == "合计" and sheet["F8"].value == 10


def test_joint_xlsx_headers_and_totals(h1: Facts, tmp_path: Path) -> None:
    sheet = sheet_of(write_table_xlsx(joint_table(h1), tmp_path / "联合.xlsx", date=DATE))
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "E4:G4", "H4:I4", "J4:J5", "K4:K5"} <= merged
    assert sheet["J4"].value == "“一次多查”减少的检查次数（次）"
    assert [sheet.cell(row=7, column=c).value for c in (2, 7, 8, 9, 10, 11)] == [
        "RW-2026-0006",
        3,
        3,
        1,
        6,
        "检查中",
    ]
    assert [sheet.cell(row=8, column=c).value for c in (1, 8, 9, 10)] == ["合计", 5, 3, 8]


def test_an_empty_table_says_so_and_text_is_never_a_formula(h1: Facts, tmp_path: Path) -> None:
    empty = joint_table(h1, ["JY"])
    sheet = sheet_of(write_table_xlsx(empty, tmp_path / "空.xlsx", date=DATE))
    assert sheet["A6"].value == "（统计期间内没有联合抽查任务）" and "A6:K6" in {
        str(r) for r in sheet.merged_cells.ranges
    }
    table = progress_table(h1)
    odd = dataclasses.replace(table, rows=((Cell(1), Cell("=SUM(A1:A2)"), *table.rows[0][2:]),))
    sheet = sheet_of(write_table_xlsx(odd, tmp_path / "公式.xlsx", date=DATE))
    assert sheet["B6"].value == "=SUM(A1:A2)" and sheet["B6"].data_type == "s"


def test_all_tables_in_one_workbook(h1: Facts, tmp_path: Path) -> None:
    book = load_workbook(write_tables_xlsx(all_tables(h1), tmp_path / "全部.xlsx", date=DATE))
    assert book.sheetnames == [
        "检查计划表",
        "进展情况统计表",
        "联合检查统计表",
        "非市场监管领域计划表",
        "非市场监管领域推行情况",
    ]


def test_the_results_chart_keeps_its_heading_when_it_moves_to_the_next_page(
    h1: Facts, tmp_path: Path
) -> None:
    """Nine or more result categories do not fit under the monthly chart: 图2's heading goes with its chart."""
    results = tuple((f"检查结果类别{n}", n * 3) for n in range(1, 13))
    charts = ProgressCharts(tuple((f"{m}月", m, m) for m in range(1, 13)), results)
    pdf = write_table_pdf(progress_table(h1), tmp_path / "进展.pdf", unit=UNIT, date=DATE, charts=charts)
    pages = [squeeze(page) for page in pdf_text(pdf).split("\f")]
    with_heading = [n for n, page in enumerate(pages) if "图2检查结果分类" in page]
    with_bars = [n for n, page in enumerate(pages) if "检查结果类别12" in page]
    assert with_heading == with_bars and len(with_heading) == 1
    assert "图1各月抽取与检查对象数" not in pages[with_heading[0]], "the chart did not fit under the first"


def test_progress_pdf_text_fonts_charts_and_render(h1: Facts, tmp_path: Path) -> None:
    pdf = write_table_pdf(
        progress_table(h1),
        tmp_path / "进展.pdf",
        unit=UNIT,
        date=DATE,
        contact="王芳",
        charts=progress_charts(h1),
    )
    text = squeeze(pdf_text(pdf))
    for expected in (
        "市直部门2026年度随机抽查工作进展情况统计表",
        f"填报单位（盖章）：{UNIT}",
        "填报日期：2026年7月20日",
        "联系人：王芳",
        "抽查任务（个）",
        "按时公示率",
        SJ,
        "示范县教育局",
        "71.4%",
        "100.0%",
        "填表说明",
        "图1各月抽取与检查对象数（户）",
        "发现问题待后续处理",
        "第1页共2页",
    ):
        assert squeeze(expected) in text, expected
    totals = re.search(r"合计 4 5 4 2 2 16 10 7 3 2 2 5 71\.4% 60\.0%", pdf_text(pdf))
    assert totals is not None, "the totals row in order"
    assert page_count(pdf) == 2
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run_tool("pdfinfo", pdf))
    assert size is not None and float(size.group(1)) > float(size.group(2)), "not landscape"
    fonts = run_tool("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts), "every font embedded as a subset"
    run_tool("pdftoppm", "-r", "60", "-png", pdf, tmp_path / "page")
    for page in ("page-1.png", "page-2.png"):
        width, height, pixels = png_gray_pixels(tmp_path / page)
        assert width > height
        assert sum(1 for p in pixels if p < 128) > 2000, f"{page} looks blank"


def test_every_table_as_pdf(h1: Facts, tmp_path: Path) -> None:
    for table in all_tables(h1):
        pdf = write_table_pdf(table, tmp_path / f"{table.kind}.pdf", date=DATE)
        text = squeeze(pdf_text(pdf))
        assert squeeze(table.title) in text
        assert table.totals is not None and all(squeeze(c.text) in text for c in table.totals if c.text)


def test_the_header_repeats_on_every_page(h1: Facts, tmp_path: Path) -> None:
    table = progress_table(h1)
    long = dataclasses.replace(table, rows=table.rows * 30)
    pdf = write_table_pdf(long, tmp_path / "长表.pdf", date=DATE)
    pages = page_count(pdf)
    assert pages >= 3
    for page in range(2, pages):
        text = squeeze(run_tool("pdftotext", "-f", str(page), "-l", str(page), "-raw", pdf, "-"))
        assert "抽查任务（个）" in text and "按时公示率" in text and f"第{page}页共{pages}页" in text


def test_a_character_the_font_lacks_stops_the_pdf(h1: Facts, tmp_path: Path) -> None:
    table = progress_table(h1)
    odd = dataclasses.replace(table, rows=((table.rows[0][0], Cell("示范县\u0378局"), *table.rows[0][2:]),))
    with pytest.raises(MissingGlyphsError, match="缺少以下字符"):
        write_table_pdf(odd, tmp_path / "odd.pdf", date=DATE)
    assert not (tmp_path / "odd.pdf").exists()


def test_computing_tables_loads_neither_openpyxl_nor_reportlab() -> None:
    """The start-up must not pay for the file libraries: only app.reports.xlsx / .pdf import them."""
    code = (
        "import sys\n"
        "import app.reports, app.reports.tables, app.reports.drill, app.reports.measures, app.forms.plan_table\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'reportlab'}))\n"
        "import app.reports.xlsx, app.reports.pdf\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'reportlab'}))\n"
    )
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["[]", "['openpyxl', 'reportlab']"]
