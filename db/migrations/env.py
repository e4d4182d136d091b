"""Alembic environment: runs on the engine handed over by db.migrate (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import db.models  # noqa: F401  (registers every table on Base.metadata)
from db.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
