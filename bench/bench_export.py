"""Figures for the registry export: 100,000 检查对象 of the demo county to xlsx (goal ≤ 10 s).

Usage: python bench/bench_export.py [N] [--roundtrip]

Builds the demo county with N entities (not timed), then times export_registry. With --roundtrip it
also times re-importing the exported file (a preview that must find every row unchanged).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.database import open_database  # noqa: E402
from app.demo import build_demo  # noqa: E402
from app.io import export_registry, preview_import  # noqa: E402
from db.engine import transaction  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument(
        "--roundtrip", action="store_true", help="also time the re-import preview of the export"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.db")
        started = time.perf_counter()
        with transaction(database.sessions) as session:
            build_demo(session, entities=args.count, year=2026)
        print(
            f"demo county with {args.count:,} entities built in {time.perf_counter() - started:.1f} s (not timed)"
        )
        out = Path(folder) / "entities.xlsx"
        with database.sessions() as session:
            started = time.perf_counter()
            summary = export_registry(session, "entities", out)
            elapsed = time.perf_counter() - started
        print(f"export:      {summary.rows:,} entities in {elapsed:.2f} s (goal: ≤ 10 s)")
        print(f"file size:   {out.stat().st_size / 1e6:.1f} MB")
        print(
            f"peak RSS:    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (whole process)"
        )
        if args.roundtrip:
            with database.sessions() as session:
                started = time.perf_counter()
                preview = preview_import(session, "entities", out)
                elapsed = time.perf_counter() - started
            counts = preview.counts
            print(
                f"re-import preview: {elapsed:.2f} s — new {counts.imported:,}, updated {counts.updated:,}, "
                f"unchanged {counts.unchanged:,}, errors {counts.errors:,}"
            )
        database.close()


if __name__ == "__main__":
    main()
