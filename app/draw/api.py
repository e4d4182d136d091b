"""The two-phase draw the product calls: :func:`prepare` before the commitment, :func:`execute` after.

Procedure in the room (SJDRAW-1 §3, §8):

1. ``prepared = prepare(objects, inspectors, conflicts, params_text)`` — no randomness. Show and
   print ``prepared.summary_lines()`` (the four hashes, pool and sample sizes); refuse to go on
   unless ``prepared.feasibility.ok``.
2. ``nonce = new_nonce()``; project ``commitment(nonce)``.
3. Witnesses call out their numbers; ``record = execute(prepared, draw_id, nonce, witnesses)``.
4. Later withdrawals: ``record = replace(record, object_id, inspector_id, reason, witnesses)``
   (see :mod:`app.draw.replacing`).
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.draw.canonical import (
    ConflictRow,
    InspectorRow,
    ObjectRow,
    canonical_conflicts,
    canonical_inspectors,
    canonical_objects,
    clean_text,
    rows_sha256,
    sha256_hex,
)
from app.draw.engine import (
    Pools,
    apply_replacements,
    assign_inspectors,
    build_pools,
    draw_objects,
    group_caps,
)
from app.draw.errors import InfeasibleDrawError, InputError
from app.draw.feasibility import Feasibility, check_feasibility
from app.draw.models import DrawnObject, Witness, witnesses_string
from app.draw.params import ALL_INSPECTORS, DrawParams, format_params, parse_params
from app.draw.record import build_record
from app.draw.stream import RandomStream, compute_seed

NONCE_BYTES = 32


@dataclass(frozen=True)
class StratumSize:
    """Pool size N and sample size n of one stratum, for the pre-commitment printout."""

    label: str
    spelled: str
    pool_size: int
    sample_size: int


@dataclass(frozen=True)
class GroupSize:
    """Members m, inspectors per object k and the resolved cap of one group."""

    group: str
    k: int
    members: int
    cap: int | None


@dataclass(frozen=True)
class PreparedDraw:
    """Everything fixed before the commitment: canonical inputs, their hashes, sizes, feasibility."""

    params_text: str
    params: DrawParams
    objects: list[ObjectRow]
    inspectors: list[InspectorRow]
    conflicts: list[ConflictRow]
    hashes: dict[str, str]
    """``objects_sha256``, ``inspectors_sha256``, ``conflicts_sha256``, ``params_sha256`` → hex."""
    pools: Pools
    strata: tuple[StratumSize, ...]
    """In draw order (labels sorted by bytes)."""
    groups: tuple[GroupSize, ...]
    """In assignment order (names sorted by bytes)."""
    feasibility: Feasibility

    @property
    def sample_size(self) -> int:
        """n: the number of objects the draw will pick."""
        return sum(s.sample_size for s in self.strata)

    def summary_lines(self) -> list[str]:
        """Chinese lines to project and print before the commitment (§8)."""
        lines = [
            f"检查对象名录 SHA-256：{self.hashes['objects_sha256']}",
            f"检查人员名录 SHA-256：{self.hashes['inspectors_sha256']}",
            f"回避关系 SHA-256：{self.hashes['conflicts_sha256']}",
            f"抽取参数 SHA-256：{self.hashes['params_sha256']}",
            f"检查对象 {len(self.objects)} 个，抽取 {self.sample_size} 个：",
        ]
        lines += [
            f"  分层“{s.label}”（{s.spelled}）：{s.pool_size} 个中抽 {s.sample_size} 个" for s in self.strata
        ]
        lines.append(f"检查人员 {len(self.inspectors)} 名，回避关系 {len(self.conflicts)} 条：")
        for g in self.groups:
            name = "全部检查人员" if g.group == ALL_INSPECTORS else f"“{g.group}”"
            cap = "不限" if g.cap is None else f"最多 {g.cap} 个对象"
            lines.append(f"  {name}：{g.members} 名，每个对象派 {g.k} 名，每人{cap}")
        lines += self.feasibility.messages() or [
            "可行性检查通过：每个可能抽中的对象在每个部门都有足够的检查人员。"
        ]
        return lines


def prepare(
    objects: Iterable[Sequence[object]],
    inspectors: Iterable[Sequence[object]],
    conflicts: Iterable[Sequence[object]],
    params: str | DrawParams,
) -> PreparedDraw:
    """Canonicalise the inputs, hash them, size the strata and check feasibility (no randomness).

    ``objects`` rows are ``(id, stratum, name)``, ``inspectors`` rows ``(id, group, name)``,
    ``conflicts`` rows ``(inspector_id, object_id)``; ``params`` is the params text or a
    :class:`DrawParams`. Raises :class:`~app.draw.errors.DrawError` subclasses with Chinese messages
    for unusable input; an infeasible draw is *not* an exception here — see ``feasibility``.
    """
    if isinstance(params, DrawParams):
        params_text = format_params(params.strata, params.groups, params.cap)
    else:
        params_text = unicodedata.normalize("NFC", params)
    parsed = parse_params(params_text)
    object_rows = canonical_objects(objects)
    inspector_rows = canonical_inspectors(inspectors)
    conflict_rows = canonical_conflicts(conflicts)
    pools = build_pools(parsed, object_rows, inspector_rows, conflict_rows)
    hashes = {
        "objects_sha256": rows_sha256(object_rows),
        "inspectors_sha256": rows_sha256(inspector_rows),
        "conflicts_sha256": rows_sha256(conflict_rows),
        "params_sha256": sha256_hex(params_text),
    }
    strata = tuple(
        StratumSize(
            rule.label,
            rule.spelled,
            len(pools.objects_by_stratum[rule.label]),
            pools.sample_sizes[rule.label],
        )
        for rule in parsed.strata_sorted()
    )
    caps = group_caps(parsed, pools, pools.drawn_count)
    groups = tuple(
        GroupSize(name, k, len(pools.members[name]), caps[name]) for name, k in parsed.groups_sorted()
    )
    feasibility = check_feasibility(parsed, pools, object_rows)
    return PreparedDraw(
        params_text,
        parsed,
        object_rows,
        inspector_rows,
        conflict_rows,
        hashes,
        pools,
        strata,
        groups,
        feasibility,
    )


def new_nonce() -> bytes:
    """32 fresh random bytes from the OS, made only after the pre-commitment printout (§3.1)."""
    return secrets.token_bytes(NONCE_BYTES)


def commitment(nonce: bytes) -> str:
    """``commit = H(nonce)`` in lowercase hex, shown before any witness speaks."""
    return hashlib.sha256(nonce).hexdigest()


def clean_witnesses(witnesses: Sequence[Witness]) -> tuple[Witness, ...]:
    """Validate witness entries: single-line NFC names, non-negative integer values, something entered."""
    cleaned: list[Witness] = []
    for index, witness in enumerate(witnesses):
        name = clean_text(witness.name, f"第{index + 1}位见证人的姓名")
        for value in witness.values:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"见证人“{name}”输入的随机数只能是非负整数：{value!r}")
        cleaned.append(Witness(name, witness.values))
    if not any(w.values for w in cleaned):
        raise InputError("至少需要一名见证人输入随机数")
    return tuple(cleaned)


def run_draw(prepared: PreparedDraw, seed_hex: str) -> list[DrawnObject]:
    """Draw objects then inspectors from ``seed_hex`` (§5, §6)."""
    stream = RandomStream.from_hex(seed_hex)
    drawn = draw_objects(stream, prepared.params, prepared.pools)
    return assign_inspectors(stream, prepared.params, prepared.pools, drawn)


def execute(
    prepared: PreparedDraw, draw_id: str, nonce: bytes, witnesses: Sequence[Witness]
) -> dict[str, Any]:
    """Run the draw and return the record dict (§9) with no replacements yet.

    Raises :class:`InfeasibleDrawError` if ``prepared`` is infeasible, :class:`InputError` for a bad
    draw id or witness list, ``ValueError`` if ``nonce`` is not 32 bytes.
    """
    if not prepared.feasibility.ok:
        raise InfeasibleDrawError("；".join(prepared.feasibility.messages()))
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"nonce must be {NONCE_BYTES} bytes")
    draw_id = clean_text(draw_id, "摇号编号")
    if not draw_id:
        raise InputError("摇号编号不能为空")
    entries = clean_witnesses(witnesses)
    seed = compute_seed(
        draw_id,
        prepared.hashes["objects_sha256"],
        prepared.hashes["inspectors_sha256"],
        prepared.hashes["conflicts_sha256"],
        prepared.hashes["params_sha256"],
        witnesses_string(entries),
        nonce.hex(),
    )
    draw = run_draw(prepared, seed)
    return build_record(
        draw_id=draw_id,
        params_text=prepared.params_text,
        objects=prepared.objects,
        inspectors=prepared.inspectors,
        conflicts=prepared.conflicts,
        hashes=prepared.hashes,
        commit=commitment(nonce),
        witnesses=entries,
        nonce_hex=nonce.hex(),
        seed=seed,
        draw=draw,
        replacements=[],
        final=apply_replacements(draw, []),
    )
