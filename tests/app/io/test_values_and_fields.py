"""Cell parsers and field specs: the fast normalisers equal the reference ones; spellings clerks use are read."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.io.values import clean_code, clean_multiline, clean_text, parse_bool, parse_date, split_tags
from app.registry.codes import make_uscc, normalize_code, normalize_text, random_uscc, validate_uscc
from app.registry.fields import (
    ENTITY_SPEC,
    INSPECTOR_SPEC,
    ITEM_SPEC,
    REGISTRIES,
    FieldKind,
    header_key,
    infer_entity_kind,
    registry_spec,
    uscc_surely_valid,
)

# Characters that make normalisation interesting: spaces of all kinds, full-width digits and letters,
# invisible format characters, Chinese text and punctuation, and a character outside the BMP.
_TRICKY = st.sampled_from(
    list(" \t\n\r\u3000\u00a0\u2002\u200b\ufeff\u00ad１２ＡＢａｚ（）、，。中国镇路号abcXYZ019-.eE+*")
    + ["\U0001f600"]
)
_TEXT = st.lists(st.one_of(_TRICKY, st.characters()), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_fast_text_normalisation_equals_the_reference(text: str) -> None:
    assert clean_text(text) == normalize_text(text)
    assert clean_code(text) == normalize_code(text)


def test_multiline_keeps_line_breaks_and_cleans_each_line() -> None:
    assert clean_multiline("《公司法》第一百九十八条\r\n\r\n  《合伙企业法》　第九十三条 ") == (
        "《公司法》第一百九十八条\n《合伙企业法》 第九十三条"
    )
    assert clean_multiline("one  line") == "one line"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV", min_size=18, max_size=18))
def test_the_fast_uscc_check_never_accepts_what_the_validator_rejects(code: str) -> None:
    if uscc_surely_valid(code):
        assert validate_uscc(code).ok


def test_the_fast_uscc_check_accepts_generated_codes() -> None:
    rng = random.Random(7)
    for dept_kind in (("9", "1"), ("9", "2"), ("9", "3"), ("5", "2"), ("1", "2")):
        for _ in range(50):
            code = random_uscc(rng, "469006", dept_kind)
            assert uscc_surely_valid(code)
            assert not uscc_surely_valid(code[:-1] + ("0" if code[-1] != "0" else "1"))


def test_yes_no_spellings() -> None:
    for word in ("是", "Y", "y", "1", "√", "true", "TRUE", "有", 1.0, True):
        assert parse_bool(word) is True, word
    for word in ("否", "N", "0", "×", "false", "无", 0, False):
        assert parse_bool(word) is False, word
    assert parse_bool("也许") is None


def test_dates_from_cells_serials_and_text() -> None:
    assert parse_date(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert parse_date(dt.datetime(2020, 1, 2, 8, 30)) == dt.date(2020, 1, 2)
    assert parse_date(43832.0) == dt.date(2020, 1, 2)
    assert parse_date("43832") == dt.date(2020, 1, 2)
    assert parse_date(20200102) == dt.date(2020, 1, 2)
    for text in (
        "2020-01-02",
        "2020/1/2",
        "2020.1.2",
        "2020年1月2日",
        "２０２０年１月２日",
        "20200102",
        "2020-01-02 00:00:00",
    ):
        assert parse_date(text) == dt.date(2020, 1, 2), text
    assert parse_date("长期") is None
    assert parse_date("2020-02-30") == "2020-02-30"  # not a date: the text comes back for the message
    assert parse_date(2020) == "2020"  # a bare year is not an Excel serial


def test_tags_split_on_every_separator_clerks_use() -> None:
    assert split_tags("食品安全、特种设备，计量;药品；医疗器械/广告 , 食品安全") == [
        "食品安全", "特种设备", "计量", "药品", "医疗器械", "广告",
    ]  # fmt: skip


def test_specs_import_cleanly_and_every_header_spelling_means_one_field() -> None:
    for spec in REGISTRIES.values():
        owners: dict[str, str] = {}
        for f in spec.fields:
            for text in (f.label, *f.synonyms):
                key = header_key(text)
                assert owners.setdefault(key, f.name) == f.name, (
                    f"{spec.kind}: {text} → {owners[key]} and {f.name}"
                )
            if f.kind is FieldKind.CHOICE:
                assert f.choices
    assert registry_spec("items") is ITEM_SPEC


def test_headers_in_chinese_english_and_pinyin() -> None:
    cases = {
        "统一社会信用代码": "uscc", "社会信用代码": "uscc", "TYXYDM": "uscc", "tyshxydm": "uscc", "USCC": "uscc",
        "统一社会信用代码（注册号）": "uscc", "企业名称*": "name", "QYMC": "name", "name": "name", "MC": "name",
        "联系电话(手机)": "phone", "LXDH": "phone", "phone": "phone", "登记状态": "reg_status", "DJZT": "reg_status",
        "法定代表人（负责人）": "legal_rep", "FZR": "legal_rep", "经营场所": "address", "DZ": "address",
        "是否列入经营异常名录": "abnormal_list",
    }  # fmt: skip
    for header, name in cases.items():
        found = ENTITY_SPEC.match_header(header)
        assert found is not None and found.name == name, header
    assert ENTITY_SPEC.match_header("序号") is None
    assert INSPECTOR_SPEC.match_header("执法证件号码").name == "cert_no"  # type: ignore[union-attr]
    assert ITEM_SPEC.match_header("编制单位名称").name == "compiler"  # type: ignore[union-attr]


def test_choice_variants() -> None:
    status = ENTITY_SPEC.field("reg_status")
    for text, value in (("在业", "存续"), ("存续", "存续"), ("开业", "存续"), ("注销", "注销"),
                        ("吊销,未注销", "吊销"), ("吊销，未注销", "吊销"), ("已迁出", "迁出")):  # fmt: skip
        assert status.clean(text).value == value, text
    risk = ENTITY_SPEC.field("risk_level")
    assert [risk.clean(t).value for t in ("高风险", "高", "中", "低风险")] == ["高", "高", "中", "低"]
    bad = status.clean("火星")
    assert bad.value is None and bad.issues[0].severity == "error" and "登记状态" in bad.issues[0].message
    kind = ENTITY_SPEC.field("kind")
    assert kind.clean("有限责任公司（自然人投资或控股）").value == "企业"
    assert kind.clean("民办非企业单位").value == "社会组织"
    assert kind.clean("个体户").value == "个体工商户"
    assert ITEM_SPEC.field("item_class").clean("重点检查事项").value == "重点"


def test_identifiers_stored_as_numbers_come_back_as_digits() -> None:
    assert ENTITY_SPEC.field("reg_no").clean(469006600187440.0).value == "469006600187440"
    assert ENTITY_SPEC.field("phone").clean(13912345678.0).value == "13912345678"
    assert ENTITY_SPEC.field("phone").clean("１３９１２３４５６７８").value == "13912345678"


def test_codes_destroyed_by_excel_are_refused_with_the_clerks_message() -> None:
    uscc = ENTITY_SPEC.field("uscc")
    for raw in (9.14690062012665e17, "9.14690062012665E+17", "9.14690062012665e+17"):
        result = uscc.clean(raw)
        assert result.damaged and result.value is None
        assert result.issues[0].severity == "warning"
        assert result.issues[0].message == (
            "统一社会信用代码已被Excel改写为科学计数法(9.14690062012665E+17)，无法恢复，已导入为待补录"
        )


def test_uscc_check_character_is_a_warning_length_and_charset_are_errors() -> None:
    uscc = ENTITY_SPEC.field("uscc")
    good = make_uscc("9", "1", "469006", "MA5T0001")
    assert uscc.clean(good).issues == ()
    wrong_check = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert [i.severity for i in uscc.clean(wrong_check).issues] == ["warning"]
    assert uscc.clean(good[:-1]).issues[0].severity == "error"
    assert uscc.clean(good[:-1] + "I").issues[0].severity == "error"


def test_id_numbers() -> None:
    field = ENTITY_SPEC.field("id_number")
    converted = field.clean("110105491231002")
    assert converted.value == "11010519491231002X" and converted.issues[0].severity == "warning"
    assert field.clean("11010519491231002X").issues == ()
    assert field.clean("110105194912310021").issues[0].severity == "error"


def test_kind_is_inferred_from_the_code_or_the_name() -> None:
    assert infer_entity_kind(make_uscc("9", "2", "469006", "MA5T0001"), "x") == "个体工商户"
    assert infer_entity_kind(make_uscc("5", "2", "469006", "MA5T0001"), "x") == "社会组织"
    assert infer_entity_kind(None, "示范县某某种植专业合作社") == "农民专业合作社"
    assert infer_entity_kind(None, "某某店") == "企业"


def test_suspended_businesses_keep_their_status() -> None:
    """歇业 (2022 条例) is its own status: never silently turned into 存续."""
    from app.registry.fields import ENTITY_SPEC

    status = ENTITY_SPEC.field("reg_status")
    for text in ("歇业", "歇业中", "已歇业", "停业"):
        assert status.clean(text).value == "歇业", text
    assert status.clean("在营").value == "存续"
