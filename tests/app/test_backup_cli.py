"""`python -m app backup|restore` as DESIGN.md fixes them: where the copy goes, exit codes 0 / 1 / 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from app.backup import default_backup_dir
from app.cli import main
from app.database import open_database
from tests.cli import run_app


def _county(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "county.db"
    shutil.copyfile(demo_template, target)
    return target


def _set_first_name(path: Path, name: str) -> None:
    database = open_database(path)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE entity SET name = :n WHERE id = 1"), {"n": name})
    database.close()


def _first_name(path: Path) -> str:
    database = open_database(path)
    with database.engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM entity WHERE id = 1")).scalar()
    database.close()
    return str(name)


def test_help_lists_backup_and_restore() -> None:
    result = run_app("--help", timeout=60)
    assert result.returncode == 0
    assert "backup" in result.stdout and "restore" in result.stdout


def test_backup_to_a_folder_then_restore(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = _county(demo_template, tmp_path)
    _set_first_name(county, "备份时")
    usb = tmp_path / "usb"

    assert main(["backup", "--db", str(county), "--to", str(usb)]) == 0
    made = list(usb.glob("county-*-manual.db"))
    assert len(made) == 1
    assert "已备份" in capsys.readouterr().out

    _set_first_name(county, "备份后")
    assert main(["restore", str(made[0]), "--db", str(county)]) == 0
    out = capsys.readouterr().out
    assert "已从" in out and "恢复前的数据已保存为" in out
    assert _first_name(county) == "备份时"
    saved = list(default_backup_dir().glob("county-*-before-restore.db"))
    assert saved and any(_first_name(p) == "备份后" for p in saved)


def test_backup_without_to_uses_the_data_directory(demo_template: Path, tmp_path: Path) -> None:
    county = _county(demo_template, tmp_path)
    county = county.rename(tmp_path / "cli-default.db")
    assert main(["--db", str(county), "backup"]) == 0
    assert len(list(default_backup_dir().glob("cli-default-*-manual.db"))) == 1


def test_unusable_files_exit_2_and_refused_backups_exit_1(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = _county(demo_template, tmp_path)
    assert main(["backup", "--db", str(tmp_path / "absent.db"), "--to", str(tmp_path)]) == 2
    assert main(["restore", str(tmp_path / "absent-backup.db"), "--db", str(county)]) == 2
    assert "不存在" in capsys.readouterr().err

    notes = tmp_path / "notes.db"
    notes.write_text("hello", encoding="utf-8")
    before = county.read_bytes()
    assert main(["restore", str(notes), "--db", str(county)]) == 1
    assert "不是 SQLite" in capsys.readouterr().err
    assert county.read_bytes() == before
