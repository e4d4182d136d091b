"""The audit chain: append entries and compute each entry's HMAC.

Each entry's ``hmac`` is HMAC-SHA256, under the installation key, of the entry's content and the previous
entry's ``hmac``; ids run 1, 2, 3 … without gaps. The one-row ``audit_head`` holds the last id and hmac with its
own MAC, so cutting entries off the end shows too. Appending updates the head first, which takes the
database's write lock and keeps two writers from forking the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, select, update

from app.audit.keys import AuditKey
from db.models import AuditEntry, AuditHead

__all__ = ["Entry", "append", "entry_mac", "head_mac", "plain", "canonical_digest"]

_TEXT_LIMIT = 500


@dataclass(frozen=True)
class Entry:
    """An audit entry before it is written."""

    action: str
    object_type: str = ""
    object_id: str = ""
    summary: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    username: str = ""
    user_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def plain(value: Any, *, limit: int | None = _TEXT_LIMIT) -> Any:
    """A JSON-native copy of ``value`` (dates as ISO text, long text cut) so it hashes the same after a
    round trip through the database."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v, limit=limit) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [plain(v, limit=limit) for v in items]
    text = str(value)
    if limit is not None and len(text) > limit:
        return text[:limit] + f"…（共 {len(text)} 字）"
    return text


def canonical_digest(value: Any) -> str:
    """sha256 of ``value`` as canonical JSON (nothing cut).

    The C encoder walks the value; only what JSON lacks (times, decimals, sets) goes through :func:`plain`.
    A finished draw's thousands of drawn objects hash in a few milliseconds this way.
    """
    text = json.dumps(
        value,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=lambda v: plain(v, limit=None),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_mac(secret: bytes, row: Mapping[str, Any]) -> str:
    """The HMAC of one stored entry (a mapping with the audit_entry columns)."""
    payload = [
        "SJAUDIT-1",
        row["id"],
        plain(row["at"]),
        row["user_id"],
        row["username"],
        row["action"],
        row["object_type"],
        row["object_id"],
        row["summary"],
        plain(row["before"], limit=None),
        plain(row["after"], limit=None),
        row["key_id"],
        row["prev_hmac"],
    ]
    message = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def head_mac(secret: bytes, last_id: int, last_hmac: str) -> str:
    return hmac.new(secret, f"SJAUDIT-HEAD|{last_id}|{last_hmac}".encode(), hashlib.sha256).hexdigest()


def append(connection: Connection, key: AuditKey, entries: Sequence[Entry], at: dt.datetime) -> int:
    """Append ``entries`` in order inside the connection's transaction; returns the last id written."""
    if not entries:
        return 0
    head = cast(Table, AuditHead.__table__)
    # Take the write lock before reading the head: no other writer can append between read and write.
    touched = connection.execute(update(head).where(head.c.id == 1).values(last_id=head.c.last_id))
    if touched.rowcount != 1:
        connection.execute(
            insert(head).values(id=1, last_id=0, last_hmac="", head_mac="", legacy_pending=False)
        )
    last_id, last_hmac = connection.execute(
        select(head.c.last_id, head.c.last_hmac).where(head.c.id == 1)
    ).one()
    rows = []
    for entry in entries:
        last_id += 1
        row = {
            "id": last_id,
            "at": at,
            "user_id": entry.user_id,
            "username": entry.username,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "summary": entry.summary,
            "before": plain(dict(entry.before)) if entry.before is not None else None,
            "after": plain(dict(entry.after)) if entry.after is not None else None,
            "key_id": key.key_id,
            "prev_hmac": last_hmac,
        }
        row["hmac"] = last_hmac = entry_mac(key.secret, row)
        rows.append(row)
    connection.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    connection.execute(
        update(head)
        .where(head.c.id == 1)
        .values(last_id=last_id, last_hmac=last_hmac, head_mac=head_mac(key.secret, last_id, last_hmac))
    )
    return last_id
