"""The 公示 files: xlsx (header, text-typed codes, print setup) and the landscape PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.forms.publication import HEADERS, write_publication_pdf, write_publication_xlsx
from app.inspections.publication import PublicationRow
from tests.app.forms.pdf_tools import pdf_text, run_tool, squeeze

TITLE = "示范县市场监督管理局“双随机、一公开”抽查结果公示（2026年度企业公示信息的抽查）"
AUTHORITY = "示范县市场监督管理局"
ROWS = [
    PublicationRow(
        "示范县鑫源餐饮管理有限公司",
        "91469099MA5T8XXX1K",
        "企业公示信息的抽查",
        dt.date(2026, 3, 5),
        "未发现问题",
        AUTHORITY,
    ),
    PublicationRow(
        "示范县城关镇王**小吃店",
        "469099600187440",
        "企业公示信息的抽查",
        dt.date(2026, 3, 6),
        "通过登记的住所（经营场所）无法联系",
        AUTHORITY,
    ),
    PublicationRow(
        '=HYPERLINK("http://x")商行',
        "914690990000000012",
        "企业公示信息的抽查",
        dt.date(2026, 3, 9),
        "发现问题已责令改正",
        AUTHORITY,
    ),
]


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("publication")
    return write_publication_xlsx(ROWS, folder / "公示.xlsx", title=TITLE, note="公示日期：2026-03-20")


def test_the_sheet_has_title_note_header_and_rows(xlsx: Path) -> None:
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    assert sheet["A1"].value == TITLE and "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "公示日期：2026-03-20"
    assert [c.value for c in sheet[3]] == list(HEADERS)
    assert [c.value for c in sheet[4]][:3] == [1, ROWS[0].entity_name, ROWS[0].code]
    assert sheet.max_row == 3 + len(ROWS)


def test_codes_are_text_and_nothing_becomes_a_formula(xlsx: Path) -> None:
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    for row in range(4, 4 + len(ROWS)):
        code = sheet.cell(row=row, column=3)
        assert code.data_type == "s" and code.number_format == "@"
        assert isinstance(code.value, str) and len(code.value) in (15, 18)
    assert sheet.cell(row=5, column=3).value == "469099600187440", "a 15-digit 注册号 kept whole"
    name = sheet.cell(row=6, column=2)
    assert name.data_type == "s" and name.value == ROWS[2].entity_name
    day = sheet.cell(row=4, column=5)
    assert day.value == dt.datetime(2026, 3, 5) and day.number_format == "yyyy-mm-dd"


def test_borders_widths_and_print_setup(xlsx: Path) -> None:
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    for row in range(3, 4 + len(ROWS)):
        for column in range(1, len(HEADERS) + 1):
            border = sheet.cell(row=row, column=column).border
            assert (
                border.left.style == border.right.style == border.top.style == border.bottom.style == "thin"
            )
    assert sheet.column_dimensions["B"].width >= 30 and sheet.column_dimensions["C"].width >= 20
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"


def test_the_pdf_is_a_landscape_table_with_the_chinese_font_embedded(tmp_path: Path) -> None:
    pdf = write_publication_pdf(
        ROWS, tmp_path / "公示.pdf", title=TITLE, bureau_name=AUTHORITY, note="公示日期：2026-03-20"
    )
    text = squeeze(pdf_text(pdf))
    for expected in (TITLE, *HEADERS, *(c for row in ROWS for c in row.cells())):
        assert squeeze(expected) in text, expected
    assert "第1页共1页" in text
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run_tool("pdfinfo", pdf))
    assert size is not None and float(size.group(1)) > float(size.group(2)), "not landscape"
    fonts = run_tool("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts)
