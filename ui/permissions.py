"""Showing only what the signed-in role may do. The services refuse anyway (app/auth); this keeps a
监督员's screens free of buttons that could only end in a refusal."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.auth.roles import Actor, Permission


def restrict(actor: Actor, permission: Permission, *widgets: QWidget) -> bool:
    """Hide ``widgets`` unless ``actor`` has ``permission``; returns whether the actor has it."""
    allowed = actor.can(permission)
    if not allowed:
        for widget in widgets:
            widget.setVisible(False)
            widget.setEnabled(False)
    return allowed
