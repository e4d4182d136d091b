"""Shared helpers for the draw-engine tests: the shipped vectors, the standalone verifier, small inputs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import assume
from hypothesis import strategies as st

from app.draw import PreparedDraw, Witness, execute, prepare, replace

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "resources" / "vectors"
SJDRAW_VECTORS = sorted((VECTORS / "sjdraw").glob("*.json"))
GOOD_VECTORS = [p for p in SJDRAW_VECTORS if not p.name.startswith("bad_")]
BAD_VECTORS = [p for p in SJDRAW_VECTORS if p.name.startswith("bad_")]


def load_vector(name: str) -> dict[str, Any]:
    """A vector record by file stem, freshly parsed (safe to mutate)."""
    return json.loads((VECTORS / "sjdraw" / f"{name}.json").read_text(encoding="utf-8"))


def load_standalone() -> ModuleType:
    """resources/verifier/sjdraw_verify.py, the watchers' independent verifier (no .pyc left behind)."""
    path = ROOT / "resources" / "verifier" / "sjdraw_verify.py"
    module = ModuleType("sjdraw_verify")
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


@pytest.fixture(scope="session")
def standalone() -> ModuleType:
    return load_standalone()


def standalone_keys(module: ModuleType, record: Any) -> tuple[int, list[str]]:
    """Exit code and differing keys according to the standalone verifier."""
    code, differences = module.verify(copy.deepcopy(record))
    return code, [d[0] for d in differences if d[0] is not None]


OBJECTS = [
    (f"9123108{i:03d}MA1B2C{i:02d}", ["高", "中", "低"][i % 3], f"宁安市测试商户{i}") for i in range(30)
]
INSPECTORS = [(f"SC{i:03d}", "市场监管局", f"市监人员{i}") for i in range(8)] + [
    (f"WJ{i:03d}", "卫生健康局", f"卫健人员{i}") for i in range(4)
]
CONFLICTS = [("SC001", OBJECTS[0][0]), ("WJ002", OBJECTS[3][0]), ("SC004", OBJECTS[3][0])]
JOINT_PARAMS = "algorithm=SJDRAW-1\nstrata=高:0.3,中:#4,低:0.1\ngroups=市场监管局:2,卫生健康局:1\ncap=auto\n"
WITNESSES = [Witness("人大代表甲", (3, 1, 4, 1, 5)), Witness("政协委员乙", (9, 2, 6))]
NONCE = bytes(range(32))


def joint_record(with_replacements: bool = True) -> dict[str, Any]:
    """A fresh joint-inspection record (two departments), optionally with two replacement rounds."""
    prepared = prepare(OBJECTS, INSPECTORS, CONFLICTS, JOINT_PARAMS)
    record = execute(prepared, "测试-2026-0001", NONCE, WITNESSES)
    if with_replacements:
        first = record["final"][0]
        for assignment in first["inspectors"]:
            if assignment["group"] == "市场监管局":
                removed = assignment["ids"][0]
        record = replace(record, first["id"], removed, "因病请假", Witness("纪检监察丙", (4, 2)))
        second = record["final"][1]
        record = replace(
            record, second["id"], second["inspectors"][0]["ids"][0], "申请回避", [Witness("人大代表甲", (7,))]
        )
    return record


LABELS = ["高", "中", "低"]
GROUPS = ["市场监管局", "卫生健康局", "农业农村局"]


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Small random registries, params and conflicts (not all feasible)."""
    n_objects = draw(st.integers(1, 25))
    objects = [(f"OBJ{i:03d}", draw(st.sampled_from(LABELS)), f"对象{i}") for i in range(n_objects)]
    undivided = draw(st.booleans())
    groups = (
        ["*"] if undivided else draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=3, unique=True))
    )
    inspectors = []
    for g_index, group in enumerate(groups):
        for i in range(draw(st.integers(1, 7))):
            inspectors.append((f"INS{g_index}{i:02d}", group, f"人员{g_index}-{i}"))
    ks = {group: draw(st.integers(1, 3)) for group in groups}
    rules = []
    for label in sorted({o[1] for o in objects}):
        if draw(st.booleans()):
            rules.append(f"{label}:{draw(st.sampled_from(['0.1', '0.25', '0.5', '1', '0.333']))}")
        else:
            rules.append(f"{label}:#{draw(st.integers(0, 8))}")
    cap = draw(st.sampled_from(["auto", "none", "1", "2", "3"]))
    params = (
        f"algorithm=SJDRAW-1\nstrata={','.join(rules)}\n"
        f"groups={','.join(f'{g}:{ks[g]}' for g in groups)}\ncap={cap}\n"
    )
    conflicts = draw(
        st.lists(st.tuples(st.sampled_from([i[0] for i in inspectors]), st.sampled_from([o[0] for o in objects])),
                 max_size=12)
    )  # fmt: skip
    seed = draw(st.binary(min_size=32, max_size=32))
    return {
        "objects": objects,
        "inspectors": inspectors,
        "conflicts": conflicts,
        "params": params,
        "seed": seed,
    }


def feasible(scenario: dict[str, Any]) -> PreparedDraw:
    prepared = prepare(scenario["objects"], scenario["inspectors"], scenario["conflicts"], scenario["params"])
    assume(prepared.feasibility.ok)
    return prepared


def record_of(scenario: dict[str, Any]) -> dict[str, Any]:
    prepared = feasible(scenario)
    return execute(prepared, "P-1", scenario["seed"], [Witness("见证人", (1, 2, 3))])
