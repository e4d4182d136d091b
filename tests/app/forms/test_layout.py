"""Line wrapping for table cells: widths respected, nothing lost, Chinese line-breaking rules (禁则) kept."""

from __future__ import annotations

import pytest

from app.forms.fonts import register_cjk_fonts
from app.forms.layout import text_width, wrap_text

HEX = "fdb192e7d394043cbff3194eb886636ab6dcaa6472ce2e90b64a50e37183708a"


@pytest.fixture(scope="module")
def song() -> str:
    return register_cjk_fonts().song


@pytest.mark.parametrize(
    "text",
    [
        "宁安市百姓大药房连锁有限公司渤海镇分公司第三门市部",
        f"记录文件 SHA-256 {HEX}",
        "王建国 231084000001\n李秀英 231084000002（递补）",
        "与检查对象负责人系近亲属，申请回避。",
    ],
)
def test_no_line_is_wider_than_the_column_and_nothing_is_lost(song: str, text: str) -> None:
    for width in (40.0, 90.0, 200.0):
        wrapped = wrap_text(text, song, 9, width)
        assert all(text_width(line, song, 9) <= width for line in wrapped.split("\n"))
        assert "".join(wrapped.split()) == "".join(text.split())


def test_a_hash_too_long_for_the_column_is_cut_not_dropped(song: str) -> None:
    lines = wrap_text(HEX, song, 9, 100).split("\n")
    assert len(lines) > 1
    assert "".join(lines) == HEX


def test_brackets_and_closing_punctuation_follow_the_line_breaking_rules(song: str) -> None:
    width = text_width("示范县青松乡赖记快餐店（", song, 9) + 0.5
    assert wrap_text("示范县青松乡赖记快餐店（70119）", song, 9, width) == "示范县青松乡赖记快餐店\n（70119）"
    width = text_width("一二三四五", song, 9) + 0.5
    assert wrap_text("一二三四五，六", song, 9, width) == "一二三四\n五，六"


def test_full_width_spaces_typed_in_a_cell_are_kept(song: str) -> None:
    assert wrap_text("　　年　　月　　日", song, 9, 200) == "　　年　　月　　日"
