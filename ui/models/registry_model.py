"""Lazy table model over a registry: holds only the matching ids; fetches rows for what is on screen.

After Anki's browser table (STYLE.md): SQL searches, filters and sorts; the model keeps an id list and a small
row cache filled in blocks around the rows the view asks for.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.database import Database
from app.registry.query import RegistryQuery, RegistryView, fetch_rows, matching_ids

_Index = QModelIndex | QPersistentModelIndex

BLOCK = 200  # rows fetched per query around the requested row
CACHE_LIMIT = 4_000  # rows kept; older blocks are dropped first
IdRole = Qt.ItemDataRole.UserRole + 10

# Values that deserve a colour in any registry column (expired 执法证, 注销/吊销 objects, list flags).
_ALERT = QBrush(QColor("#b3261e"))
_CAUTION = QBrush(QColor("#a15c00"))
_MUTED = QBrush(QColor("#7a7a7a"))
_COLOURS = {
    "已过期": _ALERT,
    "无执法证": _ALERT,
    "将到期": _CAUTION,
    "注销": _MUTED,
    "吊销": _MUTED,
    "迁出": _MUTED,
}


class RegistryTableModel(QAbstractTableModel):
    """Rows of one registry for a RegistryQuery. Sorting goes back to SQL."""

    query_changed = Signal()

    def __init__(
        self, database: Database, view: RegistryView, query: RegistryQuery | None = None, *, load: bool = True
    ) -> None:
        """load=False leaves the model empty until reload()/set_query() (a page loads it when first shown)."""
        super().__init__()
        self.database = database
        self.view = view
        self.query = query or RegistryQuery(sort_key=view.default_sort)
        self._ids: list[int] = []
        self._cache: OrderedDict[int, tuple[Any, ...]] = OrderedDict()
        self._flag_column = next((i for i, c in enumerate(view.columns) if c.key == "flags"), -1)
        self.loaded = False
        if load:
            self.reload()

    # --- loading --------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Run the query again (after a search, filter, sort or an edit elsewhere)."""
        self.beginResetModel()
        with self.database.sessions() as session:
            self._ids = matching_ids(session, self.view, self.query)
        self.loaded = True
        self._cache.clear()
        self.endResetModel()
        self.query_changed.emit()

    def set_query(self, query: RegistryQuery) -> None:
        self.query = query
        self.reload()

    def refresh_ids(self, ids: list[int]) -> None:
        """Drop cached rows of these ids (after an edit) so they are read again."""
        for row_id in ids:
            self._cache.pop(row_id, None)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def _row(self, row: int) -> tuple[Any, ...] | None:
        row_id = self._ids[row]
        cached = self._cache.get(row_id)
        if cached is not None:
            return cached
        start = max(0, row - BLOCK // 4)
        block = [i for i in self._ids[start : start + BLOCK] if i not in self._cache]
        with self.database.sessions() as session:
            fetched = fetch_rows(session, self.view, block)
        self._cache.update(fetched)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
        return self._cache.get(row_id)

    # --- lookups for the page ---------------------------------------------------------------------------
    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, row_id: int) -> int:
        try:
            return self._ids.index(row_id)
        except ValueError:
            return -1

    def ids(self) -> list[int]:
        return list(self._ids)

    # --- Qt model API ----------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.view.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        values = self._row(index.row())
        if values is None:  # the row vanished (archived elsewhere) until the next reload
            return None
        value = values[index.column()]
        text = "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == self._flag_column and text:
                return _ALERT
            return _COLOURS.get(text)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 12 else None
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.view.columns[section].title if 0 <= section < len(self.view.columns) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.view.columns):
            return
        key = self.view.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.query.sort_key and descending == self.query.descending:
            return
        query = dataclasses.replace(self.query, sort_key=key, descending=descending)
        if not self.loaded:
            # The view sets up its sort indicator before the first load: remember it, don't query.
            self.query = query
            return
        # A reset (not a layout change): the cached rows stay valid, but row positions all move.
        self.set_query(query)
