"""Schema migrations (Alembic), applied at start. A database from a newer version of the app is refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseVersionError(Exception):
    """The database cannot be used by this version of the app; message_zh says why, for the user."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the database to the newest schema. Returns True if anything was migrated.

    Each revision runs in its own transaction. Raises DatabaseVersionError for a database written by a newer
    version of the app (its revision is unknown here): opening it could lose data.
    """
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return False
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseVersionError(
                f"该数据库由更新版本的程序创建（数据库版本 {current}，本程序最高支持 {head}）。"
                "请安装最新版本后再打开，以免数据损坏。"
            )
    command.upgrade(_config(engine), "head")
    return True
