"""Helpers for the import/export tests: building messy workbooks, counting every table, running imports."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import inspect, text

from app.database import Database
from app.io import ImportPreview, ImportSummary, apply_import, preview_import
from db.engine import transaction

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
_SAMPLE_NAME = "hainan_2020_item_list.xlsx"


def sample_path() -> Path:
    """The provincial item list in shared/samples (beside the repository, as in CI)."""
    for candidate in (
        ROOT.parent / "shared" / "samples" / _SAMPLE_NAME,
        Path("/work/shared/samples") / _SAMPLE_NAME,
    ):
        if candidate.exists():
            return candidate
    pytest.fail(f"the sample {_SAMPLE_NAME} is missing from shared/samples")


def write_workbook(
    path: Path, rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), sheet: str = "Sheet1"
) -> Path:
    """An xlsx written by openpyxl (as Excel would store it), with merged ranges like "A1:H1"."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(row=r, column=c, value=value)
    for ref in merges:
        ws.merge_cells(ref)
    book.save(path)
    return path


def table_counts(database: Database) -> dict[str, int]:
    """Rows in every table of the database (alembic_version and search tables included)."""
    names = inspect(database.engine).get_table_names()
    with database.engine.connect() as conn:
        return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def preview(database: Database, kind: str, path: Path, **kwargs: Any) -> ImportPreview:
    """A preview in a session that is rolled back afterwards."""
    with database.sessions() as session:
        result = preview_import(session, kind, path, **kwargs)
        session.rollback()
        return result


def run_import(
    database: Database, kind: str, path: Path, **kwargs: Any
) -> tuple[ImportPreview, ImportSummary]:
    """Preview and apply in one transaction, as the GUI and the CLI do."""
    with transaction(database.sessions) as session:
        result = preview_import(session, kind, path, **kwargs)
        return result, apply_import(session, result)


def fetch(database: Database, sql: str, **params: Any) -> list[Any]:
    with database.engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())
