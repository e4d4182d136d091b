"""User accounts: the first administrator, sign-in with lockout, passwords and the administrator's user list.

Sign-in and one's own password change write the user table through the internal sign-in service actor; all
other changes need 管理用户账号 (管理员). Every change and every sign-in attempt is in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import bulk, record_event
from app.auth.passwords import hash_password, password_problem, verify_password
from app.auth.roles import AUTH_SERVICE, SYSTEM, Actor, Permission, acting_as, current_actor, require
from app.errors import UserFacingError
from db.base import utcnow
from db.engine import transaction
from db.enums import UserRole
from db.models import Department, User

__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "LoginError",
    "SignedIn",
    "UserError",
    "UserView",
    "actor_for",
    "authenticate",
    "change_own_password",
    "create_first_admin",
    "create_user",
    "list_users",
    "needs_first_admin",
    "record_sign_out",
    "reset_password",
    "update_user",
]

MAX_FAILURES = 5
LOCK_MINUTES = 15
_USERNAME_MAX = 50


class UserError(UserFacingError, ValueError):
    """A user-account change that cannot be made; message_zh says why and names the field."""


class LoginError(UserError):
    """Sign-in refused (wrong password, locked, disabled)."""


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    must_change_password: bool


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str
    department: str
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    must_change_password: bool
    has_password: bool


def actor_for(user: User) -> Actor:
    return Actor(username=user.username, display_name=user.display_name, role=user.role, user_id=user.id)


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username=username)
    if problem:
        raise UserError(problem)


def clean_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise UserError("用户名不能为空。")
    if len(name) > _USERNAME_MAX or any(ch.isspace() for ch in name):
        raise UserError(f"用户名不能含空格，且不超过 {_USERNAME_MAX} 个字符。")
    return name


def _clean_role(role: str) -> str:
    if role not in {r.value for r in UserRole}:
        raise UserError(f"角色“{role}”无效，应为：管理员、经办人或监督员。")
    return role


def needs_first_admin(session: Session) -> bool:
    """True on a database nobody can sign in to yet (the first start creates the administrator)."""
    count = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == UserRole.ADMIN.value, User.password_hash != "")
    )
    return not count


def create_first_admin(session: Session, username: str, display_name: str, password: str) -> User:
    """The first start's administrator account (the caller commits). Refused once any administrator exists."""
    if not needs_first_admin(session):
        raise UserError("系统中已有管理员账号，请用该账号登录后再添加用户。")
    name = clean_username(username)
    _check_password(password, name)
    if session.scalar(select(User).where(User.username == name)) is not None:
        raise UserError(f"用户名“{name}”已被使用。")
    with acting_as(session, SYSTEM):
        user = User(
            username=name,
            display_name=display_name.strip() or name,
            role=UserRole.ADMIN.value,
            password_hash=hash_password(password),
        )
        session.add(user)
        session.flush()
        record_event(
            session, "创建管理员", "用户", user.id, f"首次启动创建管理员“{user.display_name}（{name}）”"
        )
    return user


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip()))


def authenticate(sessions: sessionmaker[Session], username: str, password: str) -> SignedIn:
    """Check a sign-in; failures are counted and after MAX_FAILURES the account is locked for LOCK_MINUTES.

    Raises LoginError with the reason a clerk should see. Every attempt is audited.
    """
    now = utcnow()
    error: LoginError | None
    # The 登录/登录失败 entry says it all; the user row's counters are not logged again field by field.
    with transaction(sessions) as session, acting_as(session, AUTH_SERVICE), bulk(session):
        user = _find(session, username)
        if user is None or not user.password_hash:
            record_event(
                session,
                "登录失败",
                "用户",
                "",
                f"用户名“{username.strip()[:50]}”登录失败：账号不存在或未设置密码",
                actor=Actor.program(username.strip()[:50] or "（空）"),
            )
            error = LoginError("用户名或密码不正确。")
        elif not user.active:
            record_event(
                session, "登录失败", "用户", user.id, "账号已停用，登录被拒绝", actor=actor_for(user)
            )
            error = LoginError("该账号已停用，请联系管理员。")
        elif user.locked_until is not None and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            record_event(
                session, "登录失败", "用户", user.id, "账号锁定中，登录被拒绝", actor=actor_for(user)
            )
            error = LoginError(
                f"密码连续输错 {MAX_FAILURES} 次，账号已锁定，请 {minutes} 分钟后再试或请管理员解锁。"
            )
        elif not verify_password(password, user.password_hash):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
                summary = f"密码错误，连续 {MAX_FAILURES} 次，账号锁定 {LOCK_MINUTES} 分钟"
                error = LoginError(
                    f"密码连续输错 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟。如忘记密码，请管理员重置。"
                )
            else:
                left = MAX_FAILURES - user.failed_logins
                summary = f"密码错误（第 {user.failed_logins} 次）"
                error = LoginError(
                    f"用户名或密码不正确。再输错 {left} 次，账号将被锁定 {LOCK_MINUTES} 分钟。"
                )
            record_event(session, "登录失败", "用户", user.id, summary, actor=actor_for(user))
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            record_event(
                session,
                "登录",
                "用户",
                user.id,
                f"{user.display_name}（{user.role}）登录",
                actor=actor_for(user),
            )
            signed = SignedIn(actor_for(user), user.must_change_password)
            error = None
        session.flush()  # as the sign-in service, whoever this database is signed in for
    if error is not None:
        raise error
    return signed


