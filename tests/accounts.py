"""The three accounts most tests need, made through the real services."""

from __future__ import annotations

from app.auth import Actor
from app.auth.users import authenticate, create_first_admin, create_user
from app.database import Database
from db.engine import transaction
from db.enums import UserRole

ADMIN_PASSWORD = "Shuang#2026"
CLERK_PASSWORD = "Temp#2026a"
SUPERVISOR_PASSWORD = "Temp#2026b"


def staff(db: Database) -> dict[str, Actor]:
    """An administrator (admin, 王管理), a clerk (clerk, 李经办) and a supervisor (watch, 赵监督), each signed
    in once; returns their actors by username. The database is left signed in as the administrator."""
    with transaction(db.sessions) as session:
        create_first_admin(session, "admin", "王管理", ADMIN_PASSWORD)
    admin = authenticate(db.sessions, "admin", ADMIN_PASSWORD).actor
    db.sign_in(admin)
    with transaction(db.sessions) as session:
        create_user(session, "clerk", "李经办", UserRole.CLERK, CLERK_PASSWORD)
        create_user(session, "watch", "赵监督", UserRole.SUPERVISOR, SUPERVISOR_PASSWORD)
    clerk = authenticate(db.sessions, "clerk", CLERK_PASSWORD)
    assert clerk.must_change_password  # a new account's password is the administrator's, not yet its own
    watch = authenticate(db.sessions, "watch", SUPERVISOR_PASSWORD).actor
    return {"admin": admin, "clerk": clerk.actor, "watch": watch}
