"""Replacements (递补) after the draw (SJDRAW-1 §7), applied to a record."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from app.draw.api import clean_witnesses
from app.draw.canonical import clean_text
from app.draw.engine import apply_replacements, make_replacement
from app.draw.errors import RecordError
from app.draw.models import Witness
from app.draw.verify import Outcome, check_record


def replace(
    record: Mapping[str, Any],
    object_id: str,
    removed_inspector_id: str,
    reason: str,
    witness: Witness | Sequence[Witness],
) -> dict[str, Any]:
    """Return a new record with one more replacement round and ``final`` updated.

    ``witness`` is the fresh entropy taken in the room for this round (one witness or a list).
    The record must verify first — a replacement is never grafted onto a record that does not.
    Raises :class:`RecordError` for a record that does not verify,
    :class:`~app.draw.errors.ReplacementError` when the inspector is not assigned to the object or
    nobody is left to choose, and :class:`~app.draw.errors.InputError` for bad witness entries.
    """
    check, recomputed = check_record(record)
    if check.outcome is not Outcome.VERIFIED or recomputed is None:
        reasons = check.problem or "；".join(d.line() for d in check.differences)
        raise RecordError(f"摇号记录未通过验证，不能递补：{reasons}")
    witnesses = clean_witnesses([witness] if isinstance(witness, Witness) else list(witness))
    object_id = clean_text(object_id, "递补的检查对象编号")
    removed_inspector_id = clean_text(removed_inspector_id, "被替换的检查人员执法证号")
    reason = clean_text(reason, "递补原因")
    history = recomputed.replacements
    prev_seed = history[-1].seed if history else str(recomputed.expected["seed"])
    step = make_replacement(
        recomputed.prepared.pools,
        recomputed.final,
        history,
        prev_seed,
        object_id,
        removed_inspector_id,
        reason,
        witnesses,
    )
    new_record = copy.deepcopy(dict(record))
    new_record["replacements"] = [*new_record["replacements"], step.to_json()]
    new_record["final"] = [
        entry.final_json() for entry in apply_replacements(recomputed.draw, [*history, step])
    ]
    return new_record
