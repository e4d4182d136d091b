"""Import one year's arrangement from a simple table (CSV, xlsx or xls): 日期, 休/班, 名称.

Reading checks the whole file first and refuses it with every bad line named (CalendarFileError); importing
then replaces the year's rows in one transaction, so a year is never left half imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission, require
from app.workdays.admin import NAME_MAX, DayInput
from app.workdays.bundled import bundled_calendar, removed_days, set_removed_days
from app.workdays.entries import DaySource, is_weekend, year_bounds
from app.workdays.errors import CalendarFileError
from db.enums import CalendarDayKind
from db.models import CalendarDay

HOLIDAY_WORDS = {"休", "放假", "休息", "假"}
WORKDAY_WORDS = {"班", "上班", "补班", "调休上班"}
SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm", ".xls")
MAX_PROBLEMS = 10
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class CalendarFile:
    """A checked import file: every day belongs to ``year``."""

    path: Path
    year: int
    days: tuple[DayInput, ...]
    warnings: tuple[str, ...]  # e.g. a 班 on a weekday: allowed, but changes nothing


@dataclass(frozen=True)
class ImportOutcome:
    year: int
    imported: int
    replaced: int  # rows of the year that were in the database before


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese Windows saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CalendarFileError("无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件。")
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        yield number, list(row)


def _sheet_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    """The first sheet through the registry readers, so a hostile workbook is refused the same way."""
    from app.io.errors import ImportFileError
    from app.io.readers import open_tables

    try:
        tables = open_tables(path)
    except ImportFileError as exc:
        raise CalendarFileError(exc.message_zh) from exc
    if not tables:
        raise CalendarFileError("表格文件中没有工作表。")
    for index, row in tables[0].rows_from(0):
        yield index + 1, list(row)


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE_TEXT.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_kind(value: object) -> str | None:
    text = str(value).strip()
    if text in HOLIDAY_WORDS:
        return CalendarDayKind.HOLIDAY.value
    if text in WORKDAY_WORDS:
        return CalendarDayKind.WORKDAY.value
    return None


def _cell(row: Sequence[object], index: int) -> object:
    value = row[index] if index < len(row) else ""
    return "" if value is None else value


def read_calendar_file(path: Path) -> CalendarFile:
    """Read and check a file of one year's days: columns 日期, 类型 (休/班), 名称; a header row is allowed."""
    if path.suffix.lower() not in SUPPORTED:
        raise CalendarFileError("只能导入 CSV、xlsx 或 xls 文件（三列：日期、休/班、名称）。")
    if not path.is_file():
        raise CalendarFileError(f"文件不存在：{path}")
    rows = _csv_rows(path) if path.suffix.lower() in (".csv", ".txt") else _sheet_rows(path)
    days: dict[dt.date, DayInput] = {}
    problems: list[str] = []
    warnings: list[str] = []
    seen_content = False
    for number, row in rows:
        if all(str(_cell(row, i)).strip() == "" for i in range(3)):
            continue
        first_content, seen_content = not seen_content, True
        day = _parse_date(_cell(row, 0))
        if day is None:
            if first_content:
                continue  # the header row (日期, 类型, 名称)
            problems.append(f"第 {number} 行：“{_cell(row, 0)}”不是日期（应如 2027-01-01）。")
            continue
        kind = _parse_kind(_cell(row, 1))
        name = str(_cell(row, 2)).strip()
        if kind is None:
            problems.append(f"第 {number} 行：类型应为“休”或“班”，而不是“{_cell(row, 1)}”。")
        elif len(name) > NAME_MAX:
            problems.append(f"第 {number} 行：名称过长（最多 {NAME_MAX} 字）。")
        elif day in days:
            problems.append(f"第 {number} 行：{day:%Y-%m-%d} 在文件中重复出现。")
        else:
            days[day] = DayInput(day, kind, name)
            if (kind == CalendarDayKind.WORKDAY.value) != is_weekend(day):
                warnings.append(
                    f"第 {number} 行：{day:%Y-%m-%d} 标为“{kind}”与平常的周一至周五安排相同，不改变任何期限。"
                )
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = f"（另有 {len(problems) - MAX_PROBLEMS} 处问题未列出）" if len(problems) > MAX_PROBLEMS else ""
        raise CalendarFileError(f"文件有 {len(problems)} 处问题，未导入任何内容{more}。", tuple(shown))
    if not days:
        raise CalendarFileError("文件中没有可导入的日期（应有三列：日期、休/班、名称）。")
    years = sorted({day.year for day in days})
    if len(years) > 1:
        listed = "、".join(str(y) for y in years)
        raise CalendarFileError(f"文件中的日期跨越多个年度（{listed}），请每个年度使用一个文件。")
    ordered = tuple(days[day] for day in sorted(days))
    return CalendarFile(path, years[0], ordered, tuple(warnings))


def import_calendar_year(session: Session, calendar_file: CalendarFile) -> ImportOutcome:
    """Replace every row of the file's year with the file's days (the bureau's own rows, source user).

    Official days of that year the file leaves out are remembered as deleted. The caller commits.
    """
    require(session, Permission.SETTINGS, "导入节假日安排")
    year = calendar_file.year
    first, last = year_bounds(year)
    old = list(session.scalars(select(CalendarDay).where(CalendarDay.day.between(first, last))))
    for row in old:
        session.delete(row)
    session.flush()
    for entry in calendar_file.days:
        session.add(CalendarDay(day=entry.day, kind=entry.kind, name=entry.name, source=DaySource.USER.value))
    listed = {entry.day for entry in calendar_file.days}
    shipped = bundled_calendar().get(year)
    official = {entry.day for entry in shipped.days} if shipped else set()
    removed = {day for day in removed_days(session) if day.year != year} | (official - listed)
    set_removed_days(session, removed)
    session.flush()
    return ImportOutcome(year, len(calendar_file.days), len(old))
