"""Schema migrations (Alembic), applied at start. A database from a newer version of the app is refused.

Alembic (with Mako, Pygments and SQLAlchemy's other dialects behind it, ~0.15 s of imports) is loaded only
when a database actually needs migrating: the usual start reads the stamped revision with one SELECT and
compares it with KNOWN_REVISIONS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Every revision in migrations/versions, oldest first; the last is the head. A test checks it against
# Alembic's own walk of the scripts, so a new migration cannot be forgotten here.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")


class DatabaseVersionError(Exception):
    """The database cannot be used by this version of the app; message_zh says why, for the user."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration for this engine (the migrations folder; no alembic.ini)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    return KNOWN_REVISIONS[-1]


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for an empty database."""
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except OperationalError:  # no alembic_version table: nothing was ever migrated
            return None
    return None if row is None else str(row[0])


def upgrade_to_head(engine: Engine, on_revision_applied: Callable[[str], None] | None = None) -> bool:
    """Bring the database to the newest schema. Returns True if anything was migrated.

    The whole upgrade is one transaction (migrations/env.py). Raises DatabaseVersionError for a database
    written by a newer version of the app (its revision is unknown here): opening it could lose data.
    ``on_revision_applied``
    is called with each revision once it ran, still inside the transaction (app/database.py hangs the
    crash points of the crash-safety tests there; db/ knows nothing of the app).
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in KNOWN_REVISIONS:
        raise DatabaseVersionError(
            f"该数据库由更新版本的程序创建（数据库版本 {current}，本程序最高支持 {head}）。"
            "请安装最新版本后再打开，以免数据损坏。"
        )
    from alembic import command

    config = alembic_config(engine)
    if on_revision_applied is not None:
        config.attributes["on_revision_applied"] = on_revision_applied
    command.upgrade(config, "head")
    return True
