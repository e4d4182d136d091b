"""`python -m app import|export`: the JSON last line and the exit codes of DESIGN.md, run as a clerk's script would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from app.database import open_database
from tests.app.io.conftest import sample_path, table_counts, write_workbook
from tests.cli import run_app

KEYS = ["imported", "updated", "skipped", "warnings", "errors"]


def last_json(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    lines = result.stdout.strip().splitlines()
    data = json.loads(lines[-1])
    assert list(data) == KEYS
    return data


def test_import_writes_and_reports(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    result = run_app("import", "items", str(sample_path()), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert last_json(result) == {"imported": 285, "updated": 0, "skipped": 102, "warnings": 5, "errors": 0}
    assert "[警告] 第206行 抽查事项过长" in result.stdout
    again = run_app("import", "items", str(sample_path()), "--db", str(db))
    assert again.returncode == 0
    assert last_json(again) == {"imported": 0, "updated": 0, "skipped": 387, "warnings": 5, "errors": 0}


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    open_database(db).close()
    database = open_database(db)
    before = table_counts(database)
    database.close()
    result = run_app("import", "items", str(sample_path()), "--db", str(db), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert last_json(result)["imported"] == 285
    database = open_database(db)
    assert table_counts(database) == before
    database.close()


def test_a_file_with_errors_is_refused_with_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    path = write_workbook(
        tmp_path / "bad.xlsx",
        [["统一社会信用代码", "企业名称"]]
        + [[None, f"示范县第{i}商店"] for i in range(30)]
        + [["123", "示范县坏代码商店"]],
    )
    open_database(db).close()
    database = open_database(db)
    before = table_counts(database)
    database.close()
    result = run_app("import", "entities", str(path), "--db", str(db))
    assert result.returncode == 1
    assert last_json(result) == {"imported": 0, "updated": 0, "skipped": 0, "warnings": 0, "errors": 1}
    assert "第32行 统一社会信用代码应为 18 位，实为 3 位" in result.stdout
    assert "未写入任何数据" in result.stdout
    database = open_database(db)
    assert table_counts(database) == before
    database.close()


@pytest.mark.parametrize("problem", ["kind", "missing", "garbage"])
def test_unusable_arguments_or_files_exit_2_with_zero_counts(tmp_path: Path, problem: str) -> None:
    db = tmp_path / "county.db"
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(bytes(range(256)) * 64)
    args = {
        "kind": ("import", "objects", str(sample_path())),
        "missing": ("import", "entities", str(tmp_path / "nowhere.xlsx")),
        "garbage": ("import", "entities", str(garbage)),
    }[problem]
    result = run_app(*args, "--db", str(db))
    assert result.returncode == 2
    assert last_json(result) == dict.fromkeys(KEYS, 0)
    assert "错误" in result.stderr


def test_export_then_import_through_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    assert run_app("import", "items", str(sample_path()), "--db", str(db)).returncode == 0
    out = tmp_path / "items.xlsx"
    exported = run_app("export", "items", str(out), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    assert "已导出 285 条抽查事项" in exported.stdout
    back = run_app("import", "items", str(out), "--db", str(db))
    assert last_json(back) == {"imported": 0, "updated": 0, "skipped": 285, "warnings": 0, "errors": 0}
    assert (
        run_app("export", "items", str(tmp_path / "no" / "such" / "dir.xlsx"), "--db", str(db)).returncode
        == 2
    )
