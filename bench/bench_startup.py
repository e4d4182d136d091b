"""Cold start to a usable main window on a 100,000-object database (DESIGN.md: ≤ 2 s).

Each run is a new process doing what a clerk's double-click does — `ui.application.run_gui` on the database:
Python and Qt start, the database is opened and checked, the sign-in dialog shows, the administrator signs in
(the probe types the password the moment the dialog is drawn) and the main window's first screen is drawn.
Printed per run: the time to the sign-in dialog, from 登录 to the usable window, and their sum (the clerk's
typing excluded). "Cold" runs drop the OS page cache first (needs root; otherwise they are reported as warm).

    python bench/bench_startup.py [--entities 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, demo_database  # noqa: E402

USERNAME = "admin"
PASSWORD = "Bench#2026start"


def prepare(source: Path, folder: Path) -> Path:
    """A copy of the demo county with an administrator, in its own data directory (the audit key's one-time
    notice already acknowledged, as on any PC after the first day)."""
    from app.audit.keys import installation_key, mark_notice_shown, notice_pending
    from app.auth.users import create_first_admin
    from app.database import open_database
    from db.engine import transaction

    target = folder / "startup.db"
    shutil.copyfile(source, target)
    database = open_database(target)
    with transaction(database.sessions) as session:
        create_first_admin(session, USERNAME, "王管理", PASSWORD)
    database.close()
    if notice_pending(installation_key()):
        mark_notice_shown()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    return target


def drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def run_once(database: Path, env: dict[str, str]) -> dict[str, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "startup_probe.py"), str(database), USERNAME, PASSWORD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    stages: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if line.startswith("STAGE "):
            _, name, value = line.split()
            stages[name] = (float(value) - started) * 1000
    if done.returncode != 0 or "window_usable" not in stages:
        raise SystemExit(f"start failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    return stages


def report(label: str, runs: list[dict[str, float]]) -> None:
    def med(name: str) -> float:
        return statistics.median(run[name] for run in runs)

    to_login = [run["login_shown"] for run in runs]
    after_login = [run["window_usable"] - run["login_submit"] for run in runs]
    usable = [a + b for a, b in zip(to_login, after_login, strict=True)]
    print(f"{label} ({len(runs)} runs, median):")
    print(f"  Python interpreter up        {med('python'):7.0f} ms")
    print(f"  Qt + app modules imported    {med('imports'):7.0f} ms")
    print(f"  QApplication created         {med('qapplication'):7.0f} ms")
    print(f"  sign-in dialog drawn         {statistics.median(to_login):7.0f} ms")
    print(f"  登录 → main window usable    {statistics.median(after_login):7.0f} ms")
    print(
        f"  START TO USABLE WINDOW       {statistics.median(usable):7.0f} ms"
        f"   (each run: {', '.join(f'{value:.0f}' for value in usable)}; goal ≤ 2000 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = demo_database(args.entities)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        env = dict(os.environ)
        env["SHUANGSUIJI_DATA_DIR"] = folder
        # Compiled modules are cached as on any installed PC (the frozen build ships them compiled); a
        # development shell that forbids writing them would make every start recompile our sources.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.setdefault("QT_QPA_PLATFORM", "xcb" if env.get("DISPLAY") else "offscreen")
        os.environ["SHUANGSUIJI_DATA_DIR"] = folder
        database = prepare(source, Path(folder))
        print(
            f"database: {args.entities:,} objects, {database.stat().st_size / 2**20:.1f} MB; "
            f"Qt platform {env['QT_QPA_PLATFORM']}"
        )
        run_once(database, env)  # the first start after a copy migrates nothing but warms nothing either
        cold: list[dict[str, float]] = []
        warm: list[dict[str, float]] = []
        cold_possible = True
        for _ in range(args.runs):
            cold_possible = drop_page_cache()
            (cold if cold_possible else warm).append(run_once(database, env))
        for _ in range(args.runs):
            warm.append(run_once(database, env))
        if cold:
            report("COLD (OS page cache dropped before each start)", cold)
        report("WARM (files in the OS page cache)", warm)


if __name__ == "__main__":
    main()
