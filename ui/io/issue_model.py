"""The preview's row issues (行号, 字段, 错误/警告, 说明) as a lazy table model.

An import of 100,000 rows can carry as many messages: the model hands the view rows in batches as it
scrolls (canFetchMore/fetchMore) and formats a cell only when the view asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.io import RowIssue

_Index = QModelIndex | QPersistentModelIndex

COL_ROW, COL_FIELD, COL_SEVERITY, COL_TEXT = range(4)
HEADERS = ("行号", "字段", "错误/警告", "说明")
BATCH = 2_000  # rows handed to the view at a time

SHOW_ALL, SHOW_ERRORS, SHOW_WARNINGS = "all", "error", "warning"

_ERROR_BRUSH = QBrush(QColor("#b3261e"))
_WARNING_BRUSH = QBrush(QColor("#a15c00"))


class IssueTableModel(QAbstractTableModel):
    """Read-only rows over a list of RowIssue, optionally only the errors or only the warnings."""

    def __init__(self, issues: Sequence[RowIssue] = ()) -> None:
        super().__init__()
        self._all: Sequence[RowIssue] = issues
        self._shown: Sequence[RowIssue] = issues
        self._loaded = min(BATCH, len(issues))
        self._filter = SHOW_ALL

    # --- content ---------------------------------------------------------------------------------------
    def set_issues(self, issues: Sequence[RowIssue]) -> None:
        """Show another preview's messages (the current filter is kept)."""
        self._all = issues
        self._refilter()

    def set_filter(self, which: str) -> None:
        """SHOW_ALL, SHOW_ERRORS or SHOW_WARNINGS."""
        self._filter = which
        self._refilter()

    def total(self) -> int:
        """Messages matching the filter, including those not yet handed to the view."""
        return len(self._shown)

    def issue_at(self, row: int) -> RowIssue:
        return self._shown[row]

    def _refilter(self) -> None:
        self.beginResetModel()
        if self._filter == SHOW_ALL:
            self._shown = self._all
        else:
            self._shown = [i for i in self._all if i.severity == self._filter]
        self._loaded = min(BATCH, len(self._shown))
        self.endResetModel()

    # --- lazy loading ----------------------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return not parent.isValid() and self._loaded < len(self._shown)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(BATCH, len(self._shown) - self._loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + more - 1)
        self._loaded += more
        self.endInsertRows()

    # --- Qt model interface ----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._loaded):
            return None
        issue = self._shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_ROW:
                return str(issue.row) if issue.row else "整个文件"
            if column == COL_FIELD:
                return issue.field or "（整行）"
            if column == COL_SEVERITY:
                return issue.severity_zh
            return issue.text
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TEXT:
            return issue.message
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_SEVERITY:
            return _ERROR_BRUSH if issue.severity == "error" else _WARNING_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)
