"""首次设置: what the first start of a new database asks, and applying it all-or-nothing.

The wizard (ui/widgets/first_run.py) collects :class:`FirstRunChoices` page by page, each part checked by its
own ``validated()``; :func:`create_database` makes the file and calls :func:`apply_first_run`, which writes the
demo county (if chosen), the bureau settings, the installation's own department, the second backup folder and
the first administrator in one transaction. If anything fails, the file it created is removed again.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import bulk, record_event
from app.auth.passwords import password_problem
from app.auth.roles import Actor, acting_as
from app.auth.users import SignedIn, authenticate, clean_username, create_first_admin
from app.backup.settings import BackupSettings, save_backup_settings
from app.database import Database, open_database
from app.demo import DEFAULT_ENTITIES, vocab
from app.errors import UserFacingError
from app.registry.departments import DepartmentRow, save_department
from app.settings import OWN_DEPARTMENT_MAX, BureauSettings, load_settings, save_settings
from db.engine import transaction
from db.models import Department

if TYPE_CHECKING:
    from app.demo.generate import DemoSummary

log = logging.getLogger(__name__)

__all__ = [
    "SETUP_ACTOR",
    "AdminAccount",
    "BureauChoice",
    "DemoDepartment",
    "FirstRunChoices",
    "FirstRunResult",
    "SetupError",
    "apply_first_run",
    "backup_folder_warning",
    "create_database",
    "demo_bureau",
    "demo_departments",
    "suggested_departments",
]

Progress = Callable[[str, float], None]

# Who the audit trail names for the first start's writes: nobody can be signed in before the first account.
SETUP_ACTOR = Actor.program("首次设置")

SHORT_NAME_MAX = 20  # as a department's 简称 (it goes into document numbers)


class SetupError(UserFacingError, ValueError):
    """A first-run choice that cannot be used; ``field`` names the input (e.g. "bureau_name", "confirm")."""

    def __init__(self, field: str, message_zh: str) -> None:
        super().__init__(message_zh)
        self.field = field


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    short_name: str
    is_market_regulation: bool
    code: str  # 部门编号, e.g. "SJ" for 市场监管; the same on every PC that picks the same department


def demo_departments() -> list[DemoDepartment]:
    """The demo county's departments, as the setup offers them for 本机所属部门."""
    return [
        DemoDepartment(d["name"], d["short"], bool(d["market"]), d["code"])
        for d in vocab.county()["departments"]
    ]


def suggested_departments(county_name: str) -> list[DemoDepartment]:
    """The usual county departments named for ``county_name`` (the demo county's list, renamed), offered when
    starting empty: "某县" gives 某县市场监督管理局 with 简称 某市监, and so on. Empty without a county name."""
    county = county_name.strip()
    if not county:
        return []
    demo_county = vocab.county()["county"]
    return [
        DemoDepartment(
            d.name.replace(demo_county, county),
            county[0] + d.short_name[1:] if d.short_name.startswith(demo_county[0]) else d.short_name,
            d.is_market_regulation,
            d.code,
        )
        for d in demo_departments()
    ]


@dataclass(frozen=True)
class BureauChoice:
    """单位信息: the bureau, the county and the department this installation belongs to (本机所属部门)."""

    bureau_name: str
    county_name: str
    department_name: str
    department_short_name: str
    department_market_regulation: bool
    department_code: str = ""  # from the offered list (e.g. "SJ"); "" gives one made from the name

    def validated(self) -> BureauChoice:
        """Return the choice with spaces trimmed, or raise SetupError naming the first bad field."""
        clean = BureauChoice(
            self.bureau_name.strip(),
            self.county_name.strip(),
            self.department_name.strip(),
            self.department_short_name.strip(),
            self.department_market_regulation,
            self.department_code.strip(),
        )
        if not clean.bureau_name:
            raise SetupError("bureau_name", "请填写单位名称，例如“某某县市场监督管理局”。")
        if not clean.county_name:
            raise SetupError("county_name", "请填写县（区）名称，例如“某某县”。")
        if not clean.department_name:
            raise SetupError("department_name", "请填写本机所属部门，即在本机上办理抽查工作的部门。")
        if len(clean.department_name) > OWN_DEPARTMENT_MAX:
            raise SetupError("department_name", f"本机所属部门名称过长（最多 {OWN_DEPARTMENT_MAX} 字）。")
        if not clean.department_short_name:
            raise SetupError(
                "department_short_name",
                "请填写部门简称，它用于文书编号，如〔2026〕示市监检字第0001号中的“示市监”。",
            )
        if len(clean.department_short_name) > SHORT_NAME_MAX:
            raise SetupError("department_short_name", f"部门简称过长（最多 {SHORT_NAME_MAX} 字）。")
        return clean

    def settings(self, base: BureauSettings) -> BureauSettings:
        """``base`` (the demo's or the defaults) with this choice's names."""
        return dataclasses.replace(
            base,
            bureau_name=self.bureau_name,
            county_name=self.county_name,
            own_department=self.department_name,
        )


