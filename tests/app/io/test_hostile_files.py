"""Hostile files: damaged, encrypted, mislabelled, zip and XML entity bombs, absurd dimensions.

Each is thrown at `python -m app import entities FILE --db X` in a child process whose address space is
capped (RLIMIT_AS), so a bomb cannot pass by luck on a big machine: the command must exit 2 with a Chinese
message and leave the database exactly as it was. The plan-table import and the wizard's preview path get
the same files in-process, and a bounded hypothesis run mutates a small valid xlsx and csv.
"""

from __future__ import annotations

import io
import json
import resource
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.database import Database, open_database
from app.io import preview_import
from app.io.errors import EncryptedFileError, ImportFileError, SheetTooLargeError
from app.io.readers import open_tables
from app.plans.importer import read_plan_table
from tests.app.io import hostile_files as hostile
from tests.app.io.conftest import table_counts
from tests.cli import run_app
from ui.io.samples import column_samples

ADDRESS_SPACE = 1536 * 1024 * 1024  # 1.5 GiB: every bomb here would need several times more
CASES = {case.name: case for case in hostile.HOSTILE}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _cli_import(path: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return run_app("import", "entities", path, "--db", db, timeout=120, preexec_fn=_limit_memory)


def _dump(db: Path) -> str:
    """The database's content as SQL text (schema and every row), independent of page layout."""
    with sqlite3.connect(db) as conn:
        return "\n".join(conn.iterdump())


@pytest.fixture(scope="module")
def county_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding one earlier import, so 'unchanged' means more than 'still empty'."""
    folder = tmp_path_factory.mktemp("county")
    path = folder / "county.db"
    source = folder / "earlier.csv"
    source.write_bytes(hostile.csv_bytes())
    open_database(path).close()
    result = _cli_import(source, path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_the_cli_refuses_a_hostile_file_with_exit_2_and_writes_nothing(
    name: str, county_db: Path, tmp_path: Path
) -> None:
    case = CASES[name]
    db = tmp_path / "county.db"
    db.write_bytes(county_db.read_bytes())
    database = open_database(db)
    counts_before = table_counts(database)
    database.close()
    dump_before = _dump(db)
    path = case.build(tmp_path)

    result = _cli_import(path, db)

    assert result.returncode == case.exit, (result.returncode, result.stdout, result.stderr[-2000:])
    assert result.stdout.strip().splitlines()[-1].startswith("{")
    database = open_database(db)
    counts_after = table_counts(database)
    database.close()
    if case.exit == 2:
        message = result.stderr.strip().splitlines()[-1]
        assert message.startswith("错误：") and _has_chinese(message)
        assert path.name in message or "文件夹" in message
        assert case.says in message
        assert "Traceback" not in result.stderr
        assert counts_after == counts_before
        assert _dump(db) == dump_before
    else:  # harmless after all: read, found to hold the two registry rows the database already has
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        assert summary["skipped"] >= 2 and summary["errors"] == 0 and summary["imported"] == 0
        assert counts_after == counts_before


def test_a_genuinely_encrypted_workbook_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(EncryptedFileError) as caught:
        open_tables(hostile.encrypted_xlsx(tmp_path))
    assert "密码" in caught.value.message_zh and "encrypted.xlsx" in caught.value.message_zh


def test_a_far_away_cell_is_refused_before_the_reader_allocates(tmp_path: Path) -> None:
    # In-process on purpose: if the check were missing, the reader would abort this very test run.
    with pytest.raises(SheetTooLargeError) as caught:
        open_tables(hostile.far_away_cell(tmp_path))
    message = caught.value.message_zh
    assert "“名录”" in message and "XFD1048576" in message and "1,048,576 行 × 16,384 列" in message


def test_a_big_sheet_with_one_far_reference_is_caught_by_the_fast_scan(tmp_path: Path) -> None:
    """Sheets over 16 MiB are scanned by regex passes, not tokenised; a far cell deep inside is still found,
    in the usual notation and in the unusual ones the reader accepts too."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>示范县第{r}号商店{"甲" * 40}</t></is></c></row>'
        for r in range(4, 120_000)
    )
    for far in (
        '<c r="ZZ150000"><v>1</v></c>',  # 150,000 rows × 702 columns
        "<c r='AA999999'><v>1</v></c>",  # 27 million cells, in single quotes
        '<c t="n" r = "CV999999"><v>1</v></c>',  # spaces around =, r not first
    ):
        sheet = hostile.sheet_xml(
            hostile.REGISTRY_ROWS, extra_rows=rows[: len(rows) // 2] + far + rows[len(rows) // 2 :]
        )
        assert len(sheet) > 16 * 1024 * 1024
        path = tmp_path / "big.xlsx"
        path.write_bytes(hostile.zip_parts(hostile.xlsx_parts(sheet)))
        with pytest.raises(SheetTooLargeError):
            open_tables(path)


def test_the_plan_table_import_reports_hostile_files_as_file_errors(
    empty_db: Database, tmp_path: Path
) -> None:
    for build in (
        hostile.far_away_cell,
        hostile.billion_laughs_shared_strings,
        hostile.sheet_whitespace_bomb,
        hostile.encrypted_xlsx,
        hostile.truncated_end,
        hostile.pdf_named_xlsx,
    ):
        folder = tmp_path / build.__name__
        folder.mkdir()
        path = build(folder)
        with empty_db.sessions() as session:
            result = read_plan_table(session, path, department_id=1)
            session.rollback()
        assert not result.ok and result.rows == ()
        assert len(result.file_errors) == 1 and _has_chinese(result.file_errors[0])
        assert path.name in result.file_errors[0]


def test_the_wizard_preview_path_refuses_hostile_files(empty_db: Database, tmp_path: Path) -> None:
    """What the import wizard runs off the GUI thread: preview_import, then the column samples."""
    for build in (
        hostile.far_away_cell_first,
        hostile.external_entity,
        hostile.many_entries_zip,
        hostile.encrypted_xls,
        hostile.csv_long_line,
    ):
        folder = tmp_path / build.__name__
        folder.mkdir()
        path = build(folder)
        before = table_counts(empty_db)
        with empty_db.sessions() as session, pytest.raises(ImportFileError) as caught:
            preview_import(session, "entities", path)
        assert _has_chinese(caught.value.message_zh) and path.name in caught.value.message_zh
        assert column_samples(path, "名录", (1,)) == {}
        assert table_counts(empty_db) == before


# ---- bounded fuzzing ---------------------------------------------------------------------------------

_VALID_XLSX = hostile.xlsx_bytes()
_VALID_CSV = hostile.csv_bytes()
_VALID_SHEET = hostile.sheet_xml(hostile.REGISTRY_ROWS)


@st.composite
def _mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """Truncate, overwrite, insert or splice bytes of ``original`` (a few edits)."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "overwrite", "insert", "splice", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "truncate":
            del data[at:]
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(chunk)] = chunk
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "splice":  # copy a piece of the file elsewhere (duplicated headers, records, tags)
            start = draw(st.integers(0, max(0, len(original) - 1)))
            data[at:at] = original[start : start + draw(st.integers(1, 200))]
        else:
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


_XML_EDITS = st.sampled_from(
    [
        (b'r="C3"', b'r="XFD1048576"'),
        (b'r="B2"', b'r="AMK2"'),
        (b'r="A1"', b"r='A1048576'"),
        (b'<row r="2">', b'<row r="999999">'),
        (b"<sheetData>", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><sheetData>'),
        (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
        ),
        (b' t="inlineStr"', b""),
        (b'r="A2"', b""),
        (b"</t>", b"&xxe;</t>"),
        (b"</sheetData>", b"<row><c><v>1</v></c>" * 3 + b"</row></sheetData>"),
    ]
)


def _check_one(database: Database, path: Path) -> None:
    """Either a preview or an ImportFileError with a Chinese message; nothing is ever written."""
    before = table_counts(database)
    with database.sessions() as session:
        try:
            result = preview_import(session, "entities", path)
        except ImportFileError as exc:
            assert _has_chinese(exc.message_zh)
        else:
            assert result.counts.imported + result.counts.skipped + result.counts.errors >= 0
        session.rollback()
    assert table_counts(database) == before


_FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_FUZZ
@given(data=_mutated(_VALID_XLSX))
def test_fuzz_mutated_xlsx_bytes(data: bytes, empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    _check_one(empty_db, path)


@_FUZZ
@given(edits=st.lists(_XML_EDITS, min_size=1, max_size=3), sheet=_mutated(_VALID_SHEET), stored=st.booleans())
def test_fuzz_mutated_sheet_xml(
    edits: list[tuple[bytes, bytes]], sheet: bytes, stored: bool, empty_db: Database, tmp_path: Path
) -> None:
    for old, new in edits:
        sheet = sheet.replace(old, new, 1)
    compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    path = tmp_path / "fuzz_sheet.xlsx"
    path.write_bytes(hostile.zip_parts(hostile.xlsx_parts(sheet), compression=compression))
    _check_one(empty_db, path)


@settings(_FUZZ, max_examples=50)
@given(data=_mutated(_VALID_CSV))
def test_fuzz_mutated_csv_bytes(data: bytes, empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    _check_one(empty_db, path)


def test_the_fuzz_seeds_themselves_import(empty_db: Database, tmp_path: Path) -> None:
    """The unmutated inputs of the fuzz runs are valid registries (so the runs mutate something real)."""
    for name, data in (("seed.xlsx", _VALID_XLSX), ("seed.csv", _VALID_CSV)):
        path = tmp_path / name
        path.write_bytes(data)
        with empty_db.sessions() as session:
            result = preview_import(session, "entities", path)
            session.rollback()
        assert result.counts.imported == 2 and result.counts.errors == 0
    assert zipfile.ZipFile(io.BytesIO(_VALID_XLSX)).testzip() is None
