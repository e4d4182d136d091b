"""Export: a formatted xlsx with codes as text, and re-importing it changes nothing (all three registries)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.database import Database
from app.io import export_registry, write_issue_report
from app.registry.fields import REGISTRIES
from tests.app.io.conftest import fetch, preview, run_import, table_counts, write_workbook

_TABLE = {"entities": "entity", "inspectors": "inspector", "items": "inspection_item"}


@pytest.mark.parametrize("kind", ["entities", "inspectors", "items"])
def test_export_then_reimport_changes_nothing(tmp_path: Path, demo_db: Database, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    with demo_db.sessions() as session:
        summary = export_registry(session, kind, path)
    table = _TABLE[kind]
    assert summary.rows == fetch(demo_db, f"SELECT count(*) FROM {table} WHERE archived = 0")[0][0] > 0
    before = table_counts(demo_db)
    stamps = fetch(demo_db, f"SELECT id, updated_at FROM {table} ORDER BY id")
    result, applied = run_import(demo_db, kind, path)
    counts = result.counts
    assert (counts.imported, counts.updated, counts.errors) == (0, 0, 0), result.messages(5)
    assert counts.unchanged == summary.rows
    assert result.unmapped == []
    assert applied.batch_id is None
    assert table_counts(demo_db) == before
    assert fetch(demo_db, f"SELECT id, updated_at FROM {table} ORDER BY id") == stamps


def test_one_edited_cell_is_one_update(tmp_path: Path, demo_db: Database) -> None:
    path = tmp_path / "entities.xlsx"
    with demo_db.sessions() as session:
        export_registry(session, "entities", path, ids=[1, 2, 3])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=headers.index("联系电话") + 1, value="0898-66668888")
    book.save(path)
    result, summary = run_import(demo_db, "entities", path)
    assert (summary.counts.updated, summary.counts.unchanged) == (1, 2)
    assert [(o.row, o.changes) for o in result.outcomes if o.outcome == "updated"] == [(3, ("联系电话",))]
    assert fetch(demo_db, "SELECT phone FROM entity WHERE id = 2") == [("0898-66668888",)]


def test_the_export_is_formatted_for_clerks(tmp_path: Path, demo_db: Database) -> None:
    path = tmp_path / "entities.xlsx"
    with demo_db.sessions() as session:
        export_registry(session, "entities", path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers == [f.label for f in REGISTRIES["entities"].fields]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    assert sheet["A1"].fill.fgColor.rgb == "FFD9E1F2"
    assert sheet.column_dimensions["A"].width == 22
    col = {h: i for i, h in enumerate(headers)}
    individual = next(r for r in sheet.iter_rows(min_row=2) if r[col["负责人身份证号"]].value)
    for name in ("统一社会信用代码", "联系电话", "负责人身份证号"):
        cell = next(r for r in sheet.iter_rows(min_row=2) if r[col[name]].value)[col[name]]
        assert cell.data_type == "s" and cell.number_format == "@", name
    assert "*" in individual[col["负责人身份证号"]].value
    assert isinstance(individual[col["成立日期"]].value, dt.datetime)
    assert individual[col["经营异常名录"]].value in ("是", "否")


def test_personal_numbers_only_on_request(tmp_path: Path, demo_db: Database) -> None:
    full = fetch(demo_db, "SELECT id, id_number FROM entity WHERE id_number != '' ORDER BY id LIMIT 1")[0]
    path = tmp_path / "p.xlsx"
    with demo_db.sessions() as session:
        export_registry(session, "entities", path, ids=[full.id], include_personal=True)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert full.id_number in [c.value for c in sheet[2]]


def test_issue_report_lists_every_message(tmp_path: Path, empty_db: Database) -> None:
    path = write_workbook(
        tmp_path / "bad.xlsx",
        [["统一社会信用代码", "企业名称", "成立日期"],
         [9.14690062012665e17, "示范县甲公司", "2020-01-02"],
         ["914690", "示范县乙公司", "昨天"]],
    )  # fmt: skip
    result = preview(empty_db, "entities", path)
    report = tmp_path / "问题清单.xlsx"
    assert write_issue_report(result, report) == 3
    sheet = openpyxl.load_workbook(report).active
    assert sheet is not None
    assert "bad.xlsx" in str(sheet["A1"].value)
    assert [c.value for c in sheet[2]] == ["行号", "字段", "严重程度", "说明"]
    assert sheet[2][0].font.b and sheet.freeze_panes == "A3"
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert rows == [
        [
            2,
            "统一社会信用代码",
            "警告",
            "统一社会信用代码已被Excel改写为科学计数法(9.14690062012665E+17)，无法恢复，已导入为待补录",
        ],
        [3, "统一社会信用代码", "错误", "统一社会信用代码应为 18 位，实为 6 位"],
        [3, "成立日期", "错误", "成立日期“昨天”不是有效日期"],
    ]