def record_sign_out(sessions: sessionmaker[Session], actor: Actor) -> None:
    if actor.user_id is None:
        return
    with transaction(sessions) as session:
        record_event(session, "退出", "用户", actor.user_id, f"{actor.display_name}退出登录", actor=actor)


def change_own_password(session: Session, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password (the caller commits)."""
    actor = current_actor(session)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise UserError("当前没有登录的用户，无法修改密码。")
    if not verify_password(old_password, user.password_hash):
        raise UserError("原密码不正确。")
    if old_password == new_password:
        raise UserError("新密码不能与原密码相同。")
    _check_password(new_password, user.username)
    with acting_as(session, AUTH_SERVICE):
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        session.flush()
        record_event(
            session, "修改密码", "用户", user.id, f"{user.display_name}修改了自己的密码", actor=actor
        )


def _department_id(session: Session, department: str | int | None) -> int | None:
    if department in (None, ""):
        return None
    if isinstance(department, int):
        return department
    found = session.scalar(select(Department.id).where(Department.name == department))
    if found is None:
        raise UserError(f"部门“{department}”不存在。")
    return found


def create_user(
    session: Session,
    username: str,
    display_name: str,
    role: str,
    password: str,
    department: str | int | None = None,
) -> User:
    """A new account (管理员 only; the caller commits). The user must change the password at first sign-in."""
    require(session, Permission.MANAGE_USERS, "添加用户")
    name = clean_username(username)
    role = _clean_role(role)
    _check_password(password, name)
    if _find(session, name) is not None:
        raise UserError(f"用户名“{name}”已被使用。")
    if not display_name.strip():
        raise UserError("姓名不能为空。")
    user = User(
        username=name,
        display_name=display_name.strip(),
        role=role,
        department_id=_department_id(session, department),
        password_hash=hash_password(password),
        must_change_password=True,
    )
    session.add(user)
    session.flush()
    return user


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == UserRole.ADMIN.value, User.active.is_(True))
        )
        or 0
    )


def update_user(
    session: Session,
    user_id: int,
    *,
    display_name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    department: str | int | None = None,
    unlock: bool = False,
) -> User:
    """Change an account (管理员 only; the caller commits). The last active administrator stays one."""
    actor = require(session, Permission.MANAGE_USERS, "修改用户")
    user = session.get(User, user_id)
    if user is None:
        raise UserError(f"用户不存在（编号 {user_id}）。")
    losing_admin = (
        user.role == UserRole.ADMIN.value
        and user.active
        and ((role is not None and role != UserRole.ADMIN.value) or active is False)
    )
    if losing_admin and _active_admins(session) <= 1:
        raise UserError("这是最后一个启用的管理员账号，不能停用或改为其他角色。")
    if active is False and actor.user_id == user.id:
        raise UserError("不能停用自己正在使用的账号。")
    if display_name is not None:
        if not display_name.strip():
            raise UserError("姓名不能为空。")
        user.display_name = display_name.strip()
    if role is not None:
        user.role = _clean_role(role)
    if active is not None:
        user.active = active
    if department is not None:
        user.department_id = _department_id(session, department)
    if unlock:
        user.locked_until = None
        user.failed_logins = 0
    session.flush()
    return user


def reset_password(session: Session, user_id: int, new_password: str) -> User:
    """Set a temporary password and unlock (管理员 only); the user must change it at the next sign-in."""
    require(session, Permission.MANAGE_USERS, "重置密码")
    user = session.get(User, user_id)
    if user is None:
        raise UserError(f"用户不存在（编号 {user_id}）。")
    _check_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.locked_until = None
    user.failed_logins = 0
    session.flush()
    record_event(
        session, "重置密码", "用户", user.id, f"重置“{user.display_name}（{user.username}）”的密码并解除锁定"
    )
    return user


def list_users(session: Session) -> list[UserView]:
    rows = session.execute(
        select(User, Department.name)
        .outerjoin(Department, Department.id == User.department_id)
        .order_by(User.id)
    ).all()
    return [
        UserView(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            department=dept or "",
            active=u.active,
            locked_until=u.locked_until,
            last_login_at=u.last_login_at,
            must_change_password=u.must_change_password,
            has_password=bool(u.password_hash),
        )
        for u, dept in rows
    ]
