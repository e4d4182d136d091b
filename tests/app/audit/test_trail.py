"""The audit trail on a real database: what work leaves in it, and what `audit verify` finds after someone
edits the SQLite file behind the app's back (triggers dropped first, as a SQLite editor allows)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import install_recorder, record_event
from app.audit.cosign import CosignRefused, cosign_draw, cosignatures
from app.audit.keys import installation_key
from app.audit.verify import verify_engine
from app.auth import PermissionDenied
from app.database import Database, open_database
from app.inspections import file_inspection, record_inspection
from db.engine import make_session_factory, transaction
from db.models import AuditEntry
from tests.accounts import staff
from tests.app.inspections.conftest import complete_input, started_task
from tests.cli import run_app
from tests.tamper import drop_protection, edit


def _work(session: Session) -> tuple[int, int, int]:
    """A finished draw and one filed form; returns (task id, draw id, inspection id)."""
    task_id, ids = started_task(session, count=3)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    file_inspection(session, ids[0])
    draw_id = session.scalar(
        select(func.max(AuditEntry.object_id)).where(AuditEntry.object_type == "摇号抽取")
    )
    assert draw_id is not None
    return task_id, int(draw_id), ids[0]


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    return run_app("audit", "verify", "--db", path, timeout=120)


def test_work_is_sealed_and_the_database_verifies(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        _work(session)
        actions = set(session.scalars(select(AuditEntry.action)))
        sealed = set(session.scalars(select(AuditEntry.object_type).where(AuditEntry.action == "封存")))
    assert {"新增", "完成抽取", "归档", "开始检查", "封存"} <= actions
    assert sealed == {"摇号抽取", "计划版本", "检查登记表"}
    report = verify_engine(demo_db.engine)
    assert report.intact, report.lines()
    assert report.protected["摇号抽取"] == 1 and report.protected["检查登记表"] == 1
    result = _verify(demo_db.path)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "核验通过" in result.stdout


def test_the_database_itself_refuses_edits_of_protected_rows(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        _task, draw_id, inspection_id = _work(session)
    path = demo_db.path
    demo_db.close()
    connection = sqlite3.connect(str(path))
    for sql, message in (
        (f"UPDATE draw SET seed_hex = 'ab' WHERE id = {draw_id}", "只能作废"),
        (f"DELETE FROM draw WHERE id = {draw_id}", "不能删除"),
        (f"UPDATE inspection SET result = '责令整改' WHERE id = {inspection_id}", "已归档"),
        ("UPDATE audit_entry SET summary = 'x' WHERE id = 1", "只能追加"),
        ("DELETE FROM audit_entry", "只能追加"),
        ("UPDATE plan_revision SET reason = 'x'", "不能修改"),
    ):
        with pytest.raises(sqlite3.IntegrityError, match=message):
            connection.execute(sql)
    connection.close()


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE draw SET place = '别处' WHERE id = {draw}", "第1次抽取的内容与封存时不一致"),
        (
            "UPDATE assignment SET entity_id = entity_id + 1 WHERE draw_id = {draw} AND order_no = 1",
            "封存时不一致",
        ),
        ("UPDATE inspection SET result = '责令整改' WHERE id = {form}", "检查登记表"),
        ("UPDATE audit_entry SET summary = '无事发生' WHERE id = 3", "第 3 条审计记录"),
        ("DELETE FROM audit_entry WHERE id = 5", "第 5 条到第 5 条不见了"),
        ("DELETE FROM audit_entry WHERE id > (SELECT max(id) - 3 FROM audit_entry)", "末尾的记录被删除"),
        ("UPDATE draw SET status = '已准备' WHERE id = {draw}", "状态被改回可编辑"),
    ],
)
def test_edits_behind_the_apps_back_are_found(demo_db: Database, tamper: str, expected: str) -> None:
    with demo_db.sessions() as session:
        _task, draw_id, inspection_id = _work(session)
    path = demo_db.path
    assert path is not None
    demo_db.close()
    drop_protection(path)
    assert edit(path, tamper.format(draw=draw_id, form=inspection_id)) >= 1
    result = _verify(path)
    assert result.returncode == 1, result.stdout
    assert "保护触发器已被删除" in result.stdout or "保护触发器" in result.stdout
    assert expected in result.stdout, result.stdout


def test_verify_refuses_what_it_cannot_check(tmp_path: Path) -> None:
    garbage = tmp_path / "x.db"
    garbage.write_bytes(b"not a database at all")
    assert _verify(garbage).returncode == 2
    assert _verify(tmp_path / "missing.db").returncode == 2


def test_a_supervisor_cosigns_a_verified_draw_and_a_clerk_cannot(demo_db: Database) -> None:
    actors = staff(demo_db)
    with demo_db.sessions() as session:
        _task, draw_id, _form = _work(session)
    demo_db.sign_in(actors["clerk"])
    with demo_db.sessions() as session, pytest.raises(PermissionDenied, match="复核签名"):
        cosign_draw(session, draw_id)
    demo_db.sign_in(actors["watch"])
    with transaction(demo_db.sessions) as session:
        signed = cosign_draw(session, draw_id, "现场见证，结果一致")
    with demo_db.sessions() as session:
        assert [s.username for s in cosignatures(session, draw_id)] == ["赵监督（watch）"]
    assert len(signed.record_sha256) == 64
    path = demo_db.path
    assert path is not None
    drop_protection(path)
    edit(path, "UPDATE draw SET operator_name = '别人' WHERE id = ?", draw_id)
    with demo_db.sessions() as session, pytest.raises(CosignRefused, match="封存摘要不一致"):
        cosign_draw(session, draw_id)


def test_the_key_lives_in_the_credential_store_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backends import fail
    from keyrings.alt.file import PlaintextKeyring

    from app.audit import keys

    previous = (
        keyring.get_keyring()
    )  # the session's (no store: PYTHON_KEYRING_BACKEND), before the env changes
    folder = tmp_path / "install"
    folder.mkdir()
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "store"))  # a real file-backed keyring backend
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    keys._cache.clear()
    keyring.set_keyring(PlaintextKeyring())
    try:
        first = installation_key()
        remembered = (folder / keys.BACKEND_FILE).read_text(encoding="ascii").strip()
        # Next start: the remembered backend is asked directly, without keyring's discovery (which would
        # now find no store at all and put a new key in a file).
        keyring.set_keyring(fail.Keyring())
        keys._cache.clear()
        again = installation_key()
        # A remembered backend that no longer has the key is passed over for discovery.
        (folder / keys.BACKEND_FILE).write_text("keyring.backends.fail.Keyring\n", encoding="ascii")
        keyring.set_keyring(PlaintextKeyring())
        keys._cache.clear()
        third = installation_key()
    finally:
        keyring.set_keyring(previous)
        keys._cache.clear()
    assert first.storage == "keyring" and first.location == "PlaintextKeyring"
    assert remembered == "keyrings.alt.file.PlaintextKeyring"
    assert again.storage == "keyring" and again.secret == first.secret
    assert third.storage == "keyring" and third.secret == first.secret
    assert not (folder / keys.KEY_FILE).exists()
    assert first.secret.hex() not in repr(first)


def test_without_a_credential_store_the_key_file_is_private() -> None:
    key = installation_key()
    assert key.storage == "file"
    mode = Path(key.location).stat().st_mode & 0o777
    assert mode == 0o600


def test_child_rows_are_summarised_on_their_parent_only_when_it_already_existed(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        task_id, draw_id, inspection_id = _work(session)
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id, AuditEntry.summary)
        ).all()
    details = {(kind, object_id) for action, kind, object_id, _ in entries if action == "修改明细"}
    assert ("抽查任务", str(task_id)) not in details  # the task's items belong to its 新增 entry
    assert ("摇号抽取", str(draw_id)) not in details  # a draw's rows belong to its own entry and seal
    assert ("检查登记表", str(inspection_id)) in details  # findings filled into an existing draft
    names = [summary for action, kind, _, summary in entries if action == "新增" and kind == "摇号抽取"]
    assert names and all("SJD-" in name for name in names)  # a draw is named by its SJDRAW-1 id


def test_a_session_factory_that_reuses_a_freed_ones_id_is_still_audited(tmp_path: Path) -> None:
    """SQLAlchemy's event.contains keys on id(): a new session factory at the address of one already freed
    was taken for hooked and its sessions went unaudited (a database built by the demo had no trail)."""
    database = open_database(tmp_path / "county.db")
    for _ in range(5):
        install_recorder(make_session_factory(database.engine))  # freed at once, its id free for the next
    sessions = make_session_factory(database.engine)
    install_recorder(sessions)
    with transaction(sessions) as session:
        record_event(session, "测试", "审计日志", "", "新的会话工厂")
    with database.sessions() as session:
        assert list(session.scalars(select(AuditEntry.summary))) == ["新的会话工厂"]
    database.close()
