"""The main window's pages. A page exists only when it works; later features add pages here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from app.auth.roles import Permission
from ui.context import AppContext
from ui.permissions import restrict


class Page(QWidget):
    """Base of every page: a title for the navigation and a refresh when the page is shown."""

    TITLE = ""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    # The permission this page's changing actions need, and those actions (hidden for other roles).
    EDIT_PERMISSION: Permission | None = None

    def editing_widgets(self) -> list[QWidget]:
        return []

    def apply_role(self) -> None:
        """Called by the main window once the page is built."""
        if self.EDIT_PERMISSION is not None:
            self.restrict(self.EDIT_PERMISSION, *self.editing_widgets())

    def restrict(self, permission: Permission, *widgets: QWidget) -> bool:
        """Hide ``widgets`` unless the signed-in role has ``permission`` (see ui/permissions.py)."""
        return restrict(self.context.database.actor, permission, *widgets)

    def refresh(self) -> None:
        """Reload what the page shows from the database (called each time the page is opened)."""

    def heading_bar(self, title: str | None = None) -> QHBoxLayout:
        """The page title (``TITLE`` unless given) at the left of a row; what is added next goes to the right."""
        top = QHBoxLayout()
        heading = QLabel(self.TITLE if title is None else title)
        heading.setObjectName("pageHeading")
        top.addWidget(heading)
        top.addStretch(1)
        return top

    def heading_with_year(self) -> QHBoxLayout:
        """The page title with a 年度 selector (self.year, this year by default) that refreshes the page."""
        top = self.heading_bar()
        top.addWidget(QLabel("年度："))
        self.year = QSpinBox()
        self.year.setRange(2015, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.year)
        return top
