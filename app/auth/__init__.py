"""Users, roles and sign-in. See :mod:`app.auth.roles` for who may do what."""

from app.auth.roles import (
    AUTH_SERVICE,
    SYSTEM,
    Actor,
    Permission,
    PermissionDenied,
    acting_as,
    command_line_actor,
    current_actor,
    require,
)

__all__ = [
    "AUTH_SERVICE",
    "SYSTEM",
    "Actor",
    "Permission",
    "PermissionDenied",
    "acting_as",
    "command_line_actor",
    "current_actor",
    "require",
]
