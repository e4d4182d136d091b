"""首次设置 without the wizard: the choices' rules, applying them in one transaction, and making the file all or
nothing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.users import authenticate, needs_first_admin
from app.backup.settings import load_backup_settings
from app.database import Database
from app.settings import load_settings
from app.setup import (
    AdminAccount,
    BureauChoice,
    FirstRunChoices,
    SetupError,
    apply_first_run,
    backup_folder_warning,
    create_database,
    demo_bureau,
    demo_departments,
    suggested_departments,
)
from db.models import Department, Draw, Entity, InspectionTask, Setting, User
from tests.cli import run_app

PASSWORD = "Shuang#2026"
JUSTICE = BureauChoice("某县司法局", "某县", "某县司法局", "某司法", False)
ADMIN = AdminAccount("admin", "王管理", PASSWORD, PASSWORD)


def _choices(*, demo: bool = False, bureau: BureauChoice = JUSTICE, mirror: str = "") -> FirstRunChoices:
    return FirstRunChoices(demo=demo, bureau=bureau, admin=ADMIN, mirror_dir=mirror)


def _count(db: Database, model: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("bureau", "field", "words"),
    [
        (dataclasses.replace(JUSTICE, bureau_name="  "), "bureau_name", "单位名称"),
        (dataclasses.replace(JUSTICE, county_name=""), "county_name", "县（区）名称"),
        (dataclasses.replace(JUSTICE, department_name=""), "department_name", "本机所属部门"),
        (dataclasses.replace(JUSTICE, department_name="部" * 101), "department_name", "最多 100 字"),
        (dataclasses.replace(JUSTICE, department_short_name=""), "department_short_name", "部门简称"),
        (
            dataclasses.replace(JUSTICE, department_short_name="简" * 21),
            "department_short_name",
            "最多 20 字",
        ),
    ],
)
def test_bureau_problems_name_the_field(bureau: BureauChoice, field: str, words: str) -> None:
    with pytest.raises(SetupError) as caught:
        bureau.validated()
    assert caught.value.field == field and words in caught.value.message_zh


@pytest.mark.parametrize(
    ("account", "field", "words"),
    [
        (AdminAccount("ad min", "王管理", PASSWORD, PASSWORD), "username", "不能含空格"),
        (AdminAccount("", "王管理", PASSWORD, PASSWORD), "username", "用户名不能为空"),
        (AdminAccount("admin", " ", PASSWORD, PASSWORD), "display_name", "姓名"),
        (AdminAccount("admin", "王管理", "short", "short"), "password", "至少需要 8 位"),
        (AdminAccount("admin", "王管理", "admin", "admin"), "password", "至少需要 8 位"),
        (AdminAccount("admin", "王管理", PASSWORD, "Shuang#2025"), "confirm", "两次输入的密码不一致"),
    ],
)
def test_account_problems_name_the_field(account: AdminAccount, field: str, words: str) -> None:
    with pytest.raises(SetupError) as caught:
        account.validated()
    assert caught.value.field == field and words in caught.value.message_zh


def test_good_choices_come_back_trimmed() -> None:
    choices = FirstRunChoices(
        False,
        BureauChoice(" 某县司法局 ", "某县 ", " 某县司法局", "某司法 ", False),
        AdminAccount(" admin ", " 王管理 ", PASSWORD, PASSWORD),
        " /mnt/u盘 ",
    ).validated()
    assert choices.bureau == JUSTICE
    assert (choices.admin.username, choices.admin.display_name) == ("admin", "王管理")
    assert choices.mirror_dir == "/mnt/u盘"


def test_the_demo_values_are_the_demo_countys_own() -> None:
    bureau = demo_bureau()
    assert bureau.county_name == "示范县" and bureau.bureau_name == "示范县市场监督管理局"
    assert bureau.department_name in {d.name for d in demo_departments()}
    assert bureau.department_short_name == "示市监" and bureau.department_market_regulation
    assert bureau.validated() == bureau


def test_starting_empty_offers_the_usual_departments_named_for_the_county() -> None:
    assert suggested_departments("  ") == []
    offered = {d.name: d for d in suggested_departments("某县")}
    assert len(offered) == len(demo_departments())
    market = offered["某县市场监督管理局"]
    assert market.short_name == "某市监" and market.is_market_regulation
    assert market.code == "SJ", "the same department gets the same code on every PC of the county"
    assert offered["某县卫生健康委员会"].short_name == "某卫健"
    assert suggested_departments("示范县") == demo_departments()


def test_starting_empty_writes_the_department_settings_backup_folder_and_administrator(
    empty_db: Database, tmp_path: Path
) -> None:
    result = apply_first_run(empty_db, _choices(mirror=str(tmp_path / "U盘")))
    assert result.department_added and result.demo is None
    with empty_db.sessions() as session:
        settings = load_settings(session)
        assert (settings.bureau_name, settings.county_name) == ("某县司法局", "某县")
        assert settings.own_department == "某县司法局"
        assert load_backup_settings(session).mirror_dir == str(tmp_path / "U盘")
        department = session.scalars(select(Department)).one()
        assert (department.name, department.short_name, department.is_market_regulation) == (
            "某县司法局",
            "某司法",
            False,
        )
        assert re.fullmatch(r"D[0-9A-F]{6}", department.code), "a department of its own: a code from its name"
        admin = session.scalars(select(User)).one()
        assert admin.department_id == department.id == result.department_id
        assert (admin.username, admin.display_name, admin.role) == ("admin", "王管理", "管理员")
        assert not needs_first_admin(session)
    assert authenticate(empty_db.sessions, "admin", PASSWORD).actor.user_id == result.admin_user_id
    assert _count(empty_db, Entity) == 0


def test_the_demo_keeps_the_typed_names_and_uses_its_own_department(empty_db: Database) -> None:
    bureau = dataclasses.replace(
        demo_bureau(), bureau_name="示范县综合行政执法局", department_short_name="示监"
    )
    result = apply_first_run(empty_db, _choices(demo=True, bureau=bureau), demo_entities=200)
    assert result.demo is not None and result.demo.entities == 200
    assert not result.department_added
    with empty_db.sessions() as session:
        settings = load_settings(session)
        assert settings.bureau_name == "示范县综合行政执法局", "what the user typed wins over the demo's name"
        assert settings.own_department == "示范县市场监督管理局"
        own = session.get(Department, result.department_id)
        assert own is not None and own.short_name == "示监" and own.code == "SJ"
        assert session.scalars(select(User)).one().department_id == own.id
    assert _count(empty_db, Department) == len(demo_departments())


def test_a_department_the_demo_lacks_is_added_to_it(empty_db: Database) -> None:
    bureau = dataclasses.replace(
        demo_bureau(), department_name="示范县司法局", department_short_name="示司法"
    )
    result = apply_first_run(empty_db, _choices(demo=True, bureau=bureau), demo_entities=50)
    assert result.department_added
    assert _count(empty_db, Department) == len(demo_departments()) + 1
    with empty_db.sessions() as session:
        assert load_settings(session).own_department == "示范县司法局"


def test_an_offered_department_keeps_its_code_unless_taken(empty_db: Database) -> None:
    market = next(d for d in suggested_departments("某县") if d.code == "SJ")
    bureau = BureauChoice("某县市场监督管理局", "某县", market.name, market.short_name, True, market.code)
    result = apply_first_run(empty_db, _choices(bureau=bureau))
    with empty_db.sessions() as session:
        own = session.get(Department, result.department_id)
        assert own is not None and own.code == "SJ"


def test_a_failing_step_leaves_nothing_written(empty_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(session, settings):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.setup.save_backup_settings", broken)
    with pytest.raises(OSError):
        apply_first_run(empty_db, _choices(demo=True), demo_entities=50)
    for model in (Setting, Department, User, Entity):
        assert _count(empty_db, model) == 0, model


def test_bad_choices_are_refused_before_anything_is_written(empty_db: Database) -> None:
    bad = dataclasses.replace(_choices(), admin=AdminAccount("admin", "王管理", PASSWORD, "x"))
    with pytest.raises(SetupError, match="两次输入的密码不一致"):
        apply_first_run(empty_db, bad)
    assert _count(empty_db, Setting) == 0


def test_the_file_is_made_signed_in_and_its_audit_trail_verifies(tmp_path: Path) -> None:
    path = tmp_path / "county.db"
    stages: list[str] = []
    database, signed, result = create_database(
        path, _choices(demo=True), lambda stage, _f: stages.append(stage), demo_entities=100
    )
    database.close()
    assert signed.actor.role == "管理员" and signed.actor.user_id == result.admin_user_id
    assert not signed.must_change_password
    assert stages[0] == "建立数据库" and stages[-1] == "完成"
    verified = run_app("audit", "verify", "--db", path, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "核验通过" in verified.stdout


def test_the_demo_county_comes_with_its_year_of_work(tmp_path: Path) -> None:
    path = tmp_path / "county.db"
    stages: list[str] = []
    database, _signed, result = create_database(
        path, _choices(demo=True), lambda stage, _f: stages.append(stage), demo_entities=300
    )
    try:
        with database.sessions() as session:
            tasks = session.scalar(select(func.count()).select_from(InspectionTask))
            finished = session.scalar(select(func.count()).select_from(Draw).where(Draw.status == "已完成"))
    finally:
        database.close()
    assert result.demo is not None and tasks and finished, "tasks and finished draws from the demo year"
    assert any(stage.startswith("演示县的一年") for stage in stages), "its progress is shown"
    verified = run_app("audit", "verify", "--db", path, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_failure_removes_the_file_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("写入管理员时出错")

    monkeypatch.setattr("app.setup.create_first_admin", broken)
    path = tmp_path / "county.db"
    with pytest.raises(RuntimeError):
        create_database(path, _choices())
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_existing_file_is_never_touched(tmp_path: Path) -> None:
    path = tmp_path / "county.db"
    path.write_bytes(b"someone else's file")
    with pytest.raises(SetupError, match="已存在"):
        create_database(path, _choices())
    assert path.read_bytes() == b"someone else's file"


def test_second_backup_folder_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main = tmp_path / "backups"
    main.mkdir()
    usb = tmp_path / "usb"
    usb.mkdir()
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    assert backup_folder_warning("", main) is None
    assert backup_folder_warning(str(usb), main) is None
    assert "不存在" in (backup_folder_warning(str(tmp_path / "E盘"), main) or "")
    assert "不是文件夹" in (backup_folder_warning(str(tmp_path / "file.txt"), main) or "")
    assert "主备份位置" in (backup_folder_warning(str(main), main) or "")
    assert "完整的文件夹路径" in (backup_folder_warning("备份", main) or "")
    monkeypatch.setattr("app.setup.os.access", lambda path, mode: path != usb)  # a read-only share
    assert "无权写入" in (backup_folder_warning(str(usb), main) or "")
