"""The button row every dialog ends with: one accepting action and 取消 (Esc)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox


def accept_cancel_buttons(
    accept_text: str,
    on_accept: Callable[[], object],
    on_cancel: Callable[[], object],
    cancel_text: str = "取消",
) -> QDialogButtonBox:
    """E.g. accept_cancel_buttons("保存", self.save, self.reject): the accept button is the default (Enter)."""
    buttons = QDialogButtonBox()
    buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(on_cancel)
    return buttons
