"""A :class:`~app.reports.StatTable` on screen as it prints: multi-row merged headers (a header that paints
its own merged cells), the body, the bold 合计 row, and every number that has records behind it looking like
a link — pointing hand, link colour, "点击查看明细"; a click or Enter on it asks for the drill-down."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.reports import Cell, HeaderCell, StatTable

__all__ = ["CellRole", "SpanningHeader", "StatTableModel", "StatTableView", "clickable", "column_title"]

_Index = QModelIndex | QPersistentModelIndex
CellRole = Qt.ItemDataRole.UserRole + 1

LINK_COLOUR = QColor("#1a5fb4")
TOTALS_FILL = QColor("#f2f2f2")  # as the xlsx's 合计 row
HEADER_FILL = QColor("#e8e8e8")  # as the xlsx's header rows
GRID_COLOUR = QColor("#b8b8b8")
DRILL_TIP = "点击查看明细"
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignCenter,
}


def clickable(cell: Cell | None) -> bool:
    """A number with records behind it (a count of none lists nothing, so it is not offered)."""
    return cell is not None and cell.drillable and bool(cell.keys or cell.base)


def column_title(table: StatTable, column: int) -> str:
    """The header path of a leaf column: ``检查对象（户）·发现问题数``."""
    parts = [
        h.text
        for h in sorted(table.headers, key=lambda h: h.row)
        if h.col <= column < h.col + h.colspan and h.text
    ]
    return "·".join(dict.fromkeys(parts))


def fit_widths(weights: list[float], minimums: list[int], natural: list[int], available: int) -> list[int]:
    """Column widths filling ``available`` pixels: each column gets its minimum, then what is left is shared
    in proportion to ``weights`` (the printed table's widths) among the columns still narrower than their
    natural width (their text on one line), and anything over among all. When the minimums alone do not
    fit, the minimums (the view scrolls)."""
    widths = [float(m) for m in minimums]
    left = available - sum(widths)
    if left <= 0:
        return list(minimums)
    growing = [i for i in range(len(widths)) if widths[i] < natural[i]]
    while left >= 1 and growing:
        total = sum(weights[i] for i in growing) or 1.0
        given = 0.0
        for i in growing:
            share = min(left * weights[i] / total, natural[i] - widths[i])
            widths[i] += share
            given += share
        left -= given
        growing = [i for i in growing if widths[i] < natural[i] - 0.5]
    if left >= 1:
        total = sum(weights) or 1.0
        widths = [w + left * weights[i] / total for i, w in enumerate(widths)]
    out = [int(w) for w in widths]
    out[-1] += max(available - sum(out), 0)
    return out


def totals_label_span(table: StatTable | None) -> int:
    """合计 spans the first two columns when the second is left empty (as in the xlsx and the PDF)."""
    totals = table.totals if table is not None else None
    if totals and len(totals) > 1 and not totals[1].drillable and totals[1].value in ("", None):
        return 2
    return 1


class StatTableModel(QAbstractTableModel):
    """Body rows and the totals row of a StatTable (an empty table shows its ``empty_text`` in one row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table: StatTable | None = None
        self._rows: list[tuple[Cell, ...] | None] = []  # None: the "本期无数据" row
        self._hovered: tuple[int, int] | None = None

    def set_table(self, table: StatTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._hovered = None
        rows: list[tuple[Cell, ...] | None] = []
        if table is not None:
            rows = list(table.rows) if table.rows else [None]
            if table.totals is not None:
                rows.append(table.totals)
        self._rows = rows
        self.endResetModel()

    # --- what the page and the view ask ----------------------------------------------------------------
    def cell_at(self, row: int, column: int) -> Cell | None:
        if not (0 <= row < len(self._rows)) or self.table is None:
            return None
        cells = self._rows[row]
        return cells[column] if cells is not None and 0 <= column < len(cells) else None

    def is_totals(self, row: int) -> bool:
        return self.table is not None and self.table.totals is not None and row == len(self._rows) - 1

    def is_empty_row(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row] is None

    def set_hovered(self, where: tuple[int, int] | None) -> None:
        if where == self._hovered:
            return
        before, self._hovered = self._hovered, where
        for spot in (before, where):
            if spot is not None:
                index = self.index(*spot)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.FontRole])

    # --- model ------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None or not (0 <= index.row() < len(self._rows)):
            return None
        row, column = index.row(), index.column()
        if self._rows[row] is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.table.empty_text if column == 0 else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        cell = self.cell_at(row, column)
        if cell is None:
            return None
        totals = self.is_totals(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == CellRole:
            return cell
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if cell.is_rate or (totals and column == 0):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(_ALIGN.get(self.table.columns[column].align, Qt.AlignmentFlag.AlignCenter))
        if role == Qt.ItemDataRole.FontRole:
            link = clickable(cell) and self._hovered == (row, column)
            if not (totals or cell.bold or link):
                return None
            font = QFont()
            font.setBold(totals or cell.bold)
            font.setUnderline(link)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return LINK_COLOUR if clickable(cell) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return TOTALS_FILL if totals else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if clickable(cell):
                return DRILL_TIP
            return cell.text if len(cell.text) > 12 else None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        if not (0 <= section < len(self.table.columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.table.columns[section].name
        if role == Qt.ItemDataRole.ToolTipRole:
            return column_title(self.table, section)
        return None


class SpanningHeader(QHeaderView):
    """A horizontal header of several rows with merged cells (:class:`~app.reports.HeaderCell`), wrapped
    text, painted like the xlsx's header (grey, ruled, bold). Sections stay the table's leaf columns, so
    resizing works as in any table."""

    PADDING = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.rows = 1
        self.cells: tuple[HeaderCell, ...] = ()
        self._row_heights: list[int] = [28]
        self.setSectionsClickable(False)
        self.setHighlightSections(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sectionResized.connect(lambda *_a: self.relayout())

    def set_cells(self, rows: int, cells: tuple[HeaderCell, ...]) -> None:
        self.rows = max(rows, 1)
        self.cells = cells
        self.relayout()

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _span_width(self, cell: HeaderCell) -> int:
        return sum(self.sectionSize(c) for c in range(cell.col, cell.col + cell.colspan))

    def _text_height(self, metrics: QFontMetrics, cell: HeaderCell) -> int:
        width = max(self._span_width(cell) - 2 * self.PADDING, 8)
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRect(0, 0, width, 10_000), flags, cell.text).height() + 2 * self.PADDING

    def relayout(self) -> None:
        """Heights of the header rows for the current column widths (each tall enough for its wrapped text)."""
        self.ensurePolished()
        metrics = QFontMetrics(self._font())
        heights = [metrics.height() + 2 * self.PADDING + 2] * self.rows
        for cell in self.cells:
            if cell.rowspan == 1:
                heights[cell.row] = max(heights[cell.row], self._text_height(metrics, cell))
        for cell in self.cells:
            if cell.rowspan > 1:
                span = range(cell.row, min(cell.row + cell.rowspan, self.rows))
                short = self._text_height(metrics, cell) - sum(heights[r] for r in span)
                if short > 0:
                    heights[span[-1]] += short
        if heights != self._row_heights:
            self._row_heights = heights
            self.updateGeometry()
            self.geometriesChanged.emit()  # the table view re-reads sizeHint() and moves its viewport
        self.viewport().update()

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(hint.width(), sum(self._row_heights))

    def cell_rect(self, cell: HeaderCell) -> QRect:
        """Where a header cell is painted, in viewport coordinates."""
        x = self.sectionViewportPosition(cell.col)
        y = sum(self._row_heights[: cell.row])
        height = sum(self._row_heights[cell.row : cell.row + cell.rowspan])
        return QRect(x, y, self._span_width(cell), height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self.cells:
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        painter.setFont(self._font())
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        painter.fillRect(self.viewport().rect(), HEADER_FILL)
        for cell in self.cells:
            rect = self.cell_rect(cell)
            if not rect.intersects(event.rect()):
                continue
            painter.fillRect(rect, HEADER_FILL)
            painter.setPen(GRID_COLOUR)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING), flags, cell.text
            )


class StatTableView(QTableView):
    """The table of the 统计上报 page. ``drill_requested(row, column)`` when a clickable number is clicked or
    Enter is pressed on it; the page looks the cell up with ``model.cell_at``."""

    drill_requested = Signal(int, int)

    MIN_COLUMN = 36  # the narrowest column (two characters of header a line)
    TEXT_PADDING = 10  # the item margins on both sides of a text
    WRAP_FROM = 90  # texts wider than this may wrap …
    WRAPPED_MIN = 60  # … down to about four characters a line
    MAX_PREFERRED = 180  # a long text (检查内容) wraps rather than widening its column past this
    MAX_WRAPPED_ROWS = 600  # taller tables keep one line per row (wrapping every row costs)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stat_model = StatTableModel(self)
        self.setModel(self.stat_model)
        self.header = SpanningHeader(self)
        self.setHorizontalHeader(self.header)
        self.header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setMinimumSectionSize(24)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between cells
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._fitted_width = -1
        self.clicked.connect(self._on_clicked)

    @property
    def table(self) -> StatTable | None:
        return self.stat_model.table

    def set_table(self, table: StatTable | None) -> None:
        self.clearSpans()
        self.stat_model.set_table(table)
        if table is None:
            self.header.set_cells(1, ())
            return
        self.header.set_cells(table.header_rows, table.headers)
        if not table.rows:
            self.setSpan(0, 0, 1, len(table.columns))
        span = totals_label_span(table)
        if table.totals is not None and span > 1:
            self.setSpan(self.stat_model.rowCount() - 1, 0, 1, span)
        self.fit_columns()
        first = self._first_clickable()
        if first is not None:  # Enter works at once; nothing looks selected until the clerk moves
            self.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _first_clickable(self) -> QModelIndex | None:
        model = self.stat_model
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                if clickable(model.cell_at(row, column)):
                    return model.index(row, column)
        return None

    def fit_columns(self) -> None:
        """Widths in the proportions of the printed table, filling the visible width; a number is never cut
        (its column is at least as wide as its widest figure), a long text wraps; then the row heights."""
        table = self.table
        if table is None:
            return
        self.ensurePolished()
        weights = list(table.pdf_widths_mm) if table.pdf_widths_mm else [c.width for c in table.columns]
        minimums, natural = self._content_widths()
        available = max(self.viewport().width() - 2, 200)
        widths = fit_widths(weights, minimums, natural, available)
        self._fitted_width = self.viewport().width()
        for column, width in enumerate(widths):
            self.header.resizeSection(column, width)
        self.header.relayout()
        self._fit_rows()

    def _content_widths(self) -> tuple[list[int], list[int]]:
        """Per column: the least width it may have (a figure on one line; a long text wrapped to about four
        characters a line) and its natural width (its widest text on one line, long texts capped)."""
        model = self.stat_model
        plain = self.fontMetrics()
        bold_font = QFont(self.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        label_span = totals_label_span(self.table)
        minimums, natural = [], []
        for column in range(model.columnCount()):
            widest = unbreakable = 0
            for row in range(min(model.rowCount(), self.MAX_WRAPPED_ROWS)):
                cell = model.cell_at(row, column)
                totals = model.is_totals(row)
                if cell is None or not cell.text or (totals and column < label_span):
                    continue
                metrics = bold if totals or cell.bold else plain
                width = metrics.horizontalAdvance(cell.text)
                widest = max(widest, width)
                if not any(ord(ch) > 0x2E7F or ch.isspace() for ch in cell.text):
                    unbreakable = max(unbreakable, width)  # RW-2026-0001 cannot wrap
            need = max(widest + self.TEXT_PADDING, self.MIN_COLUMN)
            wraps = need > self.WRAP_FROM
            minimums.append(max(self.WRAPPED_MIN, unbreakable + self.TEXT_PADDING) if wraps else need)
            natural.append(min(need, self.MAX_PREFERRED) if wraps else need)
        return minimums, natural

    def full_height(self) -> int:
        """The height that shows every row without scrolling (header, rows, frame, a horizontal scroll bar)."""
        rows = sum(self.rowHeight(r) for r in range(self.stat_model.rowCount()))
        bar = self.horizontalScrollBar().sizeHint().height() if self.horizontalScrollBar().isVisible() else 0
        return self.header.sizeHint().height() + rows + 2 * self.frameWidth() + bar + 6

    def _fit_rows(self) -> None:
        if self.stat_model.rowCount() <= self.MAX_WRAPPED_ROWS:
            self.resizeRowsToContents()
            for row in range(self.stat_model.rowCount()):
                if self.rowHeight(row) < 28:
                    self.setRowHeight(row, 28)
        else:
            self.verticalHeader().setDefaultSectionSize(28)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Called with the viewport's size, so also when the vertical scroll bar appears and narrows it.
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self.fit_columns()

    # --- the clickable numbers ---------------------------------------------------------------------------
    def clickable_at(self, index: QModelIndex) -> bool:
        return index.isValid() and clickable(self.stat_model.cell_at(index.row(), index.column()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        index = self.indexAt(event.position().toPoint())
        if self.clickable_at(index):
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            self.stat_model.set_hovered((index.row(), index.column()))
        else:
            self.viewport().unsetCursor()
            self.stat_model.set_hovered(None)

    def leaveEvent(self, event: Any) -> None:  # noqa: N802
        super().leaveEvent(event)
        self.viewport().unsetCursor()
        self.stat_model.set_hovered(None)

    def _on_clicked(self, index: QModelIndex) -> None:
        if self.clickable_at(index):
            self.drill_requested.emit(index.row(), index.column())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.clickable_at(index):
            self.drill_requested.emit(index.row(), index.column())
            return
        super().keyPressEvent(event)

    def visible_texts(self) -> list[list[str]]:
        """Every row as shown (tests and the accessibility checks read the preview through this)."""
        model = self.stat_model
        return [
            [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
