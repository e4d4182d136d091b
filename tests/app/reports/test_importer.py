"""报表导入: filled statistics and plan tables from departments that do not run the program.

Source figures come from the hand-built county (tests/app/reports/conftest.py, first half of 2026): SJ, WJ, HB
and JY rows of the 进展情况 table (worked out in test_tables.py). They are written as xlsx — by
app/reports/xlsx.py, or by hand with openpyxl the way clerks change such files — and imported into the
司法局's database (``target``), which knows the departments but has none of their data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.database import Database, open_database
from app.io.errors import ImportRefusedError
from app.reports import Facts, Period, StatTable, collect_facts, non_market_table, plan_table, progress_table
from app.reports.importer import (
    ON_TIME,
    ReportFileError,
    apply_report_import,
    preview_report_import,
)
from app.reports.reported import ReportedRow, county_table, county_tables, reported_rows, with_reported
from app.reports.xlsx import write_table_xlsx, write_tables_xlsx
from app.settings import load_settings, save_settings
from db.engine import transaction
from db.models import AnnualPlan, AuditEntry, Department, PlanRow, ReportedFigures
from db.protection import REPORTED_TRIGGERS, TRIGGERS
from tests.app.io.hostile_files import sheet_whitespace_bomb
from tests.app.reports.conftest import H1
from tests.cli import run_app
from tests.conftest import DEMO_YEAR
from tests.tamper import edit

D = dt.date
SJ, WJ, HB, JY, SF = (
    "示范县市场监督管理局",
    "示范县卫生健康委员会",
    "示范县生态环境局",
    "示范县教育局",
    "示范县司法局",
)
MARK = "（报表导入）"


# --- the receiving database and helpers ------------------------------------------------------------------


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Database]:
    """The 司法局's database: the county's departments (and its own), none of their data."""
    database = open_database(tmp_path / "sfj.db")
    with transaction(database.sessions) as session:
        for order, (code, name, market) in enumerate(
            [("SJ", SJ, True), ("WJ", WJ, False), ("HB", HB, False), ("JY", JY, False), ("SF", SF, False)],
            start=1,
        ):
            session.add(
                Department(
                    code=code, name=name, short_name=code, is_market_regulation=market, sort_order=order
                )
            )
        settings = load_settings(session)
        save_settings(session, dataclasses.replace(settings, own_department=SF))
    yield database
    database.close()


def stored(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(ReportedFigures)) or 0


def imported(database: Database, path: Path, **options: Any) -> Any:
    with database.sessions() as session:
        preview = preview_report_import(session, path, **options)
        assert preview.errors == 0, preview.messages()
        return apply_report_import(session, preview)


def preview_of(database: Database, path: Path, **options: Any) -> Any:
    with database.sessions() as session:
        return preview_report_import(session, path, **options)


def values(cells: Sequence[Any]) -> list[Any]:
    return [c.value for c in cells]


def row_named(table: StatTable, name: str) -> tuple[Any, ...]:
    return next(r for r in table.rows if r[1].value == name)


# --- round trips ------------------------------------------------------------------------------------------


def test_one_departments_progress_table_round_trip(h1: Facts, target: Database, tmp_path: Path) -> None:
    source = progress_table(h1, ["WJ"])
    path = write_table_xlsx(source, tmp_path / "卫健委进展情况.xlsx", date=D(2026, 7, 20))
    with target.sessions() as session:
        preview = preview_report_import(session, path)
        assert (preview.kind, preview.errors, preview.warnings) == ("progress", 0, 0)
        sheet = preview.sheets[0]
        assert (sheet.period, sheet.totals_row, sheet.info.unit, sheet.info.filled_on) == (
            H1, 7, WJ, D(2026, 7, 20)
        )  # fmt: skip
        assert [(line.row, line.department_code) for line in sheet.lines] == [(6, "WJ")]
        summary = apply_report_import(session, preview)
        assert summary.counts.as_dict() == {
            "imported": 1,
            "updated": 0,
            "skipped": 1,
            "warnings": 0,
            "errors": 0,
        }
    with target.sessions() as session:
        table = county_table(session, "progress", H1)
    row = row_named(table, WJ + MARK)
    assert values(row[2:]) == values(source.rows[0][2:])
    assert not any(c.drillable for c in row)
    assert table.totals is not None and values(table.totals[2:]) == values(source.totals[2:])  # type: ignore[index]
    assert all(values(r[2:12]) == [0] * 10 for r in table.rows if r[1].value != WJ + MARK)
    assert "来源：报表导入" in table.notes[-1] and "卫健委进展情况.xlsx" in table.notes[-1]


def test_the_whole_workbook_round_trip_gives_the_county_tables(
    h1: Facts, target: Database, tmp_path: Path
) -> None:
    path = write_tables_xlsx(
        [progress_table(h1), non_market_table(h1)], tmp_path / "全县.xlsx", date=D(2026, 7, 20)
    )
    summary = imported(target, path)
    assert summary.counts.imported == 4 + 3
    with target.sessions() as session:
        facts, tables = county_tables(session, H1)
    for source in (progress_table(h1), non_market_table(h1)):
        table = next(t for t in tables if t.kind == source.kind)
        for source_row in source.rows:
            assert values(row_named(table, f"{source_row[1].value}{MARK}")[2:]) == values(source_row[2:])
        assert values(row_named(table, SF)[2:4]) == [0, 0]  # the 司法局's own (empty) row stays
        assert source.totals is not None and table.totals is not None
        for index, column in enumerate(source.columns):
            if index >= 2 and not column.name.startswith("参与联合抽查"):
                assert table.totals[index].value == source.totals[index].value, column.name
    progress = next(t for t in tables if t.kind == "progress")
    joint = progress.column_index("参与联合抽查")
    assert progress.totals is not None and progress.totals[joint].value == 2 + 2 + 1  # not deduplicated
    assert "无法按任务去重" in progress.notes[-1]


def test_reported_rows_give_way_to_own_facts_and_packages(h1: Facts) -> None:
    figures = {c.name: 1 for c in progress_table(h1).columns[2:]}
    reported = [
        ReportedRow(n, "progress", code, name, H1, figures, "x.xlsx", D(2026, 7, 1), "")
        for n, (code, name) in enumerate([("WJ", WJ), ("JY", JY), ("", "示范县新设局")], start=1)
    ]
    table = progress_table(h1)
    merged = with_reported(table, h1, reported)
    names = [r[1].value for r in merged.rows]
    assert names == [SJ, WJ, HB, JY + MARK, "示范县新设局" + MARK]  # WJ has its own facts
    assert merged.totals is not None and table.totals is not None
    items = table.column_index("抽查事项数（项）")
    assert merged.totals[items].value == table.totals[items].value + 2  # type: ignore[operator]
    assert with_reported(table, h1, reported[:2], skip_codes={"JY"}) is table  # JY sent a package
    assert (
        with_reported(progress_table(h1, ["SJ", "JY"]), h1, reported[2:]).rows
        == progress_table(h1, ["SJ", "JY"]).rows
    )  # a new department joins only the table of every department
    other = dataclasses.replace(reported[1], period=Period.year(2026))
    assert with_reported(table, h1, [other]) is table  # another period


# --- what clerks do to the file ---------------------------------------------------------------------------

ProgressRows = list[tuple[str, list[Any]]]


def source_rows(h1: Facts) -> tuple[StatTable, ProgressRows]:
    table = progress_table(h1, ["SJ", "WJ", "HB"])
    return table, [(str(r[1].value), values(r[2:])) for r in table.rows]


def write_by_hand(
    path: Path,
    table: StatTable,
    rows: ProgressRows,
    *,
    sheet: str = "进展情况统计表",
    title: str | None = None,
    period_line: str | None = "统计期间：2026年上半年（2026年1月1日至2026年6月30日）",
    info: str = "填报单位（盖章）：示范县卫生健康委员会  填报日期：2026年7月20日  联系人：李华",
    top: int = 0,
    left: int = 0,
    header: Callable[[str], str] = lambda text: text,
    merge: bool = True,
    cell: Callable[[str, Any], Any] = lambda _column, value: value,
    gap_after: Sequence[int] = (),
    blank_column: int | None = None,
    totals: bool | list[Any] = True,
) -> Path:
    """The 进展情况 layout written cell by cell (as a clerk's Excel would keep it)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    columns = [c.name for c in table.columns]
    if blank_column is not None:
        columns.insert(blank_column, "")
    width = len(columns)

    def put(r: int, c: int, value: Any) -> None:
        ws.cell(row=top + r, column=left + c, value=value)

    def span(r0: int, c0: int, r1: int, c1: int) -> None:
        if merge and (r1 > r0 or c1 > c0):
            ws.merge_cells(start_row=top + r0, start_column=left + c0, end_row=top + r1, end_column=left + c1)

    r = 1
    put(r, 1, title or table.title)
    span(r, 1, r, width)
    if period_line is not None:
        r += 1
        put(r, 1, period_line)
        span(r, 1, r, width)
    if info:
        r += 1
        put(r, 1, info)
    r += 1
    header_top = r
    shift = [0 if blank_column is None or i + 1 < blank_column else 1 for i in range(len(table.columns))]
    for h in table.headers:
        c = h.col + 1 + shift[h.col]
        put(header_top + h.row, c, header(h.text))
        span(header_top + h.row, c, header_top + h.row + h.rowspan - 1, c + h.colspan - 1 + (
            1 if blank_column is not None and h.col + 1 < blank_column <= h.col + h.colspan else 0
        ))  # fmt: skip
    r = header_top + table.header_rows
    for n, (name, figures) in enumerate(rows, start=1):
        line = [n, name, *(cell(col.name, v) for col, v in zip(table.columns[2:], figures, strict=True))]
        for i, value in enumerate(line):
            put(r, i + 1 + shift[i], value)
        r += 1 + (1 if n in gap_after else 0)
    if totals:
        sums = totals if isinstance(totals, list) else values(table.totals[2:])  # type: ignore[index]
        put(r, 1, "合计")
        span(r, 1, r, 2 + shift[1])
        for i, value in enumerate(sums, start=2):
            put(r, i + 1 + shift[i], cell(table.columns[i].name, value))
        r += 2
    put(r, 1, "填表说明：")
    span(r, 1, r, width)
    put(r + 1, 1, "1. 统计期间：2026年上半年；数据截至2026年7月20日。")
    span(r + 1, 1, r + 1, width)
    book.save(path)
    return path


def percent_text(column: str, value: Any) -> Any:
    return f"{value * 100:.1f}%" if column.endswith("率") and value is not None else value


def percent_number(column: str, value: Any) -> Any:
    return round(value * 100, 1) if column.endswith("率") and value is not None else value


def numbers_as_text(column: str, value: Any) -> Any:
    if isinstance(value, int):
        return "１２"[:0] + str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "户"
    return percent_text(column, value)


MESSY: dict[str, dict[str, Any]] = {
    "as written": {},
    "blank rows and columns around and inside": {"top": 2, "left": 2, "gap_after": (1, 2), "blank_column": 5},
    "renamed sheet": {"sheet": "Sheet1"},
    "header cells with line breaks and spaces": {"header": lambda t: " ".join(t[:3]) + "\n" + t[3:] + " "},
    "unmerged header cells": {"merge": False},
    "rates typed as 96.5%": {"cell": percent_text},
    "rates typed as 96.5": {"cell": percent_number},
    "numbers stored as text with units": {"cell": numbers_as_text},
    "no totals row": {"totals": False},
    "period in the title only": {
        "title": "市直部门2026年上半年随机抽查工作进展情况统计表",
        "period_line": None,
    },
    "period as two dates in the title, no info line": {
        "title": "随机抽查工作进展情况统计表（2026年1月1日—2026年6月30日）",
        "period_line": None,
        "info": "",
    },
}


@pytest.mark.parametrize("change", list(MESSY))
def test_messy_but_valid_files_are_accepted(change: str, h1: Facts, target: Database, tmp_path: Path) -> None:
    table, rows = source_rows(h1)
    path = write_by_hand(tmp_path / "进展.xlsx", table, rows, **MESSY[change])
    preview = preview_of(target, path)
    assert preview.errors == 0 and preview.warnings == 0, preview.messages()
    sheet = preview.sheets[0]
    assert sheet.period == H1 and sheet.kind == "progress"
    got = {line.department_name: line.figures for line in sheet.lines}
    assert list(got) == [SJ, WJ, HB]
    for name, figures in rows:
        for column, value in zip(table.columns[2:], figures, strict=True):
            assert got[name][column.name] == pytest.approx(value), (name, column.name)
    assert got[SJ][ON_TIME] == 3  # 60.0% of 5 objects published
    assert (sheet.totals_row is None) == (MESSY[change].get("totals") is False)


def test_kind_comes_from_the_header_when_the_title_is_gone(
    h1: Facts, target: Database, tmp_path: Path
) -> None:
    table, rows = source_rows(h1)
    path = write_by_hand(tmp_path / "x.xlsx", table, rows, title="上半年报表", period_line=None)
    with pytest.raises(ReportFileError, match="无法从标题或“统计期间”一行确定统计期间"):
        preview_of(target, path)
    preview = preview_of(target, path, period=H1)
    assert preview.kind == "progress" and preview.errors == 0
    with pytest.raises(ReportFileError, match="与指定的2026年度"):
        preview_of(target, write_by_hand(tmp_path / "y.xlsx", table, rows), period=Period.year(2026))


# --- what is refused ---------------------------------------------------------------------------------------

# (change to the rows of SJ (Excel row 6), WJ (7), HB (8); the expected message)
BAD: dict[str, tuple[Callable[[ProgressRows, StatTable], None], str]] = {}


def _set(name: str, column: str, value: Any) -> Callable[[ProgressRows, StatTable], None]:
    def change(rows: ProgressRows, table: StatTable) -> None:
        index = table.column_index(column) - 2
        for row_name, figures in rows:
            if row_name == name:
                figures[index] = value

    return change


def _rename(old: str, new: str) -> Callable[[ProgressRows, StatTable], None]:
    def change(rows: ProgressRows, table: StatTable) -> None:
        rows[[n for n, _f in rows].index(old)] = (new, rows[[n for n, _f in rows].index(old)][1])

    return change


BAD.update(
    {
        "negative": (_set(WJ, "抽取数", -2), "第7行 抽取数不能为负数（-2）"),
        "fraction": (_set(HB, "已处置数", 1.5), "第8行 已处置数应为整数，实为 1.5"),
        "words": (_set(SJ, "开展任务数", "两个"), "第6行 开展任务数“两个”不是数字"),
        "published more than inspected": (
            _set(WJ, "公示对象数（户）", 2),
            "第7行 公示对象数（2）大于已检查数（1）",
        ),
        "handled more than problems": (_set(SJ, "已处置数", 4), "第6行 已处置数（4）大于发现问题数（3）"),
        "rate above 100%": (_set(SJ, "公示率", "120%"), "第6行 公示率不能超过 100%（120%）"),
        "unknown department like a known one": (
            _rename(WJ, "县卫健委"),
            "第7行 部门“县卫健委”不在本库的部门名录中，与“示范县卫生健康委员会”相近",
        ),
        "not a department": (_rename(HB, "12345"), "第8行 “12345”不像部门名称"),
        "the own department": (_rename(HB, SF), "第8行 “示范县司法局”是本机所属部门"),
        "twice the same department": (_rename(HB, "WJ"), "第8行 部门“WJ”在第7行已填报过"),
    }
)


def test_more_inspected_than_drawn_is_only_a_warning(h1: Facts, target: Database, tmp_path: Path) -> None:
    """抽取 counts by the draw day and 已检查 by the inspection day: objects drawn before the period and
    inspected in it make 已检查数 larger than 抽取数 in a genuine table."""
    table, rows = source_rows(h1)
    _set(HB, "已检查数", 4)(rows, table)
    path = write_by_hand(tmp_path / "跨期.xlsx", table, rows, totals=False)
    with target.sessions() as session:
        preview = preview_report_import(session, path)
    warnings = [m for m in preview.messages() if m.startswith("[警告]")]
    assert preview.can_apply
    assert any("第8行 已检查数（4）大于抽取数（3）" in m and "请核对" in m for m in warnings), (
        preview.messages()
    )


@pytest.mark.parametrize("case", list(BAD))
def test_each_error_names_row_and_field_and_nothing_is_written(
    case: str, h1: Facts, target: Database, tmp_path: Path
) -> None:
    table, rows = source_rows(h1)
    change, message = BAD[case]
    change(rows, table)
    path = write_by_hand(tmp_path / "bad.xlsx", table, rows, totals=False)
    with target.sessions() as session:
        preview = preview_report_import(session, path)
        assert not preview.can_apply
        errors = [m for m in preview.messages() if m.startswith("[错误]")]
        assert any(message in m for m in errors), preview.messages()
        with pytest.raises(ImportRefusedError, match="未写入任何数据"):
            apply_report_import(session, preview)
    assert stored(target) == 0


def test_totals_that_do_not_add_up_name_the_column(h1: Facts, target: Database, tmp_path: Path) -> None:
    table, rows = source_rows(h1)
    sums = values(table.totals[2:])  # type: ignore[index]
    sums[table.column_index("发现问题数") - 2] += 1
    sums[table.column_index("参与联合抽查") - 2] = 1  # may be below the sum (deduplicated), not below a row
    path = write_by_hand(tmp_path / "合计.xlsx", table, rows, totals=sums)
    messages = preview_of(target, path).messages()
    assert "[错误] 第9行 合计行发现问题数为 4，各行之和为 3" in messages
    assert any(m.startswith("[错误] 第9行 合计行参与联合抽查为 1，应在各行最大值（2）") for m in messages)
    assert len([m for m in messages if m.startswith("[错误]")]) == 2


def test_rates_that_disagree_with_their_counts_are_warnings(
    h1: Facts, target: Database, tmp_path: Path
) -> None:
    table, rows = source_rows(h1)
    _set(SJ, "公示率", 0.9)(rows, table)
    _set(SJ, "按时公示率", "61%")(rows, table)  # no number of 5 objects makes 61%
    _set(HB, "发现问题数", None)(rows, table)
    path = write_by_hand(tmp_path / "率.xlsx", table, rows, totals=False)
    preview = preview_of(target, path)
    assert preview.errors == 0
    assert preview.messages() == [
        "[警告] 第6行 公示率填写为 90.0%，按公示对象数÷已检查数应为 100.0%（统计表按数字重新计算）",
        "[警告] 第6行 按时公示率填写为 61.0%，与公示对象数（5）对不上（5户中按时公示的户数不可能得出这个比率）",
        "[警告] 第8行 发现问题数未填写，按 0 计",
    ]
    sj = preview.sheets[0].lines[0].figures
    assert (sj["公示率"], sj[ON_TIME]) == (0.9, 3)  # as given; the tables recompute from the counts


def test_a_clearly_new_department_is_a_warning_and_joins_the_county_table(
    h1: Facts, target: Database, tmp_path: Path
) -> None:
    table, rows = source_rows(h1)
    _rename(HB, "示范县林业局")(rows, table)
    path = write_by_hand(tmp_path / "新.xlsx", table, rows, totals=False)
    preview = preview_of(target, path)
    assert preview.messages() == [
        "[警告] 第8行 部门“示范县林业局”不在本库的部门名录中，将作为新部门记录其数字"
    ]
    imported(target, path)
    with target.sessions() as session:
        table_there = county_table(session, "progress", H1)
    assert table_there.rows[-1][1].value == "示范县林业局" + MARK and table_there.rows[-1][0].value == 6


def test_non_market_checks(h1: Facts, target: Database, tmp_path: Path) -> None:
    source = non_market_table(h1)
    path = write_table_xlsx(source, tmp_path / "推行.xlsx", date=D(2026, 7, 20))
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book.active
    assert ws is not None
    ws.cell(row=6, column=source.column_index("计划状态") + 1, value="已备案")  # an alias of 已审核备案
    ws.cell(row=7, column=source.column_index("计划状态") + 1, value="批准了")
    ws.cell(row=8, column=source.column_index("是否建立“两库一单”") + 1, value="是")  # JY has nothing
    book.save(path)
    messages = preview_of(target, path).messages()
    assert "[错误] 第7行 计划状态“批准了”无法识别（应为未制定、草稿、已报审、已审核备案之一）" in messages
    assert any(m.startswith("[警告] 第8行 是否建立“两库一单”填写为“是”") for m in messages)
    assert any(
        m.startswith("[错误] 第9行 合计行“计划状态”为 0，计划已审核备案的部门数为 1") for m in messages
    )


# --- duplicates, superseding, protection --------------------------------------------------------------------


def test_duplicate_and_superseding(h1: Facts, target: Database, tmp_path: Path) -> None:
    table, rows = source_rows(h1)
    first = write_by_hand(tmp_path / "a.xlsx", table, rows[1:2], totals=False)
    summary = imported(target, first)
    assert summary.counts.imported == 1
    again = preview_of(target, first)
    assert again.duplicate.startswith("该文件已于") and not again.can_apply
    assert again.counts.as_dict()["imported"] == 0
    with target.sessions() as session:
        assert apply_report_import(session, again).figure_ids == ()
    assert stored(target) == 1

    newer_rows = [(WJ, list(rows[1][1]))]
    _set(WJ, "抽查事项数（项）", 9)(newer_rows, table)
    newer = write_by_hand(
        tmp_path / "b.xlsx", table, newer_rows, totals=False, info="填报日期：2026年7月25日"
    )
    summary = imported(target, newer)
    assert summary.counts.as_dict() == {"imported": 0, "updated": 1, "skipped": 0, "warnings": 0, "errors": 0}
    older = write_by_hand(tmp_path / "c.xlsx", table, rows[1:2], totals=False, info="填报日期：2026年7月1日")
    summary = imported(target, older)
    assert (summary.stored_superseded, summary.counts.skipped) == (1, 1)
    with target.sessions() as session:
        history = session.execute(
            select(ReportedFigures.file_name, ReportedFigures.superseded_by_id).order_by(ReportedFigures.id)
        ).all()
        (current,) = reported_rows(session, "progress", H1)
        items = county_table(session, "progress", H1)
    assert [(name, by) for name, by in history] == [("a.xlsx", 2), ("b.xlsx", None), ("c.xlsx", 2)]
    assert current.file_name == "b.xlsx" and current.figures["抽查事项数（项）"] == 9
    assert row_named(items, WJ + MARK)[2].value == 9
    with target.sessions() as session:
        events = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.object_type == "报表导入").order_by(AuditEntry.id)
        ).all()
    assert len(events) == 3 and "取代此前导入的 1 行" in events[1] and "仅存档" in events[2]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE reported_figures SET figures = '{}'", "只读"),
        ("UPDATE reported_figures SET department_code = 'HB'", "只读"),
        ("UPDATE reported_figures SET superseded_by_id = NULL WHERE id = 1", "只读"),
        ("DELETE FROM reported_figures", "不能删除"),
    ],
)
def test_reported_figures_are_read_only(
    sql: str, message: str, h1: Facts, target: Database, tmp_path: Path
) -> None:
    table, rows = source_rows(h1)
    imported(target, write_by_hand(tmp_path / "a.xlsx", table, rows, totals=False))
    assert target.path is not None
    assert edit(target.path, "UPDATE reported_figures SET superseded_by_id = 2 WHERE id = 1") == 1
    with pytest.raises(sqlite3.IntegrityError, match=message):
        edit(target.path, sql)
    assert set(REPORTED_TRIGGERS) <= set(TRIGGERS)


