"""A 数据包 carried from one department's PC to the 司法局's: exported, verified, imported, merged."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database import Database, open_database
from app.draw import Outcome, verify_text
from app.exchange import (
    county_facts,
    import_package,
    inspect_package,
    list_received,
    received_facts,
    received_record_text,
    verify_received,
)
from app.exchange.signing import installation_signing_key
from app.paths import DATA_DIR_ENV
from app.reports import collect_facts
from app.tasks import WitnessInput, draw_assignments, replace_inspector
from db.models import AuditEntry, Department, Draw, ReceivedPackage, ReceivedRecord, SenderKey
from tests.app.exchange.conftest import PERIOD, Exported, department_id, export
from tests.cli import run_app


def sender_facts(sender_path: Path) -> object:
    database = open_database(sender_path)
    try:
        with database.sessions() as session:
            return collect_facts(session, PERIOD, [department_id(database, "SJ")]).as_received()
    finally:
        database.close()


def test_the_package_holds_the_facts_and_every_finished_draw_record(
    sj_package: Exported, sender_template: Path
) -> None:
    with zipfile.ZipFile(sj_package.path) as archive:
        names = sorted(archive.namelist())
        files = {name: archive.read(name) for name in names}
    database = open_database(sender_template)
    try:
        with database.sessions() as session:
            sj = department_id(database, "SJ")
            stored = {
                uid: text
                for uid, text in session.execute(
                    select(Draw.draw_uid, Draw.record_json).where(
                        Draw.status == "已完成", Draw.task.has(department_id=sj)
                    )
                )
            }
    finally:
        database.close()
    assert len(stored) == 3  # the voided first attempt is not part of the facts, so not of the package
    assert names == sorted(
        ["manifest.json", "signature.json", "facts.json", *(f"records/{uid}.json" for uid in stored)]
    )
    for uid, text in stored.items():  # no 递补 here: the record as it stands is the one stored at finish
        assert files[f"records/{uid}.json"] == text.encode("utf-8")
        assert verify_text(files[f"records/{uid}.json"]).outcome is Outcome.VERIFIED
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "SJPKG-1"
    assert manifest["sender"]["department_code"] == "SJ"
    assert manifest["sender"]["county"] == "示范县"
    assert manifest["period"] == {"start": "2026-01-01", "end": "2026-12-31", "label": "2026年度"}
    assert manifest["counts"]["records"] == manifest["counts"]["draws"] == 3
    signature = json.loads(files["signature.json"])
    assert signature["fingerprint"] == manifest["sender"]["key_fingerprint"] == sj_package.summary.fingerprint
    assert len(signature["fingerprint"].split(" ")) == 16


def test_a_draw_with_a_replacement_travels_with_its_round_and_verifies(
    sender: Database, receiver: Database, tmp_path: Path
) -> None:
    """递补 after the draw: the package carries the record as it stands now, and the receiver verifies the
    replacement round too (its fresh witness numbers, the inspector chosen)."""
    with sender.sessions() as session:
        sj = department_id(sender, "SJ")
        draw_id = session.scalars(
            select(Draw.id).where(Draw.status == "已完成", Draw.task.has(department_id=sj)).order_by(Draw.id)
        ).first()
        assert draw_id is not None
        target = draw_assignments(session, draw_id)[0]
        leaving = target.inspectors[0]
        outcome = replace_inspector(
            session,
            draw_id,
            target.entity_id,
            leaving.inspector_id,
            "近亲属经营",
            WitnessInput("陈志强", "政协委员", (9, 2, 6)),
        )
        uid = session.get(Draw, draw_id).draw_uid  # type: ignore[union-attr]
    package = tmp_path / "with-replacement.sjpkg"
    export(sender, package)
    with zipfile.ZipFile(package) as archive:
        carried = json.loads(archive.read(f"records/{uid}.json"))
    (step,) = carried["replacements"]
    assert step["reason"] == "近亲属经营" and step["witness"][0]["values"] == [9, 2, 6]
    assert verify_text(json.dumps(carried, ensure_ascii=False).encode("utf-8")).outcome is Outcome.VERIFIED
    with receiver.sessions() as session:
        assert import_package(session, package).records == 3
        received = received_record_text(session, uid)
        assert received is not None and json.loads(received)["replacements"] == carried["replacements"]
        assert verify_text(received).outcome is Outcome.VERIFIED
        assert verify_received(session) == []
    assert outcome.round_no == 1


def test_the_signing_key_is_the_installations_own_and_stable() -> None:
    first, again = installation_signing_key(), installation_signing_key()
    assert first.fingerprint == again.fingerprint
    assert all(len(group) == 4 for group in first.fingerprint.split(" "))


def test_inspecting_a_genuine_package_passes_every_check(sj_package: Exported) -> None:
    report = inspect_package(sj_package.path)
    assert report.valid, report.problems
    assert report.exit_code == 0
    assert report.records_verified == 3
    assert report.sha256 == sj_package.summary.sha256
    assert "核验通过" in report.lines()[-1]


def test_round_trip_into_a_new_database(
    sj_package: Exported, sender_template: Path, receiver: Database
) -> None:
    with receiver.sessions() as session:
        outcome = import_package(session, sj_package.path)
    assert not outcome.duplicate
    assert (outcome.sender_code, outcome.records) == ("SJ", 3)
    with receiver.sessions() as session:
        received = received_facts(session, PERIOD)
        assert received == [sender_facts(sender_template)]
        county = county_facts(session, PERIOD)
        assert [d.code for d in county.departments] == ["SJ"]
        assert {t.key for t in county.tasks} == {t.key for t in received[0].tasks}
        assert len(county.draws) == 3
        rows = list_received(session)
        assert [(r.sender_code, r.period.label, r.current, r.counts["records"]) for r in rows] == [
            ("SJ", "2026年度", True, 3)
        ]
        uid = received[0].draws[0].draw_uid
        record = received_record_text(session, uid)
        assert record is not None and verify_text(record).outcome is Outcome.VERIFIED
        audit = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "数据包")).all()
        assert [a.action for a in audit] == ["导入"]
        assert "示范县市场监督管理局" in audit[0].summary
        assert verify_received(session) == []
    assert receiver.path is not None
    result = run_app("audit", "verify", "--db", receiver.path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_round_trip_into_an_installation_with_another_key(
    sj_package: Exported, sender_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 司法局's PC has its own data directory, hence its own audit key and signing key."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "sifaju-data"))
    assert installation_signing_key().fingerprint != sj_package.summary.fingerprint
    database = open_database(tmp_path / "sifaju.db")
    try:
        with database.sessions() as session:
            outcome = import_package(session, sj_package.path)
            assert outcome.fingerprint == sj_package.summary.fingerprint
            assert received_facts(session) == [sender_facts(sender_template)]
            keys = session.scalars(select(SenderKey.fingerprint)).all()
            assert keys == [sj_package.summary.fingerprint]
    finally:
        database.close()
    result = run_app("audit", "verify", "--db", tmp_path / "sifaju.db", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_received_package_wins_for_its_department_and_this_database_keeps_the_others(
    sj_package: Exported, sender_template: Path, demo_template: Path, tmp_path: Path
) -> None:
    """The 司法局's database also knows SJ (an old copy with its own task) and WJ; after SJ's package
    arrives, SJ's figures come from the package only and WJ's still from this database."""
    path = tmp_path / "county.db"
    shutil.copyfile(demo_template, path)
    database = open_database(path)
    try:
        from tests.app.exchange.conftest import draw_plan_rows

        draw_plan_rows(database, "WJ", 3)
        draw_plan_rows(database, "SJ", 1)  # a local SJ task (RW-2026-0004) that is not in SJ's package
        with database.sessions() as session:
            before = county_facts(session, PERIOD)
            local_sj = {t.key for t in before.tasks if t.lead_department_code == "SJ"}
            wj = {t.key for t in before.tasks if t.lead_department_code == "WJ"}
            assert local_sj and wj
            import_package(session, sj_package.path)
        with database.sessions() as session:
            after = county_facts(session, PERIOD)
            package_sj = {t.key for t in sender_facts(sender_template).tasks}  # type: ignore[attr-defined]
            assert local_sj.isdisjoint(package_sj)
            assert {t.key for t in after.tasks if t.lead_department_code == "SJ"} == package_sj
            assert {t.key for t in after.tasks if t.lead_department_code == "WJ"} == wj
            sj_dept = next(d for d in after.departments if d.code == "SJ")
            assert sj_dept.local_id is None  # the package's copy, not this database's
            assert next(d for d in after.departments if d.code == "WJ").local_id is not None
            assert {d.code for d in after.departments} == set(
                session.scalars(select(Department.code).where(Department.archived.is_(False)))
            )
            assert session.scalar(select(ReceivedRecord.id).limit(1)) is not None
            assert session.scalar(select(ReceivedPackage.superseded_by_id)) is None
    finally:
        database.close()
