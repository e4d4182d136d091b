"""The layering of DESIGN.md: app/ and db/ never import Qt; data flows ui → app → db."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imported_modules(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_app_and_db_import_no_qt() -> None:
    assert _offenders("app", ("PySide6", "shiboken6", "PyQt5", "PyQt6")) == []
    assert _offenders("db", ("PySide6", "shiboken6", "PyQt5", "PyQt6")) == []


def test_db_does_not_reach_up_into_app_or_ui() -> None:
    assert _offenders("db", ("app", "ui")) == []


def test_the_checker_sees_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport os\n", encoding="utf-8")
    assert "PySide6.QtCore" in _imported_modules(sample)
