"""The main window's pages. A page exists only when it works; later features add pages here."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext


class Page(QWidget):
    """Base of every page: a title for the navigation and a refresh when the page is shown."""

    TITLE = ""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    def refresh(self) -> None:
        """Reload what the page shows from the database (called each time the page is opened)."""
