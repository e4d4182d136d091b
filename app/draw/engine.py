"""Drawing objects and inspectors, and the replacement rule (SJDRAW-1 §5–§7).

Pure functions over canonical rows (see :mod:`app.draw.canonical`) and a
:class:`~app.draw.stream.RandomStream`; results are the plain dataclasses of :mod:`app.draw.models`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.draw.canonical import ConflictRow, InspectorRow, ObjectRow
from app.draw.errors import InfeasibleDrawError, InputError, ReplacementError
from app.draw.models import DrawnObject, GroupAssignment, Replacement, Witness, witnesses_string
from app.draw.params import ALL_INSPECTORS, DrawParams
from app.draw.stream import RandomStream, replacement_seed


@dataclass(frozen=True)
class Pools:
    """The draw inputs indexed for drawing: objects per stratum, members per group, conflicts per object."""

    objects_by_stratum: Mapping[str, list[str]]
    """Object ids of each stratum (every label of the params, possibly empty), sorted."""
    stratum_of: Mapping[str, str]
    members: Mapping[str, list[str]]
    """Inspector ids of each params group (all inspectors for ``*``), sorted; unlisted groups are left out."""
    conflicts_by_object: Mapping[str, frozenset[str]]
    sample_sizes: Mapping[str, int]
    """Sample size of each stratum label."""

    @property
    def drawn_count(self) -> int:
        """n: the number of objects the draw will pick."""
        return sum(self.sample_sizes.values())


def build_pools(
    params: DrawParams,
    objects: Sequence[ObjectRow],
    inspectors: Sequence[InspectorRow],
    conflicts: Sequence[ConflictRow],
) -> Pools:
    """Index canonical inputs; raise :class:`InputError` if an object's stratum is not in the params."""
    objects_by_stratum: dict[str, list[str]] = {rule.label: [] for rule in params.strata}
    stratum_of: dict[str, str] = {}
    for object_id, stratum, _name in objects:
        bucket = objects_by_stratum.get(stratum)
        if bucket is None:
            raise InputError(f"检查对象 {object_id} 的分层“{stratum}”没有出现在抽取参数的 strata 中")
        bucket.append(object_id)
        stratum_of[object_id] = stratum
    for bucket in objects_by_stratum.values():
        bucket.sort()
    members: dict[str, list[str]]
    if params.undivided:
        members = {ALL_INSPECTORS: sorted(row[0] for row in inspectors)}
    else:
        members = {name: [] for name, _k in params.groups}
        for inspector_id, group, _name in inspectors:
            if group in members:
                members[group].append(inspector_id)
        for ids in members.values():
            ids.sort()
    by_object: dict[str, set[str]] = {}
    for inspector_id, object_id in conflicts:
        by_object.setdefault(object_id, set()).add(inspector_id)
    sizes = {rule.label: rule.sample_size(len(objects_by_stratum[rule.label])) for rule in params.strata}
    return Pools(
        objects_by_stratum=objects_by_stratum,
        stratum_of=stratum_of,
        members=members,
        conflicts_by_object={key: frozenset(value) for key, value in by_object.items()},
        sample_sizes=sizes,
    )


def draw_objects(stream: RandomStream, params: DrawParams, pools: Pools) -> list[tuple[str, str]]:
    """Draw objects stratum by stratum (labels sorted by bytes); return ``(id, stratum)`` in draw order."""
    drawn: list[tuple[str, str]] = []
    for rule in params.strata_sorted():
        picked = stream.select(
            f"objects/{rule.label}", pools.objects_by_stratum[rule.label], pools.sample_sizes[rule.label]
        )
        drawn.extend((object_id, rule.label) for object_id in picked)
    return drawn


def group_caps(params: DrawParams, pools: Pools, drawn_count: int) -> dict[str, int | None]:
    """The cap of each group for a draw of ``drawn_count`` objects (None: no cap)."""
    return {name: params.cap_for(k, drawn_count, len(pools.members[name])) for name, k in params.groups}


