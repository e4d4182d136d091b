"""Benchmark of the statistics tables (app.reports) on the 100,000-object demo county.

The demo county has registries and filed plans but no year of work, so this script first writes one into a
copy of it (bulk inserts, not timed): one task per plan row (joint where the row names 联合部门), a finished
draw of the row's 计划抽查数 objects in its planned month, filed inspections (results weighted like a real
year, problems with findings) and 公示 for the tasks finished by the end of October. Then it times, for
2026年度 as of 31 December:

* collect_facts (all departments) and the facts as JSON both ways;
* the five tables (all_tables);
* writing each as xlsx and as PDF (the 进展情况 PDF with its chart page).

Run from the repository root:  python bench/bench_reports.py [--entities N] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import functools
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.database import open_database  # noqa: E402
from app.reports import Facts, Period, all_tables, collect_facts  # noqa: E402
from app.reports.measures import progress_charts  # noqa: E402
from bench.common import demo_database  # noqa: E402
from db.enums import (  # noqa: E402
    DeptRole,
    DrawStatus,
    FollowUp,
    InspectionResult,
    InspectionStatus,
    RegStatus,
    TaskStatus,
)
from db.models import (  # noqa: E402
    AnnualPlan,
    Assignment,
    Draw,
    Entity,
    Inspection,
    InspectionFinding,
    InspectionItem,
    InspectionTask,
    PlanRow,
    Publication,
    TaskDepartment,
    TaskItem,
)

YEAR = 2026
AS_OF = dt.date(YEAR, 12, 31)
RESULTS = (
    (InspectionResult.NO_PROBLEM, FollowUp.NONE, 80),
    (InspectionResult.CORRECTED, FollowUp.ORDER_CORRECTION, 8),
    (InspectionResult.PENDING_FOLLOW_UP, FollowUp.CASE_FILED, 4),
    (InspectionResult.NOT_DISCLOSED, FollowUp.LIST_ABNORMAL, 3),
    (InspectionResult.UNREACHABLE, FollowUp.LIST_ABNORMAL, 2),
    (InspectionResult.CLOSED, FollowUp.NONE, 3),
)
T = TypeVar("T")


def timed(label: str, func: Callable[[], T], results: dict[str, float]) -> T:
    start = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - start
    return value


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the cached file may be open elsewhere)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0)).astimezone()


def seed_year(session: Session, rng: random.Random) -> tuple[int, int, int]:
    """One year of tasks, draws, inspections and 公示 written in bulk; returns (tasks, objects, inspections)."""
    rows = session.execute(
        select(PlanRow, AnnualPlan.department_id, InspectionItem)
        .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
        .join(InspectionItem, InspectionItem.id == PlanRow.item_id)
        .where(AnnualPlan.year == YEAR)
        .order_by(PlanRow.planned_month, AnnualPlan.department_id, PlanRow.seq)
    ).all()
    live = select(Entity.id, Entity.kind, Entity.industry).where(
        Entity.archived.is_(False), Entity.reg_status == RegStatus.ACTIVE.value
    )
    entities = session.execute(live).all()
    connection = session.connection()
    weights = [w for _r, _f, w in RESULTS]
    n_tasks = n_objects = n_inspections = 0
    for number, (row, dept_id, item) in enumerate(rows, start=1):
        month = row.planned_month or 6
        drawn_on = dt.date(YEAR, month, 5)
        last = dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])
        pool = [
            e.id
            for e in entities
            if (not item.target_kinds or e.kind in item.target_kinds)
            and (not item.target_industries or e.industry in item.target_industries)
        ]
        chosen = rng.sample(pool, min(len(pool), row.planned_count or 0))
        finished = month <= 10
        partners = [j.department_id for j in row.joint_departments]
        task = InspectionTask(
            code=f"RW-{YEAR}-{number:04d}",
            title=f"{YEAR}年度{item.name}",
            year=YEAR,
            department_id=dept_id,
            plan_row_id=row.id,
            is_joint=bool(partners),
            status=TaskStatus.PUBLISHED if finished else TaskStatus.INSPECTING,
            planned_date=last,
        )
        task.items = [TaskItem(item_id=item.id)]
        task.departments = [TaskDepartment(department_id=dept_id, role=DeptRole.LEAD)] + [
            TaskDepartment(department_id=p, role=DeptRole.PARTNER) for p in partners
        ]
        session.add(task)
        session.flush()
        draw = Draw(
            task_id=task.id,
            attempt_no=1,
            draw_uid=f"SJD-{drawn_on:%Y%m%d}-{task.id:08X}",
            status=DrawStatus.FINISHED,
            prepared_at=noon(drawn_on),
            finished_at=noon(drawn_on),
        )
        session.add(draw)
        session.flush()
        if chosen:
            connection.execute(
                insert(Assignment),
                [
                    {"draw_id": draw.id, "task_id": task.id, "order_no": i, "entity_id": e}
                    for i, e in enumerate(chosen, start=1)
                ],
            )
        assigned = session.execute(
            select(Assignment.id, Assignment.entity_id).where(Assignment.draw_id == draw.id)
        ).all()
        done = assigned if finished else assigned[: len(assigned) * 2 // 3]
        forms = []
        for assignment_id, entity_id in done:
            result, follow_up, _w = rng.choices(RESULTS, weights)[0]
            day = drawn_on + dt.timedelta(days=rng.randint(1, 20))
            forms.append(
                {
                    "assignment_id": assignment_id,
                    "task_id": task.id,
                    "entity_id": entity_id,
                    "inspection_date": day,
                    "method": "实地核查",
                    "result": result.value,
                    "follow_up": follow_up.value,
                    "status": InspectionStatus.DRAFT.value,  # findings first: a filed form is sealed
                    "created_at": noon(day),
                    "updated_at": noon(day),
                }
            )
        if forms:
            connection.execute(insert(Inspection), forms)
        problems = session.execute(
            select(Inspection.id).where(
                Inspection.task_id == task.id,
                Inspection.result.in_(
                    [InspectionResult.CORRECTED.value, InspectionResult.PENDING_FOLLOW_UP.value]
                ),
            )
        ).scalars()
        findings = [
            {
                "inspection_id": i,
                "seq": 1,
                "content": "检查要点",
                "problem": "发现的问题",
                "handling": "处置情况",
            }
            for i in problems
        ]
        if findings:
            connection.execute(insert(InspectionFinding), findings)
        connection.execute(
            update(Inspection)
            .where(Inspection.task_id == task.id)
            .values(status=InspectionStatus.FILED.value, filed_at=noon(drawn_on + dt.timedelta(days=25)))
        )
        end = session.scalar(
            select(func.max(Inspection.inspection_date)).where(Inspection.task_id == task.id)
        )
        if finished and end is not None:
            task.start_date, task.end_date = drawn_on + dt.timedelta(days=1), end
            published = end + dt.timedelta(days=rng.choice((3, 5, 8, 12)))
            session.add(
                Publication(
                    task_id=task.id,
                    published_on=published,
                    deadline=end + dt.timedelta(days=9),
                    channel="门户网站",
                    created_at=noon(published),
                )
            )
        n_tasks, n_objects, n_inspections = n_tasks + 1, n_objects + len(assigned), n_inspections + len(forms)
    session.commit()
    return n_tasks, n_objects, n_inspections


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="copy the ten files into this folder, to look at them")
    args = parser.parse_args()
    t: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "county.db"
        copy_database(demo_database(args.entities), work)
        database = open_database(work)
        with database.sessions() as session:
            start = time.perf_counter()
            tasks, objects, inspections = seed_year(session, random.Random(7))
            seeding = time.perf_counter() - start
        period = Period.year(YEAR)
        with database.sessions() as session:
            facts = timed(
                "collect_facts (2026年度, all departments)",
                lambda: collect_facts(session, period, as_of=AS_OF),
                t,
            )
        text = timed("facts → JSON text", lambda: json.dumps(facts.to_json_dict(), ensure_ascii=False), t)
        again = timed("JSON text → facts", lambda: Facts.from_json_dict(json.loads(text)), t)
        assert again == facts
        tables = timed("the five tables (all_tables)", lambda: all_tables(facts), t)
        charts = progress_charts(facts)
        from app.reports.pdf import write_table_pdf  # noqa: PLC0415
        from app.reports.xlsx import write_table_xlsx  # noqa: PLC0415 - the heavy import is part of the cost

        out = Path(folder) / "out"
        out.mkdir()
        for table in tables:
            timed(
                f"xlsx {table.title}",
                functools.partial(write_table_xlsx, table, out / f"{table.kind}.xlsx"),
                t,
            )
        for table in tables:
            extra = charts if table.kind == "progress" else None
            timed(
                f"pdf  {table.title}",
                functools.partial(write_table_pdf, table, out / f"{table.kind}.pdf", charts=extra),
                t,
            )
        database.close()
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for made in out.iterdir():
                shutil.copyfile(made, args.keep / made.name)

    print(f"demo county {args.entities:,} objects; seeded {tasks} tasks, {objects:,} drawn objects, ", end="")
    print(f"{inspections:,} inspections in {seeding:.1f} s (not timed below)")
    print(
        f"facts: {len(facts.tasks)} tasks, {len(facts.entities):,} entities, {len(facts.inspections):,} inspections; ",
        end="",
    )
    print(f"JSON {len(text.encode('utf-8')) / 1e6:.1f} MB")
    for label, seconds in t.items():
        print(f"{label:>58}: {seconds * 1000:8.1f} ms")
    writing = sum(v for k, v in t.items() if k.startswith(("xlsx", "pdf")))
    total = t["collect_facts (2026年度, all departments)"] + t["the five tables (all_tables)"] + writing
    print(f"{'collect + five tables + ten files':>58}: {total * 1000:8.1f} ms")
    print("files: " + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
