"""Figures for the demo county: build time and peak memory for N entities (default 100,000).

Usage: python bench/bench_demo.py [N]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.database import open_database  # noqa: E402
from app.demo import build_demo  # noqa: E402
from db.engine import transaction  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        database = open_database(path)
        with transaction(database.sessions) as session:
            summary = build_demo(session, entities=count, year=2026)
        elapsed = time.perf_counter() - started
        database.close()
        size_mb = path.stat().st_size / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"demo county: {summary.entities:,} entities, {summary.inspectors} inspectors, {summary.items} items"
    )
    print(f"build time:  {elapsed:.2f} s (goal: under 60 s for 100,000)")
    print(f"peak RSS:    {peak_mb:.0f} MB")
    print(f"file size:   {size_mb:.1f} MB")


if __name__ == "__main__":
    main()
