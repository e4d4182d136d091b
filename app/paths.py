"""Where the app keeps its files: the user's data directory (per-user, survives upgrades)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "shuangsuiji"
APP_AUTHOR = "shuangsuiji"
DB_FILE_NAME = "shuangsuiji.db"

# Tests and portable installs point the whole app somewhere else with this variable.
DATA_DIR_ENV = "SHUANGSUIJI_DATA_DIR"


def data_dir() -> Path:
    """The per-user data directory (created on demand)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The database used when no --db is given."""
    return data_dir() / DB_FILE_NAME


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / "shuangsuiji.log"


def resources_dir() -> Path:
    """The resources/ folder of the source tree or of a frozen (PyInstaller) build."""
    import sys

    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
