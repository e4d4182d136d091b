"""Params text (抽取参数): parsing, exact rates, Chinese error messages."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from app.draw import DrawParams, ParamsError, StratumRule, format_params, parse_params

GOOD = "algorithm=SJDRAW-1\nstrata=高:0.5,中:0.25,低:#3\ngroups=市场监管局:2,卫生健康局:1\ncap=auto\n"


def test_parse_good_params() -> None:
    params = parse_params(GOOD)
    assert [(r.label, r.spelled) for r in params.strata] == [("高", "0.5"), ("中", "0.25"), ("低", "#3")]
    assert params.strata[0].rate == Fraction(1, 2)
    assert params.strata[2].count == 3
    assert params.groups == (("市场监管局", 2), ("卫生健康局", 1))
    assert params.cap == "auto"
    assert not params.undivided
    assert [r.label for r in params.strata_sorted()] == ["中", "低", "高"]  # by UTF-8 bytes
    assert [g for g, _ in params.groups_sorted()] == ["卫生健康局", "市场监管局"]


@pytest.mark.parametrize(("cap_text", "cap"), [("auto", "auto"), ("none", "none"), ("3", 3)])
def test_cap_forms(cap_text: str, cap: object) -> None:
    assert parse_params(f"algorithm=SJDRAW-1\nstrata=全部:1\ngroups=*:2\ncap={cap_text}\n").cap == cap


def test_rates_are_exact_not_floating_point() -> None:
    # 0.07 × 100 is 7.000000000000001 in floating point, whose ceiling would wrongly be 8.
    assert math.ceil(0.07 * 100) == 8
    assert StratumRule.by_rate("高", "0.07").sample_size(100) == 7
    assert StratumRule.by_rate("高", "0.05").sample_size(20) == 1
    assert StratumRule.by_rate("高", "0.05").sample_size(21) == 2  # ceil(1.05)
    assert StratumRule.by_rate("高", "0.1").sample_size(9) == 1  # ceil(0.9)
    assert StratumRule.by_rate("高", "1").sample_size(9) == 9
    assert StratumRule.by_rate("高", "0").sample_size(9) == 0
    assert StratumRule.by_rate("高", "0.5").sample_size(0) == 0


def test_count_is_capped_by_pool() -> None:
    assert StratumRule.by_count("全部", 5).sample_size(3) == 3
    assert StratumRule.by_count("全部", 5).sample_size(20) == 5


def test_auto_cap() -> None:
    params = parse_params("algorithm=SJDRAW-1\nstrata=全部:1\ngroups=*:2\ncap=auto\n")
    assert params.cap_for(k=2, drawn=6, members=8) == 2  # ceil(12 / 8)
    assert params.cap_for(k=2, drawn=8, members=8) == 2
    assert params.cap_for(k=1, drawn=9, members=8) == 2
    assert parse_params("algorithm=SJDRAW-1\nstrata=全部:1\ngroups=*:2\ncap=none\n").cap_for(2, 6, 8) is None


def test_format_params_round_trips() -> None:
    params = parse_params(GOOD)
    assert format_params(params.strata, params.groups, params.cap) == GOOD
    text = format_params([StratumRule.by_rate("高", "0.05")], [("*", 2)], 4)
    assert text == "algorithm=SJDRAW-1\nstrata=高:0.05\ngroups=*:2\ncap=4\n"
    assert isinstance(parse_params(text), DrawParams)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:2\ncap=auto", "换行符结束"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:2\n", "恰好有4行"),
        ("algorithm=SJDRAW-2\nstrata=高:0.5\ngroups=*:2\ncap=auto\n", "不支持的摇号算法"),
        ("algorithm=SJDRAW-1\ngroups=*:2\nstrata=高:0.5\ncap=auto\n", "strata="),
        ("algorithm=SJDRAW-1\nstrata=\ngroups=*:2\ncap=auto\n", "没有列出任何分层"),
        ("algorithm=SJDRAW-1\nstrata=高:5%\ngroups=*:2\ncap=auto\n", "不能写百分号"),
        ("algorithm=SJDRAW-1\nstrata=高:1.5\ngroups=*:2\ncap=auto\n", "不能大于 1"),
        ("algorithm=SJDRAW-1\nstrata=高:.5\ngroups=*:2\ncap=auto\n", "抽取比例"),
        ("algorithm=SJDRAW-1\nstrata=高:#x\ngroups=*:2\ncap=auto\n", "抽取数量"),
        ("algorithm=SJDRAW-1\nstrata=高\ngroups=*:2\ncap=auto\n", "名称:比例"),
        ("algorithm=SJDRAW-1\nstrata=:0.5\ngroups=*:2\ncap=auto\n", "名称为空"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5,高:#2\ngroups=*:2\ncap=auto\n", "分层名称重复"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:0\ncap=auto\n", "正整数"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=\ncap=auto\n", "没有列出检查人员分组"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:2,市场监管局:1\ncap=auto\n", "不能与具体部门同时使用"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=甲:1,甲:2\ncap=auto\n", "部门名称重复"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:2\ncap=0\n", "cap"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:2\ncap=many\n", "cap"),
        ("algorithm=SJDRAW-1\r\nstrata=高:0.5\ngroups=*:2\ncap=auto\n", "回车符"),
        ("algorithm=SJDRAW-1\nstrata=高:0.5\ngroups=*:2\ncap= auto\n", "cap"),
    ],
)
def test_bad_params_rejected_with_a_chinese_message(text: str, fragment: str) -> None:
    with pytest.raises(ParamsError) as caught:
        parse_params(text)
    assert fragment in caught.value.message


def test_params_must_be_nfc() -> None:
    decomposed = "algorithm=SJDRAW-1\nstrata=e\u0301:1\ngroups=*:1\ncap=auto\n"
    with pytest.raises(ParamsError, match="NFC"):
        parse_params(decomposed)
