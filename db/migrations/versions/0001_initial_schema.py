"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_day")),
    )
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=20), nullable=False),
        sa.Column("is_market_regulation", sa.Boolean(), nullable=False),
        sa.Column("contact_person", sa.String(length=50), nullable=False),
        sa.Column("contact_phone", sa.String(length=50), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("code", name=op.f("uq_department_code")),
        sa.UniqueConstraint("name", name=op.f("uq_department_name")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_app_user_department_id_department")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "document_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_document_counter_department_id_department")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_counter")),
        sa.UniqueConstraint("series", "year", "department_id", name=op.f("uq_document_counter_series")),
    )
    op.create_table(
        "entity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("reg_no", sa.String(length=30), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("town", sa.String(length=50), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("legal_rep", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("reg_status", sa.String(length=8), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("risk_level", sa.String(length=4), nullable=False),
        sa.Column("credit_class", sa.String(length=4), nullable=False),
        sa.Column("abnormal_list", sa.Boolean(), nullable=False),
        sa.Column("serious_illegal", sa.Boolean(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("needs_code_fix", sa.Boolean(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_entity_department_id_department")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity")),
        sa.UniqueConstraint("uscc", name=op.f("uq_entity_uscc")),
    )
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.create_index("ix_entity_filters", ["archived", "kind", "town", "risk_level"], unique=False)
        batch_op.create_index(batch_op.f("ix_entity_name"), ["name"], unique=False)
        batch_op.create_index("ix_entity_name_address", ["name", "address"], unique=False)
        batch_op.create_index(batch_op.f("ix_entity_reg_no"), ["reg_no"], unique=False)

    op.create_table(
        "inspection_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("list_kind", sa.String(length=8), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("domain", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("target_desc", sa.Text(), nullable=False),
        sa.Column("target_kinds", sa.Text(), nullable=False),
        sa.Column("target_industries", sa.Text(), nullable=False),
        sa.Column("item_class", sa.String(length=8), nullable=False),
        sa.Column("methods", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("ratio_text", sa.String(length=100), nullable=False),
        sa.Column("frequency_text", sa.String(length=100), nullable=False),
        sa.Column("inspector_requirement", sa.Text(), nullable=False),
        sa.Column("required_qualifications", sa.Text(), nullable=False),
        sa.Column("key_points", sa.Text(), nullable=False),
        sa.Column("compiler", sa.String(length=100), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_inspection_item_department_id_department")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_item")),
        sa.UniqueConstraint("code", "department_id", name=op.f("uq_inspection_item_code")),
    )
    op.create_table(
        "inspector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("gender", sa.String(length=2), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("cert_no", sa.String(length=50), nullable=True),
        sa.Column("cert_issuer", sa.String(length=100), nullable=False),
        sa.Column("cert_valid_until", sa.Date(), nullable=True),
        sa.Column("town", sa.String(length=50), nullable=False),
        sa.Column("is_expert", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_inspector_department_id_department")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector")),
        sa.UniqueConstraint("cert_no", name=op.f("uq_inspector_cert_no")),
        sa.UniqueConstraint("code", name=op.f("uq_inspector_code")),
    )
    with op.batch_alter_table("inspector", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspector_name"), ["name"], unique=False)

    op.create_table(
        "annual_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=True),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("current_revision", sa.Integer(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_annual_plan_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["app_user.id"], name=op.f("fk_annual_plan_filed_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_plan")),
        sa.UniqueConstraint("department_id", "year", name=op.f("uq_annual_plan_department_id")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("prev_hmac", sa.String(length=64), nullable=False),
        sa.Column("hmac", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_audit_entry_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)

    op.create_table(
        "checklist_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inspection_item.id"],
            name=op.f("fk_checklist_row_item_id_inspection_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_row")),
        sa.UniqueConstraint("item_id", "seq", name=op.f("uq_checklist_row_item_id")),
    )
    op.create_table(
        "conflict_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_conflict_relation_entity_id_entity")
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["inspector.id"], name=op.f("fk_conflict_relation_inspector_id_inspector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_relation")),
        sa.UniqueConstraint("inspector_id", "entity_id", name=op.f("uq_conflict_relation_inspector_id")),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("column_mapping", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_import_batch_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_table(
        "inspector_qualification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspector_id"],
            ["inspector.id"],
            name=op.f("fk_inspector_qualification_inspector_id_inspector"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector_qualification")),
        sa.UniqueConstraint("inspector_id", "tag", name=op.f("uq_inspector_qualification_inspector_id")),
    )
    with op.batch_alter_table("inspector_qualification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspector_qualification_tag"), ["tag"], unique=False)

    op.create_table(
        "item_department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_item_department_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inspection_item.id"],
            name=op.f("fk_item_department_item_id_inspection_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_department")),
        sa.UniqueConstraint("item_id", "department_id", name=op.f("uq_item_department_item_id")),
    )
    op.create_table(
        "plan_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("revision_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_by_name", sa.String(length=50), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["app_user.id"], name=op.f("fk_plan_revision_changed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["annual_plan.id"], name=op.f("fk_plan_revision_plan_id_annual_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_revision")),
        sa.UniqueConstraint("plan_id", "revision_no", name=op.f("uq_plan_revision_plan_id")),
    )
    op.create_table(
        "plan_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("scope_text", sa.Text(), nullable=False),
        sa.Column("scope_filter", sa.Text(), nullable=False),
        sa.Column("base_count", sa.Integer(), nullable=True),
        sa.Column("ratio", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("planned_count", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("planned_month", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("frequency_cap", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["inspection_item.id"], name=op.f("fk_plan_row_item_id_inspection_item")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["annual_plan.id"], name=op.f("fk_plan_row_plan_id_annual_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_row")),
    )
    op.create_table(
        "inspection_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("plan_row_id", sa.Integer(), nullable=True),
        sa.Column("is_unplanned", sa.Boolean(), nullable=False),
        sa.Column("is_joint", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("pool_filter", sa.Text(), nullable=False),
        sa.Column("exclusions", sa.Text(), nullable=False),
        sa.Column("strata", sa.Text(), nullable=False),
        sa.Column("cap", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_inspection_task_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_inspection_task_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["plan_row_id"], ["plan_row.id"], name=op.f("fk_inspection_task_plan_row_id_plan_row")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_task")),
        sa.UniqueConstraint("code", name=op.f("uq_inspection_task_code")),
    )
    op.create_table(
        "plan_row_department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_row_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_plan_row_department_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["plan_row_id"],
            ["plan_row.id"],
            name=op.f("fk_plan_row_department_plan_row_id_plan_row"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_row_department")),
        sa.UniqueConstraint("plan_row_id", "department_id", name=op.f("uq_plan_row_department_plan_row_id")),
    )
    op.create_table(
        "draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("attempt_no", sa.Integer(), nullable=False),
        sa.Column("draw_uid", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("operator_name", sa.String(length=50), nullable=False),
        sa.Column("pool_summary", sa.Text(), nullable=False),
        sa.Column("commit_hex", sa.String(length=64), nullable=False),
        sa.Column("seed_hex", sa.String(length=64), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("prepared_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["app_user.id"], name=op.f("fk_draw_operator_id_app_user")),
        sa.ForeignKeyConstraint(
            ["task_id"], ["inspection_task.id"], name=op.f("fk_draw_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw")),
        sa.UniqueConstraint("draw_uid", name=op.f("uq_draw_draw_uid")),
        sa.UniqueConstraint("task_id", "attempt_no", name=op.f("uq_draw_task_id")),
    )
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_publication_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["inspection_task.id"], name=op.f("fk_publication_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_task_id"), ["task_id"], unique=False)

    op.create_table(
        "task_department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("inspectors_per_object", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_task_department_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["inspection_task.id"],
            name=op.f("fk_task_department_task_id_inspection_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_department")),
        sa.UniqueConstraint("task_id", "department_id", name=op.f("uq_task_department_task_id")),
    )
    op.create_table(
        "task_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["inspection_item.id"], name=op.f("fk_task_item_item_id_inspection_item")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["inspection_task.id"],
            name=op.f("fk_task_item_task_id_inspection_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_item")),
        sa.UniqueConstraint("task_id", "item_id", name=op.f("uq_task_item_task_id")),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("stratum", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(["draw_id"], ["draw.id"], name=op.f("fk_assignment_draw_id_draw")),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], name=op.f("fk_assignment_entity_id_entity")),
        sa.ForeignKeyConstraint(
            ["task_id"], ["inspection_task.id"], name=op.f("fk_assignment_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sa.UniqueConstraint("draw_id", "entity_id", name=op.f("uq_assignment_draw_id")),
        sa.UniqueConstraint("draw_id", "order_no", name=op.f("uq_assignment_draw_id")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_task_id"), ["task_id"], unique=False)

    op.create_table(
        "draw_replacement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("removed_inspector_id", sa.Integer(), nullable=False),
        sa.Column("chosen_inspector_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("witness", sa.Text(), nullable=False),
        sa.Column("seed_hex", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chosen_inspector_id"],
            ["inspector.id"],
            name=op.f("fk_draw_replacement_chosen_inspector_id_inspector"),
        ),
        sa.ForeignKeyConstraint(["draw_id"], ["draw.id"], name=op.f("fk_draw_replacement_draw_id_draw")),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_draw_replacement_entity_id_entity")
        ),
        sa.ForeignKeyConstraint(
            ["removed_inspector_id"],
            ["inspector.id"],
            name=op.f("fk_draw_replacement_removed_inspector_id_inspector"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_replacement")),
        sa.UniqueConstraint("draw_id", "round_no", name=op.f("uq_draw_replacement_draw_id")),
    )
    op.create_table(
        "draw_witness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("affiliation", sa.String(length=100), nullable=False),
        sa.Column("values_text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["draw_id"], ["draw.id"], name=op.f("fk_draw_witness_draw_id_draw")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_witness")),
        sa.UniqueConstraint("draw_id", "seq", name=op.f("uq_draw_witness_draw_id")),
    )
    op.create_table(
        "assignment_inspector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("replacement_round", sa.Integer(), nullable=True),
        sa.Column("cap_relaxed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_assignment_inspector_assignment_id_assignment"),
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["inspector.id"], name=op.f("fk_assignment_inspector_inspector_id_inspector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_inspector")),
        sa.UniqueConstraint(
            "assignment_id", "inspector_id", name=op.f("uq_assignment_inspector_assignment_id")
        ),
    )
    with op.batch_alter_table("assignment_inspector", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_inspector_inspector_id"), ["inspector_id"], unique=False
        )

    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("doc_no", sa.String(length=100), nullable=True),
        sa.Column("archive_no", sa.String(length=100), nullable=True),
        sa.Column("inspection_date", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=40), nullable=False),
        sa.Column("follow_up", sa.String(length=20), nullable=False),
        sa.Column("follow_up_note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"], ["assignment.id"], name=op.f("fk_inspection_assignment_id_assignment")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_inspection_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], name=op.f("fk_inspection_entity_id_entity")),
        sa.ForeignKeyConstraint(
            ["task_id"], ["inspection_task.id"], name=op.f("fk_inspection_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
        sa.UniqueConstraint("archive_no", name=op.f("uq_inspection_archive_no")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_inspection_assignment_id")),
        sa.UniqueConstraint("doc_no", name=op.f("uq_inspection_doc_no")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspection_task_id"), ["task_id"], unique=False)

    op.create_table(
        "inspection_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("checklist_row_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checklist_row_id"],
            ["checklist_row.id"],
            name=op.f("fk_inspection_finding_checklist_row_id_checklist_row"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_finding_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_finding")),
        sa.UniqueConstraint("inspection_id", "seq", name=op.f("uq_inspection_finding_inspection_id")),
    )
    op.create_table(
        "inspection_inspector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_inspector_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["inspector.id"], name=op.f("fk_inspection_inspector_inspector_id_inspector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_inspector")),
        sa.UniqueConstraint(
            "inspection_id", "inspector_id", name=op.f("uq_inspection_inspector_inspection_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("inspection_inspector")
    op.drop_table("inspection_finding")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_task_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_entity_id"))

    op.drop_table("inspection")
    with op.batch_alter_table("assignment_inspector", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_inspector_inspector_id"))

    op.drop_table("assignment_inspector")
    op.drop_table("draw_witness")
    op.drop_table("draw_replacement")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_task_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_entity_id"))

    op.drop_table("assignment")
    op.drop_table("task_item")
    op.drop_table("task_department")
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_task_id"))

    op.drop_table("publication")
    op.drop_table("draw")
    op.drop_table("plan_row_department")
    op.drop_table("inspection_task")
    op.drop_table("plan_row")
    op.drop_table("plan_revision")
    op.drop_table("item_department")
    with op.batch_alter_table("inspector_qualification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspector_qualification_tag"))

    op.drop_table("inspector_qualification")
    op.drop_table("import_batch")
    op.drop_table("conflict_relation")
    op.drop_table("checklist_row")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_action"))

    op.drop_table("audit_entry")
    op.drop_table("annual_plan")
    with op.batch_alter_table("inspector", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspector_name"))

    op.drop_table("inspector")
    op.drop_table("inspection_item")
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_reg_no"))
        batch_op.drop_index("ix_entity_name_address")
        batch_op.drop_index(batch_op.f("ix_entity_name"))
        batch_op.drop_index("ix_entity_filters")

    op.drop_table("entity")
    op.drop_table("document_counter")
    op.drop_table("app_user")
    op.drop_table("setting")
    op.drop_table("department")
    op.drop_table("calendar_day")
