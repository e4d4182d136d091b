"""The 随机抽取情况记录表 PDF from the SJDRAW-1 vector records: content, fonts, rendering, pagination."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from app.draw import Witness, execute, prepare
from app.forms.draw_sheet import write_draw_sheet
from app.forms.draw_sheet_data import DrawSheetData, DrawSheetError, PoolExclusion, VoidedAttempt
from app.forms.draw_sheet_record import draw_sheet_data_from_record, load_draw_sheet_data
from app.forms.fonts import MissingGlyphsError
from tests.app.forms.pdf_tools import page_count, pdf_text, png_gray_pixels, run_tool, squeeze

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "resources" / "vectors" / "sjdraw"
GOOD = ["risk_strata_with_replacement", "joint_two_departments"]
BUREAU = "宁安市市场监督管理局"
HEADINGS = [
    "随机抽取情况记录表",
    "一、抽查任务",
    "二、检查对象、检查人员与抽取比例",
    "三、公开承诺、见证人随机数与种子",
    "四、抽取结果",
    "五、递补记录",
    "六、摇号记录文件与验证方法",
    "七、签字确认",
]


def _context() -> dict[str, Any]:
    return {
        "bureau_name": BUREAU,
        "task_code": "NA-SJ-2026-007",
        "task_title": "2026年食品经营者双随机抽查",
        "items": ("食品经营许可事项检查",),
        "lead_department": "市场监管局",
        "drawn_at": "2026年3月12日 9:30",
        "place": "三楼会议室",
        "operator": "李明",
        "attempt": 2,
        "voided": (VoidedAttempt(1, "投影设备故障"),),
        "pool_base": 26,
        "exclusions": (PoolExclusion("已注销/吊销", 4), PoolExclusion("本年度已检查", 2)),
    }


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], DrawSheetData, Path]]:
    """Each good vector as (record, sheet data, PDF path)."""
    out = tmp_path_factory.mktemp("sheets")
    built = {}
    for name in GOOD:
        source = VECTORS / f"{name}.json"
        data = load_draw_sheet_data(source, **_context())
        built[name] = (
            json.loads(source.read_text(encoding="utf-8")),
            data,
            write_draw_sheet(data, out / f"{name}.pdf"),
        )
    return built


@pytest.mark.parametrize("name", GOOD)
def test_text_has_headings_bureau_objects_hashes_and_witnesses(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]], name: str
) -> None:
    record, data, pdf = sheets[name]
    text = squeeze(pdf_text(pdf))
    for heading in HEADINGS:
        assert heading in text, heading
    assert BUREAU in text
    names = {row[0]: row[2] for row in record["objects"]}
    for entry in record["final"]:
        assert squeeze(names[entry["id"]]) in text, names[entry["id"]]
        assert entry["id"] in text
    for key in (
        "seed",
        "commit",
        "nonce",
        "objects_sha256",
        "inspectors_sha256",
        "conflicts_sha256",
        "params_sha256",
    ):
        assert record[key] in text, key
    for witness in record["witness"]:
        assert witness["name"] in text
        assert squeeze(" ".join(map(str, witness["values"]))) in text
    assert data.record_sha256 in text
    assert f"pythonsjdraw_verify.py{name}.json" in text
    assert f"python-mappverify{name}.json" in text
    assert f"第1页共{page_count(pdf)}页" in text
    assert "第2次抽取；第1次作废，原因：投影设备故障" in text


def test_inspectors_printed_with_their_certificate_numbers(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]],
) -> None:
    record, _data, pdf = sheets["risk_strata_with_replacement"]
    text = squeeze(pdf_text(pdf))
    people = {row[0]: row[2] for row in record["inspectors"]}
    for entry in record["final"]:
        for inspector in entry["inspectors"][0]["ids"]:
            assert f"{people[inspector]}{inspector}" in text
    replacement = record["replacements"][0]
    assert f"{people[replacement['chosen']]}{replacement['chosen']}（递补）" in text
    assert replacement["reason"] in text


def test_joint_draw_has_one_column_per_department_lead_first(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]],
) -> None:
    _record, data, pdf = sheets["joint_two_departments"]
    assert data.departments == ("卫生健康局", "市场监管局")  # assignment (byte) order
    text = squeeze(pdf_text(pdf))
    assert text.index("市场监管局检查人员") < text.index("卫生健康局检查人员")
    assert "本次抽取无递补" in text


def test_pool_summary_comes_from_the_record(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]],
) -> None:
    _record, data, _pdf = sheets["risk_strata_with_replacement"]
    assert data.pool_size == 20
    assert [(s.label, s.pool_size, s.sample_size, s.inclusion_rate) for s in data.strata] == [
        ("中", 5, 2, "40%"),
        ("低", 9, 1, "11.11%"),
        ("高", 6, 3, "50%"),
    ]
    assert [(g.department, g.eligible, g.per_object, g.cap) for g in data.inspector_pools] == [
        ("全部检查人员", 8, 2, 2)
    ]
    assert data.conflicts_count == 2
    assert data.witness_string == "3.1.4.1.5.9./2.6.5.3.5.8./9.7.9.3.2.3./"


@pytest.mark.parametrize("name", GOOD)
def test_cjk_font_is_embedded_as_a_subset(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]], name: str
) -> None:
    rows = run_tool("pdffonts", sheets[name][2]).splitlines()[2:]
    assert rows, "pdffonts lists no fonts"
    for row in rows:
        # columns: name type encoding emb sub uni object-id generation
        fields = row.split()
        emb, sub = fields[-5], fields[-4]
        assert (emb, sub) == ("yes", "yes"), f"font not embedded as a subset: {row}"
        assert "+" in fields[0], f"no subset tag: {row}"
    assert any("WenQuanYi" in row or "Sim" in row or "Droid" in row for row in rows)


@pytest.mark.parametrize("name", GOOD)
def test_first_page_renders_as_a_printed_page(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]], name: str, tmp_path: Path
) -> None:
    run_tool("pdftoppm", "-r", "60", "-png", "-gray", "-f", "1", "-l", "1", sheets[name][2], tmp_path / "p")
    (png,) = tmp_path.glob("p*.png")
    width, height, pixels = png_gray_pixels(png)
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
    dark = sum(1 for p in pixels if p < 128) / len(pixels)
    mean = sum(pixels) / len(pixels)
    variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
    assert 0.01 < dark < 0.30, f"dark share {dark:.3f}"  # text and rules, on mostly white paper
    assert variance > 500


def test_record_file_hash_is_of_the_file_as_stored(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]],
) -> None:
    _record, data, _pdf = sheets["joint_two_departments"]
    source = VECTORS / "joint_two_departments.json"
    assert data.record_file_name == source.name
    assert data.record_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()


def test_meta_fills_the_sheet_and_context_overrides_it() -> None:
    record = json.loads((VECTORS / "risk_strata_with_replacement.json").read_text(encoding="utf-8"))
    record["meta"] = {
        "bureau_name": "宁安市卫生健康局",
        "task_title": "公共场所卫生抽查",
        "items": ["公共场所卫生许可检查", "集中空调通风系统检查"],
        "place": "二楼会议室",
        "operator": "王芳",
        "attempt": 2,
        "voided": [{"attempt": 1, "reason": "停电"}],
        "pool_base": 30,
        "exclusions": [{"reason": "已注销", "count": 10}],
        "witness_affiliations": {"人大代表甲": "县人大常委会"},
    }
    data = draw_sheet_data_from_record(record, operator="张强")
    assert (data.bureau_name, data.task_title, data.place, data.operator) == (
        "宁安市卫生健康局",
        "公共场所卫生抽查",
        "二楼会议室",
        "张强",
    )
    assert data.items == ("公共场所卫生许可检查", "集中空调通风系统检查")
    assert data.attempt_text == "第2次抽取；第1次作废，原因：停电"
    assert (data.pool_base, data.exclusions) == (30, (PoolExclusion("已注销", 10),))
    assert data.witnesses[0].affiliation == "县人大常委会"
    with pytest.raises(TypeError):
        draw_sheet_data_from_record(record, no_such_field="x")


def _task_meta() -> dict[str, Any]:
    """A ``meta`` block shaped like the one the product's task module writes into every record."""
    return {
        "task_code": "RW-2026-0003",
        "task_title": "食品经营者联合抽查",
        "task_kind": "年度计划内",
        "items": [{"code": "SJ-001", "name": "食品经营许可事项检查"}],
        "departments": [
            {"name": "市场监管局", "role": "发起", "inspectors_per_object": 2, "eligible": 6},
            {"name": "卫生健康局", "role": "配合", "inspectors_per_object": 1, "eligible": 3},
        ],
        "place": "三楼会议室",
        "operator": "王芳",
        "finished_at": "2026-03-12T09:31:00",
        "attempt": 2,
        "voided_attempts": [{"attempt": 1, "reason": "停电", "voided_at": "2026-03-12T09:10:00"}],
        "witnesses": [{"name": "监督员", "affiliation": "县纪委监委"}],
        "inspection_date": "2026-03-20",
        "pool": {
            "registry_size": 40,
            "filter": ["行业：餐饮服务"],
            "base_count": 24,
            "exclusions": [
                {"key": "deregistered", "label": "登记状态为注销、吊销或迁出", "enabled": True, "count": 4},
                {"key": "outside_item", "label": "不属于抽查事项的检查对象", "enabled": False, "count": 0},
            ],
            "pool_size": 20,
        },
    }


