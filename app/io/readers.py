"""Reading xlsx, xls and csv files into one representation (:class:`Table`).

The format is decided from the file's content, not its name: xlsx/xlsm/xlsb/ods and xls go through
python-calamine (fast, and it reports merged ranges); text goes through the csv module after the
encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030, a superset of GBK).
Problems become :mod:`app.io.errors` exceptions with a Chinese ``message_zh``. Before the reader sees a
file, :mod:`app.io.safety` checks its size, and for a package its parts (zip and XML entity bombs, absurd
sheet dimensions, passwords), so a hostile file costs bounded memory and ends in a message, not a crash.

Rows are lists of cell values (str, float, bool, datetime.date/datetime) indexed from row 0 and
column 0 of the sheet, so ``row_index + 1`` is the row number the clerk sees in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.io import safety
from app.io.errors import (
    EmptyFileError,
    EncryptedFileError,
    ImportFileError,
    MislabelledFileError,
    UnreadableFileError,
)

__all__ = ["Merge", "Table", "detect_format", "open_tables"]

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods"}


@dataclass
class Table:
    """One sheet as rows, read once from start to end (with a look-ahead buffer for the header)."""

    name: str
    file_format: str  # "xlsx", "xls", "ods", "csv"
    height: int  # number of rows, for progress
    merges: list[Merge]
    _source: Iterator[list[Any]]
    _buffer: list[list[Any]] = field(default_factory=list)
    _offset_col: int = 0

    def head(self, count: int) -> list[list[Any]]:
        """The first ``count`` rows (fewer if the sheet is shorter), without consuming them."""
        while len(self._buffer) < count:
            try:
                self._buffer.append(self._pad(next(self._source)))
            except StopIteration:
                break
        return self._buffer[:count]

    def rows_from(self, start: int) -> Iterator[tuple[int, list[Any]]]:
        """``(row_index, cells)`` from row ``start`` to the end; can be iterated once."""
        index = 0
        for row in self._buffer:
            if index >= start:
                yield index, row
            index += 1
        self._buffer = []
        for row in self._source:
            if index >= start:
                yield index, self._pad(row)
            index += 1

    def _pad(self, row: list[Any]) -> list[Any]:
        # calamine yields rows from the sheet's first used column; put them back at their columns.
        return [""] * self._offset_col + row if self._offset_col else row


def detect_format(path: Path) -> str:
    """ "xlsx", "xls", "ods" or "csv" from the content; raises an ImportFileError subclass when unusable."""
    if not path.exists():
        raise UnreadableFileError(f"文件不存在：{path}")
    if path.is_dir():
        raise UnreadableFileError(f"这是一个文件夹，不是表格文件：{path}")
    try:
        safety.check_file_size(path, path.stat().st_size)
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise UnreadableFileError(f"无法打开文件 {path.name}：{exc.strerror or exc}") from exc
    if not head:
        raise EmptyFileError(f"文件是空的（0 字节）：{path.name}")
    if head.startswith(_ZIP):
        return _zip_format(path)
    if head.startswith(_OLE2):
        return _ole_format(path)
    _check_other_binary(path, head)
    _check_text(path, head)
    return "csv"


_BINARY_KINDS = (
    (b"%PDF", "PDF 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"BM", ""),  # too short to trust alone
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)


def _check_other_binary(path: Path, head: bytes) -> None:
    """Name common non-spreadsheet files (PDF, pictures, archives) instead of calling them garbage."""
    for magic, kind in _BINARY_KINDS:
        if kind and head.startswith(magic):
            raise MislabelledFileError(f"{path.name} 实际是 {kind}，不是 Excel 表格或 CSV 文件，无法导入。")


def _zip_format(path: Path) -> str:
    safety.check_zip_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise UnreadableFileError(f"文件已损坏或不完整，无法作为 Excel 工作簿打开：{path.name}") from exc
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "spreadsheet" in mimetype:
        return "ods"
    if "word/document.xml" in names:
        raise MislabelledFileError(
            f"{path.name} 是 Word 文档，不是 Excel 表格，请另存为 .xlsx 表格后再导入。"
        )
    if "ppt/presentation.xml" in names:
        raise MislabelledFileError(f"{path.name} 是 PowerPoint 演示文稿，不是 Excel 表格。")
    raise UnreadableFileError(f"{path.name} 是一个压缩包，不是 Excel 工作簿。")


def _ole_format(path: Path) -> str:
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedFileError(
            f"{path.name} 设置了打开密码（已加密）。请在 Excel 中打开，取消密码后另存为 .xlsx 再导入。"
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise MislabelledFileError(f"{path.name} 是 Word 文档（.doc），不是 Excel 表格。")
    safety.check_xls(path, data)
    return "xls"


def _check_text(path: Path, head: bytes) -> None:
    """Refuse binary garbage, web pages and CSV text that carries an Excel extension."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = head.decode("utf-16", "replace")
    else:
        if b"\x00" in head:
            raise UnreadableFileError(f"{path.name} 不是可识别的表格文件（应为 xlsx、xls 或 csv）。")
        sample = head.decode("utf-8", "replace")
    lowered = sample[:2048].lstrip("\ufeff \r\n\t").lower()
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta")) or (
        lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in sample
    ):
        raise MislabelledFileError(
            f"{path.name} 是网页（HTML/XML）格式的表格，常见于业务系统导出的 .xls。"
            "请用 Excel 打开后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(4, len(sample) // 100) or sample.count("\ufffd") > max(16, len(sample) // 20):
        if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _decodes_as_gb18030(head):
            return
        raise UnreadableFileError(f"{path.name} 不是可识别的表格文件（应为 xlsx、xls 或 csv）。")
    if path.suffix.lower() in _SPREADSHEET_SUFFIXES:
        raise MislabelledFileError(
            f"{path.name} 的扩展名是 {path.suffix}，但内容实际是 CSV 文本。请把扩展名改为 .csv 后再导入，"
            "或用 Excel 打开后另存为 .xlsx。"
        )


def _decodes_as_gb18030(head: bytes) -> bool:
    try:
        text = head.decode("gb18030")
    except UnicodeDecodeError:
        # The 64 KiB sample may cut a two-byte character in half.
        try:
            text = head[:-1].decode("gb18030")
        except UnicodeDecodeError:
            return False
    return sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t") <= max(4, len(text) // 100)


def open_tables(path: Path) -> list[Table]:
    """Every visible, non-empty sheet of the file (one table for csv), in workbook order.

    Raises an ImportFileError subclass (unreadable, mislabelled, encrypted, empty).
    """
    file_format = detect_format(path)
    tables = _csv_tables(path) if file_format == "csv" else _calamine_tables(path, file_format)
    if not tables:
        raise EmptyFileError(f"{path.name} 中没有任何数据。")
    return tables


def _calamine_tables(path: Path, file_format: str) -> list[Table]:
    import python_calamine as pc

    if file_format in ("xlsx", "ods"):
        safety.check_zip_package(path)
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
        tables: list[Table] = []
        for meta in workbook.sheets_metadata:
            if meta.visible != pc.SheetVisibleEnum.Visible or meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.height == 0 or sheet.width == 0:
                continue
            safety.check_grid(path, meta.name, sheet.height, sheet.width)
            start_row, start_col = sheet.start or (0, 0)
            merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            tables.append(
                Table(
                    name=meta.name,
                    file_format=file_format,
                    height=start_row + sheet.height,
                    merges=merges,
                    _source=iter(sheet.iter_rows()),
                    _offset_col=start_col,
                )
            )
    except pc.PasswordError as exc:
        raise EncryptedFileError(
            f"{path.name} 设置了打开密码（已加密）。请在 Excel 中取消密码后另存再导入。"
        ) from exc
    except (pc.CalamineError, pc.XmlError, pc.ZipError) as exc:
        raise UnreadableFileError(f"无法读取 {path.name}（文件可能已损坏或加密）：{exc}") from exc
    except ImportFileError:
        raise
    except (OSError, ValueError) as exc:
        raise UnreadableFileError(f"无法读取 {path.name}：{exc}") from exc
    except BaseException as exc:
        # A reader bug surfaces as pyo3's PanicException, which derives from BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        raise UnreadableFileError(f"无法读取 {path.name}（文件内容异常）：{exc}") from exc
    return tables


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"无法识别 {name} 的文字编码（既不是 UTF-8 也不是 GBK/GB18030），请用 Excel 另存为 .xlsx 后再导入。"
        ) from exc


def _csv_tables(path: Path) -> list[Table]:
    text = _decode(path.read_bytes(), path.name)
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    width = 0
    try:
        for row in reader:
            rows.append(row)
            if len(row) > width:
                width = len(row)
                if width > safety.MAX_COLUMNS:
                    safety.check_grid(path, path.stem, len(rows), width)
            if len(rows) > safety.MAX_ROWS:
                safety.check_grid(path, path.stem, len(rows), width)
    except csv.Error as exc:
        raise UnreadableFileError(
            f"{path.name} 第 {reader.line_num} 行无法按 CSV 读取（单元格过长或引号不成对：{exc}）。"
            "请检查文件内容，或用 Excel 打开后另存为 .xlsx 再导入。"
        ) from exc
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return []
    return [Table(name=path.stem, file_format="csv", height=len(rows), merges=[], _source=iter(rows))]
