"""Lazy table model over the audit trail: holds the count and the windows of ids on screen, newest first.

Unlike the registry model it does not keep every matching id: the log only grows (years of sign-ins and
edits), so SQL hands out windows of ids and the rows for them (:mod:`app.audit.listing`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.audit import listing as al
from app.database import Database

_Index = QModelIndex | QPersistentModelIndex

PAGE = 200  # ids per window
CACHE_PAGES = 30  # windows kept (6,000 rows); the oldest read is dropped first
IdRole = Qt.ItemDataRole.UserRole + 10

COLUMNS = ("时间", "用户", "操作", "对象类型", "对象", "摘要")
COL_TIME, COL_USER, COL_ACTION, COL_TYPE, COL_OBJECT, COL_SUMMARY = range(len(COLUMNS))
WIDTHS = (165, 140, 76, 96, 60, 520)

_ALERT = QBrush(QColor("#b3261e"))
_CAUTION = QBrush(QColor("#a15c00"))
_BROKEN_BACKGROUND = QBrush(QColor("#fbe4e2"))
_ACTION_COLOURS = {"登录失败": _ALERT, "删除": _CAUTION, "作废": _CAUTION, "恢复备份": _CAUTION}


class AuditTableModel(QAbstractTableModel):
    """Rows of the audit log for an AuditFilter; read-only, in chain order (newest first)."""

    filter_changed = Signal()

    def __init__(self, database: Database, tz: dt.tzinfo | None = None) -> None:
        super().__init__()
        self.database = database
        self.tz = tz
        self.filter = al.AuditFilter(tz=tz)
        self._count = 0
        self._pages: OrderedDict[int, list[int]] = OrderedDict()
        self._rows: dict[int, al.AuditRow] = {}
        self.broken_ids: set[int] = set()  # entries the last 验证完整性 named, shown on a red ground

    # --- loading --------------------------------------------------------------------------------------
    def set_filter(self, audit_filter: al.AuditFilter) -> None:
        """List what ``audit_filter`` selects, as of the newest entry now present."""
        self.beginResetModel()
        with self.database.sessions() as session:
            pinned = dataclasses.replace(audit_filter, up_to_id=al.latest_id(session), tz=self.tz)
            self._count = al.count_entries(session, pinned)
        self.filter = pinned
        self._pages.clear()
        self._rows.clear()
        self.endResetModel()
        self.filter_changed.emit()

    def reload(self) -> None:
        """Read again with the same filter (entries written since appear on top)."""
        self.set_filter(self.filter)

    def _page_ids(self, page: int) -> list[int]:
        ids = self._pages.get(page)
        if ids is not None:
            self._pages.move_to_end(page)
            return ids
        with self.database.sessions() as session:
            ids = al.entry_ids(session, self.filter, page * PAGE, PAGE)
            self._rows.update(al.fetch_entries(session, [i for i in ids if i not in self._rows]))
        self._pages[page] = ids
        if ids:  # their numbers in the vertical header
            first = page * PAGE
            self.headerDataChanged.emit(Qt.Orientation.Vertical, first, first + len(ids) - 1)
        while len(self._pages) > CACHE_PAGES:
            _old, dropped = self._pages.popitem(last=False)
            for entry_id in dropped:
                self._rows.pop(entry_id, None)
        return ids

    # --- lookups for the page ---------------------------------------------------------------------------
    def id_at(self, row: int) -> int | None:
        if not 0 <= row < self._count:
            return None
        ids = self._page_ids(row // PAGE)
        offset = row % PAGE
        return ids[offset] if offset < len(ids) else None

    def entry_at(self, row: int) -> al.AuditRow | None:
        entry_id = self.id_at(row)
        if entry_id is None:
            return None
        if entry_id not in self._rows:  # its window was read again after the row cache dropped it
            self._pages.pop(row // PAGE, None)
            self._page_ids(row // PAGE)
        return self._rows.get(entry_id)

    def row_of(self, entry_id: int) -> int:
        """The row showing ``entry_id`` under the current filter, or -1."""
        with self.database.sessions() as session:
            position = al.position_of(session, self.filter, entry_id)
        return -1 if position is None else position

    def mark_broken(self, ids: set[int]) -> None:
        self.broken_ids = set(ids)
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    # --- Qt model API ----------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
            IdRole,
        ):
            return None
        entry = self.entry_at(index.row())
        if entry is None:
            return None
        if role == IdRole:
            return entry.id
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BROKEN_BACKGROUND if entry.id in self.broken_ids else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _ACTION_COLOURS.get(entry.action) if index.column() == COL_ACTION else None
        text = self._text(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if index.column() == COL_SUMMARY and len(text) > 30 else None
        return text

    def _text(self, entry: al.AuditRow, column: int) -> str:
        if column == COL_TIME:
            return al.local_time_text(entry.at, self.tz)
        return (
            ("", entry.username, entry.action, entry.object_type, entry.object_id, entry.summary)[column]
            if 0 <= column < len(COLUMNS)
            else ""
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        # The chain's own numbering, which verification cites. Only from windows already read: the header
        # sizes itself from the first and last sections, and must not make the model read the oldest window.
        ids = self._pages.get(section // PAGE)
        offset = section % PAGE
        return str(ids[offset]) if ids is not None and offset < len(ids) else ""
