"""Importing a year's arrangement from CSV or xlsx: all or nothing, with every bad line named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.workdays import (
    CalendarFileError,
    import_calendar_year,
    list_year,
    load_bundled,
    load_work_calendar,
    read_calendar_file,
)
from db.models import CalendarDay
from tests.app.workdays.conftest import d

CSV_2027 = """日期,类型,名称
2027-01-01,休,元旦
2027/2/6,班,春节
2027年2月7日,班,春节
20270208,休,春节
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_a_csv_with_a_header_and_mixed_date_styles_is_read(tmp_path: Path) -> None:
    read = read_calendar_file(_write(tmp_path / "2027.csv", CSV_2027))
    assert read.year == 2027
    assert [(e.day, e.kind, e.name) for e in read.days] == [
        (d("2027-01-01"), "休", "元旦"),
        (d("2027-02-06"), "班", "春节"),
        (d("2027-02-07"), "班", "春节"),
        (d("2027-02-08"), "休", "春节"),
    ]
    assert read.warnings == ()


def test_a_csv_saved_by_chinese_excel_in_gbk_is_read(tmp_path: Path) -> None:
    read = read_calendar_file(_write(tmp_path / "2027.csv", CSV_2027, encoding="gbk"))
    assert read.days[0].name == "元旦"


def test_an_xlsx_with_date_cells_is_read(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "休/班", "名称"])
    sheet.append([dt.datetime(2027, 1, 1), "放假", "元旦"])
    sheet.append([dt.date(2027, 2, 6), "上班", "春节"])
    sheet.append([None, None, None])
    sheet.append(["2027-01-05", "班", ""])  # a Tuesday marked 班: allowed, with a warning
    path = tmp_path / "2027.xlsx"
    book.save(path)
    read = read_calendar_file(path)
    assert [(e.day, e.kind) for e in read.days] == [
        (d("2027-01-01"), "休"),
        (d("2027-01-05"), "班"),
        (d("2027-02-06"), "班"),
    ]
    assert len(read.warnings) == 1 and read.warnings[0].startswith("第 5 行：2027-01-05")


def test_bad_lines_are_all_named_and_nothing_is_read(tmp_path: Path) -> None:
    text = "日期,类型,名称\n2027-01-01,休,元旦\n2027-13-01,休,\n2027-01-02,调休,\n2027-01-01,休,元旦\n"
    with pytest.raises(CalendarFileError) as caught:
        read_calendar_file(_write(tmp_path / "bad.csv", text))
    assert caught.value.message_zh == "文件有 3 处问题，未导入任何内容。"
    assert caught.value.problems == (
        "第 3 行：“2027-13-01”不是日期（应如 2027-01-01）。",
        "第 4 行：类型应为“休”或“班”，而不是“调休”。",
        "第 5 行：2027-01-01 在文件中重复出现。",
    )


def test_a_file_spanning_two_years_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError, match="跨越多个年度（2026、2027）"):
        read_calendar_file(_write(tmp_path / "x.csv", "2026-12-31,休,元旦\n2027-01-01,休,元旦\n"))


def test_an_empty_or_foreign_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError, match="没有可导入的日期"):
        read_calendar_file(_write(tmp_path / "empty.csv", "日期,类型,名称\n"))
    with pytest.raises(CalendarFileError, match="只能导入 CSV、xlsx 或 xls"):
        read_calendar_file(_write(tmp_path / "x.docx", "x"))


def test_importing_replaces_the_year_in_one_go(session: Session, tmp_path: Path) -> None:
    load_bundled(session)
    session.commit()
    # The bureau's own version of 2025: only the National Day days, one of them moved.
    text = (
        "日期,类型,名称\n"
        + "".join(f"2025-10-{day:02d},休,国庆节\n" for day in range(1, 8))
        + "2025-10-10,休,本县\n"
    )
    read = read_calendar_file(_write(tmp_path / "2025.csv", text))
    outcome = import_calendar_year(session, read)
    session.commit()
    assert (outcome.year, outcome.imported, outcome.replaced) == (2025, 8, 33)
    entries = list_year(session, 2025)  # the official days left out stay out
    assert [e.day for e in entries] == [*(d(f"2025-10-{day:02d}") for day in range(1, 8)), d("2025-10-10")]
    assert {e.source_label for e in entries} == {"本单位录入"}
    load_bundled(session, force=True)
    assert len(list_year(session, 2025)) == 8
    assert (
        session.scalar(
            select(func.count()).select_from(CalendarDay).where(CalendarDay.day >= d("2026-01-01"))
        )
        == 39
    )


def test_an_imported_year_is_covered(session: Session, tmp_path: Path) -> None:
    assert not load_work_calendar(session).covered(2027)
    import_calendar_year(session, read_calendar_file(_write(tmp_path / "2027.csv", CSV_2027)))
    session.commit()
    calendar = load_work_calendar(session)
    assert calendar.covered(2027)
    assert calendar.add_workdays(d("2027-02-05"), 1) == d("2027-02-06")
