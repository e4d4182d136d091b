"""One version everywhere: pyproject.toml → app.__version__ → 关于 dialog, --version, the frozen build."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from pytestqt.qtbot import QtBot

import app
from app.database import Database
from tests.cli import run_app

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import build  # noqa: E402  (packaging/build.py)


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_the_app_reports_the_pyproject_version() -> None:
    assert app.__version__ == pyproject_version()
    assert build.project_version() == pyproject_version()


def test_about_dialog_shows_the_pyproject_version(qtbot: QtBot, empty_db: Database) -> None:
    from ui.about import AboutDialog
    from ui.context import AppContext

    dialog = AboutDialog(AppContext(empty_db))
    qtbot.addWidget(dialog)
    assert dialog.values["版本"] == pyproject_version()


def test_command_line_version_is_the_pyproject_version() -> None:
    result = run_app("--version", timeout=60)
    assert result.returncode == 0
    assert result.stdout.split() == ["python", "-m", "app", pyproject_version()]


def test_installer_version_numbers_for_windows() -> None:
    # A Windows version resource takes four numbers; a pre-release suffix is dropped there.
    assert build.numeric_version("0.1.0") == "0.1.0.0"
    assert build.numeric_version("1.2rc1") == "1.2.0.0"
    assert build.numeric_version("2.0.1.5.6") == "2.0.1.5"
