"""The grey explanatory line under a table or form (the ``hint`` style in resources/style.qss)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["hint_label"]


def hint_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label in the ``hint`` style."""
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label
