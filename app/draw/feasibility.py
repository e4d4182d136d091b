"""Feasibility check before the commitment (SJDRAW-1 §8).

A draw is feasible when every object that could be drawn (its stratum's sample size is above 0)
has at least k free inspectors (no 回避关系 with it) in each group. The cap never makes a draw
infeasible: §6 relaxes it when needed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from app.draw.canonical import ObjectRow
from app.draw.engine import Pools
from app.draw.params import ALL_INSPECTORS, DrawParams


def _group_name(group: str) -> str:
    return "全部检查人员" if group == ALL_INSPECTORS else f"“{group}”"


@dataclass(frozen=True)
class GroupShortage:
    """A whole group has fewer members than the k each object needs."""

    group: str
    k: int
    members: int

    def message(self) -> str:
        """One Chinese sentence for the clerk."""
        return (
            f"{_group_name(self.group)}只有{self.members}名检查人员，每个检查对象需要{self.k}名，无法摇号。"
        )


@dataclass(frozen=True)
class ObjectShortage:
    """One object that could be drawn has fewer than k free inspectors in a group."""

    object_id: str
    object_name: str
    stratum: str
    group: str
    k: int
    members: int
    conflicting: int
    """Members of the group with a 回避关系 to this object."""

    @property
    def free(self) -> int:
        """Members without a conflict with this object."""
        return self.members - self.conflicting

    def message(self) -> str:
        """One Chinese sentence for the clerk."""
        return (
            f"检查对象 {self.object_id}（{self.object_name}，分层“{self.stratum}”）："
            f"{_group_name(self.group)}共{self.members}人，其中{self.conflicting}人与其有回避关系，"
            f"只剩{self.free}名可派，少于所需的{self.k}名。"
        )


@dataclass(frozen=True)
class Feasibility:
    """Result of the §8 check; ``ok`` is False when any shortage was found."""

    group_shortages: tuple[GroupShortage, ...] = ()
    object_shortages: tuple[ObjectShortage, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the draw can run for every possible outcome."""
        return not self.group_shortages and not self.object_shortages

    def messages(self) -> list[str]:
        """Chinese lines explaining each shortage (empty when feasible)."""
        return [s.message() for s in self.group_shortages] + [s.message() for s in self.object_shortages]


def _name_of(objects: Sequence[ObjectRow], object_id: str) -> str:
    """The name of an object in rows sorted by id (binary search: no 100,000-entry dict)."""
    index = bisect_left(objects, object_id, key=itemgetter(0))
    return objects[index][2] if index < len(objects) and objects[index][0] == object_id else ""


def check_feasibility(params: DrawParams, pools: Pools, objects: Sequence[ObjectRow]) -> Feasibility:
    """Check §8 for every object whose stratum has a sample size above 0 (``objects``: canonical rows)."""
    drawable = [label for label, size in pools.sample_sizes.items() if size > 0]
    if not drawable:
        return Feasibility()
    group_shortages: list[GroupShortage] = []
    short_groups: set[str] = set()
    for name, k in params.groups_sorted():
        if len(pools.members[name]) < k:
            group_shortages.append(GroupShortage(name, k, len(pools.members[name])))
            short_groups.add(name)
    object_shortages: list[ObjectShortage] = []
    drawable_set = set(drawable)
    # Only objects with conflicts can fall short once every group is big enough.
    for object_id in sorted(pools.conflicts_by_object):
        stratum = pools.stratum_of.get(object_id)
        if stratum is None or stratum not in drawable_set:
            continue
        blocked = pools.conflicts_by_object[object_id]
        for name, k in params.groups_sorted():
            if name in short_groups:
                continue
            members = pools.members[name]
            conflicting = sum(1 for i in members if i in blocked)
            if len(members) - conflicting < k:
                object_shortages.append(
                    ObjectShortage(
                        object_id,
                        _name_of(objects, object_id),
                        stratum,
                        name,
                        k,
                        len(members),
                        conflicting,
                    )
                )
    return Feasibility(tuple(group_shortages), tuple(object_shortages))
