"""The draw (摇号) of a task, step by step, each step its own transaction (SJDRAW-1 §3, §8):

1. :func:`prepare_draw` — attempt N, status 已准备, with everything shown before the commitment;
2. :func:`commit_draw` — a fresh nonce; only ``H(nonce)`` is stored (已承诺); the nonce is returned and lives
   only in the caller's memory until the reveal. If the program dies now, the attempt can only be voided;
3. :func:`finish_draw` — witnesses' numbers and the nonce in, the SJDRAW-1 record stored verbatim with its
   assignments (已完成), the task 已抽取;
4. :func:`void_draw` — any attempt, with a reason; never deleted; the next attempt's record names it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.draw import DrawError, PreparedDraw, commitment, dump_record, execute, new_nonce
from app.faults import crash_point
from app.tasks.common import check_text, get_draw, get_task, one_line, unit_of_work
from app.tasks.errors import (
    AlreadyDrawnError,
    DrawStateError,
    EmptyReasonError,
    InfeasibleTaskDrawError,
    InputsChangedError,
    NonceMismatchError,
    OpenAttemptError,
)
from app.tasks.pool import PoolContext, resolve_context
from app.tasks.preview import DrawPreview, build_preview
from app.tasks.results import attempt_note, build_meta, earlier_voids, store_assignments
from app.tasks.tasks import task_definition
from app.tasks.witnesses import WitnessLike, clean_witnesses, engine_witnesses
from db.base import utcnow
from db.enums import DrawStatus, TaskStatus
from db.models import Draw, DrawReplacement, DrawWitness


@dataclass(frozen=True)
class PreparedTaskDraw:
    """A prepared attempt: its ids and the preview (pool, inspectors, hashes) to project and print."""

    draw_id: int
    draw_uid: str
    """The SJDRAW-1 ``draw_id`` (e.g. ``SJD-20260315-9F3A2B1C``)."""
    attempt_no: int
    attempt_note: str
    """``第2次抽取；第1次作废，原因：…`` — for the title screen; the record's meta carries the same line."""
    preview: DrawPreview

    @property
    def prepared(self) -> PreparedDraw:
        """The engine's prepared draw (canonical inputs, hashes, feasibility)."""
        return self.preview.prepared

    @property
    def hashes(self) -> dict[str, str]:
        """The four input hashes shown before the commitment."""
        return self.preview.hashes

    def summary_lines(self) -> list[str]:
        """Chinese lines to project before the commitment."""
        return [f"摇号编号：{self.draw_uid}", self.attempt_note, *self.preview.summary_lines()]


@dataclass(frozen=True)
class DrawCommitment:
    """The commitment to project (``commit_hex``) and the nonce to keep in memory until the reveal."""

    draw_id: int
    commit_hex: str
    nonce: bytes = field(repr=False)


@dataclass(frozen=True)
class FinishedDraw:
    """A finished draw: the stored record (dict, with ``meta``), its SHA-256 and the seed."""

    draw_id: int
    draw_uid: str
    attempt_no: int
    seed_hex: str
    record_sha256: str
    record: dict[str, Any]


@dataclass(frozen=True)
class DrawAttempt:
    """One line of a task's draw history."""

    draw_id: int
    attempt_no: int
    draw_uid: str
    status: str
    place: str
    operator_name: str
    prepared_at: dt.datetime
    finished_at: dt.datetime | None
    voided_at: dt.datetime | None
    void_reason: str
    commit_hex: str
    record_sha256: str
    sample_size: int
    replacements: int


def _new_draw_uid(session: Session, today: dt.date, given: str | None = None) -> str:
    if given is not None:
        uid = check_text(given, "摇号编号", 100)
        if session.scalar(select(Draw.id).where(Draw.draw_uid == uid)) is not None:
            raise DrawStateError(f"摇号编号 {uid} 已被使用")
        return uid
    while True:
        uid = f"SJD-{today:%Y%m%d}-{secrets.token_hex(4).upper()}"
        if session.scalar(select(Draw.id).where(Draw.draw_uid == uid)) is None:
            return uid


