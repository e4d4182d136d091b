"""A column filter as a drop-down of checkable values: “类型：全部” / “类型：企业 等 2 项”."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class FilterButton(QToolButton):
    """Multi-select filter. `values_source` is asked for the values each time the menu opens."""

    changed = Signal()

    def __init__(
        self, key: str, title: str, values_source: Callable[[], list[str]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.key = key
        self.title = title
        self._values_source = values_source
        self._selected: list[str] = []
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu = QMenu(self)
        self._menu.aboutToShow.connect(self._fill_menu)
        self.setMenu(self._menu)
        self._update_text()

    def selected(self) -> tuple[str, ...]:
        return tuple(self._selected)

    def set_selected(self, values: list[str]) -> None:
        self._selected = list(values)
        self._update_text()
        self.changed.emit()

    def clear(self) -> None:
        if self._selected:
            self.set_selected([])

    def _fill_menu(self) -> None:
        self._menu.clear()
        everything = self._menu.addAction("全部")
        everything.triggered.connect(self.clear)
        self._menu.addSeparator()
        for value in self._values_source():
            action = self._menu.addAction(value)
            action.setCheckable(True)
            action.setChecked(value in self._selected)
            action.toggled.connect(lambda on, v=value: self._toggle(v, on))

    def _toggle(self, value: str, on: bool) -> None:
        values = [v for v in self._selected if v != value]
        if on:
            values.append(value)
        self.set_selected(values)

    def _update_text(self) -> None:
        if not self._selected:
            self.setText(f"{self.title}：全部")
        elif len(self._selected) == 1:
            self.setText(f"{self.title}：{self._selected[0]}")
        else:
            self.setText(f"{self.title}：{self._selected[0]} 等 {len(self._selected)} 项")
        self.setProperty("active", bool(self._selected))
        self.style().unpolish(self)
        self.style().polish(self)
