"""审计日志 listing over 100,000 entries: count, a window of ids, rows by id, filter choices, and the page.

No fixed goal in DESIGN.md; the page should feel like the registry page (first screen ≤ 300 ms, a filter or a
search ≤ 100 ms). Usage: python bench/bench_audit_listing.py [ENTRIES]   (offscreen Qt; a temporary database)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from bench.common import timed  # noqa: E402

if TYPE_CHECKING:
    from app.database import Database

USERS = ["王管理（admin）", "李经办（clerk1）", "张经办（clerk2）", "赵监督（watch）", "系统", "登录服务"]
KINDS = [
    ("修改", "检查对象", "修改检查对象“某某商贸有限公司{n}”；风险等级：低 → 中"),
    ("新增", "检查对象", "新增检查对象“某某餐饮店{n}”"),
    ("修改", "执法检查人员", "修改执法检查人员“刘{n}”；执法证号：A{n} → B{n}"),
    ("登录", "用户", "李经办（经办人）登录"),
    ("登录失败", "用户", "密码错误（第 1 次）"),
    ("归档", "检查对象", "归档检查对象“某某加油站{n}”"),
    ("导出", "检查对象", "导出检查对象 {n} 条到“检查对象_2026.xlsx”"),
    ("新增", "抽查任务", "新增抽查任务“2026年第{n}号”"),
    ("封存", "摇号抽取", "封存摇号抽取 {n}（摘要 0123456789abcdef）"),
]


def fill_log(database: Database, entries: int) -> None:
    """Append ``entries`` realistic audit entries spread over the past year, through the real chain."""
    from app.audit.chain import Entry, append
    from app.audit.keys import installation_key

    rng = random.Random(20260101)
    key = installation_key()
    start = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=365) / entries
    batch = 500
    with database.engine.begin() as connection:
        for first in range(0, entries, batch):
            chunk = []
            for n in range(first, min(first + batch, entries)):
                action, label, summary = rng.choice(KINDS)
                chunk.append(
                    Entry(
                        action=action,
                        object_type=label,
                        object_id=str(rng.randint(1, 100_000)),
                        summary=summary.format(n=n),
                        before={"risk_level": "低"} if action == "修改" else None,
                        after={"risk_level": "中"} if action == "修改" else None,
                        username=rng.choice(USERS),
                    )
                )
            append(connection, key, chunk, start + step * first)
    database.refresh_statistics()


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SHUANGSUIJI_DATA_DIR"] = folder
        path = Path(folder) / "audit.db"

        from PySide6.QtWidgets import QApplication

        from app.audit import listing as al
        from app.database import open_database
        from ui.application import create_application
        from ui.context import AppContext
        from ui.pages.audit_page import AuditPage

        database = open_database(path)
        begin = time.perf_counter()
        fill_log(database, entries)
        print(f"filled {entries:,} entries in {time.perf_counter() - begin:.1f} s")
        everything = al.AuditFilter()
        with database.sessions() as session:
            top = al.latest_id(session)
            pinned = al.AuditFilter(up_to_id=top)
            cases = {
                "count, no filter": lambda: al.count_entries(session, pinned),
                "count, 操作 = 修改": lambda: al.count_entries(
                    session, al.AuditFilter(action="修改", up_to_id=top)
                ),
                "count, 用户": lambda: al.count_entries(
                    session, al.AuditFilter(username=USERS[1], up_to_id=top)
                ),
                "count, 对象类型": lambda: al.count_entries(
                    session, al.AuditFilter(object_type="执法检查人员", up_to_id=top)
                ),
                "count, one month": lambda: al.count_entries(
                    session, al.AuditFilter(dt.date(2025, 9, 1), dt.date(2025, 9, 30), up_to_id=top)
                ),
                "count, search 加油站": lambda: al.count_entries(
                    session, al.AuditFilter(text="加油站", up_to_id=top)
                ),
                "ids 0–200": lambda: al.entry_ids(session, pinned, 0, 200),
                "ids at 90,000": lambda: al.entry_ids(session, pinned, 90_000, 200),
                "ids at 90,000, 操作 = 修改": lambda: al.entry_ids(
                    session, al.AuditFilter(action="修改", up_to_id=top), 20_000, 200
                ),
                "ids 0–200, search 加油站": lambda: al.entry_ids(
                    session, al.AuditFilter(text="加油站"), 0, 200
                ),
                "rows of 200 ids": lambda: al.fetch_entries(session, list(range(top - 200, top))),
                "filter choices": lambda: al.filter_choices(session),
                "position of entry 5,000": lambda: al.position_of(session, everything, 5_000),
                "detail of one entry": lambda: al.entry_detail(session, top // 2),
            }
            for name, fn in cases.items():
                ms, _ = timed(fn, repeat=5)
                print(f"{name:<32} {ms:8.1f} ms")

        app = create_application()
        context = AppContext(database)
        page = AuditPage(context)
        page.resize(1366, 700)
        page.show()
        start = time.perf_counter()
        page.refresh()
        page.repaint()
        app.processEvents()
        print(f"{'page refresh + first paint':<32} {(time.perf_counter() - start) * 1000:8.1f} ms")
        start = time.perf_counter()
        page.search.setText("加油站")
        page.apply_filter()
        page.table.repaint()
        print(f"{'page search + repaint':<32} {(time.perf_counter() - start) * 1000:8.1f} ms")
        start = time.perf_counter()
        page.table.scrollToBottom()
        page.table.repaint()
        print(f"{'scroll to the oldest + repaint':<32} {(time.perf_counter() - start) * 1000:8.1f} ms")

        from app.audit.verify import verify_engine

        start = time.perf_counter()
        report = verify_engine(database.engine)
        print(
            f"{'verify_engine (for reference)':<32} {(time.perf_counter() - start) * 1000:8.1f} ms  intact={report.intact}"
        )
        page.close()
        database.close()
        QApplication.processEvents()


if __name__ == "__main__":
    main()