def prepare_draw(
    session: Session,
    task_id: int,
    operator_name: str,
    place: str,
    *,
    operator_id: int | None = None,
    today: dt.date | None = None,
    draw_uid: str | None = None,
    at: dt.datetime | None = None,
) -> PreparedTaskDraw:
    """Create draw attempt N (已准备) with its pool summary; refuse when the task already has a finished
    draw (:class:`AlreadyDrawnError`), an open attempt (:class:`OpenAttemptError`) or the draw cannot run
    (:class:`InfeasibleTaskDrawError`, nothing written). ``today`` is the inspection date when the task has
    no planned date (default: today).

    ``draw_uid`` and ``at`` (the 准备 time, aware) are for generated demonstration data (:mod:`app.demo`),
    which replays a year on its own calendar and must be reproducible; the draw console never passes them."""
    operator_name = check_text(operator_name, "抽取人", 50)
    place = check_text(place, "抽取地点", 200)
    with unit_of_work(session):
        task = get_task(session, task_id)
        for earlier in session.scalars(select(Draw).where(Draw.task_id == task_id).order_by(Draw.attempt_no)):
            if earlier.status == DrawStatus.FINISHED.value:
                raise AlreadyDrawnError(
                    f"任务 {task.code} 已完成第{earlier.attempt_no}次抽取；如需重新抽取，须先作废该次抽取并说明原因"
                )
            if earlier.status in (DrawStatus.PREPARED.value, DrawStatus.COMMITTED.value):
                raise OpenAttemptError(
                    f"任务 {task.code} 的第{earlier.attempt_no}次抽取{earlier.status}但未完成，须先作废并说明原因"
                )
        definition = task_definition(session, task_id)
        context = resolve_context(session, definition, today)
        preview = build_preview(session, definition, context)
        if not preview.feasible:
            raise InfeasibleTaskDrawError(preview.problems)
        attempt_no = (
            session.scalar(select(func.max(Draw.attempt_no)).where(Draw.task_id == task_id)) or 0
        ) + 1
        draw = Draw(
            task_id=task_id,
            attempt_no=attempt_no,
            draw_uid=_new_draw_uid(session, today or dt.date.today(), draw_uid),
            status=DrawStatus.PREPARED.value,
            place=place,
            operator_id=operator_id,
            operator_name=operator_name,
            prepared_at=at or utcnow(),
        )
        draw.pool_summary = {"draw_uid": draw.draw_uid, "attempt_no": attempt_no, **preview.to_json()}
        session.add(draw)
        try:
            session.flush()
        except IntegrityError:
            # Another PC prepared an attempt of this task at the same moment (task, attempt_no is unique).
            raise OpenAttemptError(f"任务 {task.code} 正在另一处准备摇号，请刷新后再试") from None
        note = attempt_note(attempt_no, earlier_voids(session, draw))
    return PreparedTaskDraw(draw.id, draw.draw_uid, attempt_no, note, preview)


def _require(draw: Draw, *allowed: DrawStatus) -> None:
    if draw.status not in {s.value for s in allowed}:
        wanted = "、".join(s.value for s in allowed)
        raise DrawStateError(f"第{draw.attempt_no}次抽取当前为“{draw.status}”，此操作只能在“{wanted}”时进行")


def commit_draw(session: Session, draw_id: int, *, nonce: bytes | None = None) -> DrawCommitment:
    """Make the nonce, store only ``H(nonce)`` (status 已承诺) and return both; keep the nonce in memory
    and pass it to :func:`finish_draw` after the witnesses have spoken.

    ``nonce`` (32 bytes) is only for reproducible demonstration data (:mod:`app.demo`); a real draw always
    takes a fresh one from the OS (the console never passes it)."""
    if nonce is not None and len(nonce) != 32:
        raise DrawStateError("nonce 应为 32 字节")
    with unit_of_work(session):
        draw = get_draw(session, draw_id)
        _require(draw, DrawStatus.PREPARED)
        nonce = new_nonce() if nonce is None else bytes(nonce)
        # Conditional on the state just read: two windows committing the same attempt cannot both succeed.
        changed = cast(
            CursorResult[Any],
            session.execute(
                update(Draw)
                .where(Draw.id == draw_id, Draw.status == DrawStatus.PREPARED.value)
                .values(commit_hex=commitment(nonce), status=DrawStatus.COMMITTED.value)
            ),
        )
        if changed.rowcount != 1:
            raise DrawStateError(f"第{draw.attempt_no}次抽取已在别处生成承诺值")
        session.refresh(draw)
    return DrawCommitment(draw.id, draw.commit_hex, nonce)


def _nonce_bytes(nonce: bytes | str) -> bytes:
    if isinstance(nonce, bytes):
        return nonce
    try:
        return bytes.fromhex(nonce)
    except ValueError:
        raise NonceMismatchError("nonce 不是十六进制文本") from None


