"""Properties of the draw over random inputs (hypothesis): SJDRAW-1 §5–§7 invariants."""

from __future__ import annotations

import hashlib
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.draw import ReplacementError, Witness, execute, prepare, replace
from app.draw.api import run_draw
from app.draw.engine import draw_objects
from app.draw.stream import RandomStream
from tests.app.draw.conftest import feasible, record_of, scenarios

RELAXED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@RELAXED
@given(scenarios())
def test_no_duplicate_picks_and_sample_sizes_respected(scenario: dict[str, Any]) -> None:
    prepared = feasible(scenario)
    record = execute(prepared, "P-1", scenario["seed"], [Witness("见证人", (6,))])
    ids = [entry["id"] for entry in record["draw"]]
    assert len(ids) == len(set(ids)) == prepared.sample_size
    assert [entry["order"] for entry in record["draw"]] == list(range(1, len(ids) + 1))
    for size in prepared.strata:
        assert sum(1 for e in record["draw"] if e["stratum"] == size.label) == size.sample_size
    k_of = dict(prepared.params.groups)
    for entry in record["draw"]:
        assert [a["group"] for a in entry["inspectors"]] == sorted(k_of)
        for assignment in entry["inspectors"]:
            assert len(assignment["ids"]) == len(set(assignment["ids"])) == k_of[assignment["group"]]


@RELAXED
@given(scenarios())
def test_conflicting_pairs_never_assigned(scenario: dict[str, Any]) -> None:
    record = record_of(scenario)
    conflicts = {tuple(row) for row in record["conflicts"]}
    for entry in record["draw"]:
        for assignment in entry["inspectors"]:
            for inspector_id in assignment["ids"]:
                assert (inspector_id, entry["id"]) not in conflicts


@RELAXED
@given(scenarios())
def test_cap_respected_unless_relaxed(scenario: dict[str, Any]) -> None:
    prepared = feasible(scenario)
    record = execute(prepared, "P-1", scenario["seed"], [Witness("见证人", (6,))])
    caps = {g.group: g.cap for g in prepared.groups}
    counts: dict[str, int] = {}
    for entry in record["draw"]:
        for assignment in entry["inspectors"]:
            cap = caps[assignment["group"]]
            for inspector_id in assignment["ids"]:
                before = counts.get(inspector_id, 0)
                if cap is not None and not assignment["cap_relaxed"]:
                    assert before < cap  # only inspectors below the cap were eligible
                counts[inspector_id] = before + 1
            if assignment["cap_relaxed"]:
                # Relaxing is only allowed when fewer than k free members were below the cap.
                free = [
                    i for i in prepared.pools.members[assignment["group"]]
                    if i not in prepared.pools.conflicts_by_object.get(entry["id"], frozenset())
                ]  # fmt: skip
                below = [i for i in free if cap is None or counts.get(i, 0) - (i in assignment["ids"]) < cap]
                assert len(below) < len(assignment["ids"])


@RELAXED
@given(scenarios(), st.data())
def test_drawing_inspectors_does_not_disturb_the_object_stream(
    scenario: dict[str, Any], data: st.DataObject
) -> None:
    prepared = feasible(scenario)
    seed_hex = scenario["seed"].hex()
    with_inspectors = [(e.id, e.stratum) for e in run_draw(prepared, seed_hex)]
    objects_only = draw_objects(RandomStream(scenario["seed"]), prepared.params, prepared.pools)
    assert with_inspectors == objects_only
    # Another inspector pool (same objects, params' strata, seed) leaves the object draw unchanged.
    other = prepare(
        scenario["objects"],
        [(f"X{i}", "*", "x") for i in range(data.draw(st.integers(3, 9)))],
        [],
        scenario["params"].split("groups=")[0] + "groups=*:1\ncap=none\n",
    )
    assert [(e.id, e.stratum) for e in run_draw(other, seed_hex)] == with_inspectors


@RELAXED
@given(scenarios(), st.data())
def test_replacement_excludes_removed_assigned_and_conflicting(
    scenario: dict[str, Any], data: st.DataObject
) -> None:
    record = record_of(scenario)
    assume(record["draw"])
    conflicts = {tuple(row) for row in record["conflicts"]}
    group_of = {row[0]: row[1] for row in record["inspectors"]}
    removed_so_far: dict[str, set[str]] = {}
    for round_no in range(1, data.draw(st.integers(1, 4)) + 1):
        entry = data.draw(st.sampled_from(record["final"]))
        assignment = data.draw(st.sampled_from(entry["inspectors"]))
        removed = data.draw(st.sampled_from(assignment["ids"]))
        witness = Witness("见证人", tuple(data.draw(st.lists(st.integers(0, 9), min_size=1, max_size=4))))
        try:
            record = replace(record, entry["id"], removed, "回避", witness)
        except ReplacementError:
            members = [i for i, g in group_of.items() if assignment["group"] in ("*", g)]
            left = [
                i for i in members
                if i not in assignment["ids"] and (i, entry["id"]) not in conflicts
                and i not in removed_so_far.get(entry["id"], set())
            ]  # fmt: skip
            assert not left  # refused only when nobody is eligible
            return
        step = record["replacements"][-1]
        chosen = step["chosen"]
        assert (
            step["round"] == round_no and step["removed"] == removed and step["group"] == assignment["group"]
        )
        assert chosen not in assignment["ids"]
        assert (chosen, entry["id"]) not in conflicts
        assert chosen not in removed_so_far.get(entry["id"], set())
        assert assignment["group"] == "*" or group_of[chosen] == assignment["group"]
        removed_so_far.setdefault(entry["id"], set()).add(removed)
        new_entry = next(e for e in record["final"] if e["id"] == entry["id"])
        new_ids = next(a["ids"] for a in new_entry["inspectors"] if a["group"] == assignment["group"])
        assert new_ids == [chosen if i == removed else i for i in assignment["ids"]]


def test_seed_changes_everything_downstream() -> None:
    scenario_objects = [(f"O{i}", "全部", "x") for i in range(50)]
    params = "algorithm=SJDRAW-1\nstrata=全部:0.2\ngroups=*:2\ncap=auto\n"
    prepared = prepare(scenario_objects, [(f"I{i}", "*", "y") for i in range(10)], [], params)
    a = run_draw(prepared, hashlib.sha256(b"a").hexdigest())
    b = run_draw(prepared, hashlib.sha256(b"b").hexdigest())
    assert [e.id for e in a] != [e.id for e in b]
