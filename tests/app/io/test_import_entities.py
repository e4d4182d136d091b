"""检查对象 import from the files counties really have: title rows, merged headers and cells, Excel damage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from app.io import ImportRefusedError, apply_import, load_saved_mapping, preview_import
from app.registry.codes import make_uscc
from db.engine import transaction
from tests.app.io.conftest import fetch, preview, run_import, table_counts, write_workbook

GOOD = make_uscc("9", "1", "469006", "MA5T0001")
GOOD2 = make_uscc("9", "1", "469006", "MA5T0002")


def messy_registry(path: Path) -> Path:
    """Title row, a two-row header with merged group cells, merged 乡镇 meaning "same as above",
    numbers for 注册号 and phones, codes destroyed by Excel, full-width digits, a blank row, a footer."""
    rows: list[list[Any]] = [
        ["示范县市场主体名录（2024年）"],
        ["序号", "主体信息", None, None, "所属乡镇", "住所", "负责人", None, "登记状态"],
        [None, "统一社会信用代码", "注册号", "企业名称", None, None, "姓名", "联系电话", None],
        [1, GOOD, None, "示范县甲乙商贸有限公司", "城关镇", "示范县城关镇人民路１２号", "张三", 13912345678.0, "在业"],
        [2, None, 469006600187440.0, "示范县城关镇李记小吃店", None, "示范县城关镇建设路8号", "李四", "0898-1234567", "开业"],
        [None] * 9,
        [3, "9.14690062012665E+17", None, "示范县丙丁农业开发有限公司", "东山镇", "示范县东山镇农场路3号", "王五", None,
         "吊销，未注销"],
        [4, 9.14690062012665e17, None, "示范县戊己建材店", "东山镇", "示范县东山镇新华路9号", "赵六", None, "注销"],
        ["合计：4户"],
    ]  # fmt: skip
    merges = ["A1:I1", "A2:A3", "B2:D2", "E2:E3", "F2:F3", "G2:H2", "I2:I3", "E4:E5"]
    return write_workbook(path, rows, merges)


def test_messy_registry_imports_with_the_right_values(tmp_path: Path, empty_db: Database) -> None:
    result, summary = run_import(empty_db, "entities", messy_registry(tmp_path / "messy.xlsx"))
    assert result.header_rows == (2, 3)
    assert result.mapping == {
        "主体信息-统一社会信用代码": "uscc", "主体信息-注册号": "reg_no", "主体信息-企业名称": "name",
        "所属乡镇": "town", "住所": "address", "负责人-姓名": "legal_rep", "负责人-联系电话": "phone",
        "登记状态": "reg_status",
    }  # fmt: skip
    assert result.unmapped == ["序号"]
    counts = summary.counts
    assert (counts.imported, counts.updated, counts.skipped, counts.errors) == (4, 0, 2, 0)
    assert [i.message for i in result.issues] == [
        "第7行 统一社会信用代码已被Excel改写为科学计数法(9.14690062012665E+17)，无法恢复，已导入为待补录",
        "第8行 统一社会信用代码已被Excel改写为科学计数法(9.14690062012665E+17)，无法恢复，已导入为待补录",
        "第9行 看起来是表尾说明（合计、制表人等），已跳过",
    ]
    rows = fetch(
        empty_db,
        "SELECT name, uscc, reg_no, town, address, phone, reg_status, needs_code_fix, kind FROM entity ORDER BY id",
    )
    assert rows == [
        ("示范县甲乙商贸有限公司", GOOD, None, "城关镇", "示范县城关镇人民路12号", "13912345678", "存续", 0, "企业"),
        ("示范县城关镇李记小吃店", None, "469006600187440", "城关镇", "示范县城关镇建设路8号", "0898-1234567", "存续", 0,
         "企业"),
        ("示范县丙丁农业开发有限公司", None, None, "东山镇", "示范县东山镇农场路3号", "", "吊销", 1, "企业"),
        ("示范县戊己建材店", None, None, "东山镇", "示范县东山镇新华路9号", "", "注销", 1, "企业"),
    ]  # fmt: skip
    assert fetch(empty_db, "SELECT file_name, counts FROM import_batch") == [
        ("messy.xlsx", '{"errors":0,"imported":4,"skipped":2,"updated":0,"warnings":3}')
    ]


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, empty_db: Database) -> None:
    path = messy_registry(tmp_path / "messy.xlsx")
    run_import(empty_db, "entities", path)
    before = fetch(empty_db, "SELECT id, updated_at, needs_code_fix FROM entity ORDER BY id")
    counts_before = table_counts(empty_db)
    again, summary = run_import(empty_db, "entities", path)
    assert (again.counts.imported, again.counts.updated, again.counts.unchanged) == (0, 0, 4)
    assert summary.batch_id is None
    assert fetch(empty_db, "SELECT id, updated_at, needs_code_fix FROM entity ORDER BY id") == before
    assert table_counts(empty_db) == counts_before


def test_pinyin_and_english_headers(tmp_path: Path, empty_db: Database) -> None:
    path = write_workbook(
        tmp_path / "pinyin.xlsx",
        [["TYXYDM", "QYMC", "DZ", "FDDBR", "phone", "DJZT", "risk"],
         [GOOD, "示范县甲乙商贸有限公司", "人民路1号", "张三", "13912345678", "在业", "高风险"]],
    )  # fmt: skip
    run_import(empty_db, "entities", path)
    assert fetch(
        empty_db, "SELECT uscc, name, address, legal_rep, phone, reg_status, risk_level FROM entity"
    ) == [(GOOD, "示范县甲乙商贸有限公司", "人民路1号", "张三", "13912345678", "存续", "高")]


def _refused_file(tmp_path: Path) -> Path:
    return write_workbook(
        tmp_path / "bad.xlsx",
        [["统一社会信用代码", "企业名称", "住所"],
         [GOOD2, "示范县新开张有限公司", "人民路2号"],
         [GOOD2, "示范县另一家有限公司", "人民路3号"],
         ["914690", "示范县短代码有限公司", "人民路4号"]],
    )  # fmt: skip


def test_errors_name_the_rows_and_refuse_the_whole_file(tmp_path: Path, demo_db: Database) -> None:
    before = table_counts(demo_db)
    with transaction(demo_db.sessions) as session:
        result = preview_import(session, "entities", _refused_file(tmp_path))
        assert not result.can_apply
        assert [i.message for i in result.issues if i.severity == "error"] == [
            f"第3行 统一社会信用代码 {GOOD2} 与第2行重复",
            "第4行 统一社会信用代码应为 18 位，实为 6 位",
        ]
        with pytest.raises(ImportRefusedError):
            apply_import(session, result)
    assert table_counts(demo_db) == before


def test_an_error_in_the_last_row_of_a_big_file_still_writes_nothing(
    tmp_path: Path, empty_db: Database
) -> None:
    rows: list[list[Any]] = [["企业名称", "住所", "成立日期"]]
    rows += [[f"示范县第{i}号商贸有限公司", f"人民路{i}号", "2020-01-02"] for i in range(1, 1500)]
    rows.append(["示范县最后一家有限公司", "人民路9999号", "去年"])
    path = write_workbook(tmp_path / "big.xlsx", rows)
    before = table_counts(empty_db)
    with transaction(empty_db.sessions) as session:
        result = preview_import(session, "entities", path)
        assert result.counts.imported == 1499 and result.counts.errors == 1
        with pytest.raises(ImportRefusedError):
            apply_import(session, result)
    assert table_counts(empty_db) == before


def test_upsert_by_code_then_by_name_and_address(tmp_path: Path, empty_db: Database) -> None:
    first = write_workbook(
        tmp_path / "v1.xlsx",
        [["统一社会信用代码", "企业名称", "住所", "联系电话"],
         [GOOD, "示范县甲乙商贸有限公司", "人民路1号", "13900000000"],
         [None, "示范县无代码小店", "建设路2号", "13911111111"]],
    )  # fmt: skip
    run_import(empty_db, "entities", first)
    stamp_before = fetch(empty_db, "SELECT updated_at FROM entity WHERE name = '示范县无代码小店'")
    second = write_workbook(
        tmp_path / "v2.xlsx",
        [["统一社会信用代码", "企业名称", "住所", "联系电话"],
         [GOOD, "示范县甲乙商贸有限公司", "人民路1号", "13922222222"],
         [None, "示范县无代码小店", "建设路2号", "13911111111"],
         [None, "示范县无代码小店", "建设路2号", "13911111111"]],
    )  # fmt: skip
    result, summary = run_import(empty_db, "entities", second)
    assert (summary.counts.imported, summary.counts.updated, summary.counts.unchanged) == (0, 1, 1)
    assert [o.changes for o in result.outcomes if o.outcome == "updated"] == [("联系电话",)]
    assert "第4行 与第3行完全相同（名称和地址相同），已跳过" in [i.message for i in result.issues]
    assert fetch(empty_db, "SELECT count(*), max(phone) FROM entity") == [(2, "13922222222")]
    assert fetch(empty_db, "SELECT updated_at FROM entity WHERE name = '示范县无代码小店'") == stamp_before


def test_a_fixed_code_fills_the_entity_that_was_waiting_for_it(tmp_path: Path, empty_db: Database) -> None:
    damaged = write_workbook(
        tmp_path / "damaged.xlsx",
        [["统一社会信用代码", "企业名称", "住所"], [9.14690062012665e17, "示范县丙丁有限公司", "农场路3号"]],
    )
    run_import(empty_db, "entities", damaged)
    assert fetch(empty_db, "SELECT uscc, needs_code_fix FROM entity") == [(None, 1)]
    fixed = write_workbook(
        tmp_path / "fixed.xlsx",
        [["统一社会信用代码", "企业名称", "住所"], [GOOD, "示范县丙丁有限公司", "农场路3号"]],
    )
    _result, summary = run_import(empty_db, "entities", fixed)
    assert summary.counts.updated == 1
    assert fetch(empty_db, "SELECT uscc, needs_code_fix FROM entity") == [(GOOD, 0)]


def test_departments_by_name_unknown_ones_warn_once(tmp_path: Path, demo_db: Database) -> None:
    known = fetch(demo_db, "SELECT id, name FROM department ORDER BY id LIMIT 1")[0]
    path = write_workbook(
        tmp_path / "d.xlsx",
        [["企业名称", "住所", "监管部门"],
         ["示范县新甲有限公司", "新路1号", known.name],
         ["示范县新乙有限公司", "新路2号", "示范县不存在局"],
         ["示范县新丙有限公司", "新路3号", "示范县不存在局"]],
    )  # fmt: skip
    result, _summary = run_import(demo_db, "entities", path)
    assert [i.message for i in result.issues] == [
        "第3行 监管部门“示范县不存在局”不存在，使用该名称的行监管部门均已留空"
    ]
    assert fetch(demo_db, "SELECT name, department_id FROM entity WHERE address LIKE '新路%' ORDER BY address") == [
        ("示范县新甲有限公司", known.id), ("示范县新乙有限公司", None), ("示范县新丙有限公司", None),
    ]  # fmt: skip


def test_a_chosen_mapping_is_remembered_for_the_same_header(tmp_path: Path, empty_db: Database) -> None:
    path = write_workbook(
        tmp_path / "m.xlsx", [["单位", "位置", "备用电话"], ["示范县甲公司", "人民路1号", "0898-1"]]
    )
    chosen = {"单位": "name", "位置": "address", "备用电话": "phone"}
    with transaction(empty_db.sessions) as session:
        first = preview_import(session, "entities", path, mapping=chosen)
        assert first.mapping_source == "user"
        apply_import(session, first)
    with empty_db.sessions() as session:
        assert load_saved_mapping(session, "entities", ["单位", "位置", "备用电话"]) == chosen
    again = preview(empty_db, "entities", path)
    assert again.mapping_source == "saved" and again.mapping == chosen
    assert again.counts.unchanged == 1


def test_progress_is_reported_from_zero_to_one(tmp_path: Path, empty_db: Database) -> None:
    seen: list[float] = []
    with empty_db.sessions() as session:
        preview_import(
            session, "entities", messy_registry(tmp_path / "p.xlsx"), progress=lambda _s, f: seen.append(f)
        )
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_a_bulk_import_keeps_search_text_indexes_and_triggers(tmp_path: Path, empty_db: Database) -> None:
    # 12,000 rows take the bulk path (indexes rebuilt, the search trigger replayed once for all rows).
    schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'entity' ORDER BY name"
    before = fetch(empty_db, schema)
    path = tmp_path / "bulk.csv"
    lines = ["企业名称,住所,联系电话"] + [
        f"示范县第{i}号商店,人民路{i}号,1390000{i:04d}" for i in range(12_000)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    _result, summary = run_import(empty_db, "entities", path)
    assert summary.counts.imported == 12_000
    assert fetch(empty_db, schema) == before
    assert fetch(empty_db, "SELECT count(*) FROM entity_search") == [(12_000,)]
    assert fetch(
        empty_db,
        "SELECT text FROM entity_search WHERE id = (SELECT id FROM entity WHERE phone = '13900000042')",
    ) == [("示范县第42号商店\x1f\x1f\x1f人民路42号\x1f\x1f13900000042",)]
    run_import(
        empty_db, "entities", write_workbook(tmp_path / "one.xlsx", [["企业名称"], ["示范县后来的商店"]])
    )
    assert fetch(empty_db, "SELECT count(*) FROM entity_search") == [(12_001,)]
