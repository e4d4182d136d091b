"""The command line of DESIGN.md: help, --db anywhere, demo exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.database import open_database
from tests.cli import run_app


def test_help_lists_the_commands() -> None:
    result = run_app("--help", timeout=60)
    assert result.returncode == 0
    for command in ("demo", "verify", "selftest", "--db"):
        assert command in result.stdout


@pytest.mark.parametrize("db_first", [True, False])
def test_demo_writes_where_db_points_whichever_side_of_the_command(tmp_path: Path, db_first: bool) -> None:
    target = tmp_path / "county.db"
    args = (
        ["--db", str(target), "demo", "--entities", "50"]
        if db_first
        else ["demo", "--entities", "50", "--db", str(target)]
    )
    assert main(args) == 0
    database = open_database(target)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 50
    database.close()


def test_demo_into_a_database_with_data_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "county.db"
    assert main(["demo", "--db", str(target), "--entities", "30"]) == 0
    assert main(["demo", "--db", str(target), "--entities", "70"]) == 1
    assert "已有数据" in capsys.readouterr().err
    database = open_database(target)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity")).scalar() == 30
    database.close()


def test_unusable_arguments_exit_2(tmp_path: Path) -> None:
    assert main(["demo", "--entities", "many"]) == 2
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello", encoding="utf-8")
    assert main(["demo", "--db", str(not_a_db)]) == 2
