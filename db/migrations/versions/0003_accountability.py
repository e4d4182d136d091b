"""Accountability: the audit chain's head, key ids, forced password change, and triggers that keep finished
draws, filed plan versions, filed forms and the audit trail itself from being changed or deleted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.protection import TRIGGERS_0003 as TRIGGERS  # its own: later tables do not exist yet

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=False, server_default=""))
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hmac", sa.String(length=64), nullable=False),
        sa.Column("head_mac", sa.String(length=64), nullable=False),
        sa.Column("legacy_pending", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # Records that existed before the audit trail are sealed by the app at its next start (it holds the key).
    op.execute(
        "INSERT INTO audit_head (id, last_id, last_hmac, head_mac, legacy_pending) "
        "SELECT 1, coalesce((SELECT max(id) FROM audit_entry), 0), "
        "coalesce((SELECT hmac FROM audit_entry ORDER BY id DESC LIMIT 1), ''), '', EXISTS (SELECT 1 FROM draw) OR EXISTS (SELECT 1 FROM plan_revision) "
        "OR EXISTS (SELECT 1 FROM inspection WHERE status = '已归档')"
    )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("audit_head")
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.drop_column("key_id")
