"""Entity quick search: a narrow search-text table kept by triggers; listing index by (archived, name).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

# upper() folds ASCII only, so a typed "ma5" finds "…MA5…" while Chinese text is untouched.
SEARCH_TEXT = (
    "upper({r}.name || char(31) || coalesce({r}.uscc, '') || char(31) || coalesce({r}.reg_no, '') || char(31) || "
    "{r}.address || char(31) || {r}.legal_rep || char(31) || {r}.phone)"
)

TRIGGERS = [
    f"""CREATE TRIGGER entity_search_insert AFTER INSERT ON entity BEGIN
        INSERT INTO entity_search (id, text) VALUES (new.id, {SEARCH_TEXT.format(r="new")});
    END""",
    f"""CREATE TRIGGER entity_search_update AFTER UPDATE OF name, uscc, reg_no, address, legal_rep, phone ON entity
    BEGIN
        UPDATE entity_search SET text = {SEARCH_TEXT.format(r="new")} WHERE id = new.id;
    END""",
    """CREATE TRIGGER entity_search_delete AFTER DELETE ON entity BEGIN
        DELETE FROM entity_search WHERE id = old.id;
    END""",
]


def upgrade() -> None:
    op.create_table(
        "entity_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["entity.id"], name=op.f("fk_entity_search_id_entity"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_search")),
    )
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_name"))
        batch_op.create_index("ix_entity_archived_name", ["archived", "name"], unique=False)
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute(f"INSERT INTO entity_search (id, text) SELECT e.id, {SEARCH_TEXT.format(r='e')} FROM entity e")


def downgrade() -> None:
    for name in ("entity_search_insert", "entity_search_update", "entity_search_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_archived_name")
        batch_op.create_index(batch_op.f("ix_entity_name"), ["name"], unique=False)
    op.drop_table("entity_search")
