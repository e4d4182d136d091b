"""`python -m app package export|show|import`: messages and exit codes, in a child process."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from app.database import Database, open_database
from db.models import ReceivedPackage
from tests.app.exchange.conftest import Exported, entries, write_zip
from tests.cli import run_app


def test_export_show_import_and_import_again(sender: Database, receiver: Database, tmp_path: Path) -> None:
    assert sender.path is not None and receiver.path is not None
    package = tmp_path / "卫健委-2026上半年.sjpkg"
    exported = run_app(
        "package", "export", "--department", "WJ", "--half", "2026-2", package, "--db", sender.path
    )
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert "已导出数据包" in exported.stdout and "2026年下半年" in exported.stdout
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["sender"]["department_code"] == "WJ"
    assert manifest["period"]["label"] == "2026年下半年"

    shown = run_app("package", "show", package)
    assert shown.returncode == 0, shown.stdout
    assert "核验通过" in shown.stdout and "示范县卫生健康委员会（WJ）" in shown.stdout

    receiver.close()
    first = run_app("package", "import", package, "--db", receiver.path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "已导入" in first.stdout
    again = run_app("package", "import", package, "--db", receiver.path)
    assert again.returncode == 0 and "该数据包已于" in again.stdout
    database = open_database(receiver.path)
    try:
        with database.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ReceivedPackage)) == 1
    finally:
        database.close()


def test_a_tampered_package_shows_invalid_and_import_refuses_with_exit_1(
    sj_package: Exported, receiver: Database, tmp_path: Path
) -> None:
    assert receiver.path is not None
    files = entries(sj_package.path)
    files["facts.json"] = files["facts.json"].replace("示范县".encode(), "某某县".encode(), 1)
    path = write_zip(tmp_path / "tampered.sjpkg", files)
    shown = run_app("package", "show", path)
    assert shown.returncode == 1
    assert "核验不通过" in shown.stdout and "facts.json" in shown.stdout
    receiver.close()
    imported = run_app("package", "import", path, "--db", receiver.path)
    assert imported.returncode == 1
    assert "已拒绝导入，未写入任何数据" in imported.stdout


def test_unusable_arguments_and_files_exit_2(sender: Database, tmp_path: Path) -> None:
    assert sender.path is not None
    out = tmp_path / "x.sjpkg"
    for args in (
        ["--department", "XX", "--year", "2026"],  # no such department
        ["--department", "SJ"],  # no period
        ["--department", "SJ", "--year", "2026", "--quarter", "2026-1"],  # two periods
        ["--department", "SJ", "--half", "2026-3"],
        ["--department", "SJ", "--from", "2026-03-01"],
        ["--department", "SJ", "--from", "2026-05-01", "--to", "2026-03-01"],
    ):
        result = run_app("package", "export", *args, out, "--db", sender.path)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "错误" in result.stderr
    assert not out.exists()
    not_a_package = tmp_path / "notes.sjpkg"
    not_a_package.write_text("hello", encoding="utf-8")
    assert run_app("package", "show", not_a_package).returncode == 2
    assert run_app("package", "import", not_a_package, "--db", sender.path).returncode == 2
    assert run_app("package", "import", not_a_package, "--db", tmp_path / "missing.db").returncode == 2
    assert not (tmp_path / "missing.db").exists()
