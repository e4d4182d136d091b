"""数据交换: packages received from other departments' PCs (read-only, kept verbatim), the signing keys
accepted for each sender, and the triggers that keep them from being changed or deleted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.protection import EXCHANGE_TRIGGERS

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("sender_code", sa.String(length=32), nullable=False),
        sa.Column("sender_name", sa.String(length=100), nullable=False),
        sa.Column("bureau_name", sa.String(length=100), nullable=False),
        sa.Column("county_name", sa.String(length=100), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=80), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("program_version", sa.String(length=40), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("manifest_json", sa.Text(), nullable=False),
        sa.Column("signature_json", sa.Text(), nullable=False),
        sa.Column("facts_json", sa.Text(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["received_package.id"],
            name=op.f("fk_received_package_superseded_by_id_received_package"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_package")),
        sa.UniqueConstraint("file_sha256", name=op.f("uq_received_package_file_sha256")),
    )
    op.create_index(
        "ix_received_package_sender_period",
        "received_package",
        ["sender_code", "period_start", "period_end"],
        unique=False,
    )
    op.create_table(
        "sender_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_code", sa.String(length=32), nullable=False),
        sa.Column("sender_name", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=80), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_by", sa.String(length=100), nullable=False),
        sa.Column("replaced_fingerprint", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sender_key")),
        sa.UniqueConstraint("sender_code", "fingerprint", name=op.f("uq_sender_key_sender_code")),
    )
    op.create_index(op.f("ix_sender_key_sender_code"), "sender_key", ["sender_code"], unique=False)
    op.create_table(
        "received_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("draw_uid", sa.String(length=100), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["received_package.id"],
            name=op.f("fk_received_record_package_id_received_package"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_record")),
        sa.UniqueConstraint("package_id", "draw_uid", name=op.f("uq_received_record_package_id")),
    )
    op.create_index(op.f("ix_received_record_draw_uid"), "received_record", ["draw_uid"], unique=False)
    op.create_index(op.f("ix_received_record_package_id"), "received_record", ["package_id"], unique=False)
    for statement in EXCHANGE_TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in EXCHANGE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(op.f("ix_received_record_package_id"), table_name="received_record")
    op.drop_index(op.f("ix_received_record_draw_uid"), table_name="received_record")
    op.drop_table("received_record")
    op.drop_index(op.f("ix_sender_key_sender_code"), table_name="sender_key")
    op.drop_table("sender_key")
    op.drop_index("ix_received_package_sender_period", table_name="received_package")
    op.drop_table("received_package")