def demo_bureau() -> BureauChoice:
    """单位信息 as the demo county has it (the setup starts from these when the demo is chosen)."""
    county = vocab.county()
    own = next(d for d in demo_departments() if d.name == county["bureau_name"])
    return BureauChoice(
        county["bureau_name"], county["county"], own.name, own.short_name, own.is_market_regulation, own.code
    )


@dataclass(frozen=True)
class AdminAccount:
    """The first administrator: 用户名, 姓名, 密码 and 确认密码 — one set of rules for every place that asks."""

    username: str
    display_name: str
    password: str
    confirm: str

    def validated(self) -> AdminAccount:
        """Return the account with names trimmed, or raise SetupError naming the first bad field."""
        try:
            username = clean_username(self.username)
        except UserFacingError as exc:
            raise SetupError("username", exc.message_zh) from exc
        display_name = self.display_name.strip()
        if not display_name:
            raise SetupError("display_name", "请填写管理员的姓名（会记录在审计日志和文书中）。")
        if len(display_name) > 50:
            raise SetupError("display_name", "姓名过长（最多 50 字）。")
        problem = password_problem(self.password, username=username)
        if problem:
            raise SetupError("password", problem)
        if self.password != self.confirm:
            raise SetupError("confirm", "两次输入的密码不一致，请重新输入。")
        return AdminAccount(username, display_name, self.password, self.confirm)


@dataclass(frozen=True)
class FirstRunChoices:
    """Everything the first-run setup asks, in the order of its pages."""

    demo: bool  # 载入演示县 (True) or 从空白开始 (False)
    bureau: BureauChoice
    admin: AdminAccount
    mirror_dir: str = ""  # 第二备份位置; "" for none

    def validated(self) -> FirstRunChoices:
        """Return the choices cleaned, or raise SetupError naming the first bad field."""
        return FirstRunChoices(
            self.demo, self.bureau.validated(), self.admin.validated(), self.mirror_dir.strip()
        )


@dataclass(frozen=True)
class FirstRunResult:
    department_id: int
    department_added: bool  # False: the demo county already had this department
    admin_user_id: int
    demo: DemoSummary | None


def backup_folder_warning(folder: str, main_folder: Path | None = None) -> str | None:
    """Why a second backup folder may not work right now (a warning, not a refusal: a USB drive may simply
    not be plugged in), or None when it looks usable."""
    text = folder.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if not path.is_absolute():
        return "请填写完整的文件夹路径（例如 E:\\备份），或点“浏览…”选择。"
    if main_folder is not None and path.resolve() == main_folder.resolve():
        return "这就是主备份位置；第二备份位置应在另一块磁盘或 U 盘上，否则起不到备份的作用。"
    if not path.exists():
        return "该文件夹现在不存在（U 盘未插入？）。可以照样设置：到时不可用的那次备份只写入主备份位置。"
    if not path.is_dir():
        return "该路径是一个文件，不是文件夹。"
    if not os.access(path, os.W_OK | os.X_OK):
        return "本机当前无权写入该文件夹，备份时将无法写入这里。请换一个文件夹，或请管理员开放写入权限。"
    return None


def _own_department(session: Session, bureau: BureauChoice) -> tuple[int, bool]:
    """The department row for 本机所属部门: the demo's own row when the name matches one, else a new row."""
    existing = session.scalar(select(Department).where(Department.name == bureau.department_name))
    code = bureau.department_code
    if code and session.scalar(select(Department.id).where(Department.code == code)) is not None:
        code = ""  # taken by another department: one made from the name
    row = DepartmentRow(
        id=existing.id if existing else None,
        name=bureau.department_name,
        short_name=bureau.department_short_name,
        code=existing.code if existing else code,
        is_market_regulation=bureau.department_market_regulation,
        contact_person=existing.contact_person if existing else "",
        contact_phone=existing.contact_phone if existing else "",
    )
    return save_department(session, row), existing is None


