"""A sending county (the demo county with three finished 市场监管局 draws), its 数据包, receiving databases,
and the tools to take a package apart and put it back together (re-hashed, re-signed) for tampering tests."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database import Database, open_database
from app.exchange import PackageSummary, export_package
from app.exchange.format import FACTS, MANIFEST, SIGNATURE, json_bytes
from app.exchange.signing import SigningKey, signing_key
from app.reports import Period
from app.tasks import commit_draw, create_task_from_plan_row, finish_draw, prepare_draw, void_draw
from db.models import AnnualPlan, Department, PlanRow

YEAR = 2026
PERIOD = Period.year(YEAR)
WITNESSES = [("李建国", "人大代表", (3, 1, 4, 1, 5)), ("王秀英", "纪检监察", (2, 7, 1, 8))]
OTHER_KEY = signing_key(b"another installation's audit secret, e.g. a reinstalled PC")


def department_id(database: Database, code: str) -> int:
    with database.sessions() as session:
        return session.scalars(select(Department.id).where(Department.code == code)).one()


def draw_plan_rows(database: Database, code: str, count: int) -> list[int]:
    """Tasks from the first ``count`` rows of the department's plan, each drawn in full; the first is drawn
    twice (the first attempt voided), as happens when the room loses power. Returns the task ids."""
    tasks = []
    with database.sessions() as session:
        rows = session.scalars(
            select(PlanRow.id)
            .join(AnnualPlan)
            .join(Department, Department.id == AnnualPlan.department_id)
            .where(Department.code == code)
            .order_by(PlanRow.seq)
            .limit(count)
        ).all()
        for n, row in enumerate(rows):
            task = create_task_from_plan_row(session, row)
            attempts = 2 if n == 0 else 1
            for attempt in range(attempts):
                handle = prepare_draw(session, task.id, "张晓明", "示范县政府第三会议室")
                sealed = commit_draw(session, handle.draw_id)
                finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)
                if attempt + 1 < attempts:
                    void_draw(session, handle.draw_id, "现场停电，重新抽取")
            tasks.append(task.id)
    return tasks


def county_with_draws(demo_template: Path, path: Path, draws: dict[str, int]) -> Path:
    """A copy of the demo county at ``path`` with ``draws[code]`` plan rows drawn for each department."""
    shutil.copyfile(demo_template, path)
    database = open_database(path)
    try:
        for code, count in draws.items():
            draw_plan_rows(database, code, count)
        with database.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.close()
    return path


@pytest.fixture(scope="session")
def sender_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county after three 市场监管局 (SJ) draws and one 卫健委 (WJ) draw."""
    return county_with_draws(
        demo_template, tmp_path_factory.mktemp("sender") / "sender.db", {"SJ": 3, "WJ": 1}
    )


@pytest.fixture
def sender(sender_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the sending county, open."""
    target = tmp_path / "sender.db"
    shutil.copyfile(sender_template, target)
    database = open_database(target)
    yield database
    database.close()


def export(database: Database, path: Path, code: str = "SJ", **options: object) -> PackageSummary:
    with database.sessions() as session:
        return export_package(session, department_id(database, code), PERIOD, path, **options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Exported:
    path: Path
    summary: PackageSummary


@pytest.fixture(scope="session")
def sj_package(sender_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """The 市场监管局's package for 2026, exported once (tests copy it before changing anything)."""
    folder = tmp_path_factory.mktemp("package")
    shutil.copyfile(sender_template, folder / "sender.db")
    database = open_database(folder / "sender.db")
    try:
        path = folder / "市场监管局-2026年度.sjpkg"
        return Exported(path, export(database, path))
    finally:
        database.close()


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Database]:
    """A new, empty database on another PC (the 司法局's)."""
    database = open_database(tmp_path / "receiver.db")
    yield database
    database.close()


def table_counts(database: Database) -> dict[str, int]:
    """Rows of every table, read with plain sqlite3."""
    path = database.path
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()


# ---- taking a package apart ---------------------------------------------------------------------------------


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def first_record(files: dict[str, bytes]) -> str:
    return sorted(name for name in files if name.startswith("records/"))[0]


def resign(
    files: dict[str, bytes],
    key: SigningKey,
    change_manifest: Callable[[dict[str, object]], None] | None = None,
) -> dict[str, bytes]:
    """Re-hash every listed file into the manifest, then sign it with ``key`` (naming ``key`` as the
    sender's), as a forger holding some key would."""
    manifest = json.loads(files[MANIFEST])
    manifest["files"] = [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in files.items()
        if name not in (MANIFEST, SIGNATURE)
    ]
    manifest["sender"]["key_fingerprint"] = key.fingerprint
    if change_manifest is not None:
        change_manifest(manifest)
    manifest_bytes = json_bytes(manifest)
    signature = {
        "algorithm": "Ed25519",
        "signed_file": MANIFEST,
        "public_key": key.public_text,
        "fingerprint": key.fingerprint,
        "signature": key.sign(manifest_bytes),
    }
    return {**files, MANIFEST: manifest_bytes, SIGNATURE: json_bytes(signature)}


def facts_of(files: dict[str, bytes]) -> dict[str, object]:
    data = json.loads(files[FACTS])
    assert isinstance(data, dict)
    return data
