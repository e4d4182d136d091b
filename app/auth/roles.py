"""Roles, permissions and who is acting.

Three roles (issue: accountability): 管理员 manages users, settings and restores and may also do the daily work
(a small bureau often has one person for both); 经办人 keeps the registries, plans, tasks, draws and inspections
and exchanges 数据包 with other departments; 监督员 reads everything, co-signs and verifies, and changes nothing.

The acting person travels with the database session (``session.info["actor"]``). Every write statement is
checked against the actor's permissions at the lowest level (:mod:`app.auth.guard`), so a service that forgets
an explicit :func:`require` still cannot write what the role may not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from db.enums import UserRole

__all__ = [
    "ACTOR_KEY",
    "AUTH_SERVICE",
    "Actor",
    "Permission",
    "PermissionDenied",
    "ROLE_PERMISSIONS",
    "SYSTEM",
    "acting_as",
    "current_actor",
    "require",
]

ACTOR_KEY = "actor"


class Permission(StrEnum):
    """What a role may do; the value is the Chinese wording used in refusals."""

    MANAGE_USERS = "管理用户账号"
    SETTINGS = "修改系统设置"
    RESTORE = "恢复备份"
    REGISTRY = "维护名录库"
    PLANS = "编制年度抽查计划"
    TASKS = "管理抽查任务和摇号"
    INSPECTIONS = "录入检查结果和公示"
    COSIGN = "复核签名"
    VERIFY = "核验记录"
    EXCHANGE = "数据交换"  # export a 数据包, import other departments' packages


_WORK = frozenset(
    {
        Permission.REGISTRY,
        Permission.PLANS,
        Permission.TASKS,
        Permission.INSPECTIONS,
        Permission.VERIFY,
        Permission.EXCHANGE,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    UserRole.ADMIN: frozenset(Permission),
    UserRole.CLERK: _WORK,
    UserRole.SUPERVISOR: frozenset({Permission.COSIGN, Permission.VERIFY}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the program itself (command line, demo, first start)."""

    username: str
    display_name: str
    role: str  # UserRole, or "" for the program itself
    user_id: int | None = None
    internal: frozenset[str] = frozenset()  # tables an internal service may write whatever the role

    @property
    def is_unrestricted(self) -> bool:
        """The program itself (command line, demo, first start), run by someone holding the database file."""
        return self.user_id is None and not self.role

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.is_unrestricted:
            return frozenset(Permission)
        return ROLE_PERMISSIONS.get(self.role, frozenset())

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def label(self) -> str:
        """How the audit log and the status bar name this actor."""
        if self.user_id is None:
            return self.display_name
        return (
            f"{self.display_name}（{self.username}）" if self.display_name != self.username else self.username
        )

    @classmethod
    def program(cls, name: str = "系统") -> Actor:
        return cls(username=name, display_name=name, role="")


def _command_line_actor() -> Actor:
    import getpass

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name in some service contexts
        who = "?"
    return Actor.program(f"命令行（{who}）")


SYSTEM = Actor.program("系统")
# Sign-in, lockout and one's own password change write the user table whatever the role.
AUTH_SERVICE = Actor(
    username="登录服务", display_name="登录服务", role=UserRole.SUPERVISOR, internal=frozenset({"app_user"})
)


def command_line_actor() -> Actor:
    """The actor for ``python -m app <command>``: the program, named after the operating-system user."""
    return _command_line_actor()


_process_actor: list[Actor] = [SYSTEM]


def process_actor() -> Actor:
    """Who databases opened by this process act for until someone signs in (the program by default)."""
    return _process_actor[0]


def set_process_actor(actor: Actor) -> None:
    _process_actor[0] = actor


class PermissionDenied(PermissionError):
    """The acting user's role does not allow this; message_zh says which permission is missing."""

    def __init__(self, actor: Actor, permission: Permission | None, what: str = "") -> None:
        role = actor.role or "程序"
        if permission is not None:
            message = f"当前用户“{actor.label}”的角色（{role}）没有“{permission}”的权限"
        else:
            message = f"当前用户“{actor.label}”的角色（{role}）无权执行此操作"
        if what:
            message += f"：{what}"
        message += "。如需办理，请由具备相应权限的人员登录后操作。"
        super().__init__(message)
        self.message_zh = message
        self.permission = permission


def current_actor(session: Session) -> Actor:
    """The actor the session writes for (the program itself when none was set)."""
    actor = session.info.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else SYSTEM


def require(session: Session, permission: Permission, what: str = "") -> Actor:
    """Raise PermissionDenied unless the session's actor has ``permission``; return the actor."""
    actor = current_actor(session)
    if not actor.can(permission):
        raise PermissionDenied(actor, permission, what)
    return actor


@contextmanager
def acting_as(session: Session, actor: Actor) -> Iterator[None]:
    """Run a block as another actor (e.g. the program loading the bundled holiday calendar on a read)."""
    previous = session.info.get(ACTOR_KEY)
    session.info[ACTOR_KEY] = actor
    try:
        yield
    finally:
        if previous is None:
            session.info.pop(ACTOR_KEY, None)
        else:
            session.info[ACTOR_KEY] = previous
