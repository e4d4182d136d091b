"""The rules of the 来自其他部门 area: duplicates, superseding, a sender's key, one's own department, roles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth import PermissionDenied
from app.database import Database, open_database
from app.exchange import (
    KeyChangedError,
    OwnDepartmentError,
    SenderCodeClashError,
    import_package,
    list_received,
    received_facts,
)
from app.paths import DATA_DIR_ENV
from app.registry.departments import list_departments, save_department
from app.settings import load_settings, save_settings
from db.base import utcnow
from db.engine import transaction
from db.models import AuditEntry, ReceivedPackage, SenderKey
from tests.accounts import staff
from tests.app.exchange.conftest import PERIOD, Exported, draw_plan_rows, export, table_counts


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 7, day, 9, 30, tzinfo=dt.UTC)


def test_the_same_file_again_is_recognised_and_nothing_is_written(
    sj_package: Exported, receiver: Database
) -> None:
    with receiver.sessions() as session:
        first = import_package(session, sj_package.path)
    before = table_counts(receiver)
    with receiver.sessions() as session:
        again = import_package(session, sj_package.path)
    assert again.duplicate and again.package_id == first.package_id
    assert "该数据包已于" in again.message and "导入" in again.message
    assert table_counts(receiver) == before  # not even an audit entry


def test_a_newer_package_of_the_same_sender_and_period_supersedes_the_earlier(
    sender: Database, receiver: Database, tmp_path: Path
) -> None:
    early = export(sender, tmp_path / "early.sjpkg", now=at(1))
    draw_plan_rows(sender, "SJ", 4)  # the department drew once more before sending again
    late = export(sender, tmp_path / "late.sjpkg", now=at(2))
    earliest = export(sender, tmp_path / "earliest.sjpkg", now=at(1) - dt.timedelta(days=30))
    assert (early.counts["draws"], late.counts["draws"]) == (3, 7)
    with receiver.sessions() as session:
        first = import_package(session, early.path)
        second = import_package(session, late.path)
        assert second.superseded_id == first.package_id
        [current] = received_facts(session, PERIOD)
        assert len(current.draws) == 7
        # a package older than the current one, arriving late, is kept but does not become current
        third = import_package(session, earliest.path)
        assert third.superseded_by_id == second.package_id and not third.duplicate
        assert [len(f.draws) for f in received_facts(session, PERIOD)] == [7]
        rows = {r.id: r for r in list_received(session)}
        assert rows[first.package_id].superseded_by_id == second.package_id
        assert rows[second.package_id].current
        assert rows[third.package_id].status_text == "已被较新的数据包取代"
        summaries = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.object_type == "数据包").order_by(AuditEntry.id)
        ).all()
        assert len(summaries) == 3 and "取代" in summaries[1] and "仅存档" in summaries[2]


def test_a_changed_sender_key_is_refused_until_the_clerk_accepts_it(
    sender: Database, receiver: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    genuine = export(sender, tmp_path / "before.sjpkg", now=at(1))
    with monkeypatch.context() as patch:  # the department's PC was reinstalled: a new installation key
        patch.setenv(DATA_DIR_ENV, str(tmp_path / "reinstalled"))
        reinstalled = export(sender, tmp_path / "after.sjpkg", now=at(2))
    assert reinstalled.fingerprint != genuine.fingerprint
    with receiver.sessions() as session:
        import_package(session, genuine.path)
    before = table_counts(receiver)
    with receiver.sessions() as session, pytest.raises(KeyChangedError) as refused:
        import_package(session, reinstalled.path)
    assert genuine.fingerprint in refused.value.message_zh
    assert reinstalled.fingerprint in refused.value.message_zh
    assert "未写入任何数据" in refused.value.message_zh
    assert table_counts(receiver) == before
    with receiver.sessions() as session:
        outcome = import_package(session, reinstalled.path, accept_new_key=True)
        assert outcome.new_key_accepted and outcome.superseded_id is not None
        keys = session.execute(
            select(SenderKey.fingerprint, SenderKey.replaced_fingerprint).order_by(SenderKey.id)
        ).all()
        assert [tuple(k) for k in keys] == [
            (genuine.fingerprint, ""),
            (reinstalled.fingerprint, genuine.fingerprint),
        ]
        summary = session.scalars(select(AuditEntry.summary).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert "更换签名密钥" in summary and reinstalled.fingerprint in summary
        # both keys are now accepted for SJ: the earlier key's packages still import
        assert import_package(session, genuine.path).duplicate


def test_two_departments_with_one_code_are_refused_even_when_the_clerk_would_accept_the_key(
    sender: Database, receiver: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another department's PC uses the code 市场监管局 is known by: accepting its key would make the two one
    sender (each package replacing the other's figures), so it is refused whatever the clerk answers."""
    genuine = export(sender, tmp_path / "market.sjpkg", now=at(1))
    with transaction(sender.sessions) as session:
        market = next(r for r in list_departments(session) if r.code == "SJ")
        save_department(session, dataclasses.replace(market, name="示范县水务局"))
    with monkeypatch.context() as patch:  # the water bureau's own PC: its own installation key
        patch.setenv(DATA_DIR_ENV, str(tmp_path / "water-bureau"))
        other = export(sender, tmp_path / "water.sjpkg", now=at(2))
    with receiver.sessions() as session:
        import_package(session, genuine.path)
    before = table_counts(receiver)
    for accept in (False, True):
        with receiver.sessions() as session, pytest.raises(SenderCodeClashError) as refused:
            import_package(session, other.path, accept_new_key=accept)
        assert "部门编号“SJ”在本机属于“示范县市场监督管理局”" in refused.value.message_zh
        assert "示范县水务局" in refused.value.message_zh and "未写入任何数据" in refused.value.message_zh
    assert table_counts(receiver) == before