def apply_first_run(
    database: Database,
    choices: FirstRunChoices,
    progress: Progress | None = None,
    *,
    demo_entities: int = DEFAULT_ENTITIES,
) -> FirstRunResult:
    """Write every first-run choice in ONE transaction: the demo county (if chosen), the bureau settings, the
    installation's department, the second backup folder and the first administrator (belonging to that
    department). Nothing is written when any part fails. Raises SetupError for bad choices."""
    choices = choices.validated()
    report = progress or (lambda _stage, _fraction: None)
    demo: DemoSummary | None = None
    with transaction(database.sessions) as session, acting_as(session, SETUP_ACTOR):
        if choices.demo:
            from app.demo import build_demo

            demo = build_demo(
                session,
                entities=demo_entities,
                progress=lambda stage, f: report(f"演示县：{stage}", 0.85 * f),
            )
        report("单位信息", 0.88)
        save_settings(session, choices.bureau.settings(load_settings(session)))
        department_id, added = _own_department(session, choices.bureau)
        save_backup_settings(session, BackupSettings(mirror_dir=choices.mirror_dir))
        report("管理员账号", 0.92)
        admin = choices.admin
        try:
            user = create_first_admin(session, admin.username, admin.display_name, admin.password)
        except UserFacingError as exc:
            raise SetupError("username", exc.message_zh) from exc
        with bulk(session):  # part of the setup; the summary below names the department
            user.department_id = department_id
            session.flush()
        bureau = choices.bureau
        record_event(
            session,
            "首次设置",
            "系统设置",
            "",
            f"首次设置：{'载入演示县' if choices.demo else '从空白开始'}；单位“{bureau.bureau_name}”，"
            f"本机所属部门“{bureau.department_name}”{'（新增）' if added else ''}；"
            f"管理员“{admin.display_name}（{admin.username}）”属于该部门；"
            f"第二备份位置{'“' + choices.mirror_dir + '”' if choices.mirror_dir else '未设置'}",
            after={
                "demo": choices.demo,
                "bureau_name": bureau.bureau_name,
                "county_name": bureau.county_name,
                "own_department": bureau.department_name,
                "admin": admin.username,
                "mirror_dir": choices.mirror_dir,
            },
        )
        report("保存", 0.95)
    return FirstRunResult(department_id, added, user.id, demo)


def _sqlite_files(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def create_database(
    path: Path,
    choices: FirstRunChoices,
    progress: Progress | None = None,
    *,
    demo_entities: int = DEFAULT_ENTITIES,
    demo_year_of_work: bool = True,
) -> tuple[Database, SignedIn, FirstRunResult]:
    """Make the database file at ``path``, apply the choices and sign the new administrator in.

    With the demo county, ``demo_year_of_work`` also replays its year up to today through the real services
    (tasks, draws, inspections, 公示: :func:`app.demo.add_year_of_work`, about 15 s at 20,000 objects), so
    every page and the 统计上报 tables have something to show. Those steps commit one by one after the setup
    itself; a failure among them still removes the whole file.

    All or nothing: on any failure the file (and its -wal/-shm) is removed again, so the next start asks
    again. Refuses (SetupError) when the file already exists — an existing file is never touched.
    """
    choices = choices.validated()
    report = progress or (lambda _stage, _fraction: None)
    path = path.expanduser()
    if any(p.exists() for p in _sqlite_files(path)):
        raise SetupError("database", f"数据库文件已存在，初始设置不会覆盖它：{path}")
    database: Database | None = None
    try:
        report("建立数据库", 0.0)
        database = open_database(path, actor=SETUP_ACTOR)  # seals written at commit name the setup too
        work = choices.demo and demo_year_of_work
        share = 0.3 if work else 0.9
        result = apply_first_run(
            database,
            choices,
            lambda stage, f: report(stage, 0.02 + share * f),
            demo_entities=demo_entities,
        )
        if work and result.demo is not None:
            from app.demo import add_year_of_work

            with transaction(database.sessions) as session, acting_as(session, SETUP_ACTOR):
                add_year_of_work(
                    session,
                    year=result.demo.year,
                    progress=lambda stage, f: report(f"演示县的一年：{stage}", 0.32 + 0.6 * f),
                )
        if choices.demo:
            report("整理索引统计", 0.93)
            database.refresh_statistics()
        report("登录", 0.97)
        signed = authenticate(database.sessions, choices.admin.username, choices.admin.password)
    except BaseException:
        if database is not None:
            database.close()
        for leftover in _sqlite_files(path):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                log.exception("could not remove %s after a failed first-run setup", leftover)
        raise
    report("完成", 1.0)
    log.info("first-run setup made %s (demo: %s)", path, choices.demo)
    return database, signed, result
