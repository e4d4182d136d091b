"""Shared fixtures: a private data directory, headless Qt, and real SQLite databases with the demo county."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless Qt for every test; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No credential store in tests unless a test installs one: the audit key goes to the private data directory.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from app.database import Database, open_database  # noqa: E402
from app.paths import DATA_DIR_ENV  # noqa: E402
from db.engine import transaction  # noqa: E402

DEMO_ENTITIES = 2_000
DEMO_YEAR = 2026


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never touch the real user data directory."""
    path = tmp_path_factory.mktemp("data")
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = previous


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-county database built once per test session (copied for each test that writes)."""
    from app.demo import build_demo

    path = tmp_path_factory.mktemp("template") / "demo.db"
    database = open_database(path)
    with transaction(database.sessions) as session:
        build_demo(session, entities=DEMO_ENTITIES, year=DEMO_YEAR)
    database.refresh_statistics()
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo county, open."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    database = open_database(target)
    yield database
    database.close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "empty.db")
    yield database
    database.close()
