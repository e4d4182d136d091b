"""The 执法检查登记表 PDF: content of blank and filled forms, fonts, per-form page numbers, long checklists,
drawn tick boxes, and a look at the rendered page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from app.forms.fonts import MissingGlyphsError
from app.forms.inspection_form import box_glyphs_available, write_inspection_forms
from app.forms.inspection_form_data import FormFinding, FormInspector, InspectionFormData
from db.enums import FollowUp, InspectionMethod, InspectionResult
from tests.app.forms.pdf_tools import page_count, pdf_text, png_gray_pixels, run_tool, squeeze

CHECKLIST = (
    "企业年度报告是否按时报送",
    "公示的住所、联系方式是否真实",
    "股东及出资信息是否与实际一致",
    "行政许可取得、变更、延续信息是否及时公示",
)


def _form(n: int = 1, **changes: object) -> InspectionFormData:
    """A filled form of the demo county's kind; ``changes`` replace fields."""
    base = InspectionFormData(
        bureau_name="示范县市场监督管理局",
        entity_name=f"示范县鑫源餐饮管理有限公司第{n}分店",
        code=f"91469099MA5T8X{n:03d}K",
        address="示范县城关镇人民路128号",
        legal_rep="王建国",
        phone="13876543210",
        task_code="RW-2026-0001",
        task_title="2026年度企业公示信息的抽查",
        items=("SJ-001 企业公示信息的抽查",),
        basis="《企业信息公示暂行条例》第十四条",
        inspectors=(
            FormInspector("李明", "示范县市场监督管理局", "46900120260001"),
            FormInspector("张伟", "示范县市场监督管理局", "46900120260002"),
        ),
        findings=tuple(
            FormFinding(
                k, text, "年报从业人数与实际不符" if k == 2 else "无", "当场责令更正" if k == 2 else ""
            )
            for k, text in enumerate(CHECKLIST, start=1)
        ),
        order=n,
        doc_no=f"〔2026〕示市监检字第{n:04d}号",
        archive_no=f"2026-示市监-RW-2026-0001-{n:03d}",
        inspection_date=dt.date(2026, 3, 5),
        method=InspectionMethod.ON_SITE.value,
        result=InspectionResult.CORRECTED.value,
        follow_up=FollowUp.ORDER_CORRECTION.value,
        follow_up_note="责令于2026年3月20日前更正年报",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _page_text(pdf: Path, page: int) -> str:
    return squeeze(run_tool("pdftotext", "-raw", "-enc", "UTF-8", "-f", str(page), "-l", str(page), pdf, "-"))


def _render(pdf: Path, target: Path, dpi: int = 60) -> tuple[int, int, list[int]]:
    run_tool(
        "pdftoppm",
        "-r",
        str(dpi),
        "-f",
        "1",
        "-l",
        "1",
        "-png",
        "-singlefile",
        "-gray",
        pdf,
        target.with_suffix(""),
    )
    return png_gray_pixels(target)


def test_a_filled_form_shows_identity_numbers_checklist_findings_and_inspectors(tmp_path: Path) -> None:
    form = _form()
    text = squeeze(pdf_text(write_inspection_forms([form], tmp_path / "filled.pdf", blank=False)))
    for expected in (
        "执法检查登记表",
        form.bureau_name,
        form.entity_name,
        form.code,
        form.address,
        form.legal_rep,
        form.phone,
        form.doc_no,
        form.archive_no,
        form.basis,
        "2026年3月5日",
        *CHECKLIST,
        "年报从业人数与实际不符",
        "当场责令更正",
        form.follow_up_note,
        "46900120260001",
        "46900120260002",
        "被检查对象签字（盖章）",
        *(m.value for m in InspectionResult),
    ):
        assert squeeze(expected) in text, expected


def test_a_blank_form_has_the_identity_and_checklist_but_nothing_found(tmp_path: Path) -> None:
    form = _form(doc_no="", archive_no="")
    text = squeeze(pdf_text(write_inspection_forms([form], tmp_path / "blank.pdf", blank=True)))
    for expected in (form.entity_name, form.code, form.phone, *CHECKLIST, "其他：", "李明", "46900120260001"):
        assert squeeze(expected) in text, expected
    for recorded in ("年报从业人数与实际不符", "当场责令更正", form.follow_up_note, "2026年3月5日"):
        assert squeeze(recorded) not in text, recorded
    assert "文书编号：＿＿＿" in text


def test_the_chinese_font_is_embedded_as_a_subset(tmp_path: Path) -> None:
    pdf = write_inspection_forms([_form(), _form(2)], tmp_path / "forms.pdf", blank=False)
    lines = run_tool("pdffonts", pdf).splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        name, *_rest = line.split()
        assert re.match(r"[A-Z]{6}\+", name), f"not a subset: {line}"
        assert " yes yes " in line, f"not embedded as a subset: {line}"
    assert "Helvetica" not in "\n".join(lines)


def test_every_form_starts_a_new_page_and_numbers_its_own_pages(tmp_path: Path) -> None:
    forms = [_form(1), _form(2), _form(3)]
    pdf = write_inspection_forms(forms, tmp_path / "three.pdf", blank=True)
    pages = page_count(pdf)
    per_form = pages // 3
    assert pages == 3 * per_form and per_form >= 1
    for index, form in enumerate(forms):
        first = _page_text(pdf, index * per_form + 1)
        assert first.count("执法检查登记表") == 1 and squeeze(form.entity_name) in first
        for number in range(1, per_form + 1):
            page = _page_text(pdf, index * per_form + number)
            assert f"第{number}页共{per_form}页" in page
            assert squeeze(form.entity_name) in page, "the running header names the object"


def test_a_long_checklist_continues_under_a_repeated_header_and_loses_nothing(tmp_path: Path) -> None:
    long_problem = "；".join(f"第{n:03d}条问题说明" for n in range(1, 120))
    rows = tuple(
        FormFinding(k, f"检查要点{k:02d}：经营场所、许可证照、台账记录是否齐全有效", "无", "")
        for k in range(1, 31)
    )
    rows += (FormFinding(31, "其他情况", long_problem, "另行立案"),)
    pdf = write_inspection_forms([_form(findings=rows)], tmp_path / "long.pdf", blank=False)
    pages = page_count(pdf)
    assert pages >= 3
    whole = squeeze(pdf_text(pdf))
    for k in range(1, 31):
        assert f"检查要点{k:02d}" in whole
    # The over-tall row is split by lines: between its halves come only its other cells and the furniture.
    form = _form()
    furniture = [
        form.bureau_name,
        squeeze(form.entity_name + form.doc_no),
        "另行立案",
        "序号检查内容发现问题处置情况",
    ]
    joined = re.sub(r"第\d+页共\d+页", "", whole)
    for piece in furniture:
        joined = joined.replace(piece, "")
    assert squeeze(long_problem) in joined
    for page in range(2, pages):
        text = _page_text(pdf, page)
        if "检查要点" in text or "问题说明" in text:
            assert "序号检查内容发现问题处置情况" in text, f"page {page} lacks the repeated header"
        assert f"共{pages}页" in text


def test_box_glyphs_are_used_only_when_the_font_has_both() -> None:
    assert box_glyphs_available({ord("☐"): 1, ord("☑"): 2})
    assert not box_glyphs_available({ord("☐"): 1})
    assert not box_glyphs_available({})


def test_the_tick_moves_with_the_recorded_result(tmp_path: Path) -> None:
    corrected = write_inspection_forms([_form()], tmp_path / "a.pdf", blank=False)
    nothing = write_inspection_forms(
        [_form(result=InspectionResult.NO_PROBLEM.value)], tmp_path / "b.pdf", blank=False
    )
    width, height, a = _render(corrected, tmp_path / "a.png")
    _w, _h, b = _render(nothing, tmp_path / "b.png")
    changed = [i for i, (p, q) in enumerate(zip(a, b, strict=True)) if abs(p - q) > 64]
    assert changed, "the tick did not move"
    rows = {i // width for i in changed}
    # Two small marks (the old tick gone, the new one drawn) in the 检查结果 block, nothing else differs.
    assert len(changed) < 0.002 * width * height and max(rows) - min(rows) < height * 0.1


def test_a_name_with_a_character_the_font_lacks_is_refused(tmp_path: Path) -> None:
    odd = _form(entity_name="示范县\U0002a6a5记小吃店")
    with pytest.raises(MissingGlyphsError) as caught:
        write_inspection_forms([odd], tmp_path / "odd.pdf", blank=True)
    assert "\U0002a6a5" in caught.value.message_zh
    assert not (tmp_path / "odd.pdf").exists()
    assert write_inspection_forms([odd], tmp_path / "odd.pdf", blank=True, allow_missing_glyphs=True).exists()


def test_an_empty_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_inspection_forms([], tmp_path / "none.pdf", blank=True)


@pytest.mark.parametrize("blank", [True, False])
def test_the_first_page_renders_with_rules_and_text(tmp_path: Path, blank: bool) -> None:
    pdf = write_inspection_forms([_form()], tmp_path / "form.pdf", blank=blank)
    width, height, pixels = _render(pdf, tmp_path / "page.png", dpi=50)
    assert (width, height) == (414, 585)  # A4 (210 × 297 mm) at 50 dpi, as pdftoppm rounds
    dark = sum(1 for p in pixels if p < 128) / len(pixels)
    assert 0.02 < dark < 0.25, f"page looks empty or black: {dark:.3f}"
    columns = [sum(1 for y in range(height) if pixels[y * width + x] < 128) for x in range(width)]
    assert max(columns) > height * 0.4, "no long vertical rule: the grid was not drawn"
