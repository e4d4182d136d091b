"""Tests for app.registry.codes (identifier validators, generators and Excel helpers)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.registry.codes import (
    USCC_ALPHABET,
    USCC_KINDS,
    CodeCheck,
    EntityCodeKind,
    classify_entity_code,
    id15_to_id18,
    id_number_check_digit,
    is_excel_destroyed_code,
    make_id_number,
    make_reg_no15,
    make_uscc,
    mask_id_number,
    normalize_code,
    normalize_text,
    org_code_check_digit,
    random_uscc,
    reg_no15_check_digit,
    restore_numeric_text,
    uscc_check_digit,
    validate_id_number,
    validate_org_code,
    validate_reg_no15,
    validate_uscc,
)

# ---------------------------------------------------------------------------------------
# Independent, deliberately naive re-implementations (derived differently from the module:
# weights computed as powers, alphabets spelled out from the standards' text).
# ---------------------------------------------------------------------------------------

_ALPHA31 = "".join(c for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in "IOZSV")


def _indep_uscc_ok(code: str) -> bool:
    """GB 32100: weights are 3^i mod 31; Σ(value·weight) + value(check) ≡ 0 (mod 31)."""
    total = sum(_ALPHA31.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return (total + _ALPHA31.index(code[17])) % 31 == 0


def _indep_org_check(body: str) -> str:
    """GB 11714: weights are 2^(8-i) mod 11; letters A=10..Z=35."""
    total = sum(int(c, 36) * pow(2, 8 - i, 11) for i, c in enumerate(body))
    r = (11 - total % 11) % 11
    return "X" if r == 10 else str(r)


def _indep_id_ok(code: str) -> bool:
    """GB 11643 (ISO 7064 MOD 11-2): Σ a_i·2^(17-i) over all 18 chars (X = 10) ≡ 1 (mod 11)."""
    values = [10 if c == "X" else int(c) for c in code]
    return sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


def _indep_mod11_10_ok(code: str) -> bool:
    """ISO 7064 MOD 11,10 verification: run every digit incl. the check; final sum is 1."""
    p = 10
    s = 0
    for c in code:
        s = (p + int(c)) % 10
        s = 10 if s == 0 else s
        p = (2 * s) % 11
    return s == 1


# Publicly listed USCCs of well-known companies (each also checked by the naive checker).
KNOWN_GOOD_USCC = [
    "91350100M000100Y43",  # the example commonly quoted in GB 32100 explainers
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000100010433L",  # 中国石油天然气集团有限公司
]


# ---------------------------------------------------------------------------------------
# USCC
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", KNOWN_GOOD_USCC)
def test_known_good_uscc(code: str) -> None:
    assert _indep_uscc_ok(code)
    assert _indep_org_check(code[8:16]) == code[16]
    result = validate_uscc(code)
    assert result == CodeCheck(True, "ok", "统一社会信用代码格式与校验位正确", code, ())
    assert result.usable
    assert uscc_check_digit(code[:17]) == code[17]
    assert classify_entity_code(code) is EntityCodeKind.USCC


def test_check_digit_helpers_on_known_values() -> None:
    assert org_code_check_digit("M000100Y") == "4"
    assert org_code_check_digit("00000006") == "X"  # 11 − r = 10 → X
    assert org_code_check_digit("00000000") == "0"  # 11 − 0 = 11 → 0
    assert uscc_check_digit("91350100M000100Y4") == "3"
    assert make_uscc("9", "1", "469006", "00000003") == "914690060000000350"  # 31 → '0'
    assert _indep_uscc_ok("914690060000000350")


def test_generated_uscc_matches_independent_checker() -> None:
    rng = random.Random(20240501)
    for dept_kind in USCC_KINDS:
        code = random_uscc(rng, "469006", dept_kind)
        assert _indep_uscc_ok(code), code
        assert _indep_org_check(code[8:16]) == code[16], code
        assert validate_uscc(code).ok, code


@pytest.mark.parametrize(
    "raw",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width
        "  91350100m000100y43 ",  # lowercase + outer spaces
        "9135 0100 M000 100Y 43",  # inner spaces
        "91350100M000100Y43\u3000",  # ideographic space
        "\ufeff9135\u200b0100M000100Y43",  # BOM + zero-width space from copy/paste
        "91350100M000100Y43\t\n",
    ],
)
def test_uscc_normalisation(raw: str) -> None:
    result = validate_uscc(raw)
    assert result.ok
    assert result.normalized == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "length"),
    [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("9", 1)],
)
def test_uscc_bad_length_is_error(raw: str, length: int) -> None:
    result = validate_uscc(raw)
    assert not result.ok
    assert result.severity == "error"
    assert not result.usable
    assert result.message_zh == f"统一社会信用代码应为 18 位，实为 {length} 位"


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_uscc_empty_is_error(raw: str | None) -> None:
    result = validate_uscc(raw)
    assert result.severity == "error"
    assert result.message_zh == "统一社会信用代码为空"


@pytest.mark.parametrize("bad", list("IOZSV"))
@pytest.mark.parametrize("pos", [3, 10, 18])
def test_uscc_forbidden_letters_are_errors(bad: str, pos: int) -> None:
    code = list("91350100M000100Y43")
    code[pos - 1] = bad
    result = validate_uscc("".join(code))
    assert result.severity == "error"
    assert f"第 {pos} 位字符 '{bad}' 不是合法字符" in result.message_zh
    assert "不使用 I、O、Z、S、V" in result.message_zh


def test_uscc_lowercase_forbidden_letter_is_reported_uppercased() -> None:
    result = validate_uscc("91350100M000100o43")
    assert result.severity == "error"
    assert "第 16 位字符 'O' 不是合法字符" in result.message_zh


def test_uscc_other_bad_characters_and_all_reported() -> None:
    result = validate_uscc("9135-100M00城100Y43")
    assert result.severity == "error"
    assert result.issues == ("第 5 位字符 '-' 不是合法字符", "第 12 位字符 '城' 不是合法字符")
    assert result.message_zh == "；".join(result.issues)


def test_uscc_wrong_check_char_is_warning() -> None:
    result = validate_uscc("91350100M000100Y44")
    assert not result.ok
    assert result.severity == "warning"
    assert result.usable
    assert result.message_zh == "统一社会信用代码校验位应为 3，实为 4"
    assert result.normalized == "91350100M000100Y44"


def test_uscc_wrong_org_code_check_only_is_warning() -> None:
    first17 = "91350100M000100Y5"  # org check should be 4
    code = first17 + uscc_check_digit(first17)
    result = validate_uscc(code)
    assert result.severity == "warning"
    assert result.issues == ("第 9–17 位组织机构代码校验位应为 4，实为 5",)


def test_uscc_both_checks_wrong_reports_both() -> None:
    result = validate_uscc("91350100M000100Y53")
    assert result.severity == "warning"
    assert len(result.issues) == 2
    assert result.issues[0].startswith("第 9–17 位组织机构代码校验位应为 4")
    assert result.issues[1].startswith("统一社会信用代码校验位应为 ")


def test_uscc_bad_department_is_error() -> None:
    first17 = "B1350100M000100Y4"
    result = validate_uscc(first17 + uscc_check_digit(first17))
    assert result.severity == "error"
    assert result.issues == ("第 1 位登记管理部门代码 'B' 无效，应为 1–9、A、N、Y 之一",)


def test_uscc_unknown_kind_is_warning() -> None:
    first17 = "97350100M000100Y4"
    result = validate_uscc(first17 + uscc_check_digit(first17))
    assert result.severity == "warning"
    assert result.issues == ("第 2 位机构类别代码 '7' 不是登记管理部门“工商”的已知类别",)


def test_uscc_non_numeric_region_is_error() -> None:
    first17 = "9135A100M000100Y4"
    result = validate_uscc(first17 + uscc_check_digit(first17))
    assert result.severity == "error"
    assert result.issues == ("第 3–8 位行政区划码 '35A100' 应为 6 位数字",)


def test_uscc_unknown_province_is_warning() -> None:
    code = "91990100M000100Y4"
    result = validate_uscc(code + uscc_check_digit(code))
    assert result.severity == "warning"
    assert result.issues == ("第 3–8 位行政区划码 '990100' 的省级代码 99 不存在",)


def test_check_digit_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="17 位"):
        uscc_check_digit("9135")
    with pytest.raises(ValueError, match="第 3 位字符 'I'"):
        uscc_check_digit("91I50100M000100Y4")
    with pytest.raises(ValueError, match="8 位"):
        org_code_check_digit("1234567")
    with pytest.raises(ValueError, match="第 2 位字符 '-'"):
        org_code_check_digit("1-345678")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("B", "1", "469006", "MA000000"), "登记管理部门代码 'B' 无效"),
        (("9", "9", "469006", "MA000000"), "机构类别代码 '9'"),
        (("9", "1", "46900", "MA000000"), "行政区划码 '46900'"),
        (("9", "1", "4690A6", "MA000000"), "行政区划码 '4690A6'"),
        (("9", "1", "999999", "MA000000"), "省级代码 99"),
        (("9", "1", "469006", "MA00000"), "本体应为 8 位"),
        (("9", "1", "469006", "MA0000I0"), "第 7 位字符 'I'"),
    ],
)
def test_make_uscc_rejects_bad_parts(args: tuple[str, str, str, str], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        make_uscc(*args)


def test_make_uscc_rebuilds_known_code() -> None:
    assert make_uscc("9", "1", "350100", "M000100Y") == "91350100M000100Y43"
    assert make_uscc("9", "1", "４４０３００", "19220382") == "914403001922038216"


def test_random_uscc_is_deterministic() -> None:
    a = [random_uscc(random.Random(7), "469006", ("9", "1")) for _ in range(3)]
    assert len(set(a)) == 1
    rng = random.Random(7)
    many = [random_uscc(rng, "469006", ("9", "2")) for _ in range(50)]
    assert len(set(many)) == 50
    assert all(c.startswith("92469006MA") for c in many)
    legacy = random_uscc(random.Random(1), "469006", ("5", "1"))
    assert legacy.startswith("51469006") and legacy[8:16].isdigit()
    with pytest.raises(ValueError):
        random_uscc(random.Random(1), "469006", ("9", "9"))


# ---------------------------------------------------------------------------------------
# Organisation code
# ---------------------------------------------------------------------------------------


def test_org_code() -> None:
    assert validate_org_code("M000100Y-4").ok
    assert validate_org_code("m000100y4").normalized == "M000100Y4"
    assert validate_org_code("１９２２０３８２－１").ok  # full-width digits and hyphen
    warn = validate_org_code("M000100Y-5")
    assert warn.severity == "warning"
    assert warn.message_zh == "组织机构代码校验位应为 4，实为 5"
    assert validate_org_code("M000100Y").message_zh == "组织机构代码应为 9 位，实为 8 位"
    bad = validate_org_code("M0001#0Y4")
    assert bad.severity == "error"
    assert bad.message_zh == "第 6 位字符 '#' 不是合法字符"
    assert validate_org_code("").severity == "error"


# ---------------------------------------------------------------------------------------
# 15-digit registration number
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["469006600187440", "440301103097413", "110108000000016"])
def test_reg_no15_good(code: str) -> None:
    assert _indep_mod11_10_ok(code)
    assert validate_reg_no15(code).ok
    assert reg_no15_check_digit(code[:14]) == code[14]
    assert make_reg_no15(code[:14]) == code
    assert classify_entity_code(code) is EntityCodeKind.REG_NO15


def test_reg_no15_bad() -> None:
    warn = validate_reg_no15("469006600187441")
    assert warn.severity == "warning"
    assert warn.message_zh == "注册号校验位应为 0，实为 1"
    assert classify_entity_code("469006600187441") is EntityCodeKind.REG_NO15
    assert validate_reg_no15("46900660018744").message_zh == "注册号应为 15 位，实为 14 位"
    bad = validate_reg_no15("46900660018744A")
    assert bad.severity == "error"
    assert bad.message_zh == "第 15 位字符 'A' 不是数字"
    assert validate_reg_no15("４６９００６６００１８７４４０").ok
    with pytest.raises(ValueError):
        make_reg_no15("1234")
    with pytest.raises(ValueError):
        reg_no15_check_digit("1234567890123A")


# ---------------------------------------------------------------------------------------
# ID numbers
# ---------------------------------------------------------------------------------------

TODAY = date(2024, 6, 1)


def test_id_number_standard_example() -> None:
    # The example printed in GB 11643-1999 itself.
    assert _indep_id_ok("11010519491231002X")
    result = validate_id_number("11010519491231002X", today=TODAY)
    assert result.ok and result.normalized == "11010519491231002X"
    assert validate_id_number("11010519491231002x", today=TODAY).normalized == "11010519491231002X"
    assert id_number_check_digit("11010519491231002") == "X"


def test_id_number_pre_1900_is_warning() -> None:
    # Second example from the standard (born 1880): valid, but implausible for a living person.
    assert _indep_id_ok("440524188001010014")
    result = validate_id_number("440524188001010014", today=TODAY)
    assert result.severity == "warning"
    assert result.message_zh == "出生年份 1880 早于 1900 年，请核实"


def test_make_id_number() -> None:
    code = make_id_number("469006", date(1985, 2, 28), 17)
    assert code[:17] == "46900619850228017"
    assert _indep_id_ok(code)
    assert validate_id_number(code, today=TODAY).ok
    assert make_id_number("469006", date(1985, 2, 28), "017") == code
    for bad in (1000, -1, "17", "01A"):
        with pytest.raises(ValueError):
            make_id_number("469006", date(1985, 2, 28), bad)
    with pytest.raises(ValueError):
        make_id_number("46900", date(1985, 2, 28), 1)


def test_id_number_wrong_check_is_error() -> None:
    result = validate_id_number("110105194912310021", today=TODAY)
    assert result.severity == "error"
    assert result.message_zh == "身份证号码校验位应为 X，实为 1"


@pytest.mark.parametrize("birth", ["19990230", "20230229", "19851301", "19850000"])
def test_id_number_invalid_date_is_error(birth: str) -> None:
    first17 = "469006" + birth + "017"
    code = first17 + id_number_check_digit(first17)  # correct check, so only the date is wrong
    result = validate_id_number(code, today=TODAY)
    assert result.severity == "error"
    assert result.issues == (f"第 7–14 位出生日期 {birth} 不是有效日期",)


def test_id_number_leap_day_and_future() -> None:
    leap = make_id_number("469006", date(2000, 2, 29), 1)
    assert validate_id_number(leap, today=TODAY).ok
    future = make_id_number("469006", date(2024, 6, 2), 1)
    result = validate_id_number(future, today=TODAY)
    assert result.severity == "error"
    assert result.message_zh == "出生日期 2024-06-02 晚于当前日期 2024-06-01"
    assert validate_id_number(future, today=date(2024, 6, 2)).ok  # born today is fine


def test_id_number_shape_errors() -> None:
    assert validate_id_number("", today=TODAY).message_zh == "身份证号码为空"
    old = validate_id_number("110105491231002", today=TODAY)
    assert old.severity == "error"
    assert "15 位一代身份证" in old.message_zh
    bad = validate_id_number("1101051949123100AX", today=TODAY)
    assert bad.issues == ("第 17 位字符 'A' 不是数字",)
    bad18 = validate_id_number("11010519491231002Y", today=TODAY)
    assert bad18.issues == ("第 18 位字符 'Y' 应为数字或 X",)
    region = validate_id_number(make_id_number("990100", date(1990, 1, 1), 1), today=TODAY)
    assert region.severity == "warning"
    assert "省级代码 99 不存在" in region.message_zh


def test_id15_to_id18() -> None:
    assert id15_to_id18("110105491231002") == "11010519491231002X"
    with pytest.raises(ValueError):
        id15_to_id18("11010549123100")


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        (" １１０１０５１９４９１２３１００２Ｘ ", "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("1234567890", "**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(raw: str | None, masked: str) -> None:
    assert mask_id_number(raw) == masked


# ---------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("91350100M000100Y43", EntityCodeKind.USCC),
        ("91350100M000100Y44", EntityCodeKind.USCC),  # failed check, still USCC-shaped
        ("９１３５０１００Ｍ０００１００Ｙ４３", EntityCodeKind.USCC),
        ("11010519491231002X", EntityCodeKind.ID_NUMBER),
        ("469006600187440", EntityCodeKind.REG_NO15),
        ("M000100Y-4", EntityCodeKind.ORG_CODE),
        ("M000100Y4", EntityCodeKind.ORG_CODE),
        ("91350100I000100Y43", EntityCodeKind.UNKNOWN),
        ("B1350100M000100Y43", EntityCodeKind.UNKNOWN),
        ("12345", EntityCodeKind.UNKNOWN),
        ("", EntityCodeKind.UNKNOWN),
        (None, EntityCodeKind.UNKNOWN),
    ],
)
def test_classify_entity_code(raw: str | None, kind: EntityCodeKind) -> None:
    assert classify_entity_code(raw) is kind


def test_entity_code_kind_is_a_str() -> None:
    assert classify_entity_code("469006600187440") == "reg_no15"


# ---------------------------------------------------------------------------------------
# Text normalisation and Excel damage
# ---------------------------------------------------------------------------------------


def test_normalize_text() -> None:
    assert normalize_text("  ＡＢＣ１２３　有限公司  ") == "ABC123 有限公司"
    assert normalize_text("海口\t\n市 \u00a0 龙华区") == "海口 市 龙华区"
    assert normalize_text("某某（海南）有限公司") == "某某（海南）有限公司"  # Chinese brackets kept
    assert normalize_text("\u200b\ufeff１３９") == "139"
    assert normalize_text(None) == ""
    assert normalize_code(" ９１ ａｂ－1 ") == "91AB-1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (469006600187440.0, "469006600187440"),
        ("469006600187440.0", "469006600187440"),
        (1.3912345678e10, "13912345678"),
        ("1.3912345678E10", "13912345678"),
        ("1.3912345678E+10", "13912345678"),
        (13912345678, "13912345678"),
        (Decimal("13912345678.00"), "13912345678"),
        ("0123", "0123"),  # text keeps leading zeros
        (" ０８９８１２３４ ", "08981234"),
        (12.5, "12.5"),
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("1E400", "1E400"),  # absurd exponent: left as text, never expanded
        (None, ""),
    ],
)
def test_restore_numeric_text(value: object, expected: str) -> None:
    assert restore_numeric_text(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "9.14690062012665E+17",
        "9.14690062012665e17",
        9.14690062012665e17,
        914690062012665000,
        Decimal("9.14690062012665E+17"),
        1e15,
        "1.39123E+10",  # display-truncated phone: hidden digits unknown
    ],
)
def test_excel_destroyed(value: object) -> None:
    assert is_excel_destroyed_code(value)


@pytest.mark.parametrize(
    "value",
    [
        469006600187440.0,
        "469006600187440.0",
        "1.3912345678E10",
        999999999999999,
        "91350100M000100Y43",
        "914690062012665000",  # already text: nothing to tell from the value alone
        "ABCE",
        float("nan"),
        None,
        True,
    ],
)
def test_excel_not_destroyed(value: object) -> None:
    assert not is_excel_destroyed_code(value)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

_dept_kind = st.sampled_from(sorted(USCC_KINDS))
_region = st.builds(
    lambda prov, rest: prov + rest,
    st.sampled_from(["11", "35", "44", "46", "65", "82", "10"]),
    st.text("0123456789", min_size=4, max_size=4),
)
_body = st.text(USCC_ALPHABET, min_size=8, max_size=8)


@st.composite
def _valid_uscc(draw: st.DrawFn) -> str:
    dept, kind = draw(_dept_kind)
    return make_uscc(dept, kind, draw(_region), draw(_body))


@given(_valid_uscc())
def test_every_generated_uscc_validates(code: str) -> None:
    result = validate_uscc(code)
    assert result.ok, result.message_zh
    assert _indep_uscc_ok(code)
    assert classify_entity_code(code) is EntityCodeKind.USCC


@given(_valid_uscc(), st.integers(0, 17), st.sampled_from(USCC_ALPHABET + "IOZSV"))
def test_single_substitution_is_detected(code: str, pos: int, new: str) -> None:
    if code[pos] == new:
        return
    mutated = code[:pos] + new + code[pos + 1 :]
    assert not validate_uscc(mutated).ok
    if new in USCC_ALPHABET:
        assert uscc_check_digit(mutated[:17]) != mutated[17]


@given(st.text("0123456789", min_size=14, max_size=14), st.integers(0, 14), st.integers(1, 9))
def test_reg_no15_single_substitution_is_detected(first14: str, pos: int, delta: int) -> None:
    code = make_reg_no15(first14)
    assert validate_reg_no15(code).ok
    assert _indep_mod11_10_ok(code)
    mutated = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1 :]
    assert validate_reg_no15(mutated).severity == "warning"


@given(
    st.sampled_from(["110105", "469006", "460100", "810000"]),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)
def test_every_generated_id_number_validates(region: str, birth: date, seq: int) -> None:
    code = make_id_number(region, birth, seq)
    assert validate_id_number(code, today=TODAY).ok
    assert _indep_id_ok(code)
    assert mask_id_number(code) == code[:6] + "*" * 8 + code[-4:]


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=25), st.text("0123456789ABXIOZSV -－０１ｘ", max_size=20)))
def test_validators_never_raise(text: str) -> None:
    for check in (
        validate_uscc(text),
        validate_org_code(text),
        validate_reg_no15(text),
        validate_id_number(text, today=TODAY),
    ):
        assert check.ok == (check.severity == "ok")
        assert check.ok == (check.issues == ())
    assert validate_uscc(text).normalized == normalize_code(text)
    code = normalize_code(text)
    if len(code) == 10 and code[8] == "-":  # XXXXXXXX-X: the separator is dropped
        code = code[:8] + code[9]
    assert validate_org_code(text).normalized == code
    classify_entity_code(text)
    restore_numeric_text(text)
    is_excel_destroyed_code(text)


@given(st.text(max_size=30))
def test_normalisers_are_idempotent(text: str) -> None:
    assert normalize_text(normalize_text(text)) == normalize_text(text)
    assert normalize_code(normalize_code(text)) == normalize_code(text)


@given(st.integers(0, 10**15 - 1))
def test_excel_round_trip_below_limit(n: int) -> None:
    assert not is_excel_destroyed_code(float(n))
    assert restore_numeric_text(float(n)) == str(n)
