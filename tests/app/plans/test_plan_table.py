"""《XX年度行政执法检查计划表》 files: the xlsx layout and print setup, and the landscape PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import load_workbook

from app.forms.plan_table import HEADERS, plan_row_cells, write_plan_table_pdf, write_plan_table_xlsx
from app.plans import RowLine
from tests.app.forms.pdf_tools import pdf_text, run_tool, squeeze

UNIT = "示范县市场监督管理局"
DATE = dt.date(2026, 2, 20)
ROWS = [
    RowLine(
        1,
        1,
        1,
        "食品经营者的监督检查",
        "辖区内持证食品经营者",
        480,
        "0.05",
        None,
        24,
        "许可资质、进货查验、从业人员健康证明",
        "《中华人民共和国食品安全法》第一百一十条",
        4,
        "现场检查",
        (2,),
        "示范县卫生健康委员会",
        1,
        "",
    ),
    RowLine(
        2,
        2,
        3,
        "企业公示信息的抽查",
        "辖区内企业",
        1300,
        "",
        20,
        20,
        "年度报告公示信息",
        "《企业信息公示暂行条例》第十四条",
        9,
        "书面检查、网络监测",
        (),
        "",
        None,
        "=备注不是公式",
    ),
]


def test_xlsx_layout_and_print_setup(tmp_path: Path) -> None:
    path = write_plan_table_xlsx(ROWS, tmp_path / "计划表.xlsx", year=2026, unit=UNIT, date=DATE)
    sheet = load_workbook(path).active
    assert sheet is not None
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:M1" in merged
    assert sheet["A1"].value == "2026年度行政执法检查计划表"
    assert sheet["A2"].value == f"填报单位（盖章）：{UNIT}"
    assert sheet["G2"].value == "填报日期：2026年2月20日"
    assert [sheet.cell(row=3, column=c).value for c in range(1, 14)] == list(HEADERS)
    assert sheet.cell(row=4, column=4).value == 480 and sheet.cell(row=4, column=5).value == "5%"
    assert sheet.cell(row=5, column=5).value == "20户" and sheet.cell(row=4, column=9).value == "4月"
    assert sheet.cell(row=5, column=13).data_type == "s"
    body = sheet.cell(row=4, column=7)
    assert body.border.left.style == "thin" and body.border.bottom.style == "thin"
    assert body.alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"


def test_pdf_text_landscape_and_fonts(tmp_path: Path) -> None:
    pdf = write_plan_table_pdf(ROWS, tmp_path / "计划表.pdf", year=2026, unit=UNIT, date=DATE)
    text = squeeze(pdf_text(pdf))
    assert "2026年度行政执法检查计划表" in text
    assert squeeze(f"填报单位（盖章）：{UNIT}") in text and "填报日期：2026年2月20日" in text
    for expected in (*HEADERS, *(c for row in ROWS for c in plan_row_cells(row))):
        assert squeeze(expected) in text, expected
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run_tool("pdfinfo", pdf))
    assert size is not None and float(size.group(1)) > float(size.group(2)), "not landscape"
    fonts = run_tool("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts)
