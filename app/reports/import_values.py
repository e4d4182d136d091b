"""Reading the cells of a filled statistics table as clerks type them: counts, rates, the 统计期间 in a title
or on its own line, and the 填报单位 / 填报日期 / 联系人 line. Pure functions, no database, no files.

    parse_count("１２户")          # (12, "")
    parse_rate("96.5%")           # ((0.965,), "")   — 0.965 and 96.5 read the same; 0.5 may be 0.5 or 0.005
    period_in_text("统计期间：2026年上半年（2026年1月1日至2026年6月30日）")   # Period.half(2026, 1)
    info_parts("填报单位（盖章）：示范县卫生健康委员会  填报日期：2026年7月20日  联系人：李华")
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from app.io.values import clean_text, excel_number_text, is_blank, parse_date
from app.reports.errors import ReportInputError
from app.reports.period import Period

__all__ = [
    "DASHES",
    "Info",
    "bare_name",
    "cell_text",
    "info_parts",
    "parse_count",
    "parse_rate",
    "period_in_text",
]

DASHES = frozenset({"—", "——", "-", "--", "－", "/", "／", "无", "–", "―"})
"""Cell texts that mean "nothing here" (a rate without a base, a count left empty)."""

_UNITS = "户个项人家次件条"
_COUNT_TEXT = re.compile(rf"^([+-]?\d+(?:\.\d+)?)\s*[{_UNITS}]?$")
_RATE_TEXT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(%|％|‰)?$")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def cell_text(value: Any) -> str:
    """A cell as one line of text (numbers as Excel shows them, blank as "")."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return excel_number_text(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return clean_text(str(value))


def bare_name(column: str) -> str:
    """A column name without its unit: ``公示对象数（户）`` → ``公示对象数``."""
    return re.sub(r"[（(][^）)]*[）)]$", "", column).strip() or column


def parse_count(value: Any) -> tuple[int | None, str]:
    """A count cell → (the non-negative integer, "") — or (None, "") when blank or a dash — or (None, why) for
    anything else: negatives, fractions, words, dates. Numbers stored as text, full-width digits, thousands
    separators and a unit (``12户``) are read."""
    if isinstance(value, bool):
        return None, "应为整数，不能是是/否"
    if isinstance(value, dt.date | dt.datetime):
        return None, f"应为整数，实为日期 {cell_text(value)}（Excel 可能把它当成了日期）"
    if isinstance(value, int | float):
        number = float(value)
        text = excel_number_text(number)
    else:
        text = nfkc(cell_text(value)).replace(",", "").replace(" ", "")
        if not text or text in DASHES:
            return None, ""
        match = _COUNT_TEXT.match(text)
        if match is None:
            return None, f"“{cell_text(value)}”不是数字"
        number = float(match.group(1))
    if number != int(number):
        return None, f"应为整数，实为 {text}"
    if number < 0:
        return None, f"不能为负数（{text}）"
    return int(number), ""


def parse_rate(value: Any) -> tuple[tuple[float, ...] | None, str]:
    """A rate cell → (the fractions it may mean, "") — ``96.5%``, ``0.965`` and ``96.5`` all read 0.965; a
    number up to 1 typed without % may also be a percentage (0.5 → 0.5 or 0.005), so both are returned, the
    plain fraction first — or (None, "") when blank or a dash (no base) — or (None, why)."""
    if isinstance(value, bool | dt.date | dt.datetime):
        return None, f"“{cell_text(value)}”不是比率"
    percent = False
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = nfkc(cell_text(value)).replace(" ", "")
        if not text or text in DASHES:
            return None, ""
        match = _RATE_TEXT.match(text)
        if match is None:
            return None, f"“{cell_text(value)}”不是比率（例如 96.5% 或 0.965）"
        number = float(match.group(1))
        if match.group(2) == "‰":
            number /= 10
            percent = True
        elif match.group(2):
            percent = True
    if number < 0:
        return None, f"不能为负数（{cell_text(value)}）"
    if percent or number > 1:
        fraction = number / 100
        if fraction > 1 + 1e-9:
            return None, f"不能超过 100%（{cell_text(value)}）"
        return (fraction,), ""
    return (number, number / 100) if number else (0.0,), ""


# --- 统计期间 -------------------------------------------------------------------------------------------------

_DAY = r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?"
_RANGE = re.compile(_DAY + r"\s*(?:至|到|~|～|—+|－|-)\s*" + _DAY)
_HALF = re.compile(r"(\d{4})\s*年?\s*度?\s*(上|下)\s*半\s*年")
_QUARTER = re.compile(r"(\d{4})\s*年?\s*度?\s*第?\s*([一二三四1-4])\s*季\s*度")
_YEAR = re.compile(r"(\d{4})\s*年\s*度|(\d{4})\s*年(?!\s*\d)")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _standard(start: dt.date, end: dt.date) -> Period | None:
    """The year, half or quarter with exactly these first and last days."""
    year = start.year
    candidates = [Period.year(year), Period.half(year, 1), Period.half(year, 2)]
    candidates += [Period.quarter(year, q) for q in (1, 2, 3, 4)]
    for period in candidates:
        if (period.start, period.end) == (start, end):
            return period
    return None


def period_in_text(text: str) -> Period | None:
    """The period a title or a 统计期间 line names: two dates (``2026年1月1日至2026年6月30日``), else a half-year,
    a quarter or a year; None when it names none. Raises :class:`ReportInputError` for impossible dates."""
    text = nfkc(text)
    match = _RANGE.search(text)
    if match is not None:
        numbers = [int(g) for g in match.groups()]
        try:
            start, end = dt.date(*numbers[:3]), dt.date(*numbers[3:])
        except ValueError:
            raise ReportInputError(f"统计期间中的日期无效：{match.group(0)}") from None
        return _standard(start, end) or Period.between(start, end)
    match = _HALF.search(text)
    if match is not None:
        return Period.half(int(match.group(1)), 1 if match.group(2) == "上" else 2)
    match = _QUARTER.search(text)
    if match is not None:
        return Period.quarter(int(match.group(1)), _QUARTERS[match.group(2)])
    match = _YEAR.search(text)
    if match is not None:
        return Period.year(int(match.group(1) or match.group(2)))
    return None


# --- 填报单位 / 填报日期 / 联系人 ------------------------------------------------------------------------------

_LABELS = r"(?:填报单位|填表单位|报送单位|填报日期|填表日期|报送日期|联系人|联系电话)"
_PART = re.compile(
    r"(填报单位|填表单位|报送单位|填报日期|填表日期|报送日期|联系人)\s*(?:[（(]\s*盖章\s*[)）])?\s*[:：]\s*(.*?)\s*(?="
    + _LABELS
    + r"|$)"
)


@dataclass(frozen=True)
class Info:
    """What the line under a table's title says (each "" / None when not written)."""

    unit: str = ""
    filled_on: dt.date | None = None
    contact: str = ""


def info_parts(texts: list[str]) -> Info:
    """填报单位, 填报日期 and 联系人 from the cells above a table's header (one cell each, or all in one)."""
    unit, day, contact = "", None, ""
    for text in texts:
        for label, raw in _PART.findall(clean_text(text)):
            value = raw.strip(" ，,;；")
            if label.endswith("单位") and not unit:
                unit = value
            elif label.endswith("日期") and day is None and value:
                parsed = parse_date(value)
                day = parsed if isinstance(parsed, dt.date) else None
            elif label == "联系人" and not contact:
                contact = value
    return Info(unit[:200], day, contact[:100])