def finish_draw(
    session: Session,
    draw_id: int,
    nonce: bytes | str,
    witnesses: Sequence[WitnessLike],
    *,
    prepared: PreparedTaskDraw | None = None,
    at: dt.datetime | None = None,
) -> FinishedDraw:
    """Reveal and draw: check ``H(nonce)`` against the stored commitment, run SJDRAW-1, store the record
    verbatim with its SHA-256, seed, witnesses and assignments; the task becomes 已抽取.

    ``prepared`` (the handle :func:`prepare_draw` returned) saves rebuilding the inputs; without it they are
    rebuilt from the database and must hash exactly as printed, else :class:`InputsChangedError`.
    All or nothing: on any error nothing is written and the attempt stays 已承诺.
    ``at`` (the finishing time, aware; default now) is for generated demonstration data only.
    """
    with unit_of_work(session):
        draw = get_draw(session, draw_id)
        _require(draw, DrawStatus.COMMITTED)
        key = _nonce_bytes(nonce)
        if commitment(key) != draw.commit_hex:
            raise NonceMismatchError("nonce 与摇号前公布的承诺值不符，不能完成抽取")
        entries = clean_witnesses(witnesses)
        stored: dict[str, Any] = draw.pool_summary
        if prepared is not None and prepared.draw_id == draw.id:
            preview = prepared.preview
        else:
            definition = task_definition(session, draw.task_id)
            preview = build_preview(session, definition, PoolContext.from_json(stored["context"]))
        if preview.hashes != stored["hashes"] or preview.prepared.params_text != stored["params_text"]:
            raise InputsChangedError(
                "检查对象、检查人员或回避关系在准备摇号后发生了变化，与公布的哈希值不符；"
                "请作废本次抽取并重新准备"
            )
        try:
            record = execute(preview.prepared, draw.draw_uid, key, engine_witnesses(entries))
        except DrawError as exc:
            raise InfeasibleTaskDrawError([exc.message]) from None
        finished_at = at or utcnow()
        record["meta"] = build_meta(session, draw, preview, entries, finished_at)
        text = dump_record(record)
        draw.record_json = text
        draw.record_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        draw.seed_hex = record["seed"]
        draw.status = DrawStatus.FINISHED.value
        draw.finished_at = finished_at
        session.add_all(
            DrawWitness(
                draw_id=draw.id, seq=seq, name=w.name, affiliation=w.affiliation, values_text=w.values_text()
            )
            for seq, w in enumerate(entries, start=1)
        )
        store_assignments(session, draw, record, preview.entity_ids, preview.inspector_ids)
        draw.task.status = TaskStatus.DRAWN.value
        session.flush()
        crash_point("draw.finish.before_commit")  # record, witnesses and assignments written, not committed
    return FinishedDraw(draw.id, draw.draw_uid, draw.attempt_no, draw.seed_hex, draw.record_sha256, record)


def void_draw(session: Session, draw_id: int, reason: str, *, at: dt.datetime | None = None) -> DrawAttempt:
    """Void (作废) an attempt with a non-empty reason; nothing is deleted. Voiding a finished draw puts the
    task back to 待抽取 (refused once inspections have started); the next attempt's record names the void.
    ``at`` (aware; default now) is for generated demonstration data only."""
    reason = one_line(reason)
    if not reason:
        raise EmptyReasonError("作废摇号必须填写原因")
    with unit_of_work(session):
        draw = get_draw(session, draw_id)
        _require(draw, DrawStatus.PREPARED, DrawStatus.COMMITTED, DrawStatus.FINISHED)
        if draw.status == DrawStatus.FINISHED.value:
            task = draw.task
            if task.status != TaskStatus.DRAWN.value:
                raise DrawStateError(f"任务 {task.code} 已进入“{task.status}”阶段，不能再作废抽取结果")
            task.status = TaskStatus.PENDING_DRAW.value
        draw.status = DrawStatus.VOIDED.value
        draw.voided_at = at or utcnow()
        draw.void_reason = reason
        session.flush()
    return _attempt(session, draw)


def _attempt(session: Session, draw: Draw) -> DrawAttempt:
    replacements = session.scalar(
        select(func.count()).select_from(DrawReplacement).where(DrawReplacement.draw_id == draw.id)
    )
    return DrawAttempt(
        draw_id=draw.id,
        attempt_no=draw.attempt_no,
        draw_uid=draw.draw_uid,
        status=draw.status,
        place=draw.place,
        operator_name=draw.operator_name,
        prepared_at=draw.prepared_at,
        finished_at=draw.finished_at,
        voided_at=draw.voided_at,
        void_reason=draw.void_reason,
        commit_hex=draw.commit_hex,
        record_sha256=draw.record_sha256,
        sample_size=int((draw.pool_summary or {}).get("pool", {}).get("sample_size", 0)),
        replacements=int(replacements or 0),
    )


def draw_history(session: Session, task_id: int) -> list[DrawAttempt]:
    """Every attempt of a task, in order, with status, times and void reasons."""
    get_task(session, task_id)
    draws = session.scalars(select(Draw).where(Draw.task_id == task_id).order_by(Draw.attempt_no))
    return [_attempt(session, draw) for draw in draws]
