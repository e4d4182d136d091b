"""Benchmark of a task draw through the service layer (app.tasks) on a 100,000-object demo county.

A 不定向 task at 5 % (one stratum 全部, 2 inspectors per object from 市场监管局) over the whole live registry:
times pool building and prepare (pre-commitment), and finish (execute, record, ~5,000 assignments stored).
The product target for the draw itself is ≤ 1 s.

The demo database is built once (``python -m app demo --entities N``, ~16 s at 100,000) and cached under
bench/out/ (git-ignored); each run works on a fresh copy.

Run from the repository root:  python bench/bench_task_draw.py [--entities N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.database import open_database  # noqa: E402
from app.draw import Outcome, verify_file  # noqa: E402
from app.tasks import (  # noqa: E402
    Exclusions,
    StrataSpec,
    TaskSpec,
    commit_draw,
    create_adhoc_task,
    draw_assignments,
    export_record,
    finish_draw,
    prepare_draw,
    preview_draw,
    task_definition,
    void_draw,
)
from app.tasks.inspectors import department_eligibility  # noqa: E402
from app.tasks.pool import build_pool, resolve_context  # noqa: E402
from db.models import AssignmentInspector, Department, InspectionItem  # noqa: E402

OUT = ROOT / "bench" / "out"
YEAR = 2026
WITNESSES = [("人大代表甲", "人大代表", (3, 1, 4, 1, 5, 9)), ("纪检监察乙", "纪检监察", (2, 7, 1, 8, 2, 8))]
T = TypeVar("T")


def timed(label: str, func: Callable[[], T], results: dict[str, float]) -> T:
    """Run once and record the wall time under ``label``."""
    start = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - start
    return value


def demo_template(entities: int) -> Path:
    """The cached demo database for ``entities`` objects, built on first use."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo_{entities}_{YEAR}.db"
    if not path.exists():
        print(f"building the demo county with {entities:,} objects (once; cached at {path}) …", flush=True)
        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "demo",
                "--db",
                str(partial),
                "--entities",
                str(entities),
                "--year",
                str(YEAR),
                "--no-work",  # the task drawn here must be the year's first
            ],
            cwd=ROOT,
            check=True,
        )
        partial.rename(path)
    return path


def main() -> int:
    """Print the timings; exit 1 if the exported record does not verify."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args()

    work = OUT / "bench_task_draw.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(demo_template(args.entities), work)
    database = open_database(work)
    t: dict[str, float] = {}
    with database.sessions() as session:
        sj = session.scalars(select(Department).where(Department.code == "SJ")).one()
        item = session.scalars(select(InspectionItem).where(InspectionItem.code == "SJ-001")).one()
        spec = TaskSpec(
            title="基准测试：不定向随机抽查",
            item_ids=[item.id],
            lead_department_id=sj.id,
            inspectors_per_object=2,
            exclusions=Exclusions(outside_item=False),  # 不定向 over the whole live registry
            strata=StrataSpec.single("0.05"),
            planned_date=None,
            year=YEAR,
        )
        task = create_adhoc_task(session, spec)
        definition = task_definition(session, task.id)
        context = resolve_context(session, definition)
        pool = timed(
            "  pool (SQL filter, exclusion counts, rows)", lambda: build_pool(session, definition, context), t
        )
        timed(
            "  inspectors (eligibility)",
            lambda: department_eligibility(session, definition, context.inspection_date),
            t,
        )
        preview = timed(
            "preview_draw (pool + inspectors + app.draw.prepare)", lambda: preview_draw(session, task.id), t
        )
        timed("preview_draw again (warm caches)", lambda: preview_draw(session, task.id), t)
        handle = timed(
            "prepare_draw (the above + Draw row)", lambda: prepare_draw(session, task.id, "基准", "机房"), t
        )
        sealed = timed("commit_draw", lambda: commit_draw(session, handle.draw_id), t)
        done = timed(
            "finish_draw (execute + meta + record JSON + rows)",
            lambda: finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle),
            t,
        )
        rows = session.scalar(select(func.count()).select_from(AssignmentInspector)) or 0
        result = timed("draw_assignments (result table)", lambda: draw_assignments(session, done.draw_id), t)
        with tempfile.TemporaryDirectory() as folder:
            path = timed("export_record", lambda: export_record(session, done.draw_id, folder), t)
            verdict = timed("verify exported file", lambda: verify_file(path), t)

        void_draw(session, done.draw_id, "基准测试：再测一次不带句柄的完成步骤")
        handle2 = prepare_draw(session, task.id, "基准", "机房")
        sealed2 = commit_draw(session, handle2.draw_id)
        timed(
            "finish_draw without the handle (inputs rebuilt and re-hashed)",
            lambda: finish_draw(session, handle2.draw_id, sealed2.nonce, WITNESSES),
            t,
        )
    database.close()

    print(f"registry {pool.summary.registry_size:,} live objects; pool {preview.pool.pool_size:,}; ", end="")
    print(
        f"drawn {preview.pool.sample_size:,} ({preview.pool.inclusion_percent}); {len(result):,} objects, ",
        end="",
    )
    print(f"{rows:,} assignment-inspector rows; record {len(done.record['objects']):,} object rows")
    for label, seconds in t.items():
        print(f"{label:>66}: {seconds * 1000:8.1f} ms")
    draw_itself = t["finish_draw (execute + meta + record JSON + rows)"]
    print(f"{'draw itself (finish, target ≤ 1000 ms)':>66}: {draw_itself * 1000:8.1f} ms")
    ok = verdict.outcome is Outcome.VERIFIED
    print("exported record verifies" if ok else f"EXPORTED RECORD DOES NOT VERIFY: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
