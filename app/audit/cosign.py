"""复核签名: a 监督员 (or 管理员) checks a finished draw and signs that it is right.

The check is the same a deputy could do by hand with the standalone verifier: the stored record replays
(every 递补 round included) and verifies under SJDRAW-1, and the draw is as sealed in the audit trail. The
signature is an audit entry naming the signer and the record's SHA-256; it changes nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import protected
from app.audit.recorder import SEAL_ACTION, record_event
from app.auth.roles import Permission, require
from app.draw import Outcome, verify_record
from app.errors import UserFacingError
from app.tasks.errors import RecordIntegrityError
from app.tasks.records import current_record
from db.models import AuditEntry, Draw

__all__ = ["COSIGN_ACTION", "CoSignature", "CosignRefused", "cosign_draw", "cosignatures"]

COSIGN_ACTION = "复核签名"


class CosignRefused(UserFacingError, ValueError):
    """The draw does not check out, so it cannot be signed; message_zh says what is wrong."""


@dataclass(frozen=True)
class CoSignature:
    username: str
    at: dt.datetime
    record_sha256: str


def _check(session: Session, draw: Draw) -> None:
    try:
        record = current_record(session, draw.id)
    except RecordIntegrityError as exc:
        raise CosignRefused(f"抽取记录与数据库不一致：{exc}") from None
    result = verify_record(record)
    if result.outcome != Outcome.VERIFIED:
        raise CosignRefused(f"抽取记录未通过 SJDRAW-1 核验：{result.problem or '重算结果与记录不符'}")
    sealed = session.scalar(
        select(AuditEntry.after)
        .where(
            AuditEntry.action == SEAL_ACTION,
            AuditEntry.object_type == protected.DRAW,
            AuditEntry.object_id == str(draw.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    now = protected.digest(session.connection(), protected.DRAW, draw.id)
    if not isinstance(sealed, dict) or sealed.get("digest") != now:
        raise CosignRefused("该次抽取与审计日志中的封存摘要不一致，可能被绕过程序改动，请先核验审计日志")


def cosign_draw(session: Session, draw_id: int, note: str = "") -> CoSignature:
    """Check the finished draw and record the signature (the caller commits). CosignRefused if it fails."""
    actor = require(session, Permission.COSIGN, "复核签名")
    draw = session.get(Draw, draw_id)
    if draw is None or not draw.record_json or draw.finished_at is None:
        raise CosignRefused("只能对已完成的抽取复核签名")
    _check(session, draw)
    text = f"复核并签名：第{draw.attempt_no}次抽取经 SJDRAW-1 重算核验一致，记录 SHA-256 {draw.record_sha256[:16]}…"
    if note.strip():
        text += f"；意见：{note.strip()[:200]}"
    record_event(
        session, COSIGN_ACTION, protected.DRAW, draw.id, text, after={"record_sha256": draw.record_sha256}
    )
    return CoSignature(actor.label, dt.datetime.now(dt.UTC), draw.record_sha256)


def cosignatures(session: Session, draw_id: int) -> list[CoSignature]:
    """Who has co-signed the draw, oldest first."""
    rows = session.execute(
        select(AuditEntry.username, AuditEntry.at, AuditEntry.after)
        .where(
            AuditEntry.action == COSIGN_ACTION,
            AuditEntry.object_type == protected.DRAW,
            AuditEntry.object_id == str(draw_id),
        )
        .order_by(AuditEntry.id)
    ).all()
    return [CoSignature(name, at, (after or {}).get("record_sha256", "")) for name, at, after in rows]
