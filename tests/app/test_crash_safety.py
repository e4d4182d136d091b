"""Crash safety: a registry import, a draw and a plan filing are each one transaction, so a process killed with
SIGKILL at any moment leaves the database exactly as before or with the whole change — never half of it.

Each test runs the real command or service in a subprocess on a real SQLite file, waits until it reaches a
crash point (app/faults.py) or a fixed delay, kills it with ``kill -9``, then reopens the file with
``open_database`` (which recovers the -wal file) and compares it with the state before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from app.database import open_database
from app.draw import Outcome, verify_record
from app.faults import CRASH_AT_ENV, CRASH_MARKER
from app.forms.plan_table import write_plan_table_xlsx
from app.io.xlsx_writer import XlsxColumn, write_xlsx
from app.plans import (
    RowInput,
    add_row,
    create_plan,
    file_plan,
    items_for_department,
    list_plans,
    plan_rows,
    submit_plan,
)
from app.plans.importer import import_plan_table
from app.registry.codes import random_uscc
from app.tasks import commit_draw, finish_draw, prepare_draw
from db.engine import make_engine
from db.enums import DrawStatus, PlanStatus, TaskStatus
from db.migrate import alembic_config, current_revision, head_revision
from db.models import AnnualPlan, Draw, InspectionTask
from tests.app.crash_steps import WITNESSES
from tests.app.tasks.conftest import sj_task
from tests.conftest import DEMO_YEAR

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(signal, "SIGKILL"),
    reason="needs SIGKILL (kill -9), which Windows does not have",
)

ROOT = Path(__file__).resolve().parents[2]
IMPORT_ROWS = 20_000  # above the 10,000 at which the import drops and rebuilds the entity indexes
WAIT_SECONDS = 90.0


# --- the database before and after ----------------------------------------------------------------------
@dataclass(frozen=True)
class DbState:
    """What a database holds: its schema, and per table the row count and a digest of every row."""

    schema: tuple[tuple[str, str, str, str], ...]
    counts: dict[str, int]
    digests: dict[str, str]


def db_state(path: Path) -> DbState:
    """Open ``path`` as the app does (WAL recovery included), check its integrity and describe it."""
    database = open_database(path, create=False)
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            schema = tuple(
                sorted(
                    (str(kind), str(name), str(table), str(sql or ""))
                    for kind, name, table, sql in conn.exec_driver_sql(
                        "SELECT type, name, tbl_name, sql FROM sqlite_master"
                    )
                )
            )
            counts: dict[str, int] = {}
            digests: dict[str, str] = {}
            for kind, name, _table, _sql in schema:
                if kind != "table":
                    continue
                rows = sorted(repr(tuple(row)) for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"'))
                counts[name] = len(rows)
                digests[name] = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
    finally:
        database.close()
    return DbState(schema, counts, digests)


def assert_same_schema(before: DbState, after: DbState) -> None:
    lost = sorted(f"{kind} {name}" for kind, name, _t, _s in set(before.schema) - set(after.schema))
    gained = sorted(f"{kind} {name}" for kind, name, _t, _s in set(after.schema) - set(before.schema))
    assert (lost, gained) == ([], []), "tables, indexes or triggers changed"


def assert_unchanged(before: DbState, after: DbState) -> None:
    assert_same_schema(before, after)
    assert after.counts == before.counts
    changed = sorted(t for t in before.digests if after.digests.get(t) != before.digests[t])
    assert not changed, f"rows changed in {changed}"


# --- processes ---------------------------------------------------------------------------------------------
def start(args: list[str], log: Path, crash_at: str | None = None) -> subprocess.Popen[bytes]:
    """``python <args>`` from the repository root, stderr to ``log``."""
    env = {key: value for key, value in os.environ.items() if key != CRASH_AT_ENV}
    if crash_at is not None:
        env[CRASH_AT_ENV] = crash_at
    with log.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err
        )


def kill_at_crash_point(process: subprocess.Popen[bytes], log: Path, name: str) -> None:
    """Wait until the process reports the crash point ``name``, then SIGKILL it."""
    marker = f"{CRASH_MARKER} {name}".encode()
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while marker not in log.read_bytes():
            if process.poll() is not None:
                pytest.fail(
                    f"exited ({process.returncode}) before {name}:\n{log.read_text('utf-8', 'replace')}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"did not reach {name} within {WAIT_SECONDS:.0f} s")
            time.sleep(0.02)
    finally:
        kill(process)
    assert process.returncode == -signal.SIGKILL


def kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


# --- registry import -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def registry_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An entity registry xlsx of IMPORT_ROWS new, valid objects (codes from a region the demo does not use)."""
    rng = random.Random("crash-safety")
    seen: set[str] = set()
    rows = []
    for serial in range(1, IMPORT_ROWS + 1):
        code = random_uscc(rng, "469099", ("9", "1"))
        while code in seen:
            code = random_uscc(rng, "469099", ("9", "1"))
        seen.add(code)
        name, address = f"示范县崩溃测试商贸有限公司{serial:05d}", f"示范县人民路{serial}号"
        rows.append([code, name, "有限责任公司", "城关镇", address])
    path = tmp_path_factory.mktemp("registry") / "名录.xlsx"
    headers = ("统一社会信用代码", "名称", "类型", "乡镇/片区", "地址")
    write_xlsx(path, "检查对象", [XlsxColumn(h) for h in headers], rows)
    return path


