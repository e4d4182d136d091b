"""Audit trail (append-only, HMAC-chained) and the working-day calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONText


class AuditEntry(Base):
    """One audited action. Each row's hmac covers its content and the previous row's hmac (a chain)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)  # create / update / archive / import / draw …
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    prev_hmac: Mapped[str] = mapped_column(String(64), default="")
    hmac: Mapped[str] = mapped_column(String(64), default="")
    key_id: Mapped[str] = mapped_column(String(16), default="")  # which installation key signed it


class AuditHead(Base):
    """The chain's end, one row: appending updates it first (serialising writers), and head_mac, signed with
    the installation key, lets verification notice rows cut off the end of the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    last_id: Mapped[int] = mapped_column(default=0)
    last_hmac: Mapped[str] = mapped_column(String(64), default="")
    head_mac: Mapped[str] = mapped_column(String(64), default="")
    legacy_pending: Mapped[bool] = mapped_column(default=False)  # records from before the audit trail to seal


class CalendarDay(Base):
    """An exception to the Monday–Friday week: a 法定节假日 (休) or a 调休 make-up working day (班)."""

    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(2))  # CalendarDayKind
    name: Mapped[str] = mapped_column(String(50), default="")  # 春节, 国庆节 …
    source: Mapped[str] = mapped_column(String(50), default="")  # bundled / user
