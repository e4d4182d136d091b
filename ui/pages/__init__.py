"""The main window's pages. A page exists only when it works; later features add pages here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from ui.context import AppContext


class Page(QWidget):
    """Base of every page: a title for the navigation and a refresh when the page is shown."""

    TITLE = ""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    def refresh(self) -> None:
        """Reload what the page shows from the database (called each time the page is opened)."""

    def heading_with_year(self) -> QHBoxLayout:
        """The page title with a 年度 selector (self.year, this year by default) that refreshes the page."""
        top = QHBoxLayout()
        heading = QLabel(self.TITLE)
        heading.setObjectName("pageHeading")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel("年度："))
        self.year = QSpinBox()
        self.year.setRange(2015, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.year)
        return top
