"""Alembic environment: runs on the engine handed over by db.migrate (no alembic.ini needed).

The whole upgrade is one transaction. Python's sqlite3 driver opens a transaction only before INSERT, UPDATE
or DELETE and runs DDL on its own, so each CREATE/DROP/ALTER would otherwise be committed the moment it ran:
a PC switched off during the first start after an update would keep half a migration. ``BEGIN IMMEDIATE``
(which also takes the write lock) is sent first; every revision and the new version stamp then commit
together, or — killed or failed — not at all, and the next start migrates again from the old schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import Engine

import db.models  # noqa: F401  (registers every table on Base.metadata)
from db.base import Base

config = context.config
target_metadata = Base.metadata


def _applied(ctx: MigrationContext, step: MigrationInfo, heads: Any, run_args: Any) -> None:
    """After each revision, still inside the transaction: tell db.migrate's caller (crash-point tests)."""
    callback: Callable[[str], None] | None = config.attributes.get("on_revision_applied")
    if callback is not None:
        callback(str(step.up_revision_id if step.is_upgrade else step.down_revision_ids))


def run_migrations_online() -> None:
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
            on_version_apply=_applied,
        )
        with context.begin_transaction():
            context.run_migrations()
        callback: Callable[[str], None] | None = config.attributes.get("on_revision_applied")
        if callback is not None:
            callback("before_commit")
        connection.commit()


run_migrations_online()
