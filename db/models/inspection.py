"""检查 records (执法检查登记表, 一次一档) and 公示 publications."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin
from db.models.registry import ChecklistRow, Entity, Inspector
from db.models.task import Assignment, InspectionTask


class Inspection(TimestampMixin, Base):
    """The inspection of one drawn object in one task: the content of its 执法检查登记表."""

    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), unique=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_task.id"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    doc_no: Mapped[str | None] = mapped_column(
        String(100), unique=True
    )  # 文书编号 〔2026〕示市监检字第0007号
    archive_no: Mapped[str | None] = mapped_column(String(100), unique=True)  # 档案号 (一次一档)
    inspection_date: Mapped[dt.date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20), default="")  # InspectionMethod
    result: Mapped[str] = mapped_column(String(40), default="")  # InspectionResult
    follow_up: Mapped[str] = mapped_column(String(20), default="")  # FollowUp
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="草稿")  # InspectionStatus
    filed_at: Mapped[dt.datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    assignment: Mapped[Assignment] = relationship()
    task: Mapped[InspectionTask] = relationship()
    entity: Mapped[Entity] = relationship()
    findings: Mapped[list[InspectionFinding]] = relationship(
        order_by="InspectionFinding.seq", cascade="all, delete-orphan"
    )
    inspectors: Mapped[list[InspectionInspector]] = relationship(cascade="all, delete-orphan")


class InspectionFinding(Base):
    """One checklist row of a form: 检查内容 / 发现问题 / 处置情况."""

    __tablename__ = "inspection_finding"
    __table_args__ = (UniqueConstraint("inspection_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    checklist_row_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_row.id"))
    content: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str] = mapped_column(Text, default="")

    checklist_row: Mapped[ChecklistRow | None] = relationship()


class InspectionInspector(Base):
    """An inspector present at the inspection (only assigned ones or recorded replacements)."""

    __tablename__ = "inspection_inspector"
    __table_args__ = (UniqueConstraint("inspection_id", "inspector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"))

    inspector: Mapped[Inspector] = relationship()


class Publication(Base):
    """公示 of a finished task's results."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_task.id"), index=True)
    published_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(100), default="")  # 门户网站 / 国家企业信用信息公示系统
    file_name: Mapped[str] = mapped_column(String(300), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column()
