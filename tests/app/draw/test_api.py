"""The two-phase API the product calls: prepare → commit → execute → replace."""

from __future__ import annotations

import hashlib

import pytest

from app.draw import (
    InfeasibleDrawError,
    InputError,
    Outcome,
    RecordError,
    ReplacementError,
    Witness,
    commitment,
    execute,
    new_nonce,
    prepare,
    replace,
    verify_record,
)
from tests.app.draw.conftest import (
    CONFLICTS,
    INSPECTORS,
    JOINT_PARAMS,
    NONCE,
    OBJECTS,
    WITNESSES,
    joint_record,
    load_vector,
)


def test_nonce_and_commitment() -> None:
    nonce = new_nonce()
    assert len(nonce) == 32 and nonce != new_nonce()
    assert commitment(nonce) == hashlib.sha256(nonce).hexdigest()


def test_prepare_reports_sizes_and_hashes_before_any_randomness() -> None:
    prepared = prepare(OBJECTS, INSPECTORS, CONFLICTS, JOINT_PARAMS)
    assert [(s.label, s.pool_size, s.sample_size) for s in prepared.strata] == [
        ("中", 10, 4),
        ("低", 10, 1),
        ("高", 10, 3),
    ]
    assert prepared.sample_size == 8
    assert [(g.group, g.members, g.k, g.cap) for g in prepared.groups] == [
        ("卫生健康局", 4, 1, 2),  # ceil(1 × 8 / 4)
        ("市场监管局", 8, 2, 2),  # ceil(2 × 8 / 8)
    ]
    assert prepared.feasibility.ok
    lines = "\n".join(prepared.summary_lines())
    for value in prepared.hashes.values():
        assert value in lines
    assert "可行性检查通过" in lines


def test_execute_builds_a_record_that_verifies_and_keeps_the_key_order() -> None:
    record = joint_record(with_replacements=False)
    assert list(record) == list(load_vector("joint_two_departments"))
    assert record["commit"] == hashlib.sha256(NONCE).hexdigest()
    assert record["nonce"] == NONCE.hex()
    assert record["replacements"] == []
    assert [{"order": e["order"], "id": e["id"]} for e in record["final"]] == [
        {"order": e["order"], "id": e["id"]} for e in record["draw"]
    ]
    assert verify_record(record).outcome is Outcome.VERIFIED


def test_execute_is_deterministic_given_nonce_and_witnesses() -> None:
    prepared = prepare(OBJECTS, INSPECTORS, CONFLICTS, JOINT_PARAMS)
    first = execute(prepared, "D-1", NONCE, WITNESSES)
    assert execute(prepared, "D-1", NONCE, WITNESSES) == first
    assert execute(prepared, "D-1", NONCE, [Witness("人大代表甲", (3, 1, 4, 1, 6))])["seed"] != first["seed"]
    assert execute(prepared, "D-2", NONCE, WITNESSES)["seed"] != first["seed"]


@pytest.mark.parametrize(
    ("draw_id", "witnesses", "error"),
    [
        ("D\n1", WITNESSES, "制表符或换行符"),
        ("", WITNESSES, "不能为空"),
        ("D-1", [], "至少需要一名见证人"),
        ("D-1", [Witness("甲", ())], "至少需要一名见证人"),
        ("D-1", [Witness("甲", (-1,))], "非负整数"),
        ("D-1", [Witness("甲", (True,))], "非负整数"),
        ("D-1", [Witness("甲\t乙", (1,))], "制表符或换行符"),
    ],
)
def test_execute_rejects_bad_draw_id_and_witnesses(draw_id: str, witnesses: list, error: str) -> None:
    prepared = prepare(OBJECTS, INSPECTORS, CONFLICTS, JOINT_PARAMS)
    with pytest.raises(InputError, match=error):
        execute(prepared, draw_id, NONCE, witnesses)


def test_execute_rejects_a_short_nonce() -> None:
    prepared = prepare(OBJECTS, INSPECTORS, CONFLICTS, JOINT_PARAMS)
    with pytest.raises(ValueError):
        execute(prepared, "D-1", NONCE[:16], WITNESSES)


