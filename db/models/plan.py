"""年度抽查计划: one plan per department per year, its rows, and every recorded version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, JSONText, TimestampMixin
from db.models.org import Department
from db.models.registry import InspectionItem


class AnnualPlan(TimestampMixin, Base):
    """《XX年度行政执法检查计划表》 of one department. After 备案 every change is a PlanRevision (调整)."""

    __tablename__ = "annual_plan"
    __table_args__ = (UniqueConstraint("department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    year: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="草稿")  # PlanStatus
    submitted_at: Mapped[dt.datetime | None] = mapped_column()
    filed_at: Mapped[dt.datetime | None] = mapped_column()
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    current_revision: Mapped[int] = mapped_column(default=0)
    remarks: Mapped[str] = mapped_column(Text, default="")

    department: Mapped[Department] = relationship()
    rows: Mapped[list[PlanRow]] = relationship(
        back_populates="plan", order_by="PlanRow.seq", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PlanRevision]] = relationship(order_by="PlanRevision.revision_no")


class PlanRow(TimestampMixin, Base):
    """One row of the plan table: an item, its scope, how many, when, how."""

    __tablename__ = "plan_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_item.id"))
    scope_text: Mapped[str] = mapped_column(Text, default="")  # 检查对象范围 as written
    # Machine-readable 定向 filter over the entity registry (kinds, industries, towns …); {} = 不定向.
    scope_filter: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    base_count: Mapped[int | None] = (
        mapped_column()
    )  # 基数 at the time of writing (recomputed live in the UI)
    ratio: Mapped[str] = mapped_column(String(20), default="")  # 比例 as an exact decimal, e.g. "0.05"
    quantity: Mapped[int | None] = mapped_column()  # 数量, when fixed instead of a ratio
    planned_count: Mapped[int | None] = mapped_column()  # 计划抽查数
    content: Mapped[str] = mapped_column(Text, default="")  # 检查内容
    basis: Mapped[str] = mapped_column(Text, default="")  # 检查依据
    planned_month: Mapped[int | None] = mapped_column()  # 计划月份 1..12
    method: Mapped[str] = mapped_column(String(100), default="")  # 检查方式
    frequency_cap: Mapped[int | None] = mapped_column()  # 频次上限 per object per year
    remarks: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[AnnualPlan] = relationship(back_populates="rows")
    item: Mapped[InspectionItem] = relationship()
    joint_departments: Mapped[list[PlanRowDepartment]] = relationship(cascade="all, delete-orphan")


class PlanRowDepartment(Base):
    """联合部门 of a plan row."""

    __tablename__ = "plan_row_department"
    __table_args__ = (UniqueConstraint("plan_row_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_row_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))

    department: Mapped[Department] = relationship()


class PlanRevision(Base):
    """A recorded version of a plan (报审, 备案, 调整): the whole plan as JSON, who, when, why. Never edited."""

    __tablename__ = "plan_revision"
    __table_args__ = (UniqueConstraint("plan_id", "revision_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"))
    revision_no: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(8))  # RevisionKind
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONText)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    changed_by_name: Mapped[str] = mapped_column(String(50), default="")
    changed_at: Mapped[dt.datetime] = mapped_column()
