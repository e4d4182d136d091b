"""Users, sign-in and what each role may do — checked at the service level on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth import PermissionDenied
from app.auth.users import (
    MAX_FAILURES,
    LoginError,
    UserError,
    authenticate,
    change_own_password,
    create_first_admin,
    create_user,
    needs_first_admin,
    reset_password,
    update_user,
)
from app.database import Database
from app.registry.records import save_record
from app.registry.service import set_archived
from app.settings import BureauSettings, save_settings
from db.engine import transaction
from db.enums import UserRole
from db.models import AuditEntry, Entity, User
from tests.accounts import staff
from tests.app.tasks.conftest import sj_task

PASSWORD = "Shuang#2026"
ROOT = Path(__file__).resolve().parents[3]


def test_first_start_creates_the_administrator_once(empty_db: Database) -> None:
    with empty_db.sessions() as session:
        assert needs_first_admin(session)
    with transaction(empty_db.sessions) as session:
        with pytest.raises(UserError, match="至少需要 8 位"):
            create_first_admin(session, "admin", "王管理", "short")
        user = create_first_admin(session, "admin", "王管理", PASSWORD)
        assert user.password_hash.startswith("scrypt$") and PASSWORD not in user.password_hash
    with transaction(empty_db.sessions) as session:
        assert not needs_first_admin(session)
        with pytest.raises(UserError, match="已有管理员"):
            create_first_admin(session, "admin2", "张", PASSWORD)


def test_wrong_passwords_lock_the_account_and_every_attempt_is_audited(empty_db: Database) -> None:
    with transaction(empty_db.sessions) as session:
        create_first_admin(session, "admin", "王管理", PASSWORD)
    for n in range(1, MAX_FAILURES):
        with pytest.raises(LoginError, match=f"再输错 {MAX_FAILURES - n} 次"):
            authenticate(empty_db.sessions, "admin", "wrong-password")
    with pytest.raises(LoginError, match="已锁定"):
        authenticate(empty_db.sessions, "admin", "wrong-password")
    with pytest.raises(LoginError, match="已锁定"):  # even the right password, while locked
        authenticate(empty_db.sessions, "admin", PASSWORD)
    with pytest.raises(LoginError, match="用户名或密码不正确"):
        authenticate(empty_db.sessions, "nobody", PASSWORD)
    with empty_db.sessions() as session:
        failures = session.scalar(select(func.count()).where(AuditEntry.action == "登录失败"))
    assert failures == MAX_FAILURES + 2


def test_the_administrator_resets_a_password_and_unlocks(empty_db: Database) -> None:
    actors = staff(empty_db)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginError):
            authenticate(empty_db.sessions, "clerk", "nope-nope-nope")
    empty_db.sign_in(actors["admin"])
    with transaction(empty_db.sessions) as session:
        clerk_id = session.scalar(select(User.id).where(User.username == "clerk"))
        assert clerk_id is not None
        reset_password(session, clerk_id, "Fresh#2026c")
    signed = authenticate(empty_db.sessions, "clerk", "Fresh#2026c")
    assert signed.must_change_password
    empty_db.sign_in(signed.actor)
    with transaction(empty_db.sessions) as session:
        with pytest.raises(UserError, match="原密码不正确"):
            change_own_password(session, "bad", "Mine#2026dd")
        change_own_password(session, "Fresh#2026c", "Mine#2026dd")
    assert not authenticate(empty_db.sessions, "clerk", "Mine#2026dd").must_change_password


def test_the_last_administrator_cannot_be_removed(empty_db: Database) -> None:
    actors = staff(empty_db)
    empty_db.sign_in(actors["admin"])
    with transaction(empty_db.sessions) as session:
        admin_id = actors["admin"].user_id
        assert admin_id is not None
        with pytest.raises(UserError, match="最后一个启用的管理员"):
            update_user(session, admin_id, role=UserRole.CLERK)


def test_a_supervisor_can_change_nothing(demo_db: Database) -> None:
    actors = staff(demo_db)
    demo_db.sign_in(actors["watch"])
    with demo_db.sessions() as session:
        entity_id = session.scalar(select(Entity.id).limit(1))
        assert entity_id is not None
        with pytest.raises(PermissionDenied, match="监督员"):
            set_archived(session, "entities", [entity_id], True)
        session.rollback()
        with pytest.raises(PermissionDenied, match="监督员"):
            sj_task(session)
        session.rollback()
        with pytest.raises(PermissionDenied, match="修改系统设置"):
            save_settings(session, BureauSettings(bureau_name="改名"))
        session.rollback()
        with pytest.raises(PermissionDenied):
            create_user(session, "x1", "某人", UserRole.ADMIN, "Whatever#1")
        session.rollback()
        # A raw statement is refused below the services too.
        with pytest.raises(PermissionDenied):
            session.execute(Entity.__table__.update().values(name="改名"))
    with demo_db.sessions() as session:
        assert session.scalar(select(func.count()).where(Entity.name == "改名")) == 0


def test_a_clerk_works_but_cannot_manage_users_or_settings(demo_db: Database) -> None:
    actors = staff(demo_db)
    demo_db.sign_in(actors["clerk"])
    with transaction(demo_db.sessions) as session:
        save_record(
            session,
            "entities",
            None,
            {
                "name": "示范县测试商店",
                "kind": "企业",
                "address": "示范县城关镇人民路2号",
                "risk_level": "高",
                "department": "示范县市场监督管理局",
            },
        )
        task_id = sj_task(session)
    assert task_id
    with demo_db.sessions() as session:
        with pytest.raises(PermissionDenied, match="管理用户账号"):
            create_user(session, "x2", "某人", UserRole.CLERK, "Whatever#1")
        with pytest.raises(PermissionDenied, match="修改系统设置"):
            save_settings(session, BureauSettings(bureau_name="改名"))
    with demo_db.sessions() as session:
        who = session.scalars(select(AuditEntry.username).where(AuditEntry.object_type == "检查对象")).all()
    assert "李经办（clerk）" in who


def test_a_clerk_imports_a_large_registry_the_way_an_administrator_does(empty_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A bulk import rebuilds the table's indexes (DDL) as the program; the clerk's right to the registry is
    what is checked, and one audit entry names the file."""
    import importlib.util

    from app.io.importer import apply_import, preview_import

    spec = importlib.util.spec_from_file_location("gen", ROOT / "bench" / "gen_registry_xlsx.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = tmp_path / "名录.xlsx"
    gen.write_registry(12_000, path)
    actors = staff(empty_db)
    empty_db.sign_in(actors["clerk"])
    with transaction(empty_db.sessions) as session:
        summary = apply_import(session, preview_import(session, "entities", path))
    assert summary.counts.imported == 12_000
    with empty_db.sessions() as session:
        entries = session.scalars(select(AuditEntry.summary).where(AuditEntry.action == "导入")).all()
    assert len(entries) == 1 and "新增 12000 条" in entries[0]
    other = tmp_path / "另一份名录.xlsx"
    gen.write_registry(300, other)
    empty_db.sign_in(actors["watch"])
    with empty_db.sessions() as session, pytest.raises(PermissionDenied, match="维护名录库"):
        apply_import(session, preview_import(session, "entities", other))
