"""Hostile import files, built by code: damaged, encrypted, mislabelled, bombs and absurd dimensions.

Every builder writes one file into a folder and returns its path. The xlsx files are assembled part by part
with :mod:`zipfile` (a minimal SpreadsheetML package, as Excel would store it), so one part at a time can be
replaced by something hostile. Nothing here needs a committed binary.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from app.registry.codes import make_uscc

__all__ = [
    "HOSTILE",
    "HostileCase",
    "REGISTRY_ROWS",
    "csv_bytes",
    "sheet_xml",
    "xlsx_bytes",
    "xlsx_parts",
    "zip_parts",
]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

REGISTRY_ROWS: list[list[str]] = [
    ["统一社会信用代码", "企业名称", "住所"],
    [make_uscc("9", "1", "469006", "MA5T0001"), "示范县甲乙商贸有限公司", "示范县城关镇人民路1号"],
    [make_uscc("9", "1", "469006", "MA5T0002"), "示范县丙丁餐饮店", "示范县城关镇解放路2号"],
]


# ---- a minimal, valid xlsx ---------------------------------------------------------------------------


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: Sequence[Sequence[str]], *, dimension: str | None = None, extra_rows: str = "") -> bytes:
    """A worksheet with inline strings (``t="inlineStr"``), optional ``<dimension>`` and raw extra rows."""
    body: list[str] = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_column_letters(c)}{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            for c, value in enumerate(row)
            if value
        )
        body.append(f'<row r="{r}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{dim}<sheetData>{"".join(body)}{extra_rows}'
        "</sheetData></worksheet>"
    ).encode()


def shared_strings_xml(strings: Sequence[str]) -> bytes:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()


def sheet_xml_shared(rows: Sequence[Sequence[str]]) -> tuple[bytes, bytes]:
    """A worksheet whose text cells refer to sharedStrings.xml (as Excel stores them), and that part."""
    strings: list[str] = []
    body: list[str] = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            if value:
                strings.append(value)
                cells.append(f'<c r="{_column_letters(c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>{"".join(body)}</sheetData></worksheet>'
    ).encode()
    return sheet, shared_strings_xml(strings)


def xlsx_parts(sheet: bytes | None = None, shared: bytes | None = None) -> dict[str, bytes]:
    """The parts of a one-sheet workbook "名录" (the registry rows unless ``sheet`` is given)."""
    if sheet is None:
        sheet, shared = sheet_xml_shared(REGISTRY_ROWS)
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared is not None
            else ""
        )
        + "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        '<sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        + (
            '<Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            if shared is not None
            else ""
        )
        + "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": rels.encode(),
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def zip_parts(parts: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes(rows: Sequence[Sequence[str]] = REGISTRY_ROWS) -> bytes:
    """A small valid registry workbook (shared strings)."""
    sheet, shared = sheet_xml_shared(rows)
    return zip_parts(xlsx_parts(sheet, shared))


def csv_bytes(rows: Sequence[Sequence[str]] = REGISTRY_ROWS) -> bytes:
    return ("\n".join(",".join(row) for row in rows) + "\n").encode("utf-8")


# ---- zip bombs: deflate streams built without inflating anything -------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    index = 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of A + B from the CRCs of A and B and the length of B (zlib's crc32_combine, in Python)."""
    odd = [0xEDB88320] + [1 << i for i in range(31)]  # the operator for one zero bit
    even = [_gf2_times(odd, odd[i]) for i in range(32)]  # two zero bits
    odd = [_gf2_times(even, even[i]) for i in range(32)]  # four zero bits
    while True:
        even = [_gf2_times(odd, odd[i]) for i in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = [_gf2_times(even, even[i]) for i in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeated_crc(data: bytes, repeats: int) -> int:
    """CRC-32 of ``data * repeats`` without building it (by doubling)."""
    result, result_len = 0, 0
    power, power_len = zlib.crc32(data), len(data)
    while repeats:
        if repeats & 1:
            result = _crc32_combine(result, power, power_len) if result_len else power
            result_len += power_len
        power = _crc32_combine(power, power, power_len)
        power_len *= 2
        repeats >>= 1
    return result


def _repeated_deflate(prefix: bytes, filler: bytes, repeats: int, suffix: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``prefix + filler * repeats + suffix`` built from one compressed ``filler``.

    After a full flush the compressor's state no longer depends on what came before, so compressing the
    same filler again gives the same bytes: the stream is assembled by repetition, in milliseconds, for any
    size. Returns (stream, uncompressed size, CRC-32).
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush(zlib.Z_FINISH)
    crc = _crc32_combine(zlib.crc32(prefix), _repeated_crc(filler, repeats), len(filler) * repeats)
    crc = _crc32_combine(crc, zlib.crc32(suffix), len(suffix))
    size = len(prefix) + len(filler) * repeats + len(suffix)
    return head + block * repeats + tail, size, crc


def _raw_zip(entries: Sequence[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, raw deflate data, declared uncompressed size, crc, method) — sizes may lie.

    Sizes ≥ 4 GiB are not supported here (no ZIP64 records); the bombs stay below that.
    """
    out = io.BytesIO()
    central = io.BytesIO()
    for name, data, size, crc, method in entries:
        encoded = name.encode()
        offset = out.tell()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, method, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out.write(header + encoded + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0x0800,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0)
    )
    return out.getvalue()


def _bomb_xlsx(part: str, prefix: bytes, filler: bytes, repeats: int, suffix: bytes, *, lie: bool) -> bytes:
    parts = xlsx_parts(sheet_xml(REGISTRY_ROWS))
    entries: list[tuple[str, bytes, int, int, int]] = []
    for name, data in parts.items():
        if name == part:
            stream, size, crc = _repeated_deflate(prefix, filler, repeats, suffix)
            if lie:  # the directory claims a small, plausible part
                size = len(prefix) + len(suffix) + 1000
            entries.append((name, stream, size, crc, zipfile.ZIP_DEFLATED))
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            stream = compressor.compress(data) + compressor.flush()
            entries.append((name, stream, len(data), zlib.crc32(data), zipfile.ZIP_DEFLATED))
    if part not in parts:
        stream, size, crc = _repeated_deflate(prefix, filler, repeats, suffix)
        entries.append((part, stream, len(prefix) + 1000 if lie else size, crc, zipfile.ZIP_DEFLATED))
    return _raw_zip(entries)


_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row>'
).encode()
_SHEET_TAIL = b"</sheetData></worksheet>"
_MIB = 1 << 20


def sheet_whitespace_bomb(folder: Path, *, lie: bool = False) -> Path:
    """A sheet that inflates to 3 GiB of blanks between rows (ratio ≈ 1000:1); with ``lie`` the zip
    directory declares ~1 KB for it."""
    path = folder / ("bomb_lying_size.xlsx" if lie else "bomb_sheet.xlsx")
    path.write_bytes(
        _bomb_xlsx("xl/worksheets/sheet1.xml", _SHEET_HEAD, b" " * _MIB, 3 * 1024, _SHEET_TAIL, lie=lie)
    )
    return path


def shared_string_bomb(folder: Path) -> Path:
    """One shared string of 2 GiB (a reader that keeps it must allocate it), declared honestly: the ratio
    (≈ 1000:1) and the size give it away."""
    path = folder / "bomb_shared_string.xlsx"
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}"><si><t>'.encode()
    path.write_bytes(
        _bomb_xlsx("xl/sharedStrings.xml", head, b"A" * _MIB, 2 * 1024, b"</t></si></sst>", lie=False)
    )
    return path


def cell_text_bomb(folder: Path) -> Path:
    """One inline-string cell of 1.5 GiB whose size the zip directory understates."""
    path = folder / "bomb_cell_text.xlsx"
    head = _SHEET_HEAD + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row>" + _SHEET_TAIL
    path.write_bytes(_bomb_xlsx("xl/worksheets/sheet1.xml", head, b"x" * _MIB, 1536, tail, lie=True))
    return path


def many_entries_zip(folder: Path) -> Path:
    """A workbook with 70,000 extra (tiny) parts: the directory alone is megabytes."""
    parts = xlsx_parts()
    for index in range(70_000):
        parts[f"xl/media/junk{index}.bin"] = b""
    path = folder / "many_entries.xlsx"
    path.write_bytes(zip_parts(parts, compression=zipfile.ZIP_STORED))
    return path


# ---- XML entity bombs and external entities ----------------------------------------------------------


def _laughs(root_open: str, use: str, root_close: str) -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz ['
        + "".join(entities)
        + "]>\n"
        + root_open
        + use
        + root_close
    ).encode()


def billion_laughs_sheet(folder: Path) -> Path:
    sheet = _laughs(
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">',
        '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>',
        "</row></sheetData></worksheet>",
    )
    path = folder / "laughs_sheet.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet)))
    return path


def billion_laughs_shared_strings(folder: Path) -> Path:
    sheet, _shared = sheet_xml_shared(REGISTRY_ROWS)
    shared = _laughs(f'<sst xmlns="{MAIN_NS}">', "<si><t>&lol9;</t></si>", "</sst>")
    path = folder / "laughs_shared_strings.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet, shared)))
    return path


def external_entity(folder: Path) -> Path:
    """XXE: a shared string that would pull in a local file."""
    target = folder / "secret.txt"
    target.write_text("绝密内容 SECRET", encoding="utf-8")
    sheet, _shared = sheet_xml_shared(REGISTRY_ROWS)
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>\n'
        f'<sst xmlns="{MAIN_NS}"><si><t>&xxe;</t></si><si><t>企业名称</t></si><si><t>住所</t></si>'
        "<si><t>x</t></si><si><t>y</t></si><si><t>z</t></si><si><t>w</t></si></sst>"
    ).encode()
    path = folder / "xxe.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet, shared)))
    return path


def external_entity_in_workbook(folder: Path) -> Path:
    parts = xlsx_parts()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"?>\n", b'?>\n<!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', 1
    )
    path = folder / "xxe_workbook.xlsx"
    path.write_bytes(zip_parts(parts))
    return path


# ---- absurd dimensions -------------------------------------------------------------------------------


def lying_dimension(folder: Path) -> Path:
    """Three real rows under ``<dimension ref="A1:XFD1048576"/>``: the hint alone must not cost memory."""
    path = folder / "lying_dimension.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet_xml(REGISTRY_ROWS, dimension="A1:XFD1048576"))))
    return path


def far_away_cell(folder: Path, ref: str = "XFD1048576") -> Path:
    """The registry rows and one value in the sheet's last cell: a dense range would be 17 billion cells."""
    row = "".join(ch for ch in ref if ch.isdigit())
    extra = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'
    path = folder / f"far_cell_{ref}.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet_xml(REGISTRY_ROWS, extra_rows=extra))))
    return path


def far_away_cell_first(folder: Path) -> Path:
    """The far cell comes first in the XML (rows out of order), with a huge dimension hint too."""
    sheet = sheet_xml(REGISTRY_ROWS, dimension="A1:XFD1048576").replace(
        b"<sheetData>", b'<sheetData><row r="1048576"><c r="ZZ1048576"><v>2</v></c></row>', 1
    )
    path = folder / "far_cell_first.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet)))
    return path


def far_cell_without_references(folder: Path) -> Path:
    """A row with 20,000 cells that carry no ``r`` attribute (positions by counting); the last has a value."""
    cells = "<c/>" * 19_999 + '<c t="inlineStr"><is><t>远</t></is></c>'
    path = folder / "wide_unreferenced.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet_xml(REGISTRY_ROWS, extra_rows=f"<row>{cells}</row>"))))
    return path


def too_many_columns(folder: Path) -> Path:
    """A header row of 16,385 filled columns (one beyond Excel's XFD)."""
    cells = "".join(f'<c r="{_column_letters(c)}4"><v>{c}</v></c>' for c in range(16_385))
    path = folder / "columns_16385.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet_xml(REGISTRY_ROWS, extra_rows=f'<row r="4">{cells}</row>'))))
    return path


def many_empty_rows(folder: Path) -> Path:
    """Every one of Excel's 1,048,576 rows present, with a formatted but empty cell each."""
    extra = "".join(f'<row r="{r}"><c r="C{r}" s="0"/></row>' for r in range(4, 1_048_577))
    path = folder / "empty_rows.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet_xml(REGISTRY_ROWS, extra_rows=extra))))
    return path


def long_cell_strings(folder: Path) -> Path:
    """A 40 MB (13 million characters) company name, stored honestly."""
    rows = [list(r) for r in REGISTRY_ROWS]
    rows[1][1] = "甲" * 13_000_000
    path = folder / "long_cell.xlsx"
    path.write_bytes(zip_parts(xlsx_parts(sheet_xml(rows))))
    return path


# ---- damaged, encrypted and mislabelled --------------------------------------------------------------


def truncated(folder: Path, fraction: float) -> Path:
    data = xlsx_bytes()
    path = folder / f"truncated_{int(fraction * 100)}.xlsx"
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def truncated_end(folder: Path) -> Path:
    """Only the end-of-directory record is missing (the last 22 bytes)."""
    path = folder / "truncated_eocd.xlsx"
    path.write_bytes(xlsx_bytes()[:-22])
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """A genuinely password-protected workbook (ECMA-376 agile encryption in an OLE2 container)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(xlsx_bytes())
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("示范县", encrypted)
    path = folder / "encrypted.xlsx"
    path.write_bytes(encrypted.getvalue())
    return path


def encrypted_xls(folder: Path) -> Path:
    """An xls whose workbook stream begins with a FILEPASS record (XOR obfuscation), as Excel 97–2003 writes
    it for a password to open."""
    import olefile
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名录")
    for r, row in enumerate(REGISTRY_ROWS):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    path = folder / "encrypted.xls"
    path.write_bytes(buffer.getvalue())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = ole.openstream("Workbook").read()
        (bof_length,) = struct.unpack_from("<H", stream, 2)
        start = 4 + bof_length
        # INTERFACEHDR (6 bytes) + MMS (6) + INTERFACEEND (4) = 16 bytes become FILEPASS (10) + INTERFACEHDR (6).
        kinds = [struct.unpack_from("<H", stream, start + off)[0] for off in (0, 6, 12)]
        assert kinds == [0x00E1, 0x00C1, 0x00E2], kinds
        filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678)
        replacement = filepass + struct.pack("<HHH", 0x00E1, 2, 0x04B0)
        ole.write_stream("Workbook", stream[:start] + replacement + stream[start + 16 :])
    return path


def docx_named_xlsx(folder: Path) -> Path:
    path = folder / "report.xlsx"
    path.write_bytes(
        zip_parts(
            {
                "[Content_Types].xml": b"<Types/>",
                "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="w"/>',
            }
        )
    )
    return path


def pdf_named_xlsx(folder: Path) -> Path:
    path = folder / "scan.xlsx"
    path.write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8
    )
    return path


def png_named_xlsx(folder: Path) -> Path:
    path = folder / "photo.xlsx"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
        + bytes(range(256)) * 4
    )
    return path


def csv_named_xlsx(folder: Path) -> Path:
    path = folder / "registry_csv.xlsx"
    path.write_bytes(csv_bytes())
    return path


def xlsx_named_csv(folder: Path) -> Path:
    """An xlsx under a .csv name: the content decides, so it is read as the workbook it is."""
    path = folder / "registry.csv"
    path.write_bytes(xlsx_bytes())
    return path


def zip_named_xlsx(folder: Path) -> Path:
    path = folder / "archive.xlsx"
    path.write_bytes(zip_parts({"readme.txt": "说明".encode()}))
    return path


def zero_bytes(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def binary_garbage(folder: Path) -> Path:
    path = folder / "garbage.xlsx"
    state = 12345
    noise = bytearray()
    for _ in range(64 * 1024):  # a fixed pseudo-random stream (no os.urandom: the case must be repeatable)
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        noise.append(state >> 16 & 0xFF)
    path.write_bytes(bytes(noise))
    return path


def garbage_after_zip_magic(folder: Path) -> Path:
    path = folder / "zip_magic.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 64)
    return path


def garbage_after_ole_magic(folder: Path) -> Path:
    path = folder / "ole_magic.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 64)
    return path


def a_directory(folder: Path) -> Path:
    path = folder / "folder.xlsx"
    path.mkdir()
    return path


def csv_with_nul(folder: Path) -> Path:
    path = folder / "nul.csv"
    path.write_bytes(csv_bytes().replace("甲乙".encode(), b"\x00\x00"))
    return path


def csv_long_line(folder: Path) -> Path:
    """A 50 MB single line: no header can be found in it, and it must not be split into millions of cells."""
    path = folder / "long_line.csv"
    with path.open("wb") as fh:
        fh.write("企业名称,".encode())
        chunk = b"x" * _MIB
        for _ in range(50):
            fh.write(chunk)
        fh.write(b"\n")
    return path


def csv_many_columns(folder: Path) -> Path:
    path = folder / "wide.csv"
    path.write_bytes(csv_bytes() + (",".join(["1"] * 20_000) + "\n").encode())
    return path


# ---- OpenDocument: rows and cells repeated by count --------------------------------------------------

_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="名录">'
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_bytes(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", _ODS_HEAD + body + _ODS_TAIL)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return buffer.getvalue()


def _ods_rows(rows: Sequence[Sequence[str]]) -> str:
    return "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
            for v in row
        )
        + '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>'
        for row in rows
    )


def ods_as_libreoffice_writes(folder: Path) -> Path:
    """The registry with LibreOffice's trailing filler: empty cells to column AMJ, empty rows to 1,048,576."""
    filler = (
        '<table:table-row table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path = folder / "registry.ods"
    path.write_bytes(ods_bytes(_ods_rows(REGISTRY_ROWS) + filler))
    return path


def ods_repeat_bomb(folder: Path) -> Path:
    """One short row, repeated 97,000 times, of one text cell repeated 1,024 times: 99 million cells, just
    under the reader's own limit (which would still allocate ~3 GB)."""
    bomb = (
        '<table:table-row table:number-rows-repeated="97000">'
        '<table:table-cell table:number-columns-repeated="1024" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    path = folder / "bomb.ods"
    path.write_bytes(ods_bytes(_ods_rows(REGISTRY_ROWS) + bomb))
    return path


@dataclass(frozen=True)
class HostileCase:
    """One hostile file: how to build it, a fragment its Chinese message must contain, and the CLI's exit
    code (2: unusable file; 0: harmless after all, the registry rows are read)."""

    name: str
    build: Callable[[Path], Path]
    says: str
    exit: int = 2


HOSTILE: tuple[HostileCase, ...] = (
    HostileCase("truncated_10", lambda d: truncated(d, 0.1), "损坏"),
    HostileCase("truncated_50", lambda d: truncated(d, 0.5), "损坏"),
    HostileCase("truncated_90", lambda d: truncated(d, 0.9), "损坏"),
    HostileCase("truncated_eocd", truncated_end, "损坏"),
    HostileCase("encrypted_xlsx", encrypted_xlsx, "密码"),
    HostileCase("encrypted_xls", encrypted_xls, "密码"),
    HostileCase("lying_dimension_ok", lying_dimension, "", exit=0),
    HostileCase("far_cell_XFD1048576", far_away_cell, "XFD1048576"),
    HostileCase("far_cell_CV999999", lambda d: far_away_cell(d, "CV999999"), "CV999999"),
    HostileCase("far_cell_first", far_away_cell_first, "ZZ1048576"),
    HostileCase("wide_unreferenced", far_cell_without_references, "列"),
    HostileCase("columns_16385", too_many_columns, "列"),
    HostileCase("bomb_sheet", sheet_whitespace_bomb, "压缩"),
    HostileCase("bomb_lying_size", lambda d: sheet_whitespace_bomb(d, lie=True), "损坏"),
    HostileCase("bomb_shared_string", shared_string_bomb, "压缩"),
    HostileCase("bomb_cell_text", cell_text_bomb, "损坏"),
    HostileCase("many_entries", many_entries_zip, "部件"),
    HostileCase("laughs_sheet", billion_laughs_sheet, "DOCTYPE"),
    HostileCase("laughs_shared_strings", billion_laughs_shared_strings, "DOCTYPE"),
    HostileCase("xxe_shared_strings", external_entity, "DOCTYPE"),
    HostileCase("xxe_workbook", external_entity_in_workbook, "DOCTYPE"),
    HostileCase("docx_named_xlsx", docx_named_xlsx, "Word"),
    HostileCase("pdf_named_xlsx", pdf_named_xlsx, "PDF"),
    HostileCase("png_named_xlsx", png_named_xlsx, "图片"),
    HostileCase("csv_named_xlsx", csv_named_xlsx, ".csv"),
    HostileCase("zip_named_xlsx", zip_named_xlsx, "压缩包"),
    HostileCase("zero_bytes", zero_bytes, "空"),
    HostileCase("binary_garbage", binary_garbage, "不是可识别的表格文件"),
    HostileCase("zip_magic_garbage", garbage_after_zip_magic, "损坏"),
    HostileCase("ole_magic_garbage", garbage_after_ole_magic, "损坏"),
    HostileCase("directory", a_directory, "文件夹"),
    HostileCase("csv_nul", csv_with_nul, "不是可识别的表格文件"),
    HostileCase("csv_long_line", csv_long_line, "无法按 CSV 读取"),
    HostileCase("csv_many_columns", csv_many_columns, "列"),
    HostileCase("long_cell_40MB", long_cell_strings, "压缩"),
    HostileCase("empty_rows_1048576", many_empty_rows, "", exit=0),
    HostileCase("ods_repeat_bomb", ods_repeat_bomb, "97,003 行 × 1,024 列"),
    HostileCase("ods_libreoffice_filler", ods_as_libreoffice_writes, "", exit=0),
)
