"""Shared by the bench scripts: a cached 100,000-entity demo county and a timer."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def demo_database(entities: int = 100_000) -> Path:
    """A demo county of that size, built once with the real CLI and reused (bench/out is git-ignored)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo{entities}.db"
    if not path.exists():
        tmp = path.with_suffix(".building")
        for leftover in OUT.glob(tmp.name + "*"):
            leftover.unlink()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "demo",
                "--db",
                str(tmp),
                "--entities",
                str(entities),
                "--year",
                "2026",
                "--no-work",  # registries and plans only, as every bench figure so far was measured on
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        shutil.move(tmp, path)
    return path


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time in milliseconds over `repeat` runs, and the last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