def test_the_task_modules_meta_fills_the_sheet(tmp_path: Path) -> None:
    record = json.loads((VECTORS / "joint_two_departments.json").read_text(encoding="utf-8"))
    record["meta"] = _task_meta()
    data = draw_sheet_data_from_record(record, bureau_name=BUREAU)
    assert (data.task_code, data.task_kind, data.place, data.operator) == (
        "RW-2026-0003",
        "年度计划内",
        "三楼会议室",
        "王芳",
    )
    assert data.items == ("食品经营许可事项检查（SJ-001）",)
    assert (data.lead_department, data.partner_departments) == ("市场监管局", ("卫生健康局",))
    assert data.drawn_at == "2026年3月12日 09:31"
    assert data.inspection_date == "2026年3月20日"
    assert data.attempt_text == "第2次抽取；第1次作废，原因：停电（2026年3月12日 09:10）"
    assert (data.registry_size, data.pool_filters, data.pool_base) == (40, ("行业：餐饮服务",), 24)
    assert [(e.reason, e.count, e.enabled) for e in data.exclusions] == [
        ("登记状态为注销、吊销或迁出", 4, True),
        ("不属于抽查事项的检查对象", 0, False),
    ]
    assert data.witnesses[0].affiliation == "县纪委监委"
    assert data.void_note == ""
    text = squeeze(pdf_text(write_draw_sheet(data, tmp_path / "task.pdf")))
    for expected in (
        "行业：餐饮服务",
        "排除：登记状态为注销、吊销或迁出-4",
        "未启用",
        "县纪委监委",
        "年度计划内",
    ):
        assert expected in text, expected


