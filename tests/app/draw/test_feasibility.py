"""Feasibility before the commitment (§8): which object and group is short, in Chinese."""

from __future__ import annotations

from app.draw import GroupShortage, ObjectShortage, prepare

INSPECTORS = [
    ("S1", "市场监管局", "a"),
    ("S2", "市场监管局", "b"),
    ("S3", "市场监管局", "c"),
    ("W1", "卫生健康局", "d"),
]
PARAMS = "algorithm=SJDRAW-1\nstrata=高:#1,低:0\ngroups=市场监管局:2,卫生健康局:1\ncap=auto\n"


def test_feasible_draw() -> None:
    prepared = prepare([("O1", "高", "甲店"), ("O2", "高", "乙店")], INSPECTORS, [], PARAMS)
    assert prepared.feasibility.ok
    assert prepared.feasibility.messages() == []


def test_object_short_of_free_inspectors_is_named() -> None:
    conflicts = [("S1", "O2"), ("S2", "O2")]
    prepared = prepare([("O1", "高", "甲店"), ("O2", "高", "乙店")], INSPECTORS, conflicts, PARAMS)
    assert not prepared.feasibility.ok
    assert prepared.feasibility.object_shortages == (
        ObjectShortage("O2", "乙店", "高", "市场监管局", 2, 3, 2),
    )
    (message,) = prepared.feasibility.messages()
    assert "O2" in message and "乙店" in message and "市场监管局" in message
    assert "只剩1名可派" in message and "少于所需的2名" in message
    assert any(message in line for line in prepared.summary_lines())


def test_objects_that_cannot_be_drawn_are_not_checked() -> None:
    # 低 has rate 0: its objects are never drawn, so their conflicts cannot block the draw.
    conflicts = [("W1", "O3")]
    prepared = prepare([("O1", "高", "甲店"), ("O3", "低", "丙店")], INSPECTORS, conflicts, PARAMS)
    assert prepared.feasibility.ok


def test_group_too_small_for_k() -> None:
    params = PARAMS.replace("卫生健康局:1", "卫生健康局:2")
    prepared = prepare([("O1", "高", "甲店")], INSPECTORS, [], params)
    assert prepared.feasibility.group_shortages == (GroupShortage("卫生健康局", 2, 1),)
    assert "“卫生健康局”只有1名检查人员" in prepared.feasibility.messages()[0]


def test_group_without_members_in_the_registry() -> None:
    params = PARAMS.replace("卫生健康局:1", "应急管理局:1")
    prepared = prepare([("O1", "高", "甲店")], INSPECTORS, [], params)
    assert prepared.feasibility.group_shortages == (GroupShortage("应急管理局", 1, 0),)


def test_nothing_to_draw_is_feasible() -> None:
    prepared = prepare([("O1", "低", "甲店")], INSPECTORS, [("S1", "O1")], PARAMS)
    assert prepared.sample_size == 0
    assert prepared.feasibility.ok
