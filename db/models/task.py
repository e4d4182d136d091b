"""抽查任务 and its draws (摇号): attempts, the verbatim SJDRAW-1 record, assignments, replacements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, JSONText, TimestampMixin
from db.models.org import Department
from db.models.registry import Entity, InspectionItem, Inspector


class InspectionTask(TimestampMixin, Base):
    """抽查任务: from a plan row or ad hoc (专项, 计划外)."""

    __tablename__ = "inspection_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column()
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))  # lead department
    plan_row_id: Mapped[int | None] = mapped_column(ForeignKey("plan_row.id"))
    is_unplanned: Mapped[bool] = mapped_column(default=False)  # 计划外 / 专项
    is_joint: Mapped[bool] = mapped_column(default=False)  # 联合抽查
    status: Mapped[str] = mapped_column(String(8), default="待抽取")  # TaskStatus
    planned_date: Mapped[dt.date | None] = mapped_column(Date)  # inspection date the 执法证 must cover
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    # Pool definition: 定向 filters ({} = 不定向), exclusions switched on, strata and inspector rules.
    pool_filter: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    exclusions: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    strata: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    cap: Mapped[str] = mapped_column(String(12), default="auto")  # SJDRAW-1 cap: auto | none | N
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    remarks: Mapped[str] = mapped_column(Text, default="")

    department: Mapped[Department] = relationship()
    items: Mapped[list[TaskItem]] = relationship(cascade="all, delete-orphan")
    departments: Mapped[list[TaskDepartment]] = relationship(cascade="all, delete-orphan")
    draws: Mapped[list[Draw]] = relationship(back_populates="task", order_by="Draw.attempt_no")


class TaskItem(Base):
    """An item inspected in a task (a joint task may cover several, 一次多查)."""

    __tablename__ = "task_item"
    __table_args__ = (UniqueConstraint("task_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_task.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_item.id"))

    item: Mapped[InspectionItem] = relationship()


class TaskDepartment(Base):
    """A department taking part in a task and how many of its inspectors go to each object (SJDRAW-1 k)."""

    __tablename__ = "task_department"
    __table_args__ = (UniqueConstraint("task_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_task.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    role: Mapped[str] = mapped_column(String(8), default="发起")  # DeptRole
    inspectors_per_object: Mapped[int] = mapped_column(default=2)

    department: Mapped[Department] = relationship()


class Draw(Base):
    """One draw attempt of a task. Attempts are never deleted; a finished one is immutable and can only be
    voided with a reason, which the next attempt's record carries."""

    __tablename__ = "draw"
    __table_args__ = (UniqueConstraint("task_id", "attempt_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_task.id"))
    attempt_no: Mapped[int] = mapped_column()
    draw_uid: Mapped[str] = mapped_column(String(100), unique=True)  # SJDRAW-1 draw_id
    status: Mapped[str] = mapped_column(String(8))  # DrawStatus
    place: Mapped[str] = mapped_column(String(200), default="")
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    operator_name: Mapped[str] = mapped_column(String(50), default="")
    # Pool statistics shown before the commitment: sizes, exclusion counts, strata and inclusion rates.
    pool_summary: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    commit_hex: Mapped[str] = mapped_column(String(64), default="")
    seed_hex: Mapped[str] = mapped_column(String(64), default="")
    record_json: Mapped[str] = mapped_column(Text, default="")  # the SJDRAW-1 record, verbatim
    record_sha256: Mapped[str] = mapped_column(String(64), default="")
    prepared_at: Mapped[dt.datetime] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    voided_at: Mapped[dt.datetime | None] = mapped_column()
    void_reason: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[InspectionTask] = relationship(back_populates="draws")
    witnesses: Mapped[list[DrawWitness]] = relationship(order_by="DrawWitness.seq")
    assignments: Mapped[list[Assignment]] = relationship(order_by="Assignment.order_no")


class DrawWitness(Base):
    """监督人 of a draw: who they are and the numbers they called out (also inside the record)."""

    __tablename__ = "draw_witness"
    __table_args__ = (UniqueConstraint("draw_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"))
    seq: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(50))
    affiliation: Mapped[str] = mapped_column(String(100), default="")  # 人大代表, 政协委员, 纪检监察 …
    values_text: Mapped[str] = mapped_column(String(200), default="")


class Assignment(Base):
    """抽中结果: a drawn object of a finished draw, in draw order."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("draw_id", "order_no"), UniqueConstraint("draw_id", "entity_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_task.id"), index=True)
    order_no: Mapped[int] = mapped_column()  # 抽中顺序号
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    stratum: Mapped[str] = mapped_column(String(50), default="")

    entity: Mapped[Entity] = relationship()
    inspectors: Mapped[list[AssignmentInspector]] = relationship(back_populates="assignment")


class AssignmentInspector(Base):
    """An inspector assigned to a drawn object; a withdrawn one stays with active=False (递补 history)."""

    __tablename__ = "assignment_inspector"
    __table_args__ = (UniqueConstraint("assignment_id", "inspector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"), index=True)
    group: Mapped[str] = mapped_column(String(100))  # department name as the SJDRAW-1 group
    active: Mapped[bool] = mapped_column(default=True)
    replacement_round: Mapped[int | None] = mapped_column()  # set when this inspector came in by 递补
    cap_relaxed: Mapped[bool] = mapped_column(default=False)

    assignment: Mapped[Assignment] = relationship(back_populates="inspectors")
    inspector: Mapped[Inspector] = relationship()


class DrawReplacement(Base):
    """递补 round: who withdrew, why, the fresh witness numbers and who came in."""

    __tablename__ = "draw_replacement"
    __table_args__ = (UniqueConstraint("draw_id", "round_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"))
    round_no: Mapped[int] = mapped_column()
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    removed_inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"))
    chosen_inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"))
    reason: Mapped[str] = mapped_column(Text)
    witness: Mapped[list[Any]] = mapped_column(JSONText, default=list)
    seed_hex: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column()
