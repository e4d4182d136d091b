"""Reading files: the format comes from the content; unusable files give a specific error with a Chinese message."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.database import Database
from app.io import (
    EmptyFileError,
    EncryptedFileError,
    HeaderNotFoundError,
    ImportFileError,
    MappingError,
    MislabelledFileError,
    MissingColumnError,
    UnreadableFileError,
)
from app.io.readers import open_tables
from tests.app.io.conftest import DATA, preview, write_workbook

CSV_TEXT = "统一社会信用代码,企业名称,住所,联系电话\n91469006MA5T00010K,示范县甲乙商贸有限公司,示范县城关镇人民路1号,13912345678\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("gb18030", b""), ("utf-16", b"")],
)
def test_csv_in_every_encoding_clerks_produce(
    tmp_path: Path, empty_db: Database, encoding: str, bom: bytes
) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(bom + CSV_TEXT.encode(encoding))
    result = preview(empty_db, "entities", path)
    assert result.file_format == "csv"
    assert result.counts.imported == 1 and result.counts.errors == 0
    assert result.mapping == {
        "统一社会信用代码": "uscc",
        "企业名称": "name",
        "住所": "address",
        "联系电话": "phone",
    }


def test_tab_separated_text_is_read_too(tmp_path: Path, empty_db: Database) -> None:
    path = tmp_path / "registry.txt"
    path.write_text(CSV_TEXT.replace(",", "\t"), encoding="utf-8")
    assert preview(empty_db, "entities", path).counts.imported == 1


def test_xls_fixture_with_merged_title_and_cells(empty_db: Database) -> None:
    # tests/data/registry_sample.xls was written once by tests/data/make_registry_xls.py (xlwt).
    result = preview(empty_db, "entities", DATA / "registry_sample.xls")
    assert result.file_format == "xls"
    assert result.header_rows == (2,)
    assert result.counts.imported == 3 and result.counts.errors == 0
    assert (
        "第5行 统一社会信用代码已被Excel改写为科学计数法(9.14690062012665E+17)，无法恢复，已导入为待补录"
        in [i.message for i in result.issues]
    )


def test_a_sheet_that_starts_below_and_right_keeps_excel_row_numbers(
    tmp_path: Path, empty_db: Database
) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws["C3"], ws["D3"] = "企业名称", "成立日期"
    ws["C4"], ws["D4"] = "示范县甲公司", dt.date(2020, 1, 2)
    ws["C5"], ws["D5"] = "示范县乙公司", "不是日期"
    book.save(tmp_path / "offset.xlsx")
    result = preview(empty_db, "entities", tmp_path / "offset.xlsx")
    assert result.header_rows == (3,)
    assert [c.letter for c in result.columns if c.field] == ["C", "D"]
    assert [i.message for i in result.issues] == ["第5行 成立日期“不是日期”不是有效日期"]


def test_the_sheet_with_the_registry_is_chosen(tmp_path: Path, empty_db: Database) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes["A1"] = "本表由示范县市场监管局填报"
    data = book.create_sheet("名录")
    data.append(["企业名称", "住所"])
    data.append(["示范县甲公司", "人民路1号"])
    book.save(tmp_path / "two_sheets.xlsx")
    result = preview(empty_db, "entities", tmp_path / "two_sheets.xlsx")
    assert result.sheet == "名录" and result.counts.imported == 1


def _expect(error: type[ImportFileError], database: Database, path: Path, kind: str = "entities") -> str:
    with pytest.raises(error) as caught:
        preview(database, kind, path)
    message = caught.value.message_zh
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    return message


def test_unusable_files_are_named_for_what_they_are(tmp_path: Path, empty_db: Database) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "空" in _expect(EmptyFileError, empty_db, empty)

    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(bytes(range(256)) * 40 + os.urandom(4096))
    _expect(UnreadableFileError, empty_db, garbage)

    csv_named_xlsx = tmp_path / "registry.xlsx"
    csv_named_xlsx.write_text(CSV_TEXT, encoding="utf-8")
    assert ".csv" in _expect(MislabelledFileError, empty_db, csv_named_xlsx)

    html_named_xls = tmp_path / "export.xls"
    html_named_xls.write_text(
        "<html><body><table><tr><td>企业名称</td></tr></table></body></html>", encoding="utf-8"
    )
    assert "HTML" in _expect(MislabelledFileError, empty_db, html_named_xls)

    word = tmp_path / "notice.xlsx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in _expect(MislabelledFileError, empty_db, word)

    encrypted = tmp_path / "locked.xlsx"
    encrypted.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    assert "密码" in _expect(EncryptedFileError, empty_db, encrypted)

    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(b"PK\x03\x04" + b"\x14\x00" * 200)
    _expect(UnreadableFileError, empty_db, truncated)

    missing = tmp_path / "missing.xlsx"
    _expect(UnreadableFileError, empty_db, missing)


def test_a_workbook_without_data_is_empty(tmp_path: Path, empty_db: Database) -> None:
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    _expect(EmptyFileError, empty_db, tmp_path / "blank.xlsx")


def test_no_header_and_missing_required_column(tmp_path: Path, empty_db: Database) -> None:
    write_workbook(tmp_path / "numbers.xlsx", [[1, 2, 3], [4, 5, 6]])
    assert "表头" in _expect(HeaderNotFoundError, empty_db, tmp_path / "numbers.xlsx")
    write_workbook(
        tmp_path / "no_name.xlsx", [["统一社会信用代码", "住所"], ["91469006MA5T00010K", "人民路1号"]]
    )
    assert "名称" in _expect(MissingColumnError, empty_db, tmp_path / "no_name.xlsx")
    write_workbook(tmp_path / "inspectors.xlsx", [["姓名", "执法证号"], ["张三", "46000012345"]])
    assert "部门" in _expect(MissingColumnError, empty_db, tmp_path / "inspectors.xlsx", "inspectors")


def test_open_tables_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        open_tables(tmp_path)


def test_a_bad_mapping_is_refused(tmp_path: Path, empty_db: Database) -> None:
    path = write_workbook(tmp_path / "r.xlsx", [["企业名称", "地址"], ["示范县甲公司", "人民路1号"]])
    with pytest.raises(MappingError):
        preview(empty_db, "entities", path, mapping={"不存在的列": "name"})
    with pytest.raises(MappingError):
        preview(empty_db, "entities", path, mapping={"地址": "no_such_field"})
    with pytest.raises(MappingError):
        preview(empty_db, "entities", path, mapping={"企业名称": "name", "地址": "name"})
