"""Organisation: departments, users, settings, document-number counters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, JSONText, TimestampMixin


class Department(TimestampMixin, Base):
    """部门: a law-enforcement department of the county (市场监管局, 卫健局 …)."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # 简称, used in document numbers such as 〔2026〕示市监检字第0007号.
    short_name: Mapped[str] = mapped_column(String(20), default="")
    # 市场监管领域 or not: the statistics tables split the two.
    is_market_regulation: Mapped[bool] = mapped_column(default=False)
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)


class User(TimestampMixin, Base):
    """A person who signs in. Role is one of UserRole."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    last_login_at: Mapped[dt.datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)  # after a reset by the administrator

    department: Mapped[Department | None] = relationship()


class Setting(Base):
    """Key/value settings (bureau name, deadlines, document-number patterns …); value is JSON."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[object] = mapped_column(JSONText)


class DocumentCounter(Base):
    """Next serial number per document series and year (e.g. 检查文书, 档案号)."""

    __tablename__ = "document_counter"
    __table_args__ = (UniqueConstraint("series", "year", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    next_value: Mapped[int] = mapped_column(default=1)