def test_execute_refuses_an_infeasible_draw() -> None:
    params = JOINT_PARAMS.replace("卫生健康局:1", "卫生健康局:5")
    prepared = prepare(OBJECTS, INSPECTORS, CONFLICTS, params)
    assert not prepared.feasibility.ok
    with pytest.raises(InfeasibleDrawError, match="卫生健康局"):
        execute(prepared, "D-1", NONCE, WITNESSES)


def test_cap_relaxed_when_too_few_below_the_cap() -> None:
    objects = [(f"O{i}", "全部", "x") for i in range(3)]
    inspectors = [("A", "*", "a"), ("B", "*", "b"), ("C", "*", "c")]
    prepared = prepare(objects, inspectors, [], "algorithm=SJDRAW-1\nstrata=全部:1\ngroups=*:2\ncap=1\n")
    record = execute(prepared, "D-1", NONCE, WITNESSES)
    relaxed = [entry["inspectors"][0]["cap_relaxed"] for entry in record["draw"]]
    assert relaxed == [False, True, True]  # after the first object only one inspector is below cap 1
    assert verify_record(record).outcome is Outcome.VERIFIED


def test_replacements_chain_and_verify() -> None:
    record = joint_record()
    assert [r["round"] for r in record["replacements"]] == [1, 2]
    first, second = record["replacements"]
    assert first["seed"] != second["seed"]
    assert first["witness"] == [{"name": "纪检监察丙", "values": [4, 2]}]
    assert verify_record(record).outcome is Outcome.VERIFIED


def test_replace_does_not_mutate_its_input() -> None:
    record = joint_record(with_replacements=False)
    snapshot = repr(record)
    entry = record["final"][0]
    replace(record, entry["id"], entry["inspectors"][0]["ids"][0], "因病", Witness("甲", (1,)))
    assert repr(record) == snapshot


def test_replace_rejects_an_unassigned_inspector_and_unknown_object() -> None:
    record = joint_record(with_replacements=False)
    entry = record["final"][0]
    assigned = {i for a in entry["inspectors"] for i in a["ids"]}
    outsider = next(row[0] for row in INSPECTORS if row[0] not in assigned)
    with pytest.raises(ReplacementError, match="并未分配"):
        replace(record, entry["id"], outsider, "因病", Witness("甲", (1,)))
    with pytest.raises(ReplacementError, match="不在本次抽中"):
        replace(record, "NOPE", outsider, "因病", Witness("甲", (1,)))


def test_replace_runs_out_of_candidates() -> None:
    objects = [("O1", "全部", "x")]
    inspectors = [("A", "*", "a"), ("B", "*", "b"), ("C", "*", "c")]
    prepared = prepare(objects, inspectors, [], "algorithm=SJDRAW-1\nstrata=全部:1\ngroups=*:2\ncap=auto\n")
    record = execute(prepared, "D-1", NONCE, WITNESSES)
    removed = record["final"][0]["inspectors"][0]["ids"][0]
    record = replace(record, "O1", removed, "因病", Witness("甲", (1,)))
    assert record["replacements"][0]["chosen"] not in (removed, *record["draw"][0]["inspectors"][0]["ids"])
    with pytest.raises(ReplacementError, match="已没有可以递补"):
        # the third inspector is now assigned; the first was removed: nobody is left
        replace(record, "O1", record["final"][0]["inspectors"][0]["ids"][0], "回避", Witness("甲", (2,)))


def test_replace_refuses_a_record_that_does_not_verify() -> None:
    record = load_vector("bad_tampered_result")
    with pytest.raises(RecordError, match="未通过验证"):
        replace(record, record["final"][0]["id"], "231084000004", "因病", Witness("甲", (1,)))
    with pytest.raises(RecordError):
        replace({"format": "SJDRAW-1"}, "x", "y", "z", Witness("甲", (1,)))


def test_replace_rejects_a_multiline_reason() -> None:
    record = joint_record(with_replacements=False)
    entry = record["final"][0]
    with pytest.raises(InputError):
        replace(record, entry["id"], entry["inspectors"][0]["ids"][0], "因病\n请假", Witness("甲", (1,)))
