"""One service step in a process of its own, for the crash-safety tests to kill part-way.

    python -m tests.app.crash_steps finish-draw DB DRAW_ID NONCE_HEX
    python -m tests.app.crash_steps file-plan DB PLAN_ID
    python -m tests.app.crash_steps import-plan DB FILE DEPARTMENT_ID YEAR

Run from the repository root with ``SHUANGSUIJI_CRASH_AT`` naming the crash point to stop at. Each step calls
the real service function on a real database file, as the GUI does; ``done`` on stdout means it committed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from app.database import open_database
from app.plans import file_plan
from app.plans.importer import import_plan_table
from app.tasks import finish_draw

WITNESSES = [("李建国", "人大代表", (3, 1, 4, 1, 5)), ("王秀英", "纪检监察", (2, 7, 1, 8))]


def main(argv: Sequence[str]) -> int:
    step, db_path, *args = argv
    database = open_database(db_path, create=False)
    try:
        with database.sessions() as session:
            if step == "finish-draw":
                finish_draw(session, int(args[0]), args[1], WITNESSES)
            elif step == "file-plan":
                file_plan(session, int(args[0]), "张晓明", "县司法局审核通过")
            elif step == "import-plan":
                import_plan_table(session, Path(args[0]), int(args[1]), int(args[2]))
            else:
                print(f"unknown step {step}", file=sys.stderr)
                return 2
    finally:
        database.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