def assign_inspectors(
    stream: RandomStream, params: DrawParams, pools: Pools, drawn: Sequence[tuple[str, str]]
) -> list[DrawnObject]:
    """Assign k inspectors of every group to each drawn object, in draw order (§6)."""
    groups = params.groups_sorted()
    caps = group_caps(params, pools, len(drawn))
    counts: dict[str, int] = {}
    full: set[str] = set()  # inspectors whose count reached their group's cap
    result: list[DrawnObject] = []
    for order, (object_id, stratum) in enumerate(drawn, start=1):
        blocked = pools.conflicts_by_object.get(object_id, frozenset())
        entry = DrawnObject(order, object_id, stratum)
        for name, k in groups:
            members = pools.members[name]
            free = [i for i in members if i not in blocked] if blocked else members
            cap = caps[name]
            eligible = free if cap is None or not full else [i for i in free if i not in full]
            relaxed = False
            if len(eligible) < k:
                eligible = free
                relaxed = True
            if len(eligible) < k:
                raise InfeasibleDrawError(
                    f"检查对象 {object_id} 在“{name}”中只有{len(free)}名无回避关系的检查人员，少于所需的{k}名"
                )
            picked = stream.select(f"inspectors/{object_id}/{name}", eligible, k)
            for inspector_id in picked:
                count = counts.get(inspector_id, 0) + 1
                counts[inspector_id] = count
                if cap is not None and count >= cap:
                    full.add(inspector_id)
            entry.inspectors.append(GroupAssignment(name, picked, relaxed))
        result.append(entry)
    return result


def apply_replacements(draw: Sequence[DrawnObject], replacements: Sequence[Replacement]) -> list[DrawnObject]:
    """The draw after replacements (the record's ``final``): each chosen inspector takes the removed one's place.

    Raises :class:`ReplacementError` if a replacement does not fit the draw.
    """
    current = [
        DrawnObject(e.order, e.id, e.stratum, [GroupAssignment(a.group, list(a.ids)) for a in e.inspectors])
        for e in draw
    ]
    by_id = {entry.id: entry for entry in current}
    for replacement in replacements:
        _group, ids = _locate(by_id, replacement.object_id, replacement.removed)
        ids[ids.index(replacement.removed)] = replacement.chosen
    return current


def _locate(by_id: Mapping[str, DrawnObject], object_id: str, inspector_id: str) -> tuple[str, list[str]]:
    """The group and the (mutable) id list in which ``inspector_id`` is assigned to ``object_id``."""
    entry = by_id.get(object_id)
    if entry is None:
        raise ReplacementError(f"检查对象 {object_id} 不在本次抽中的对象中，无法递补")
    for assignment in entry.inspectors:
        if inspector_id in assignment.ids:
            return assignment.group, assignment.ids
    raise ReplacementError(f"检查人员 {inspector_id} 并未分配给检查对象 {object_id}，无法递补")


def make_replacement(
    pools: Pools,
    current: Sequence[DrawnObject],
    history: Sequence[Replacement],
    prev_seed: str,
    object_id: str,
    removed_id: str,
    reason: str,
    witnesses: Sequence[Witness],
) -> Replacement:
    """Compute the next replacement round (§7) against the current (post-replacement) assignments.

    ``prev_seed`` is the main seed before the first round and the previous round's seed after.
    """
    round_no = len(history) + 1
    group, assigned = _locate({entry.id: entry for entry in current}, object_id, removed_id)
    removed_before = [h.removed for h in history if h.object_id == object_id]
    excluded = set(assigned) | set(removed_before) | pools.conflicts_by_object.get(object_id, frozenset())
    candidates = [i for i in pools.members[group] if i not in excluded]
    seed = replacement_seed(prev_seed, round_no, object_id, removed_id, witnesses_string(witnesses))
    if not candidates:
        raise ReplacementError(
            f"“{group}”已没有可以递补检查对象 {object_id} 的检查人员（其余人员均已分配、有回避关系或已被替换）"
        )
    chosen = RandomStream.from_hex(seed).select(f"replacement/{round_no}", candidates, 1)[0]
    return Replacement(round_no, object_id, group, removed_id, reason, tuple(witnesses), seed, chosen)
