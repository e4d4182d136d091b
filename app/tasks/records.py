"""Replacements (递补, SJDRAW-1 §7) and the current record of a finished draw.

A finished draw is immutable: ``Draw.record_json`` is never rewritten. Each replacement round is a
``DrawReplacement`` row; the current record is the stored one replayed through :func:`app.draw.replace`
with those rows in round order, and every replayed round must reproduce the stored seed and choice.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.draw import DrawError, RecordError, Witness, dump_record, load_record, replace
from app.tasks.common import get_draw, one_line, unit_of_work
from app.tasks.errors import (
    DrawStateError,
    EmptyReasonError,
    RecordIntegrityError,
    ReplacementRefusedError,
)
from app.tasks.results import local_text
from app.tasks.witnesses import WitnessInput, WitnessLike, clean_witnesses, engine_witnesses
from db.base import utcnow
from db.enums import DrawStatus
from db.models import Assignment, AssignmentInspector, Draw, DrawReplacement, Inspector


@dataclass(frozen=True)
class ReplacementOutcome:
    """One stored replacement round: who withdrew from which object, who came in, and the round's seed."""

    draw_id: int
    round_no: int
    entity_id: int
    removed_inspector_id: int
    chosen_inspector_id: int
    chosen_name: str
    seed_hex: str


def _stored_record(draw: Draw) -> dict[str, Any]:
    if draw.status not in (DrawStatus.FINISHED.value, DrawStatus.VOIDED.value) or not draw.record_json:
        raise DrawStateError(f"第{draw.attempt_no}次抽取尚未完成，没有摇号记录")
    if hashlib.sha256(draw.record_json.encode("utf-8")).hexdigest() != draw.record_sha256:
        raise RecordIntegrityError(f"摇号记录 {draw.draw_uid} 与保存时的 SHA-256 不符，记录可能被改动")
    return load_record(draw.record_json)


def _id_maps(draw: Draw) -> tuple[dict[int, str], dict[str, int]]:
    """Inspector database id ↔ SJDRAW-1 id, as fixed when the draw was prepared."""
    to_record: dict[int, str] = {}
    for dept in draw.pool_summary.get("departments", []):
        for person in dept.get("eligible", []):
            to_record[int(person["inspector_id"])] = str(person["id"])
    return to_record, {record_id: db_id for db_id, record_id in to_record.items()}


def _object_id(session: Session, draw: Draw, record: dict[str, Any], entity_id: int) -> str:
    order = session.scalar(
        select(Assignment.order_no).where(Assignment.draw_id == draw.id, Assignment.entity_id == entity_id)
    )
    if order is None:
        raise ReplacementRefusedError("该检查对象不在本次抽中的对象中，无法递补")
    entry = record["draw"][order - 1]
    if entry["order"] != order:
        raise RecordIntegrityError(f"摇号记录 {draw.draw_uid} 与抽中结果的顺序号不符")
    return str(entry["id"])


def _witnesses_of(row: DrawReplacement) -> list[Witness]:
    return [Witness(str(w["name"]), tuple(w["values"])) for w in row.witness]


def _replay(session: Session, draw: Draw, record: dict[str, Any]) -> dict[str, Any]:
    to_record, to_db = _id_maps(draw)
    rounds = session.scalars(
        select(DrawReplacement).where(DrawReplacement.draw_id == draw.id).order_by(DrawReplacement.round_no)
    ).all()
    for expected_round, row in enumerate(rounds, start=1):
        if row.round_no != expected_round:
            raise RecordIntegrityError(
                f"摇号记录 {draw.draw_uid} 的递补轮次不连续（缺少第{expected_round}轮）"
            )
        try:
            record = replace(
                record,
                _object_id(session, draw, record, row.entity_id),
                to_record[row.removed_inspector_id],
                row.reason,
                _witnesses_of(row),
            )
        except (DrawError, KeyError) as exc:
            raise RecordIntegrityError(f"第{row.round_no}轮递补无法重算：{exc}") from None
        step = record["replacements"][-1]
        if step["seed"] != row.seed_hex or to_db.get(step["chosen"]) != row.chosen_inspector_id:
            raise RecordIntegrityError(f"第{row.round_no}轮递补的保存结果与重算结果不符，记录可能被改动")
    return record


