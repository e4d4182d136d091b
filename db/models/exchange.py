"""来自其他部门: 数据包 received from other departments' PCs (SJPKG-1), kept read-only.

Rows are only ever added (triggers in db/protection.py refuse UPDATE and DELETE); the one change allowed is
setting ``superseded_by_id`` once, when a newer package of the same sender and period arrives. The manifest,
signature, facts and records are kept as the exact text received, so they can be verified again later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONText


class ReceivedPackage(Base):
    """One imported 数据包: who sent it, for which period, and its verified content."""

    __tablename__ = "received_package"
    __table_args__ = (
        Index("ix_received_package_sender_period", "sender_code", "period_start", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(
        String(64), unique=True
    )  # the whole file: a re-import is a duplicate
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_size: Mapped[int] = mapped_column(default=0)
    sender_code: Mapped[str] = mapped_column(String(32))  # department code, the sender's identity
    sender_name: Mapped[str] = mapped_column(String(100))
    bureau_name: Mapped[str] = mapped_column(String(100), default="")
    county_name: Mapped[str] = mapped_column(String(100), default="")
    key_fingerprint: Mapped[str] = mapped_column(String(80))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column()  # when the sender exported it (its manifest)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    program_version: Mapped[str] = mapped_column(String(40), default="")
    imported_at: Mapped[dt.datetime] = mapped_column()
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    counts: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    manifest_json: Mapped[str] = mapped_column(Text)  # verbatim manifest.json (what the signature covers)
    signature_json: Mapped[str] = mapped_column(Text)  # verbatim signature.json
    facts_json: Mapped[str] = mapped_column(Text)  # verbatim facts.json
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("received_package.id"))


class ReceivedRecord(Base):
    """The SJDRAW-1 record of a draw in a received package, verbatim (verified on import)."""

    __tablename__ = "received_record"
    __table_args__ = (UniqueConstraint("package_id", "draw_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("received_package.id"), index=True)
    draw_uid: Mapped[str] = mapped_column(String(100), index=True)
    record_json: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))


class SenderKey(Base):
    """A signing key accepted for a sender (department code): the first one seen, then each change the clerk
    confirmed (e.g. the sender's PC was reinstalled). A package signed by any other key is refused."""

    __tablename__ = "sender_key"
    __table_args__ = (UniqueConstraint("sender_code", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_code: Mapped[str] = mapped_column(String(32), index=True)
    sender_name: Mapped[str] = mapped_column(String(100), default="")
    fingerprint: Mapped[str] = mapped_column(String(80))
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the raw Ed25519 key
    first_seen_at: Mapped[dt.datetime] = mapped_column()
    accepted_by: Mapped[str] = mapped_column(String(100), default="")
    replaced_fingerprint: Mapped[str] = mapped_column(String(80), default="")  # the key it replaced, if any
