"""Canonical texts and hashes of the inputs (SJDRAW-1 §1–§2)."""

from __future__ import annotations

import hashlib

import pytest

from app.draw import ForbiddenTextError, InputError, prepare
from app.draw.canonical import canonical_conflicts, canonical_inspectors, canonical_objects, rows_text

PARAMS = "algorithm=SJDRAW-1\nstrata=甲:1\ngroups=*:1\ncap=auto\n"


def test_rows_sorted_by_utf8_bytes() -> None:
    ids = ["b", "B", "é", "z", "中", "\U0001f600", "a\u0301", "ａ"]
    rows = canonical_objects([(i, "甲", "x") for i in ids])
    got = [row[0] for row in rows]
    expected = sorted({i.encode("utf-8"): None for i in ["b", "B", "é", "z", "中", "\U0001f600", "á", "ａ"]})
    assert [g.encode("utf-8") for g in got] == expected


def test_fields_normalised_to_nfc() -> None:
    rows = canonical_objects([("e\u0301", "甲", "Cafe\u0301")])
    assert rows == [("é", "甲", "Café")]


@pytest.mark.parametrize("bad", ["a\tb", "a\nb", "a\rb"])
def test_tab_cr_lf_rejected_with_chinese_message(bad: str) -> None:
    with pytest.raises(ForbiddenTextError) as caught:
        canonical_objects([("91001", "甲", "ok"), ("91002", "甲", bad)])
    assert "制表符或换行符" in caught.value.message
    assert "第2行" in caught.value.message
    assert caught.value.value == bad


def test_non_text_and_unencodable_fields_rejected() -> None:
    with pytest.raises(ForbiddenTextError, match="不是文本"):
        canonical_inspectors([("1", "*", 5)])
    with pytest.raises(ForbiddenTextError, match="UTF-8"):
        canonical_inspectors([("1", "*", "\ud800")])


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([("", "甲", "x")], "为空"),
        ([("1", "", "x")], "为空"),
        ([("1", "甲", "x"), ("1", "甲", "y")], "重复"),
        ([("1", "甲")], "3个字段"),
        (["abc"], "不是字段列表"),
    ],
)
def test_bad_rows_rejected(rows: list, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        canonical_objects(rows)


def test_duplicate_ids_after_nfc_are_duplicates() -> None:
    with pytest.raises(InputError, match="重复"):
        canonical_objects([("é", "甲", "x"), ("e\u0301", "甲", "y")])


def test_conflicts_merged_and_sorted() -> None:
    rows = canonical_conflicts([("b", "2"), ("a", "9"), ("b", "10"), ("a", "9")])
    assert rows == [("a", "9"), ("b", "10"), ("b", "2")]
    with pytest.raises(InputError):
        canonical_conflicts([("a", "")])


def test_canonical_text_and_hashes() -> None:
    prepared = prepare([("2", "甲", "乙公司"), ("1", "甲", "甲公司")], [("p1", "*", "张三")], [], PARAMS)
    text = "1\t甲\t甲公司\n2\t甲\t乙公司\n"
    assert rows_text(prepared.objects) == text
    assert prepared.hashes["objects_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert prepared.hashes["conflicts_sha256"] == hashlib.sha256(b"").hexdigest()
    assert prepared.hashes["params_sha256"] == hashlib.sha256(PARAMS.encode("utf-8")).hexdigest()


def test_prepare_normalises_params_text_to_nfc() -> None:
    decomposed = PARAMS.replace("甲", "e\u0301")
    prepared = prepare([("1", "é", "x")], [("p1", "*", "张三")], [], decomposed)
    assert prepared.params_text == PARAMS.replace("甲", "é")


def test_object_stratum_must_be_in_params() -> None:
    with pytest.raises(InputError, match="没有出现在抽取参数"):
        prepare([("1", "乙", "x")], [("p1", "*", "张三")], [], PARAMS)
