"""Fixtures for the working-day calendar tests: a session on an empty (migrated) database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from app.database import Database


@pytest.fixture
def session(empty_db: Database) -> Iterator[Session]:
    """A session on a fresh database: no calendar rows until something asks for the calendar."""
    with empty_db.sessions() as s:
        yield s


def d(text: str) -> dt.date:
    """A date from ISO text, to keep the tests readable."""
    return dt.date.fromisoformat(text)