def test_a_user_without_the_exchange_permission_cannot_import(
    h1: Facts, target: Database, tmp_path: Path
) -> None:
    from app.auth.roles import Actor, PermissionDenied, acting_as
    from db.enums import UserRole

    table, rows = source_rows(h1)
    path = write_by_hand(tmp_path / "a.xlsx", table, rows, totals=False)
    supervisor = Actor("watch", "王监督", UserRole.SUPERVISOR, user_id=7)
    with target.sessions() as session, acting_as(session, supervisor):
        preview = preview_report_import(session, path)  # reading is allowed
        with pytest.raises(PermissionDenied, match="数据交换"):
            apply_report_import(session, preview)
    assert stored(target) == 0


# --- plan tables ---------------------------------------------------------------------------------------------


def _plan_counts(database: Database, year: int) -> dict[str, int]:
    with database.sessions() as session:
        return dict(
            session.execute(
                select(Department.code, func.count(PlanRow.id))
                .join(AnnualPlan, AnnualPlan.department_id == Department.id)
                .join(PlanRow, PlanRow.plan_id == AnnualPlan.id)
                .where(AnnualPlan.year == year)
                .group_by(Department.code)
            ).all()
        )


def test_county_plan_table_is_split_by_department(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.sessions() as session:
        facts = collect_facts(session, Period.year(DEMO_YEAR))
    path = write_table_xlsx(plan_table(facts), tmp_path / "全县计划表.xlsx", date=D(DEMO_YEAR, 2, 1))
    before = _plan_counts(demo_db, DEMO_YEAR)
    assert len(before) > 2
    with demo_db.sessions() as session:
        preview = preview_report_import(session, path, plan_year=DEMO_YEAR + 1)
        assert preview.kind == "plan" and preview.errors == 0, preview.messages()
        assert len(preview.plan_parts) == len(before)
        summary = apply_report_import(session, preview)
        assert summary.counts.imported == sum(before.values())
    assert _plan_counts(demo_db, DEMO_YEAR + 1) == before
    with demo_db.sessions() as session:  # every plan is a 草稿 of the new year, as the plan importer makes it
        states = session.scalars(select(AnnualPlan.status).where(AnnualPlan.year == DEMO_YEAR + 1)).all()
    assert set(states) == {"草稿"}


def test_county_plan_table_is_all_or_nothing(demo_db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with demo_db.sessions() as session:
        facts = collect_facts(session, Period.year(DEMO_YEAR))
    table = plan_table(facts)
    path = write_table_xlsx(table, tmp_path / "全县计划表.xlsx", date=D(DEMO_YEAR, 2, 1))
    book = load_workbook(path)
    ws = book.active
    assert ws is not None
    last = 4 + table.header_rows + len(table.rows) - 1  # the last department's last row
    ws.cell(row=last, column=table.column_index("抽查事项") + 1, value="不存在的抽查事项")
    ws.cell(row=6, column=table.column_index("部门") + 1, value="火星管理局")
    book.save(path)
    with demo_db.sessions() as session:
        preview = preview_report_import(session, path, plan_year=DEMO_YEAR + 1)
        text = "\n".join(preview.messages())
        assert "[错误] 第6行 部门“火星管理局”在本库的部门名录中不存在" in text
        assert f"[错误] 第{last}行 抽查事项“不存在的抽查事项”在抽查事项清单中不存在" in text
        with pytest.raises(ImportRefusedError):
            apply_report_import(session, preview)
    assert _plan_counts(demo_db, DEMO_YEAR + 1) == {}


def test_one_departments_plan_table_goes_to_that_department(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.sessions() as session:
        code = session.scalars(select(Department.code).order_by(Department.sort_order)).first()
        facts = collect_facts(session, Period.year(DEMO_YEAR))
    assert code is not None
    path = write_table_xlsx(plan_table(facts, [code]), tmp_path / "计划表.xlsx", date=D(DEMO_YEAR, 2, 1))
    before = _plan_counts(demo_db, DEMO_YEAR)[code]
    with demo_db.sessions() as session:
        preview = preview_report_import(session, path, plan_year=DEMO_YEAR + 1)  # 填报单位 names it
        assert [p.department_name for p in preview.plan_parts] == [facts.department_by_code[code].name]
        apply_report_import(session, preview)
    assert _plan_counts(demo_db, DEMO_YEAR + 1) == {code: before}
    with demo_db.sessions() as session:  # now it has a plan for that year: refused, nothing written
        again = preview_report_import(session, path, plan_year=DEMO_YEAR + 1)
    assert any("已有" in m and "不能导入" in m for m in again.messages())


# --- the command line -----------------------------------------------------------------------------------------


def _last_json(output: str) -> dict[str, int]:
    return json.loads(output.strip().splitlines()[-1])


def test_command_line(h1: Facts, target: Database, tmp_path: Path) -> None:
    table, rows = source_rows(h1)
    good = write_by_hand(tmp_path / "好.xlsx", table, rows)
    assert target.path is not None
    db = target.path
    target.close()
    done = run_app("report", "import", good, "--db", db, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert _last_json(done.stdout) == {"imported": 3, "updated": 0, "skipped": 1, "warnings": 0, "errors": 0}
    assert "试运行" in done.stdout
    started = time.perf_counter()
    done = run_app("report", "import", good, "--db", db, "--kind", "progress", "--half", "2026-1")
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 30
    assert _last_json(done.stdout)["imported"] == 3 and "已导入" in done.stdout
    done = run_app("report", "import", good, "--db", db)
    assert done.returncode == 0 and "重复的文件" in done.stdout and _last_json(done.stdout)["imported"] == 0

    _set(WJ, "公示对象数（户）", 9)(rows, table)
    bad = write_by_hand(tmp_path / "坏.xlsx", table, rows, totals=False)
    done = run_app("report", "import", bad, "--db", db)
    assert done.returncode == 1 and "第7行 公示对象数（9）大于已检查数（1）" in done.stdout
    # and the two rates written for the old 公示对象数 no longer match it: warnings
    assert _last_json(done.stdout) == {"imported": 0, "updated": 0, "skipped": 0, "warnings": 2, "errors": 1}

    pdf = tmp_path / "报表.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    bomb = sheet_whitespace_bomb(tmp_path)
    for unusable, words in ((pdf, "PDF"), (bomb, ""), (good, "与指定的")):
        extra = ("--year", "2026") if unusable is good else ()
        done = run_app("report", "import", unusable, "--db", db, *extra)
        assert done.returncode == 2, (unusable, done.stdout, done.stderr)
        assert words in done.stderr and _last_json(done.stdout)["imported"] == 0
    done = run_app("report", "import", good, "--db", db, "--kind", "joint")
    assert done.returncode == 2 and "表格类型" in done.stderr
    reopened = open_database(db)
    try:
        assert stored(reopened) == 3
    finally:
        reopened.close()
