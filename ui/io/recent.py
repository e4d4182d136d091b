"""Folders the clerk used last (per purpose), kept in an ini file in the app's data directory.

The data directory rather than the platform's QSettings location, so that portable installs keep it
beside the database and tests (which move the data directory) never touch the clerk's own settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.paths import data_dir

_FILE_NAME = "ui.ini"


def _settings() -> QSettings:
    return QSettings(str(data_dir() / _FILE_NAME), QSettings.Format.IniFormat)


def _documents() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def last_folder(purpose: str) -> Path:
    """The folder last used for ``purpose`` ("import", "export"), else the clerk's Documents folder."""
    value = _settings().value(f"folders/{purpose}", "")
    folder = Path(str(value)) if value else None
    if folder is not None and folder.is_dir():
        return folder
    return _documents()


def remember_folder(purpose: str, path: Path) -> None:
    """Remember the folder of ``path`` (a file or a folder) for the next dialog of this purpose."""
    folder = path if path.is_dir() else path.parent
    settings = _settings()
    settings.setValue(f"folders/{purpose}", str(folder))
    settings.sync()


def save_target(
    parent: QWidget, path: str | Path | None, *, title: str, suggested: str | Path, kind: str, suffix: str
) -> Path | None:
    """Where to write: ``path`` when the caller has one, else the file the clerk picks in a save dialog
    (starting at ``suggested``, filtered to ``kind (*suffix)``); ``suffix`` is added when the name lacks it.
    None when the clerk cancelled."""
    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), f"{kind} (*{suffix})")
        if not chosen:
            return None
        path = chosen
    target = Path(path)
    if target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
    return target
