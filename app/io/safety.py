"""Pre-flight checks that keep a hostile or absurd file away from the spreadsheet reader.

python-calamine is fast but trusting: it keeps a whole sheet's XML in memory, and it turns a sheet into a
dense grid from the first to the last used cell, so one value at XFD1048576 asks for 17 billion cells and
the process aborts. These checks run first, cost a bounded amount of memory, and turn every problem into an
:class:`~app.io.errors.ImportFileError` with a Chinese message naming the file:

* the file size (:data:`MAX_FILE_BYTES`);
* for a zip package (xlsx, ods): the directory read from the end-of-directory record before anything is
  listed; entry count, declared sizes and compression ratios; the real inflated size of every part that
  the reader parses (a directory that understates it is refused); no ``<!DOCTYPE``/``<!ENTITY`` before
  the root element of any XML part (entity bombs, external entities);
* for a worksheet: the cell references, so the dense grid stays within :data:`MAX_ROWS`,
  :data:`MAX_COLUMNS` and :data:`MAX_CELLS`;
* for an xls: a FILEPASS record (password to open) right after the workbook's BOF record.

Small worksheets are tokenised exactly as the reader positions cells; large ones get a few regex passes
that look only for far-away references and for the unusual syntax that would hide one (then the exact
tokeniser runs after all).
"""

from __future__ import annotations

import functools
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app.io.errors import (
    EncryptedFileError,
    FileTooLargeError,
    ImportFileError,
    SheetTooLargeError,
    SuspiciousFileError,
    UnreadableFileError,
)

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "check_file_size",
    "check_grid",
    "check_xls",
    "check_zip_directory",
    "check_zip_package",
    "column_letters",
]

_MIB = 1 << 20
MAX_FILE_BYTES = 300 * _MIB  # a 1,000,000-row registry is ~150 MB as xlsx, ~250 MB as csv
MAX_ROWS = 1_048_576  # Excel's own limit; our registries stay below 1,000,000 rows
MAX_COLUMNS = 1_024  # registries have a few dozen columns; 1,024 is far beyond any real one
MAX_CELLS = 25_000_000  # the reader's dense grid: ~32 bytes a cell, so ≤ ~800 MB
MAX_ZIP_ENTRIES = 10_000
_MAX_DIRECTORY_BYTES = 8 * _MIB
_MAX_SHEET_XML = 1024 * _MIB  # inflated size of one worksheet part (the reader holds it in memory)
_MAX_OTHER_XML = 256 * _MIB  # sharedStrings.xml, styles.xml, …: the reader holds them ~3× over
_MAX_TOTAL_XML = 1536 * _MIB
_MAX_RATIO = 200  # deflate reaches ~1000:1 on filler; real sheets compress 5–30:1
_RATIO_FLOOR = _MIB  # small parts may have any ratio
_PROLOG_BYTES = 64 * 1024
_EXACT_SCAN_BYTES = 16 * _MIB  # worksheets up to this size are tokenised exactly
_CHUNK = 8 * _MIB

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


