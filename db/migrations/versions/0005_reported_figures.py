"""报表导入: figures other departments reported in filled xlsx statistics tables (read-only, superseded by
newer files), and the triggers that keep them from being changed or deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.protection import REPORTED_TRIGGERS

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reported_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("department_name", sa.String(length=100), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_label", sa.String(length=100), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("sheet_name", sa.String(length=100), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("filled_on", sa.Date(), nullable=True),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["reported_figures.id"],
            name=op.f("fk_reported_figures_superseded_by_id_reported_figures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_figures")),
        sa.UniqueConstraint(
            "file_sha256", "sheet_name", "source_row", name=op.f("uq_reported_figures_file_sha256")
        ),
    )
    op.create_index(
        op.f("ix_reported_figures_file_sha256"), "reported_figures", ["file_sha256"], unique=False
    )
    op.create_index(
        "ix_reported_figures_kind_period",
        "reported_figures",
        ["kind", "period_start", "period_end"],
        unique=False,
    )
    for statement in REPORTED_TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in REPORTED_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_reported_figures_kind_period", table_name="reported_figures")
    op.drop_index(op.f("ix_reported_figures_file_sha256"), table_name="reported_figures")
    op.drop_table("reported_figures")
