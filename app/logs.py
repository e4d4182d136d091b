"""Rotating file log in the data directory: clerks never see a console, support reads this file."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.paths import log_file

_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"


def setup_logging(level: int = logging.INFO, path: Path | None = None) -> Path:
    """Send the root logger to a rotating UTF-8 file (5 × 2 MB). Safe to call more than once."""
    target = path or log_file()
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == target:
            return target
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return target
