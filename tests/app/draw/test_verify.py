"""Verification: tampering is reported on the right key; malformed records are a third outcome;
the app's verifier and the standalone watchers' verifier agree."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.draw import Outcome, dump_record, verify_record, verify_text
from tests.app.draw.conftest import (
    ROOT,
    SJDRAW_VECTORS,
    joint_record,
    load_vector,
    record_of,
    scenarios,
    standalone_keys,
)

Record = dict[str, Any]


def _set(path: list[Any], value: Any) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        target = record
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _swap_objects(record: Record) -> None:
    record["objects"][0], record["objects"][1] = record["objects"][1], record["objects"][0]


def _rename_object(record: Record) -> None:
    record["objects"][0][2] = "改过的名称"


def _drop_conflict(record: Record) -> None:
    record["conflicts"].pop()


def _duplicate_conflict(record: Record) -> None:
    record["conflicts"].append(list(record["conflicts"][0]))


def _swap_draw_order(record: Record) -> None:
    record["draw"][0], record["draw"][1] = record["draw"][1], record["draw"][0]


def _change_draw_inspector(record: Record) -> None:
    ids = record["draw"][2]["inspectors"][1]["ids"]
    ids[0], ids[1] = ids[1], ids[0]


def _change_chosen(record: Record) -> None:
    record["replacements"][0]["chosen"] = record["replacements"][1]["chosen"]


def _change_final(record: Record) -> None:
    record["final"][-1]["inspectors"][0]["ids"] = ["WJ999"]


def _true_for_one(record: Record) -> None:
    record["draw"][0]["order"] = True  # 1 == True in Python, not in JSON


def _replacement_reason(record: Record) -> None:
    record["replacements"][0]["reason"] = "改过的原因"  # recorded for people, not part of any hash


TAMPERS: list[tuple[str, Callable[[Record], None], list[str]]] = [
    ("objects order", _swap_objects, ["objects"]),
    ("object renamed", _rename_object, ["objects_sha256", "seed", "draw", "replacements", "final"]),
    ("conflict dropped", _drop_conflict, ["conflicts_sha256", "seed", "draw", "replacements", "final"]),
    ("conflict duplicated", _duplicate_conflict, ["conflicts"]),
    ("objects_sha256", _set(["objects_sha256"], "0" * 64), ["objects_sha256"]),
    ("inspectors_sha256", _set(["inspectors_sha256"], "1" * 64), ["inspectors_sha256"]),
    ("conflicts_sha256", _set(["conflicts_sha256"], "2" * 64), ["conflicts_sha256"]),
    ("params_sha256", _set(["params_sha256"], "3" * 64), ["params_sha256"]),
    ("commit", _set(["commit"], "4" * 64), ["commit"]),
    ("seed", _set(["seed"], "5" * 64), ["seed"]),
    ("nonce", _set(["nonce"], "6" * 64), ["commit", "seed", "draw", "replacements", "final"]),
    ("witness value", _set(["witness", 0, "values", 0], 8), ["seed", "draw", "replacements", "final"]),
    ("draw_id", _set(["draw_id"], "测试-2026-0002"), ["seed", "draw", "replacements", "final"]),
    ("draw order", _swap_draw_order, ["draw"]),
    ("draw inspectors", _change_draw_inspector, ["draw"]),
    ("cap_relaxed", _set(["draw", 0, "inspectors", 0, "cap_relaxed"], True), ["draw"]),
    ("order as boolean", _true_for_one, ["draw"]),
    ("replacement chosen", _change_chosen, ["replacements"]),
    ("replacement seed", _set(["replacements", 1, "seed"], "7" * 64), ["replacements"]),
    ("replacement round", _set(["replacements", 1, "round"], 3), ["replacements"]),
    (
        "replacement witness",
        _set(["replacements", 0, "witness", 0, "values"], [9]),
        ["replacements", "final"],
    ),
    ("final", _change_final, ["final"]),
]


@pytest.fixture(scope="module")
def base_record() -> Record:
    return joint_record()


@pytest.mark.parametrize(("name", "tamper", "keys"), TAMPERS, ids=[t[0] for t in TAMPERS])
def test_tampering_is_reported_on_the_right_keys(
    base_record: Record, standalone: ModuleType, name: str, tamper: Callable[[Record], None], keys: list[str]
) -> None:
    record = copy.deepcopy(base_record)
    tamper(record)
    result = verify_record(record)
    assert result.outcome is Outcome.NOT_VERIFIED, name
    assert result.keys == keys
    assert standalone_keys(standalone, record) == (1, keys)


def test_replacement_reason_is_not_hashed(base_record: Record, standalone: ModuleType) -> None:
    record = copy.deepcopy(base_record)
    _replacement_reason(record)
    assert verify_record(record).outcome is Outcome.VERIFIED
    assert standalone_keys(standalone, record) == (0, [])


def test_extra_keys_are_ignored(base_record: Record, standalone: ModuleType) -> None:
    record = copy.deepcopy(base_record)
    record["meta"] = {"printed_by": "张三"}
    assert verify_record(record).outcome is Outcome.VERIFIED
    assert standalone_keys(standalone, record) == (0, [])


def test_replacement_of_an_unassigned_inspector_does_not_verify(
    base_record: Record, standalone: ModuleType
) -> None:
    record = copy.deepcopy(base_record)
    entries = [record["draw"][0], record["final"][0]]
    assigned = {i for entry in entries for a in entry["inspectors"] for i in a["ids"]}
    record["replacements"][0]["removed"] = next(r[0] for r in record["inspectors"] if r[0] not in assigned)
    result = verify_record(record)
    assert result.outcome is Outcome.NOT_VERIFIED
    assert result.keys == ["replacements", "final"]
    assert "无法重算" in result.differences[0].detail
    assert standalone_keys(standalone, record) == (1, ["replacements", "final"])


def _without(key: str) -> Callable[[Record], None]:
    return lambda record: record.pop(key)


MALFORMED: list[tuple[str, Callable[[Record], None]]] = [
    ("missing seed", _without("seed")),
    ("missing final", _without("final")),
    ("format", _set(["format"], "SJDRAW-2")),
    ("params rate", _set(["params_text"], "algorithm=SJDRAW-1\nstrata=高:5%\ngroups=*:2\ncap=auto\n")),
    ("params lines", _set(["params_text"], "algorithm=SJDRAW-1\n")),
    ("params not text", _set(["params_text"], 5)),
    ("stratum missing from params", _set(["objects", 0, 1], "特高")),
    ("tab in a name", _set(["objects", 0, 2], "甲\t乙")),
    ("row too short", _set(["objects", 0], ["x", "高"])),
    ("row not text", _set(["inspectors", 0, 2], 7)),
    ("duplicate object id", _set(["objects", 1, 0], "9123108000MA1B2C00")),
    ("nonce uppercase", _set(["nonce"], "AB" * 32)),
    ("nonce short", _set(["nonce"], "ab")),
    ("nonce with newline", _set(["nonce"], "ab" * 32 + "\n")),
    ("witness negative", _set(["witness", 0, "values", 0], -1)),
    ("witness boolean", _set(["witness", 0, "values", 0], False)),
    ("witness extra key", _set(["witness", 0, "phone"], "123")),
    ("draw_id newline", _set(["draw_id"], "a\nb")),
    ("replacement unknown inspector", _set(["replacements", 0, "removed"], "NOBODY")),
    ("replacement unknown object", _set(["replacements", 0, "object"], "NOTHING")),
    ("replacement missing key", lambda r: r["replacements"][0].pop("chosen")),
    ("replacements not a list", _set(["replacements"], {})),
    ("objects not a list", _set(["objects"], "x")),
]


@pytest.mark.parametrize(("name", "damage"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_records_are_a_third_outcome(
    base_record: Record, standalone: ModuleType, name: str, damage: Callable[[Record], None]
) -> None:
    record = copy.deepcopy(base_record)
    damage(record)
    result = verify_record(record)
    assert result.outcome is Outcome.MALFORMED, result
    assert result.exit_code == 2
    assert result.problem
    assert standalone.verify(copy.deepcopy(record))[0] == 2


@pytest.mark.parametrize("text", ["", "{", "[]", "null", '"SJDRAW-1"', b"\xff\xfe"])
def test_not_a_record(text: str | bytes, standalone: ModuleType) -> None:
    assert verify_text(text).outcome is Outcome.MALFORMED
    assert standalone.verify_json_text(text)[0] == 2


@pytest.mark.parametrize("path", SJDRAW_VECTORS, ids=lambda p: p.stem)
def test_both_verifiers_agree_on_the_vectors(path: Path, standalone: ModuleType) -> None:
    record = load_vector(path.stem)
    result = verify_record(record)
    assert standalone_keys(standalone, record) == (result.exit_code, result.keys)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(scenarios())
def test_both_verifiers_accept_fresh_records(standalone: ModuleType, scenario: dict[str, Any]) -> None:
    record = record_of(scenario)
    assert verify_record(record).outcome is Outcome.VERIFIED
    assert standalone_keys(standalone, record) == (0, [])
    code, _lines = standalone.verify_json_text(dump_record(record))
    assert code == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(scenarios(), st.data())
def test_both_verifiers_agree_on_tampered_fresh_records(
    standalone: ModuleType, scenario: dict[str, Any], data: st.DataObject
) -> None:
    record = record_of(scenario)
    key = data.draw(st.sampled_from(["witness", "nonce", "seed", "draw", "final", "params_text", "objects"]))
    if key == "witness":
        record["witness"][0]["values"].append(data.draw(st.integers(0, 9)))
    elif key == "nonce":
        record["nonce"] = data.draw(st.binary(min_size=32, max_size=32)).hex()
    elif key == "seed":
        record["seed"] = data.draw(st.binary(min_size=32, max_size=32)).hex()
    elif key in ("draw", "final"):
        if not record[key]:
            record[key].append({"order": 1})
        elif len(record[key]) > 1:
            record[key].reverse()
        else:
            record[key][0]["order"] = 2
    elif key == "params_text":
        record["params_text"] = record["params_text"].replace(
            "cap=", data.draw(st.sampled_from(["cap=", "cap=x"]))
        )
    else:
        record["objects"].reverse()
    result = verify_record(record)
    assert standalone_keys(standalone, record) == (result.exit_code, result.keys)


def test_standalone_runs_on_the_command_line(tmp_path: Path) -> None:
    script = ROOT / "resources" / "verifier" / "sjdraw_verify.py"
    good = tmp_path / "good.json"
    good.write_text(dump_record(joint_record()), encoding="utf-8")
    runs = {
        0: good,
        1: ROOT / "resources" / "vectors" / "sjdraw" / "bad_tampered_result.json",
        2: tmp_path / "missing.json",
    }
    for code, path in runs.items():
        done = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, timeout=60)
        assert done.returncode == code, done.stdout.decode("utf-8", "replace")
        out = done.stdout.decode("utf-8")
        assert ["验证通过", "验证不通过", "无法读取"][code] in out


def test_standalone_does_not_import_the_app() -> None:
    source = (ROOT / "resources" / "verifier" / "sjdraw_verify.py").read_text(encoding="utf-8")
    imports = {
        line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))
    }
    assert imports <= {"__future__", "hashlib", "json", "re", "sys", "unicodedata", "fractions"}


def test_verify_text_accepts_bytes_and_reports_json_errors() -> None:
    text = dump_record(joint_record())
    assert verify_text(text.encode("utf-8")).outcome is Outcome.VERIFIED
    broken = verify_text(text[:-10])
    assert broken.outcome is Outcome.MALFORMED and "JSON" in broken.problem
    assert json.loads(text) == joint_record()


def _leaves(value: Any, path: list[Any]) -> list[list[Any]]:
    if isinstance(value, dict):
        return [path] + [p for k, v in value.items() for p in _leaves(v, [*path, k])]
    if isinstance(value, list):
        return [path] + [p for i, v in enumerate(value) for p in _leaves(v, [*path, i])]
    return [path]


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 40),
    st.sampled_from(["", "*", "高", "SC001", "WJ002", "9123108000MA1B2C00", "0" * 64, "a\tb", "e\u0301"]),
    st.lists(st.integers(0, 9), max_size=3),
    st.just({}),
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_both_verifiers_agree_on_random_damage(standalone: ModuleType, data: st.DataObject) -> None:
    """Replace or delete any one value of a record: the two verifiers reach the same verdict and keys."""
    record = joint_record()
    path = data.draw(st.sampled_from(_leaves(record, [])[1:]))
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(JSON_VALUES)
    result = verify_record(record)
    assert standalone_keys(standalone, record) == (result.exit_code, result.keys), path


def test_standalone_keeps_python38_syntax() -> None:
    import ast

    source = (ROOT / "resources" / "verifier" / "sjdraw_verify.py").read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 8))
