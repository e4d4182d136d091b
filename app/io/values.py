"""Cell-value parsers shared by the import, the export and the GUI forms.

Pure functions over single values, no database and no file access:

* :func:`clean_text` / :func:`clean_code` — fast equivalents of
  :func:`app.registry.codes.normalize_text` / :func:`~app.registry.codes.normalize_code`
  (the same result, proved by tests, but without a per-character Python loop for the common case);
* :func:`parse_bool` — 是/否, Y/N, 1/0, √/×, true/false …;
* :func:`parse_date` — ``datetime.date``, Excel serial numbers, and strings such as
  ``2020-1-2``, ``2020/01/02``, ``2020年1月2日``, ``20200102``;
* :func:`split_tags` — 专长/资格 written as ``食品安全、特种设备`` and similar;
* :func:`excel_number_text` — how Excel would display a number (for messages).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from app.registry.codes import normalize_code, normalize_text

__all__ = [
    "BOOL_FALSE",
    "BOOL_TRUE",
    "DITTO_MARKS",
    "clean_code",
    "clean_multiline",
    "clean_text",
    "date_from_excel_serial",
    "excel_number_text",
    "excel_serial_from_date",
    "is_blank",
    "parse_bool",
    "parse_date",
    "split_tags",
]

# ASCII characters that normalize_text maps to a space (str.isspace(), except the space itself).
_ASCII_SPACE = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1f]")


def _build_slow_chars() -> re.Pattern[str]:
    """What makes normalize_text change a non-ASCII string: every space-like character except " ",
    every invisible format character (category Cf) of the BMP, the full-width digits and Latin letters,
    any character outside the BMP (those strings take the exact, slower path), and runs of spaces or
    spaces at either end. Built once, on first use, from the Unicode database."""
    chars: list[str] = []
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            chars.append(ch)
        elif unicodedata.decomposition(ch).startswith("<wide>"):
            mapped = unicodedata.normalize("NFKC", ch)
            if mapped.isascii() and mapped.isalnum():
                chars.append(ch)
    body = "".join(re.escape(ch) for ch in chars)
    return re.compile(f"[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f{body}\\U00010000-\\U0010FFFF]|  |^ | $")


_slow_search: Callable[[str], re.Match[str] | None] | None = None


def clean_text(s: str) -> str:
    """Exactly :func:`normalize_text` for a string, fast when nothing needs changing."""
    global _slow_search
    if s.isascii():
        if "  " in s or s[:1] == " " or s[-1:] == " " or _ASCII_SPACE.search(s):
            return " ".join(s.split())
        return s
    if _slow_search is None:
        _slow_search = _build_slow_chars().search
    if _slow_search(s) is None:
        return s
    return normalize_text(s)


_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def clean_multiline(s: str) -> str:
    """Like :func:`clean_text` for each line; empty lines dropped; lines joined with "\\n".

    For long texts (检查依据, 检查要点 …) whose line structure means something.
    """
    if not _LINE_BREAKS.search(s):
        return clean_text(s)
    return "\n".join(line for line in (clean_text(part) for part in s.splitlines()) if line)


def clean_code(s: str) -> str:
    """Exactly :func:`normalize_code` for a string, fast for plain ASCII."""
    if s.isascii():
        return "".join(s.split()).upper()
    return normalize_code(s)


def is_blank(value: object) -> bool:
    """None, the empty string or only spaces (as Excel and csv give empty cells)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value or value.isspace() or not clean_text(value)
    return False


DITTO_MARKS: frozenset[str] = frozenset({"同上", "同上。", "〃", "\u201d\u201d", '""', "同前"})
"""Cell texts that mean "the same as the cell above" in hand-kept registers."""

BOOL_TRUE: frozenset[str] = frozenset(
    {"是", "Y", "YES", "T", "TRUE", "1", "√", "✓", "✔", "☑", "有", "已列入", "列入", "真", "对"}
)
BOOL_FALSE: frozenset[str] = frozenset(
    {"否", "N", "NO", "F", "FALSE", "0", "×", "✗", "✘", "☐", "无", "未列入", "不是", "假", "-", "—"}
)