def current_record(session: Session, draw_id: int) -> dict[str, Any]:
    """The full current SJDRAW-1 record: the stored record with every replacement round replayed.

    Raises :class:`RecordIntegrityError` if the stored record or a replacement row does not match.
    """
    draw = get_draw(session, draw_id)
    return _replay(session, draw, _stored_record(draw))


def export_record(session: Session, draw_id: int, folder: str | Path) -> Path:
    """Write the current record to ``<folder>/<任务编号>-第N次-<摇号编号>.json`` and return the path.

    The file verifies with ``python -m app verify``. A voided draw's export says so in its ``meta``.
    """
    draw = get_draw(session, draw_id)
    record = current_record(session, draw_id)
    if draw.status == DrawStatus.VOIDED.value:
        meta = dict(record.get("meta") or {})
        meta["voided"] = {"at": local_text(draw.voided_at), "reason": draw.void_reason}
        record["meta"] = meta
    target = Path(folder) / f"{draw.task.code}-第{draw.attempt_no}次-{draw.draw_uid}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(dump_record(record))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, target)
    return target


def replace_inspector(
    session: Session,
    draw_id: int,
    entity_id: int,
    inspector_id: int,
    reason: str,
    witness: WitnessLike | Sequence[WitnessLike],
) -> ReplacementOutcome:
    """递补: replace an inspector who withdraws from a drawn object (回避, illness …), with fresh witness
    numbers, by SJDRAW-1 §7. Stores a DrawReplacement row; the withdrawn inspector's row becomes inactive
    and the chosen one gets a new row with ``replacement_round``. The stored record is not touched."""
    reason = one_line(reason)
    if not reason:
        raise EmptyReasonError("递补必须填写原因")
    entries = _witness_entries(witness)
    with unit_of_work(session):
        draw = get_draw(session, draw_id)
        if draw.status != DrawStatus.FINISHED.value:
            raise DrawStateError(f"第{draw.attempt_no}次抽取当前为“{draw.status}”，只有已完成的抽取可以递补")
        record = current_record(session, draw_id)
        object_id = _object_id(session, draw, record, entity_id)
        to_record, to_db = _id_maps(draw)
        assignment_id = session.scalar(
            select(Assignment.id).where(Assignment.draw_id == draw.id, Assignment.entity_id == entity_id)
        )
        removed_row = session.scalar(
            select(AssignmentInspector).where(
                AssignmentInspector.assignment_id == assignment_id,
                AssignmentInspector.inspector_id == inspector_id,
                AssignmentInspector.active.is_(True),
            )
        )
        if removed_row is None or inspector_id not in to_record:
            raise ReplacementRefusedError("该检查人员当前未被分配到这个检查对象，无法递补")
        try:
            updated = replace(record, object_id, to_record[inspector_id], reason, engine_witnesses(entries))
        except RecordError as exc:
            raise RecordIntegrityError(exc.message) from None
        except DrawError as exc:
            raise ReplacementRefusedError(exc.message) from None
        step = updated["replacements"][-1]
        chosen_id = to_db[step["chosen"]]
        round_no = int(step["round"])
        session.add(
            DrawReplacement(
                draw_id=draw.id,
                round_no=round_no,
                entity_id=entity_id,
                removed_inspector_id=inspector_id,
                chosen_inspector_id=chosen_id,
                reason=reason,
                witness=[w.to_json() for w in entries],
                seed_hex=step["seed"],
                created_at=utcnow(),
            )
        )
        removed_row.active = False
        assert assignment_id is not None
        session.add(
            AssignmentInspector(
                assignment_id=assignment_id,
                inspector_id=chosen_id,
                group=step["group"],
                active=True,
                replacement_round=round_no,
                cap_relaxed=False,
            )
        )
        session.flush()
        chosen = session.get(Inspector, chosen_id)
    return ReplacementOutcome(
        draw.id, round_no, entity_id, inspector_id, chosen_id, chosen.name if chosen else "", step["seed"]
    )


def _witness_entries(witness: WitnessLike | Sequence[WitnessLike]) -> list[WitnessInput]:
    if isinstance(witness, WitnessInput) or (
        isinstance(witness, tuple) and len(witness) == 3 and isinstance(witness[0], str)
    ):
        return clean_witnesses([witness])
    return clean_witnesses(list(witness))
