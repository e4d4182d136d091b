"""Received packages are read-only below the app too: SQLite triggers, `audit verify`, and re-verification."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect as sa_inspect

from app.database import Database, open_database
from app.exchange import import_package, verify_received
from db.models import ReceivedPackage
from db.protection import EXCHANGE_TRIGGERS, TRIGGERS
from tests.app.exchange.conftest import Exported
from tests.cli import run_app
from tests.tamper import drop_protection, edit


@pytest.fixture
def imported(sj_package: Exported, receiver: Database) -> Database:
    with receiver.sessions() as session:
        import_package(session, sj_package.path)
    return receiver


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE received_package SET facts_json = '{}'", "收到的数据包只读"),
        ("UPDATE received_package SET sender_code = 'WJ'", "收到的数据包只读"),
        ("UPDATE received_package SET superseded_by_id = NULL", "收到的数据包只读"),
        ("DELETE FROM received_package", "收到的数据包不能删除"),
        ("UPDATE received_record SET record_json = '{}'", "收到的摇号记录只读"),
        ("DELETE FROM received_record", "收到的摇号记录不能删除"),
        ("UPDATE sender_key SET fingerprint = 'x'", "密钥记录不能修改"),
        ("DELETE FROM sender_key", "密钥记录不能删除"),
    ],
)
def test_received_rows_cannot_be_changed_or_deleted(imported: Database, sql: str, message: str) -> None:
    assert imported.path is not None
    with pytest.raises(sqlite3.IntegrityError, match=message):
        edit(imported.path, sql)


def test_a_package_may_be_marked_superseded_once(imported: Database) -> None:
    assert imported.path is not None
    conn = sqlite3.connect(imported.path)
    try:  # a second package row to point at (copied; the trigger guards UPDATE and DELETE only)
        conn.execute(
            "INSERT INTO received_package SELECT id + 1, file_sha256 || 'x', file_name, file_size, sender_code, "
            "sender_name, bureau_name, county_name, key_fingerprint, period_start, period_end, period_label, "
            "created_at, created_by, program_version, imported_at, imported_by, counts, manifest_json, "
            "signature_json, facts_json, NULL FROM received_package WHERE id = 1"
        )
        conn.commit()
    finally:
        conn.close()
    assert edit(imported.path, "UPDATE received_package SET superseded_by_id = 2 WHERE id = 1") == 1
    with pytest.raises(sqlite3.IntegrityError, match="只读"):
        edit(imported.path, "UPDATE received_package SET superseded_by_id = NULL WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="只读"):
        edit(
            imported.path, "UPDATE received_package SET superseded_by_id = 1 WHERE id = 2 AND 0 = 1 OR id = 1"
        )


def test_the_update_trigger_watches_every_column_but_superseded_by_id() -> None:
    columns = {c.name for c in sa_inspect(ReceivedPackage).columns} - {"superseded_by_id"}
    statement = EXCHANGE_TRIGGERS["received_package_no_update"]
    assert all(f"NEW.{c} IS NOT OLD.{c}" in statement for c in columns)
    assert set(EXCHANGE_TRIGGERS) <= set(TRIGGERS)


def test_audit_verify_reports_the_dropped_triggers_and_re_verification_finds_the_edit(
    imported: Database,
) -> None:
    path = imported.path
    assert path is not None
    imported.close()
    intact = run_app("audit", "verify", "--db", path, timeout=120)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "收到的数据包 1 个" in intact.stdout and "收到的数据包与发送方签名一致" in intact.stdout
    conn = sqlite3.connect(path)
    try:
        for name in EXCHANGE_TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
        conn.commit()
    finally:
        conn.close()
    result = run_app("audit", "verify", "--db", path, timeout=120)
    assert result.returncode == 1
    assert "保护触发器" in result.stdout and "received_package_no_update" in result.stdout
    edit(
        path,
        "UPDATE received_package SET facts_json = replace(facts_json, '\"entity_count\"', '\"entity_count\" ')",
    )
    database = open_database(path)
    try:
        with database.sessions() as session:
            assert any("统计数据（facts.json）已被改动" in p for p in verify_received(session))
    finally:
        database.close()
    edited = run_app("audit", "verify", "--db", path, timeout=120)
    assert edited.returncode == 1
    assert (
        "〔收到的数据包〕收到的数据包 #1" in edited.stdout
        and "统计数据（facts.json）已被改动" in edited.stdout
    )
    drop_protection(path)  # the shared helper drops these too
    conn = sqlite3.connect(path)
    try:
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        conn.close()
    assert present.isdisjoint(TRIGGERS)
