"""The shipped vectors: good records verify and are rebuilt exactly from their inputs; bad ones do not."""

from __future__ import annotations

import json

import pytest

from app.draw import Outcome, dump_record, prepare, verify_file, verify_text
from app.draw.api import run_draw
from app.draw.cli import cmd_selftest, cmd_verify
from app.draw.models import witnesses_string
from app.draw.record import parse_witnesses
from app.draw.selftest import rebuild_record, run_selftest
from app.draw.stream import compute_seed
from tests.app.draw.conftest import BAD_VECTORS, GOOD_VECTORS, load_vector

EXPECTED_BAD_KEYS = {
    "bad_tampered_result": ["final"],
    "bad_tampered_witness": ["seed", "draw", "replacements", "final"],
}


def test_vector_files_are_present() -> None:
    assert [p.stem for p in GOOD_VECTORS] == ["joint_two_departments", "risk_strata_with_replacement"]
    assert [p.stem for p in BAD_VECTORS] == ["bad_tampered_result", "bad_tampered_witness"]


@pytest.mark.parametrize("path", GOOD_VECTORS, ids=lambda p: p.stem)
def test_good_vector_verifies(path) -> None:
    result = verify_file(path)
    assert result.outcome is Outcome.VERIFIED, result.differences or result.problem
    assert result.exit_code == 0


@pytest.mark.parametrize("path", BAD_VECTORS, ids=lambda p: p.stem)
def test_bad_vector_does_not_verify_and_names_the_keys(path) -> None:
    result = verify_file(path)
    assert result.outcome is Outcome.NOT_VERIFIED
    assert result.exit_code == 1
    assert result.keys == EXPECTED_BAD_KEYS[path.stem]


@pytest.mark.parametrize("path", GOOD_VECTORS, ids=lambda p: p.stem)
def test_hashes_recomputed_from_the_inputs(path) -> None:
    record = load_vector(path.stem)
    prepared = prepare(record["objects"], record["inspectors"], record["conflicts"], record["params_text"])
    for key, value in prepared.hashes.items():
        assert record[key] == value, key


@pytest.mark.parametrize("path", GOOD_VECTORS, ids=lambda p: p.stem)
def test_seed_and_draw_recomputed_from_the_inputs(path) -> None:
    record = load_vector(path.stem)
    prepared = prepare(record["objects"], record["inspectors"], record["conflicts"], record["params_text"])
    seed = compute_seed(
        record["draw_id"],
        record["objects_sha256"],
        record["inspectors_sha256"],
        record["conflicts_sha256"],
        record["params_sha256"],
        witnesses_string(parse_witnesses(record["witness"], "witness")),
        record["nonce"],
    )
    assert seed == record["seed"]
    assert [entry.to_json() for entry in run_draw(prepared, seed)] == record["draw"]


@pytest.mark.parametrize("path", GOOD_VECTORS, ids=lambda p: p.stem)
def test_record_rebuilt_byte_for_byte(path) -> None:
    record = load_vector(path.stem)
    rebuilt = rebuild_record(record)
    assert rebuilt["draw"] == record["draw"]
    assert rebuilt["replacements"] == record["replacements"]
    assert rebuilt["final"] == record["final"]
    assert list(rebuilt) == list(record)
    assert dump_record(rebuilt) == path.read_text(encoding="utf-8")


def test_witness_string_of_the_spec_example() -> None:
    record = load_vector("risk_strata_with_replacement")
    witnesses = parse_witnesses(record["witness"], "witness")
    assert witnesses_string(witnesses) == "3.1.4.1.5.9./2.6.5.3.5.8./9.7.9.3.2.3./"


def test_tampered_witness_vector_differs_only_in_the_witness() -> None:
    good, bad = load_vector("risk_strata_with_replacement"), load_vector("bad_tampered_witness")
    assert good["witness"] != bad["witness"]
    bad["witness"] = good["witness"]
    assert bad == good
    assert verify_text(json.dumps(bad)).outcome is Outcome.VERIFIED


def test_selftest_passes_and_prints_a_line_per_vector(capsys: pytest.CaptureFixture[str]) -> None:
    ok, lines = run_selftest()
    assert ok
    assert len(lines) == 2 + 4
    assert all(line.startswith("PASS") for line in lines)
    assert cmd_selftest() == 0
    assert capsys.readouterr().out.count("PASS") == 6


def test_selftest_fails_without_vectors(tmp_path) -> None:
    ok, lines = run_selftest(tmp_path)
    assert not ok
    assert lines[0].startswith("FAIL")


def test_selftest_reports_a_broken_vector(tmp_path) -> None:
    (tmp_path / "rfc3797").mkdir()
    (tmp_path / "sjdraw").mkdir()
    source = GOOD_VECTORS[0].parent.parent
    (tmp_path / "rfc3797" / "vectors.json").write_text(
        (source / "rfc3797" / "vectors.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    record = load_vector("joint_two_departments")
    record["final"][0]["inspectors"][0]["ids"] = ["WJ003"]
    (tmp_path / "sjdraw" / "joint_two_departments.json").write_text(dump_record(record), encoding="utf-8")
    ok, lines = run_selftest(tmp_path)
    assert not ok
    assert lines[-1].startswith("FAIL")


@pytest.mark.parametrize(
    ("path", "code"), [(p, 0) for p in GOOD_VECTORS] + [(p, 1) for p in BAD_VECTORS], ids=lambda v: str(v)
)
def test_cmd_verify_exit_codes(path, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_verify(str(path)) == code
    out = capsys.readouterr().out
    assert ("验证通过" in out) == (code == 0)
    if code == 1:
        for key in EXPECTED_BAD_KEYS[path.stem]:
            assert f"✗ {key}：" in out


def test_cmd_verify_malformed(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert cmd_verify(str(path)) == 2
    assert "无法验证" in capsys.readouterr().out
    assert cmd_verify(str(tmp_path / "missing.json")) == 2
