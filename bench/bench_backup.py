"""Benchmark of 备份与恢复 on the 100,000-object demo county: the integrity check run at every start, a backup
(online backup API + fsync + integrity check of the copy) and a restore (check, 恢复前 copy, write, open).

Run from the repository root:  python bench/bench_backup.py [--entities N]
Works on copies in a temporary folder; the cached demo database and the user's data are never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import demo_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args()
    source = demo_database(args.entities)

    with tempfile.TemporaryDirectory(prefix="bench-backup-") as tmp:
        work = Path(tmp)
        os.environ["SHUANGSUIJI_DATA_DIR"] = str(work / "data")  # backups land here, not in the user's folder
        from app.backup import BackupKind, check_integrity, make_backup, restore_backup
        from app.database import open_database

        db_path = work / "county.db"
        shutil.copyfile(source, db_path)
        size_mb = db_path.stat().st_size / 1_048_576
        print(f"database: {args.entities:,} objects, {size_mb:.1f} MB")

        check_integrity(db_path)  # warm the page cache once, as a second start would
        runs = [check_integrity(db_path).seconds for _ in range(3)]
        print(
            f"PRAGMA integrity_check (check at start): best {min(runs) * 1000:.0f} ms, worst {max(runs) * 1000:.0f} ms"
        )
        conn = sqlite3.connect(db_path)
        started = time.perf_counter()
        conn.execute("PRAGMA quick_check").fetchall()
        print(f"  for comparison PRAGMA quick_check: {(time.perf_counter() - started) * 1000:.0f} ms")
        conn.close()

        database = open_database(db_path)  # the app holds the file open in WAL mode during the backup
        with database.engine.connect() as conn_open:
            conn_open.exec_driver_sql("SELECT count(*) FROM entity").scalar()
            started = time.perf_counter()
            result = make_backup(db_path, BackupKind.MANUAL, folder=work / "backups")
            elapsed = time.perf_counter() - started
        database.close()
        print(
            f"backup while the database is open (copy + fsync + integrity_check of the copy): "
            f"{elapsed * 1000:.0f} ms, {result.size / 1_048_576:.1f} MB"
        )

        started = time.perf_counter()
        restored = restore_backup(result.path, db_path, folder=work / "backups")
        elapsed = time.perf_counter() - started
        assert restored.saved_current is not None
        print(
            "restore (stage + integrity_check, 恢复前 backup with its own check, write, open): "
            f"{elapsed * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
