"""What every page gets: the open database and app-wide notifications."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.database import Database
from app.settings import BureauSettings, load_settings


class AppContext(QObject):
    """Shared by the main window and its pages. Pages call app/ services with `database`."""

    settings_changed = Signal()
    data_changed = Signal(str)  # what changed ("entities", "plans" …), so other pages can refresh
    status_message = Signal(str)  # a short confirmation for the status bar ("已归档 3 条记录。")

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database

    def settings(self) -> BureauSettings:
        with self.database.sessions() as session:
            return load_settings(session)