def test_an_exported_voided_draw_says_so_under_the_title(tmp_path: Path) -> None:
    record = json.loads((VECTORS / "joint_two_departments.json").read_text(encoding="utf-8"))
    record["meta"] = {**_task_meta(), "voided": {"at": "2026-03-12T10:00:00", "reason": "抽取人员操作失误"}}
    data = draw_sheet_data_from_record(record, bureau_name=BUREAU)
    assert data.void_note == "本次抽取已作废（2026年3月12日 10:00），原因：抽取人员操作失误"
    text = squeeze(pdf_text(write_draw_sheet(data, tmp_path / "void.pdf")))
    assert text.index("本次抽取已作废") < text.index("一、抽查任务")


@pytest.mark.parametrize("name", ["bad_tampered_result", "bad_tampered_witness"])
def test_a_record_that_does_not_verify_is_refused(name: str) -> None:
    record = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    with pytest.raises(DrawSheetError, match="未通过验证"):
        draw_sheet_data_from_record(record)


def test_malformed_record_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(DrawSheetError, match="格式不正确"):
        load_draw_sheet_data(tmp_path / "x.json")


def test_a_character_the_font_lacks_stops_the_pdf(
    sheets: dict[str, tuple[dict[str, Any], DrawSheetData, Path]], tmp_path: Path
) -> None:
    _record, data, _pdf = sheets["joint_two_departments"]
    odd = dataclasses.replace(data, place="会议室\u0378")
    with pytest.raises(MissingGlyphsError, match="缺少以下字符"):
        write_draw_sheet(odd, tmp_path / "odd.pdf")
    assert not (tmp_path / "odd.pdf").exists()
    assert write_draw_sheet(odd, tmp_path / "odd.pdf", allow_missing_glyphs=True).is_file()


def _large_record(objects: int, drawn: int) -> dict[str, Any]:
    rows = [(f"91231084MA{i:08d}", "全部", f"宁安市测试商户{i}号商贸有限公司") for i in range(objects)]
    inspectors = [(f"SC{i:04d}", "市场监管局", f"检查员{i}") for i in range(120)]
    inspectors += [(f"WJ{i:04d}", "卫生健康局", f"卫健员{i}") for i in range(40)]
    params = f"algorithm=SJDRAW-1\nstrata=全部:#{drawn}\ngroups=市场监管局:2,卫生健康局:1\ncap=auto\n"
    prepared = prepare(rows, inspectors, [], params)
    return execute(prepared, "宁安-压力-0001", bytes(range(32)), [Witness("监督员", (1, 2, 3))])


@pytest.mark.slow
def test_five_thousand_results_paginate_with_the_header_on_every_page(tmp_path: Path) -> None:
    record = _large_record(20_000, 5_000)
    data = draw_sheet_data_from_record(copy.deepcopy(record), bureau_name=BUREAU)
    started = time.perf_counter()
    pdf = write_draw_sheet(data, tmp_path / "big.pdf")
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"5,000 rows took {elapsed:.1f} s"
    pages = page_count(pdf)
    assert pages > 100
    text = pdf_text(pdf)
    result_pages = [page for page in text.split("\f") if "91231084MA" in page and "宁安市测试商户" in page]
    assert len(result_pages) > 100
    for page in result_pages:
        assert "检查对象名称" in page and "市场监管局检查人员" in page, page[:200]
    squeezed = squeeze(text)
    for entry in record["final"][::250] + record["final"][-1:]:
        assert entry["id"] in squeezed
    assert f"第{pages}页共{pages}页" in squeezed


def test_a_missing_pdf_tool_fails_the_test_instead_of_skipping_it() -> None:
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        run_tool("pdftotext-that-does-not-exist")