def fresh_copy(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


def import_args(file: Path, db: Path) -> list[str]:
    return ["-m", "app", "import", "entities", str(file), "--db", str(db)]


def run_import(file: Path, db: Path, log: Path) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, *import_args(file, db)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    log.write_text(done.stderr, encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def data_counts(state: DbState) -> dict[str, int]:
    """Row counts without sqlite_stat1, the planner's statistics (a large import's index rebuild drops rows)."""
    return {t: n for t, n in state.counts.items() if not t.startswith("sqlite_stat")}


def assert_whole_import(before: DbState, after: DbState) -> None:
    """Every row of the file is in, searchable (the entity_search trigger ran), with its import batch."""
    assert_same_schema(before, after)
    grown = {t: after.counts[t] - before.counts[t] for t in ("entity", "entity_search", "import_batch")}
    assert grown == {"entity": IMPORT_ROWS, "entity_search": IMPORT_ROWS, "import_batch": 1}


@pytest.mark.parametrize("point", ["import.rows_partly_written", "import.before_commit"])
def test_an_import_killed_part_way_writes_nothing_and_can_be_run_again(
    point: str, demo_template: Path, registry_file: Path, tmp_path: Path
) -> None:
    db = fresh_copy(demo_template, tmp_path / "county.db")
    before = db_state(db)
    log = tmp_path / "import.log"

    kill_at_crash_point(start(import_args(registry_file, db), log, crash_at=point), log, point)

    assert wal_of(db).exists(), "the killed process leaves its -wal file behind for recovery"
    assert_unchanged(before, db_state(db))
    counts = run_import(registry_file, db, tmp_path / "again.log")
    assert counts["imported"] == IMPORT_ROWS and counts["errors"] == 0
    assert_whole_import(before, db_state(db))


def write_phase(file: Path, db: Path) -> tuple[float, float]:
    """Run the import once, uninterrupted, on ``db``; (start, end) of its 写入数据库 stage in seconds."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, *import_args(file, db)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    seen: list[tuple[float, str]] = []
    for line in process.stderr:
        seen.append((time.monotonic() - started, line.decode("utf-8", "replace")))
    assert process.wait(timeout=120) == 0
    writing = [at for at, text in seen if "写入数据库" in text]
    assert writing, "the import reports its 写入数据库 stage"
    return writing[0], seen[-1][0]


def test_an_import_killed_at_any_moment_is_all_or_nothing(
    demo_template: Path, registry_file: Path, tmp_path: Path
) -> None:
    # Fixed moments (start-up, reading the file, …) plus three inside the writing stage as timed on this machine.
    reference = fresh_copy(demo_template, tmp_path / "reference.db")
    write_start, write_end = write_phase(registry_file, reference)
    whole = data_counts(db_state(reference))
    inside = [write_start + (write_end - write_start) * k / 4 for k in (1, 2, 3)]
    before = db_state(fresh_copy(demo_template, tmp_path / "before.db"))  # every copy starts identical
    outcomes = []
    for delay in (0.3, 0.8, 1.5, *inside):
        db = fresh_copy(demo_template, tmp_path / f"county-{delay:.3f}.db")
        process = start(import_args(registry_file, db), tmp_path / f"import-{delay:.3f}.log")
        time.sleep(delay)
        kill(process)
        after = db_state(db)
        if after.counts == before.counts:
            assert_unchanged(before, after)
            outcomes.append((round(delay, 2), "nothing"))
        else:
            assert_whole_import(before, after)
            assert data_counts(after) == whole
            outcomes.append((round(delay, 2), "whole"))
    print("kill delay → database:", outcomes)


# --- draw ----------------------------------------------------------------------------------------------
def test_a_draw_killed_before_commit_stays_committed_and_can_be_finished(
    demo_template: Path, tmp_path: Path
) -> None:
    db = fresh_copy(demo_template, tmp_path / "county.db")
    database = open_database(db)
    with database.sessions() as session:
        task_id = sj_task(session)
        handle = prepare_draw(session, task_id, "张晓明", "示范县政府第三会议室")
        sealed = commit_draw(session, handle.draw_id)  # the nonce, kept in memory by the operator's program
    database.close()
    before = db_state(db)
    log = tmp_path / "draw.log"
    args = ["-m", "tests.app.crash_steps", "finish-draw", str(db), str(handle.draw_id), sealed.nonce.hex()]

    point = "draw.finish.before_commit"
    kill_at_crash_point(start(args, log, crash_at=point), log, point)

    assert wal_of(db).exists()
    assert_unchanged(before, db_state(db))
    database = open_database(db)
    try:
        with database.sessions() as session:
            draw = session.get(Draw, handle.draw_id)
            assert draw is not None and draw.status == DrawStatus.COMMITTED and draw.record_json == ""
            done = finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES)
            assert verify_record(done.record).outcome is Outcome.VERIFIED
            task = session.get(InspectionTask, task_id)
            assert task is not None and task.status == TaskStatus.DRAWN
    finally:
        database.close()


# --- plans ---------------------------------------------------------------------------------------------
def test_a_plan_filing_killed_before_commit_leaves_it_submitted(demo_template: Path, tmp_path: Path) -> None:
    db = fresh_copy(demo_template, tmp_path / "county.db")
    database = open_database(db)
    with database.sessions() as session:
        line = list_plans(session, DEMO_YEAR)[0]
        item = items_for_department(session, line.department_id)[0]
        plan_id = create_plan(session, line.department_id, DEMO_YEAR + 1)
        row = RowInput(
            item_id=item.id,
            scope_text="辖区内全部经营者",
            ratio="0.05",
            content="经营资质、公示信息",
            basis="《某某条例》第十条",
            planned_month=4,
            method="现场检查",
        )
        add_row(session, plan_id, row)
        submit_plan(session, plan_id, "张晓明")
    database.close()
    before = db_state(db)
    log = tmp_path / "file.log"
    args = ["-m", "tests.app.crash_steps", "file-plan", str(db), str(plan_id)]

    point = "plan.file.before_commit"
    kill_at_crash_point(start(args, log, crash_at=point), log, point)

    assert_unchanged(before, db_state(db))
    database = open_database(db)
    try:
        with database.sessions() as session:
            assert session.get(AnnualPlan, plan_id).status == PlanStatus.SUBMITTED  # type: ignore[union-attr]
            assert file_plan(session, plan_id, "张晓明") == 2  # 报审 was revision 1
    finally:
        database.close()


def test_a_plan_table_import_killed_before_commit_creates_no_plan(
    demo_template: Path, tmp_path: Path
) -> None:
    db = fresh_copy(demo_template, tmp_path / "county.db")
    table = tmp_path / "计划表.xlsx"
    database = open_database(db)
    with database.sessions() as session:
        line = list_plans(session, DEMO_YEAR)[0]
        rows = plan_rows(session, line.plan_id)
        write_plan_table_xlsx(rows, table, year=DEMO_YEAR + 1, unit=line.department, date=dt.date(2027, 1, 5))
    database.close()
    before = db_state(db)
    log = tmp_path / "plan-import.log"
    args = ["-m", "tests.app.crash_steps", "import-plan", str(db), str(table), str(line.department_id)]
    args.append(str(DEMO_YEAR + 1))

    point = "plan.import.before_commit"
    kill_at_crash_point(start(args, log, crash_at=point), log, point)

    assert_unchanged(before, db_state(db))
    database = open_database(db)
    try:
        with database.sessions() as session:
            plan_id = import_plan_table(session, table, line.department_id, DEMO_YEAR + 1)
            assert len(plan_rows(session, plan_id)) == len(rows)
            status = session.scalar(select(AnnualPlan.status).where(AnnualPlan.id == plan_id))
            assert status == PlanStatus.DRAFT
    finally:
        database.close()


# --- migrations --------------------------------------------------------------------------------------------
def raw_state(path: Path) -> tuple[str, tuple[tuple[str, str], ...], dict[str, int]]:
    """The stamped revision, the schema and the row counts, read with plain sqlite3 (open_database would
    migrate the file)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        revision = str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
        schema = tuple(
            sorted(conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        )
        counts = {
            name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for kind, name in schema
            if kind == "table"
        }
    finally:
        conn.close()
    return revision, schema, counts


@pytest.mark.parametrize("point", ["migration.applied.0002", "migration.applied.before_commit"])
def test_a_migration_killed_part_way_leaves_the_old_schema_and_runs_again(
    demo_template: Path, tmp_path: Path, point: str
) -> None:
    """The first start after an update migrates the database; a PC switched off meanwhile must not keep half a
    migration (SQLite commits each DDL statement on its own unless a transaction was opened first)."""
    db = fresh_copy(demo_template, tmp_path / "county.db")
    engine = make_engine(db)
    command.downgrade(alembic_config(engine), "0001")  # the county as the first version stored it
    engine.dispose()
    before = raw_state(db)
    assert before[0] == "0001"
    log = tmp_path / "migrate.log"
    args = ["-c", f"from app.database import open_database; open_database({str(db)!r})"]

    kill_at_crash_point(start(args, log, crash_at=point), log, point)

    assert raw_state(db) == before, "nothing of the upgrade is kept"
    database = open_database(db)  # the next start migrates from the old schema again
    try:
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()
    revision, _schema, counts = raw_state(db)
    assert revision == head_revision()
    assert counts["entity"] == before[2]["entity"] > 0
