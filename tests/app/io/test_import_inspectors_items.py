"""执法检查人员 and 抽查事项 imports, including the real provincial list with its merged cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.database import Database
from tests.app.io.conftest import fetch, preview, run_import, sample_path, table_counts, write_workbook


def inspector_file(path: Path, valid_until: object = dt.date(2027, 6, 30)) -> Path:
    return write_workbook(
        path,
        [["示范县执法检查人员名录"],
         ["姓名", "性别", "所属单位", "执法证号", "执法证有效期至", "专长", "是否专家", "状态"],
         ["张三", "男", "示范县新设执法局", 46000012345.0, valid_until, "食品安全、特种设备；计量", "是", "在职"],
         ["李四", "女性", "示范县新设执法局", "46000012346", "2026年1月31日", "药品/医疗器械", "", "调出"]],
        merges=["A1:H1"],
    )  # fmt: skip


def test_inspectors_with_a_new_department_tags_and_dates(tmp_path: Path, empty_db: Database) -> None:
    result, summary = run_import(empty_db, "inspectors", inspector_file(tmp_path / "people.xlsx"))
    assert summary.counts.imported == 2 and summary.counts.errors == 0
    assert [i.message for i in result.issues] == ["第3行 部门“示范县新设执法局”不存在，导入时将新建该部门"]
    assert fetch(empty_db, "SELECT name FROM department") == [("示范县新设执法局",)]
    people = fetch(
        empty_db,
        "SELECT i.name, i.gender, i.cert_no, i.cert_valid_until, i.is_expert, i.status, d.name, i.code "
        "FROM inspector i JOIN department d ON d.id = i.department_id ORDER BY i.id",
    )
    assert people == [
        ("张三", "男", "46000012345", "2027-06-30", 1, "在岗", "示范县新设执法局", "RY00001"),
        ("李四", "女", "46000012346", "2026-01-31", 0, "调离", "示范县新设执法局", "RY00002"),
    ]
    tags = fetch(
        empty_db,
        "SELECT i.name, q.tag FROM inspector_qualification q JOIN inspector i ON i.id = q.inspector_id ORDER BY q.id",
    )
    assert tags == [
        ("张三", "食品安全"),
        ("张三", "特种设备"),
        ("张三", "计量"),
        ("李四", "药品"),
        ("李四", "医疗器械"),
    ]


def test_inspectors_are_updated_by_certificate_number(tmp_path: Path, empty_db: Database) -> None:
    run_import(empty_db, "inspectors", inspector_file(tmp_path / "v1.xlsx"))
    same, unchanged = run_import(empty_db, "inspectors", inspector_file(tmp_path / "v1.xlsx"))
    assert (unchanged.counts.imported, unchanged.counts.updated, unchanged.counts.unchanged) == (0, 0, 2)
    before = table_counts(empty_db)
    result, summary = run_import(
        empty_db, "inspectors", inspector_file(tmp_path / "v2.xlsx", dt.date(2029, 1, 1))
    )
    assert (summary.counts.imported, summary.counts.updated) == (0, 1)
    assert [o.changes for o in result.outcomes if o.outcome == "updated"] == [("有效期至",)]
    assert fetch(empty_db, "SELECT cert_valid_until FROM inspector WHERE name = '张三'") == [("2029-01-01",)]
    assert table_counts(empty_db)["inspector"] == before["inspector"]


def test_the_provincial_item_list_imports_as_285_items_from_16_compilers(empty_db: Database) -> None:
    result, summary = run_import(empty_db, "items", sample_path())
    assert result.header_rows == (2, 3)
    assert summary.counts.imported == 285 and summary.counts.errors == 0
    assert fetch(empty_db, "SELECT count(*), count(DISTINCT compiler) FROM inspection_item") == [(285, 16)]
    assert fetch(empty_db, "SELECT count(*) FROM inspection_item WHERE department_id IS NOT NULL") == [(0,)]
    # 序号 1 is merged over three items of one category: codes 1-1 … 1-3; 序号 2 has one item.
    first = fetch(
        empty_db, "SELECT code, category, name FROM inspection_item WHERE compiler = '省教育厅' ORDER BY id"
    )
    assert [r.code for r in first[:5]] == ["1-1", "1-2", "1-3", "2", "3-1"]
    assert first[2].name == "中小学教育装备产品（校服）检查"
    # Row 7 only continues 检查依据 of the item in row 6: its text is appended on a new line.
    basis = fetch(empty_db, "SELECT basis FROM inspection_item WHERE compiler = '省教育厅' AND code = '1-3'")[
        0
    ][0]
    assert basis.split("\n")[1].startswith(
        "《海南省教育厅海南省工商行政管理局海南省质量技术监督局关于加强我省中小学校服"
    )
    assert len(basis.split("\n")) == 2
    continuation = [o for o in result.outcomes if o.note.startswith("续行")]
    assert continuation and all(o.outcome == "skipped" for o in continuation)
    assert next(o for o in result.outcomes if o.row == 7).note == "续行，已并入第6行"


def test_reimporting_the_provincial_list_changes_nothing(empty_db: Database) -> None:
    run_import(empty_db, "items", sample_path())
    before = fetch(empty_db, "SELECT id, code, compiler, basis, updated_at FROM inspection_item ORDER BY id")
    counts_before = table_counts(empty_db)
    again = preview(empty_db, "items", sample_path())
    assert (again.counts.imported, again.counts.updated, again.counts.unchanged, again.counts.errors) == (
        0,
        0,
        285,
        0,
    )
    run_import(empty_db, "items", sample_path())
    assert (
        fetch(empty_db, "SELECT id, code, compiler, basis, updated_at FROM inspection_item ORDER BY id")
        == before
    )
    assert table_counts(empty_db) == counts_before


def test_items_link_to_departments_named_like_the_compiler(tmp_path: Path, demo_db: Database) -> None:
    dept_id, dept_name = fetch(demo_db, "SELECT id, name FROM department ORDER BY id LIMIT 1")[0]
    path = write_workbook(
        tmp_path / "items.csv.xlsx",
        [["编制单位", "编号", "抽查类别", "抽查事项", "事项类别", "检查依据"],
         [dept_name, "X-1", "新类别", "新事项甲", "重点检查事项", "《某条例》第一条"],
         [None, None, None, None, None, "《某条例》第二条"],
         [None, None, None, "新事项乙", "一般", "《某条例》第三条"]],
    )  # fmt: skip
    _result, summary = run_import(demo_db, "items", path)
    assert summary.counts.imported == 2
    rows = fetch(
        demo_db,
        "SELECT code, compiler, department_id, item_class, basis FROM inspection_item WHERE category = '新类别' "
        "OR name = '新事项乙' ORDER BY id",
    )
    assert rows == [
        ("X-1-1", dept_name, dept_id, "重点", "《某条例》第一条\n《某条例》第二条"),
        ("X-1-2", dept_name, dept_id, "一般", "《某条例》第三条"),
    ]
