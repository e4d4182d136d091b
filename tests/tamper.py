"""What someone with a SQLite editor would do: drop the protecting triggers, then edit rows directly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.protection import TRIGGERS


def protection_triggers() -> list[str]:
    return list(TRIGGERS)


def drop_protection(path: Path | str) -> None:
    """Drop every protecting trigger of the database file at ``path`` with the plain sqlite3 module."""
    connection = sqlite3.connect(str(path))
    try:
        for name in protection_triggers():
            connection.execute(f"DROP TRIGGER IF EXISTS {name}")
        connection.commit()
    finally:
        connection.close()


def edit(path: Path | str, sql: str, *params: object) -> int:
    """Run one statement on the file with the plain sqlite3 module (behind the app's back)."""
    connection = sqlite3.connect(str(path))
    try:
        changed = connection.execute(sql, params).rowcount
        connection.commit()
        return changed
    finally:
        connection.close()