def parse_bool(value: object) -> bool | None:
    """``True``/``False`` for the usual spreadsheet spellings, ``None`` when not recognised.

    Blank input is not handled here (callers check :func:`is_blank` first).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value == 1:
            return True
        if value == 0:
            return False
        return None
    if not isinstance(value, str):
        return None
    text = clean_code(value).rstrip("。.")
    if text in BOOL_TRUE:
        return True
    if text in BOOL_FALSE:
        return False
    return None


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MAX_SERIAL = 2_958_465  # 9999-12-31


def date_from_excel_serial(serial: float) -> dt.date | None:
    """The date of an Excel (1900 date system) serial number, or ``None`` when out of range.

    Serials below 61 follow Excel's 1900-02-29 quirk (serial 60 does not exist as a date).
    """
    if not 1 <= serial <= _MAX_SERIAL:
        return None
    whole = int(serial)
    if whole == 60:
        return None
    if whole < 60:
        return _EXCEL_EPOCH + dt.timedelta(days=whole + 1)
    return _EXCEL_EPOCH + dt.timedelta(days=whole)


def excel_serial_from_date(value: dt.date) -> int:
    """The Excel serial number of a date on or after 1900-03-01."""
    return (value - _EXCEL_EPOCH).days


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s*[T ]?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Bare numbers are read as Excel serials only in 1927-05-18 … 2119-01-10, so a year such as 2020 is not
# silently turned into a date in 1905.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 80_000
_NO_DATE_WORDS = frozenset({"长期", "永久", "长期有效", "无期限", "无固定期限", "无", "/", "-", "—", "——"})


def parse_date(value: object) -> dt.date | None | str:
    """Parse a date cell.

    Returns a ``datetime.date``; ``None`` for words that mean "no date" (长期, 永久, 无 …);
    or the cleaned input text when it cannot be read as a date (the caller reports it).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        number = float(value)
        if number == int(number) and 19000101 <= number <= 99991231:
            parsed = _ymd(str(int(number)), _DATE_COMPACT)
            if parsed is not None:
                return parsed
        found = date_from_excel_serial(number) if _SERIAL_MIN <= number <= _SERIAL_MAX else None
        return found if found is not None else excel_number_text(number)
    text = clean_text(str(value))
    if text in _NO_DATE_WORDS:
        return None
    compact = clean_code(text)
    for pattern, candidate in ((_DATE_TEXT, text), (_DATE_COMPACT, compact)):
        parsed = _ymd(candidate, pattern)
        if parsed is not None:
            return parsed
    if re.fullmatch(r"\d+(?:\.0+)?", compact) and _SERIAL_MIN <= float(compact) <= _SERIAL_MAX:
        found = date_from_excel_serial(float(compact))
        if found is not None:
            return found
    return text


def _ymd(text: str, pattern: re.Pattern[str]) -> dt.date | None:
    match = pattern.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups()[:3])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_TAG_SEPARATORS = re.compile(r"[、，,;；/／|｜\n\r\t]+")


def split_tags(value: object) -> list[str]:
    """Split 专长/资格 text on 、，,;；/ (and line breaks) into distinct, cleaned tags, in order."""
    if value is None:
        return []
    parts = [str(v) for v in value] if isinstance(value, list | tuple) else _TAG_SEPARATORS.split(str(value))
    seen: dict[str, None] = {}
    for part in parts:
        tag = clean_text(part)
        if tag and tag not in seen:
            seen[tag] = None
    return list(seen)


def excel_number_text(value: float) -> str:
    """A number as Excel shows a long identifier typed as a number: digits below 10¹⁵, scientific
    notation with at most 15 significant digits from there on (e.g. ``9.14690062012665E+17``)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15:
        mantissa, exponent = f"{value:.14E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E+{int(exponent):02d}" if int(exponent) >= 0 else f"{mantissa}E{exponent}"
    return repr(value)