def test_a_package_of_this_installations_own_department_is_refused(
    sj_package: Exported, demo_template: Path, tmp_path: Path
) -> None:
    shutil.copyfile(demo_template, tmp_path / "sj-pc.db")
    database = open_database(tmp_path / "sj-pc.db")
    try:
        with transaction(database.sessions) as session:
            settings = load_settings(session)
            save_settings(
                session, settings.__class__(**{**vars(settings), "own_department": "示范县市场监督管理局"})
            )
        before = table_counts(database)
        with database.sessions() as session, pytest.raises(OwnDepartmentError, match="本机所属部门"):
            import_package(session, sj_package.path)
        assert table_counts(database) == before
    finally:
        database.close()


def test_a_supervisor_may_read_but_neither_export_nor_import(
    sj_package: Exported, sender: Database, receiver: Database, tmp_path: Path
) -> None:
    actors = staff(receiver)
    receiver.sign_in(actors["watch"])
    with receiver.sessions() as session, pytest.raises(PermissionDenied, match="数据交换"):
        import_package(session, sj_package.path)
    with receiver.sessions() as session:  # below the services: the write guard knows the new tables
        session.add(
            SenderKey(
                sender_code="SJ",
                fingerprint="0000",
                public_key="",
                first_seen_at=utcnow(),
            )
        )
        with pytest.raises(PermissionDenied, match="发送部门的密钥"):
            session.flush()
    receiver.sign_in(actors["clerk"])
    with receiver.sessions() as session:
        assert not import_package(session, sj_package.path).duplicate
    receiver.sign_in(actors["watch"])
    with receiver.sessions() as session:
        assert [r.sender_code for r in list_received(session)] == ["SJ"]
        assert session.scalar(select(ReceivedPackage.imported_by)) == "李经办（clerk）"
    sender_actors = staff(sender)
    sender.sign_in(sender_actors["watch"])
    with pytest.raises(PermissionDenied, match="数据交换"):
        export(sender, tmp_path / "x.sjpkg")
    assert not (tmp_path / "x.sjpkg").exists()
