"""两库一单: inspection items (随机抽查事项清单), entities (检查对象名录库), inspectors (执法检查人员名录库)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, JSONText, TimestampMixin
from db.models.org import Department


class InspectionItem(TimestampMixin, Base):
    """随机抽查事项: one row of a department's list or of the joint list (部门联合抽查事项)."""

    __tablename__ = "inspection_item"
    __table_args__ = (UniqueConstraint("code", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50))  # 编号
    list_kind: Mapped[str] = mapped_column(String(8))  # ItemListKind
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # 检查主体 (lead)
    domain: Mapped[str] = mapped_column(String(100), default="")  # 抽查领域 (joint list)
    category: Mapped[str] = mapped_column(String(100), default="")  # 抽查类别
    name: Mapped[str] = mapped_column(String(300))  # 抽查事项
    target_desc: Mapped[str] = mapped_column(Text, default="")  # 检查对象 as written in the list
    # Entity kinds the item applies to (EntityKind values); empty = any, for 排除 "objects outside the item".
    target_kinds: Mapped[list[str]] = mapped_column(JSONText, default=list)
    target_industries: Mapped[list[str]] = mapped_column(JSONText, default=list)
    item_class: Mapped[str] = mapped_column(String(8), default="一般")  # ItemClass
    methods: Mapped[str] = mapped_column(Text, default="")  # 检查方式
    subject: Mapped[str] = mapped_column(Text, default="")  # 检查主体 as written
    basis: Mapped[str] = mapped_column(Text, default="")  # 检查依据
    ratio_text: Mapped[str] = mapped_column(String(100), default="")  # 抽查比例 as written
    frequency_text: Mapped[str] = mapped_column(String(100), default="")  # 抽查频次 as written
    inspector_requirement: Mapped[str] = mapped_column(Text, default="")  # 检查人员要求
    # Qualification tags an inspector must hold (matched against InspectorQualification.tag).
    required_qualifications: Mapped[list[str]] = mapped_column(JSONText, default=list)
    key_points: Mapped[str] = mapped_column(Text, default="")  # 检查要点
    compiler: Mapped[str] = mapped_column(String(100), default="")  # 编制单位
    remarks: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # file it came from
    archived: Mapped[bool] = mapped_column(default=False)

    department: Mapped[Department | None] = relationship()
    checklist: Mapped[list[ChecklistRow]] = relationship(
        back_populates="item", order_by="ChecklistRow.seq", cascade="all, delete-orphan"
    )
    departments: Mapped[list[ItemDepartment]] = relationship(cascade="all, delete-orphan")


class ItemDepartment(Base):
    """Departments of a joint item: one 发起 and any number of 配合."""

    __tablename__ = "item_department"
    __table_args__ = (UniqueConstraint("item_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_item.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    role: Mapped[str] = mapped_column(String(8))  # DeptRole

    department: Mapped[Department] = relationship()


class ChecklistRow(Base):
    """一细则: one row of an item's checklist (检查内容), copied into every inspection record."""

    __tablename__ = "checklist_row"
    __table_args__ = (UniqueConstraint("item_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_item.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    content: Mapped[str] = mapped_column(Text)  # 检查内容
    guidance: Mapped[str] = mapped_column(Text, default="")  # 检查方法/要点

    item: Mapped[InspectionItem] = relationship(back_populates="checklist")


class Entity(TimestampMixin, Base):
    """检查对象: a market entity, organisation, product, project or behaviour in the registry."""

    __tablename__ = "entity"
    __table_args__ = (
        Index("ix_entity_name_address", "name", "address"),
        # Covers the registry page's default listing (live rows by name) without touching the table.
        Index("ix_entity_archived_name", "archived", "name"),
        Index("ix_entity_filters", "archived", "kind", "town", "risk_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    reg_no: Mapped[str | None] = mapped_column(String(30), index=True)  # 注册号 / registry code
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))  # EntityKind
    industry: Mapped[str] = mapped_column(String(100), default="")  # 行业
    town: Mapped[str] = mapped_column(String(50), default="")  # 乡镇/片区
    address: Mapped[str] = mapped_column(String(300), default="")
    legal_rep: Mapped[str] = mapped_column(String(50), default="")  # 法定代表人/负责人
    phone: Mapped[str] = mapped_column(String(50), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")  # 负责人身份证号 (shown masked)
    reg_status: Mapped[str] = mapped_column(String(8), default="存续")  # RegStatus
    established_on: Mapped[dt.date | None] = mapped_column(Date)
    risk_level: Mapped[str] = mapped_column(String(4), default="中")  # RiskLevel
    credit_class: Mapped[str] = mapped_column(String(4), default="B")  # CreditClass
    abnormal_list: Mapped[bool] = mapped_column(default=False)  # 经营异常名录
    serious_illegal: Mapped[bool] = mapped_column(default=False)  # 严重违法失信名单
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # 监管部门
    needs_code_fix: Mapped[bool] = mapped_column(default=False)  # 代码待补录 (e.g. destroyed by Excel)
    remarks: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    archived: Mapped[bool] = mapped_column(default=False)

    department: Mapped[Department | None] = relationship()


class EntitySearch(Base):
    """The quick-search text of an entity (名称, 代码, 地址, 负责人, 电话), one narrow row per entity.

    Kept by database triggers (see migration 0002), so every writer — the app, an import, a SQLite tool —
    keeps it right. Scanning this narrow table with instr() finds any Chinese substring in ~40 ms at 100,000
    rows; a trigram index would miss two-character queries and slow imports.
    """

    __tablename__ = "entity_search"

    id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class Inspector(TimestampMixin, Base):
    """执法检查人员."""

    __tablename__ = "inspector"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # registry code
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    title: Mapped[str] = mapped_column(String(50), default="")  # 职务
    cert_no: Mapped[str | None] = mapped_column(String(50), unique=True)  # 执法证号
    cert_issuer: Mapped[str] = mapped_column(String(100), default="")  # 发证机关
    cert_valid_until: Mapped[dt.date | None] = mapped_column(Date)  # 有效期至
    town: Mapped[str] = mapped_column(String(50), default="")  # 片区
    is_expert: Mapped[bool] = mapped_column(default=False)  # 专家
    status: Mapped[str] = mapped_column(String(8), default="在岗")  # InspectorStatus
    phone: Mapped[str] = mapped_column(String(50), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)

    department: Mapped[Department] = relationship()
    qualifications: Mapped[list[InspectorQualification]] = relationship(cascade="all, delete-orphan")


class InspectorQualification(Base):
    """专长/资格 tag of an inspector (e.g. 食品安全, 特种设备)."""

    __tablename__ = "inspector_qualification"
    __table_args__ = (UniqueConstraint("inspector_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(50), index=True)


class ConflictRelation(TimestampMixin, Base):
    """回避关系: an inspector must not inspect this entity (relative, former employer …)."""

    __tablename__ = "conflict_relation"
    __table_args__ = (UniqueConstraint("inspector_id", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    archived: Mapped[bool] = mapped_column(default=False)


class ImportBatch(Base):
    """One registry import: what file, who, the counts. Referenced by the audit trail."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # entities / inspectors / items
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    imported_at: Mapped[dt.datetime] = mapped_column()
    counts: Mapped[dict[str, int]] = mapped_column(JSONText, default=dict)
    column_mapping: Mapped[dict[str, str]] = mapped_column(JSONText, default=dict)
