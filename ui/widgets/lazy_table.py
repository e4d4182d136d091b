"""The pieces the large-list pages share: the lazy table's view, the table-beside-detail splitter and the
search box that waits for the clerk to stop typing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QSplitter, QTableView, QWidget

SEARCH_DELAY_MS = 250  # wait for the clerk to stop typing before searching


def lazy_table_view(model: QAbstractItemModel, widths: Sequence[int], *, single: bool = False) -> QTableView:
    """A read-only, row-selecting view with fixed-height rows (the lazy models fetch by row position)."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.SingleSelection
        if single
        else QAbstractItemView.SelectionMode.ExtendedSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    vertical = view.verticalHeader()
    vertical.setDefaultSectionSize(26)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for number, width in enumerate(widths):
        header.resizeSection(number, width)
    return view


def table_beside_detail(table: QWidget, detail: QWidget, sizes: tuple[int, int]) -> QSplitter:
    """The table taking three parts of spare width, the detail panel one."""
    splitter = QSplitter()
    splitter.addWidget(table)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes(list(sizes))
    return splitter


def debounced_search(search: QLineEdit, apply: Callable[[], object], parent: QObject) -> QTimer:
    """Run ``apply`` once typing pauses, or at once on Enter. ``apply`` should stop the returned timer."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_DELAY_MS)
    timer.timeout.connect(apply)
    search.textChanged.connect(lambda _text: timer.start())
    search.returnPressed.connect(apply)
    return timer