def column_letters(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" (Excel's column names)."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _mb(size: int) -> str:
    return f"{size / _MIB:,.0f} MB" if size >= _MIB else f"{size / 1024:,.0f} KB"


def check_file_size(path: Path, size: int) -> None:
    """Refuse files above :data:`MAX_FILE_BYTES` before reading them."""
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(
            f"{path.name} 太大（{_mb(size)}），超过导入上限 {_mb(MAX_FILE_BYTES)}。"
            "请把名录拆分为几个较小的文件分别导入。"
        )


def check_grid(path: Path, sheet: str, rows: int, columns: int, far_cell: str = "") -> None:
    """Refuse a sheet whose used range (rows × columns, from the first to the last used cell) is absurd."""
    where = f"，最远的单元格在 {far_cell}" if far_cell else ""
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise SheetTooLargeError(
            f"{path.name} 的工作表“{sheet}”数据范围过大：{rows:,} 行 × {columns:,} 列{where}。"
            f"本系统最多读取 {MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列（共 {MAX_CELLS:,} 个单元格）。"
            "请删除多余的行列或远处单元格的内容，另存后再导入。"
        )


# ---- zip packages ------------------------------------------------------------------------------------


def _damaged(path: Path, detail: str = "") -> UnreadableFileError:
    suffix = f"（{detail}）" if detail else ""
    return UnreadableFileError(f"{path.name} 已损坏或不完整，无法作为 Excel 工作簿打开{suffix}。")


def _directory_size(path: Path, fh: BinaryIO, size: int) -> tuple[int, int]:
    """(entries, directory bytes) from the end-of-directory record, before zipfile lists anything."""
    tail_length = min(size, 65_535 + 22)
    fh.seek(size - tail_length)
    tail = fh.read(tail_length)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise _damaged(path, "找不到压缩包目录，文件可能被截断")
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    if (
        (entries == 0xFFFF or directory == 0xFFFFFFFF)
        and at >= 20
        and tail[at - 20 : at - 16] == _EOCD64_LOCATOR
    ):
        (offset,) = struct.unpack_from("<Q", tail, at - 20 + 8)
        fh.seek(offset)
        record = fh.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise _damaged(path)
        entries, directory = struct.unpack_from("<QQ", record, 32)
    return entries, directory


def _part_stream(path: Path, fh: BinaryIO, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
    """The inflated bytes of one part, in chunks; refuses more than ``limit`` or more than declared."""
    if info.flag_bits & 0x1:
        raise EncryptedFileError(f"{path.name} 已加密（设置了密码），请在 Excel 中取消密码后另存再导入。")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnreadableFileError(
            f"{path.name} 使用了 Excel 不使用的压缩方式，无法读取。请用 Excel 打开后另存为 .xlsx 再导入。"
        )
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(path)
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    remaining = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    while remaining > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            raw = inflater.unconsumed_tail
        else:
            raw = fh.read(min(remaining, _MIB))
            if not raw:
                raise _damaged(path, f"“{info.filename}”不完整")
            remaining -= len(raw)
        try:
            out = inflater.decompress(raw, _CHUNK) if inflater is not None else raw
        except zlib.error as exc:
            raise _damaged(path, f"“{info.filename}”的压缩数据有误") from exc
        produced += len(out)
        if produced > info.file_size:
            raise _damaged(path, f"“{info.filename}”的实际大小超过压缩包目录中记录的大小")
        if produced > limit:
            raise _bomb(path, info, produced)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break


def _bomb(path: Path, info: zipfile.ZipInfo, size: int) -> SuspiciousFileError:
    ratio = size // max(1, info.compress_size)
    return SuspiciousFileError(
        f"{path.name} 中的部件“{info.filename}”解压后达 {_mb(size)}（压缩比 {ratio:,}:1），"
        "远超正常的 Excel 工作簿，可能是恶意构造的“压缩炸弹”，已拒绝读取。"
    )


# What reading a damaged package can raise besides our own errors (negative offsets, short records, …).
_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error, KeyError)


def check_zip_directory(path: Path) -> None:
    """The entry count and directory size, read from the end record (before zipfile lists every entry)."""
    try:
        with path.open("rb") as fh:
            _check_directory(path, fh)
    except _DAMAGE as exc:
        raise _damaged(path) from exc


def _check_directory(path: Path, fh: BinaryIO) -> None:
    entries, directory = _directory_size(path, fh, path.stat().st_size)
    if entries > MAX_ZIP_ENTRIES or directory > _MAX_DIRECTORY_BYTES:
        raise SuspiciousFileError(
            f"{path.name} 内含 {entries:,} 个部件，远超正常的 Excel 工作簿，可能已损坏或是恶意构造的文件，"
            "已拒绝读取。"
        )


def check_zip_package(path: Path) -> None:
    """All checks of an xlsx/ods package (see the module docstring); raises an ImportFileError subclass."""
    try:
        with path.open("rb") as fh:
            _check_directory(path, fh)
            with zipfile.ZipFile(fh) as archive:
                _check_parts(path, fh, archive.infolist())
    except _DAMAGE as exc:
        raise _damaged(path) from exc


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _is_sheet(name: str) -> bool:
    lowered = name.lower()
    return (lowered.startswith("xl/worksheets/") and lowered.endswith(".xml")) or name == "content.xml"


def _check_parts(path: Path, fh: BinaryIO, infos: list[zipfile.ZipInfo]) -> None:
    sheets: dict[str, str] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        limit = _MAX_SHEET_XML if _is_sheet(info.filename) else _MAX_OTHER_XML
        if info.file_size > limit or (
            info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(1, info.compress_size)
        ):
            raise _bomb(path, info, info.file_size)
        if _is_xml(info.filename):
            total += info.file_size
    if total > _MAX_TOTAL_XML:
        raise SuspiciousFileError(
            f"{path.name} 的内容解压后共 {_mb(total)}，超出可导入的范围（{_mb(_MAX_TOTAL_XML)}），已拒绝读取。"
        )
    infos = sorted(infos, key=lambda i: _is_sheet(i.filename))  # the workbook first: it names the sheets
    for info in infos:
        if info.is_dir() or not _is_xml(info.filename):
            continue
        if _is_sheet(info.filename) and not sheets:
            sheets = _sheet_names(fh, infos)
        limit = _MAX_SHEET_XML if _is_sheet(info.filename) else _MAX_OTHER_XML
        if info.filename == "content.xml":  # OpenDocument: every sheet of the workbook is in this part
            _check_ods_content(path, info.filename, _part_stream(path, fh, info, limit))
        elif _is_sheet(info.filename):
            _check_sheet(
                path,
                sheets.get(info.filename, Path(info.filename).stem),
                info.filename,
                functools.partial(_part_stream, path, fh, info, limit),
            )
        else:
            _check_plain_part(path, info.filename, _part_stream(path, fh, info, limit))


def _sheet_names(fh: BinaryIO, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part → the sheet's name in the workbook, for messages; {} when it cannot be told.

    Runs after the workbook parts passed the prolog check (no DOCTYPE, hence no entities to expand)."""
    import xml.etree.ElementTree as ElementTree

    by_name = {i.filename: i for i in infos}
    try:
        parsed = []
        for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            info = by_name[part]
            if info.file_size > 4 * _MIB:
                return {}
            parsed.append(ElementTree.fromstring(b"".join(_part_stream(Path(part), fh, info, 4 * _MIB))))
    except (KeyError, ElementTree.ParseError, ImportFileError):
        return {}
    workbook, rels = parsed
    targets = {
        rel.get("Id"): "xl/" + (rel.get("Target") or "").lstrip("/").removeprefix("xl/")
        for rel in rels
        if rel.get("Id")
    }
    names: dict[str, str] = {}
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        if target and sheet.get("name"):
            names[target] = sheet.get("name") or ""
    return names


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _check_plain_part(path: Path, name: str, chunks: Iterator[bytes]) -> None:
    head = b""
    for chunk in chunks:
        if len(head) < _PROLOG_BYTES:
            head += chunk[: _PROLOG_BYTES - len(head)]
            if len(head) >= _PROLOG_BYTES:
                _check_prolog(path, name, head)
        # reading on to the end proves the inflated size matches the directory
    if len(head) < _PROLOG_BYTES:
        _check_prolog(path, name, head)


_MARKUP_DECLARATION = re.compile(rb"<!(?!--)")


def _check_prolog(path: Path, name: str, head: bytes) -> None:
    """No DOCTYPE (nor any other ``<!`` declaration) before the root element; the root must come early."""
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0 or start + 1 >= len(head):
            if len(head) >= _PROLOG_BYTES:
                raise _suspicious_xml(path, name)
            return  # an empty or damaged part: the reader reports it
        follower = head[start + 1 : start + 2]
        if follower == b"?":
            end = head.find(b"?>", start)
        elif head.startswith(b"<!--", start):
            end = head.find(b"-->", start)
        elif follower == b"!":
            raise _suspicious_xml(path, name)
        else:
            return
        if end < 0:
            if len(head) >= _PROLOG_BYTES:
                raise _suspicious_xml(path, name)
            return
        position = end + 2


def _suspicious_xml(path: Path, name: str) -> SuspiciousFileError:
    return SuspiciousFileError(
        f"{path.name} 的部件“{name}”含有 DOCTYPE 或实体声明（正常的 Excel 文件不会有），"
        "可能是恶意构造的文件（实体炸弹或外部实体），已拒绝读取。请用 Excel 打开后另存为 .xlsx 再导入。"
    )


# ---- worksheet extent --------------------------------------------------------------------------------


@dataclass
class _Extent:
    """The used range as the reader will compute it: min/max row and column over cells with a value."""

    min_row: int = 1 << 62
    max_row: int = -1
    min_col: int = 1 << 62
    max_col: int = -1
    far: tuple[int, int] = (0, 0)

    def add(self, row: int, col: int) -> None:
        if row < self.min_row:
            self.min_row = row
        if col < self.min_col:
            self.min_col = col
        if row > self.max_row or col > self.max_col:
            if row + col > sum(self.far):
                self.far = (row, col)
            self.max_row = max(self.max_row, row)
            self.max_col = max(self.max_col, col)

    def check(self, path: Path, sheet: str) -> None:
        if self.max_row < 0:
            return
        rows = self.max_row - self.min_row + 1
        columns = self.max_col - self.min_col + 1
        far = f"{column_letters(self.far[1])}{self.far[0] + 1}"
        check_grid(path, sheet, rows, columns, far)


_REFERENCE = re.compile(rb"\A\s*([A-Za-z]{1,8})(\d{1,12})\s*\Z")
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTRIBUTE = re.compile(rb"(?:^|\s)r\s*=\s*([\"'])(.*?)\1", re.S)
_VALUE_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:v|is)[\s/>]")
# Large sheets: far references only (2+ letters, or rows ≥ 200,000), and syntax that would need the tokeniser.
# ``r=`` followed by a far reference (two letters, or a row ≥ 200,000), or ``r`` written unusually (a space
# around ``=``, a single quote): either sends the sheet to the exact tokeniser. One pass for both.
_FAR_OR_ODD_REFERENCE = re.compile(rb'r(?:\s+=|=(?:"[A-Za-z](?:[A-Za-z]|\d{7}|[2-9]\d{5})|[^"]))')
_UNREFERENCED_CELL = re.compile(rb"<c(?:>|/>|\s(?!r=)(?![^>]*\sr\s*=)[^>]*>)")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters.upper():
        index = index * 26 + (byte - 64)
    return index - 1


def _check_sheet(path: Path, sheet: str, part: str, stream: Callable[[], Iterator[bytes]]) -> None:
    chunks = stream()
    buffered: list[bytes] = []
    size = 0
    for chunk in chunks:
        if not buffered:
            _check_prolog(path, part, chunk[:_PROLOG_BYTES])
        buffered.append(chunk)
        size += len(chunk)
        if size > _EXACT_SCAN_BYTES:
            break
    else:
        extent = _Extent()
        _tokenise(b"".join(buffered), extent, _TokenState())
        extent.check(path, sheet)
        return
    if not _large_sheet_is_near(path, sheet, _chain(buffered, chunks)):
        del buffered
        _exact_in_pieces(path, sheet, stream())


def _pieces(chunks: Iterator[bytes], path: Path, sheet: str) -> Iterator[bytes | memoryview]:
    """Inflated chunks re-cut after their last ``>``, so no tag straddles two pieces (views, not copies)."""
    carry = b""
    for chunk in chunks:
        first = chunk.find(b">") + 1
        cut = chunk.rfind(b">") + 1
        if not cut:
            carry += chunk
            if len(carry) > _CHUNK:
                raise _suspicious_xml(path, sheet)
            continue
        yield carry + chunk[:first]
        yield memoryview(chunk)[first:cut]
        carry = chunk[cut:]
    yield carry


def _exact_in_pieces(path: Path, sheet: str, chunks: Iterator[bytes]) -> None:
    extent = _Extent()
    state = _TokenState()
    for piece in _pieces(chunks, path, sheet):
        _tokenise(bytes(piece), extent, state)
    extent.check(path, sheet)


@dataclass
class _TokenState:
    row: int = -1
    col: int = -1
    cell: tuple[int, int] | None = None  # an open <c> whose value is not yet seen
    valued: bool = False


def _tokenise(data: bytes, extent: _Extent, state: _TokenState) -> None:
    """Position every cell as the reader does: ``r`` when present, else one after the previous cell/row."""
    position = 0
    for match in _TAG.finditer(data):
        closing, tag, attributes = match.group(1), match.group(2), match.group(3)
        if state.cell is not None and not state.valued and _VALUE_TAG.search(data, position, match.start()):
            state.valued = True
        position = match.end()
        if tag == b"row":
            if closing:
                continue
            state.row = _row_number(attributes, state.row + 1)
            state.col = -1
            continue
        if closing:
            if state.cell is not None and state.valued:
                extent.add(*state.cell)
            state.cell = None
            continue
        found = _R_ATTRIBUTE.search(attributes)
        if found:
            reference = _REFERENCE.match(found.group(2))
            if reference is None:
                continue  # the reader refuses such a reference itself
            row = int(reference.group(2)) - 1
            col = _column_index(reference.group(1))
        else:
            row, col = max(state.row, 0), state.col + 1
        state.col = col
        if attributes.rstrip().endswith(b"/"):
            continue  # <c …/>: no value
        state.cell, state.valued = (row, col), False
    if state.cell is not None and not state.valued and _VALUE_TAG.search(data, position):
        state.valued = True  # the value of a cell still open at the end of this piece


def _row_number(attributes: bytes, default: int) -> int:
    found = _R_ATTRIBUTE.search(attributes)
    if found and found.group(2).strip().isdigit():
        return int(found.group(2)) - 1
    return default


def _large_sheet_is_near(path: Path, sheet: str, chunks: Iterator[bytes]) -> bool:
    """True when every cell reference of a big sheet lies within A1:Z200000 (≤ 5.2 million cells) and
    nothing is written in a way that could hide one; then the sheet needs no exact tokenising.

    Three regex passes, each fast because it starts with a literal: far references (two letters, or a
    row ≥ 200,000) and ``r`` written with spaces or single quotes; a ``<c>`` without ``r``; a
    namespace-prefixed ``<x:c>``."""
    for piece in _pieces(_prefetched(chunks), path, sheet):
        if _UNREFERENCED_CELL.search(piece) or _PREFIXED_CELL.search(piece):
            return False
        for match in _FAR_OR_ODD_REFERENCE.finditer(piece):
            start = match.start()
            if not start or piece[start - 1] in b" \t\n\r":
                return False  # (another attribute ending in r, e.g. xmlns:r= or header=, does not count)
    return True


def _prefetched(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` produced one step ahead in a worker thread: inflating releases the GIL, so it overlaps
    the regex passes on the previous chunk. At most two chunks wait; stopping early stops the worker."""
    ready: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        ready.put(("chunk", chunk), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put(("end", None))
        except BaseException as exc:  # handed to the reading thread, which raises it
            ready.put(("error", exc))

    worker = threading.Thread(target=produce, name="xlsx-inflate", daemon=True)
    worker.start()
    try:
        while True:
            kind, item = ready.get()
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(item, BaseException)
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                ready.get_nowait()
            except queue.Empty:
                worker.join(0.05)


def _chain(head: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from head
    yield from rest


# ---- ods ----------------------------------------------------------------------------------------------

_ODS_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
_ODS_REPEAT = re.compile(rb"number-(rows|columns)-repeated\s*=\s*[\"']\s*(\d{1,12})")
_ODS_NAME = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?name\s*=\s*([\"'])(.*?)\1", re.S)


def _check_ods_content(path: Path, part: str, chunks: Iterator[bytes]) -> None:
    """OpenDocument repeats rows and cells by count (``number-rows-repeated="1000000"``): one short tag can
    stand for millions of cells. Each table's used range is computed from the counts, as the reader will."""
    extent = _Extent()
    sheet = part
    row_first = row_last = -1
    col = 0
    first = True
    for piece in _pieces(chunks, path, part):
        data = bytes(piece)
        if first:
            _check_prolog(path, part, data[:_PROLOG_BYTES])
            first = False
        for match in _ODS_TAG.finditer(data):
            closing, tag, attributes = match.group(1), match.group(2), match.group(3)
            if tag == b"table":
                if closing:
                    extent.check(path, sheet)
                    extent, row_first, row_last = _Extent(), -1, -1
                else:
                    named = _ODS_NAME.search(attributes)
                    sheet = named.group(2).decode("utf-8", "replace") if named else part
                continue
            if closing:
                continue
            repeats = {kind: int(count) for kind, count in _ODS_REPEAT.findall(attributes)}
            if tag == b"table-row":
                row_first = row_last + 1
                row_last = row_first + max(1, repeats.get(b"rows", 1)) - 1
                col = 0
                continue
            width = max(1, repeats.get(b"columns", 1))
            valued = b"value-type" in attributes or not attributes.rstrip().endswith(b"/")
            if valued and row_first >= 0:
                extent.add(row_first, col)
                extent.add(row_last, col + width - 1)
            col += width
    extent.check(path, sheet)


# ---- xls ---------------------------------------------------------------------------------------------

_BOF_RECORD = re.compile(rb"\x09\x08[\x08\x10]\x00")  # BOF, BIFF5 or BIFF8 length
_FILEPASS = 0x002F


def check_xls(path: Path, data: bytes) -> None:
    """Refuse an xls with a password to open: its workbook stream starts BOF (globals), FILEPASS.

    The workbook stream begins on a sector boundary of the compound file (512-byte sectors, or 64-byte
    mini-sectors for small files), so only those offsets are looked at.
    """
    for match in _BOF_RECORD.finditer(data):
        offset = match.start()
        if offset % 64 or offset + 24 > len(data):
            continue
        length = data[offset + 2]
        (substream,) = struct.unpack_from("<H", data, offset + 6)
        if substream != 0x0005:  # workbook globals
            continue
        (following,) = struct.unpack_from("<H", data, offset + 4 + length)
        if following == _FILEPASS:
            raise EncryptedFileError(
                f"{path.name} 已加密（设置了打开密码），请在 Excel 中打开，取消密码后另存为 .xlsx 再导入。"
            )
