"""Running the real command line, ``python -m app …``, in a child process from the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_app(*args: str | Path, timeout: float = 300, **options: Any) -> subprocess.CompletedProcess[str]:
    """``python -m app *args`` with UTF-8 output captured as text; ``options`` go to subprocess.run."""
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        **options,
    )
