"""A few sample values per column of an import file, so the clerk recognises each column when mapping it.

Qt-free; runs in the preview's worker thread. Reads only the first rows after the header.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.io.readers import open_tables

SAMPLES_PER_COLUMN = 3
_ROWS_SCANNED = 50  # data rows looked at for non-blank values
_MAX_CHARS = 40


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1] + "…"


def column_samples(path: Path, sheet: str, header_rows: Sequence[int]) -> dict[int, list[str]]:
    """Up to three non-blank values of each column (by 0-based index) below the header.

    ``header_rows`` are the preview's 1-based header row numbers. Returns {} when the sheet cannot be
    read again (the samples are only a help; the preview itself has already read the file).
    """
    try:
        tables = open_tables(path)
    except Exception:  # the file changed or vanished since the preview: show no samples
        return {}
    table = next((t for t in tables if t.name == sheet), None)
    if table is None:
        return {}
    first_data = max(header_rows, default=0)  # 1-based header row == 0-based index of the next row
    rows = table.head(first_data + _ROWS_SCANNED)[first_data:]
    samples: dict[int, list[str]] = {}
    for row in rows:
        for index, value in enumerate(row):
            text = _text(value)
            found = samples.setdefault(index, [])
            if text and len(found) < SAMPLES_PER_COLUMN:
                found.append(text)
    return samples
