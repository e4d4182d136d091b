"""使用说明: the in-app help — a contents list built from the headings, the text with screenshots, 查找,
后退/前进, and F1 opening the section about the page in front of the clerk.

The text is resources/help/index.html (Qt's HTML subset: headings carry ``<a name>`` anchors); its pictures are
made by packaging/help_screenshots.py. Both are found through app.paths.resources_dir(), so the frozen build
finds them too. One window per main window; asking again brings it to the front.

Beside the window: :mod:`ui.help_sections` (where the text is, the section F1 opens for each page),
:mod:`ui.help_document` (the headings and anchors of the text), :mod:`ui.help_browser` (the text with its
pictures fitted to the window) and :mod:`ui.help_image_viewer` (a picture at its own size)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.help_browser import HelpBrowser
from ui.help_document import Heading, Place, collect_headings, document_anchors
from ui.help_sections import HELP_FILE, PAGE_SECTIONS, help_dir, page_anchor

# The names the main window and the tests import from here too.
__all__ = ["HELP_FILE", "PAGE_SECTIONS", "HelpWindow", "help_dir", "page_anchor", "show_help"]

FOUND_COLOR = QColor("#ffe066")
ALERT_COLOR = "#b3261e"
MAX_HIGHLIGHTS = 500


class HelpWindow(QWidget):
    """使用说明. ``open_anchor`` shows a section; ``find_next``/``find_previous`` search the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("使用说明 — 双随机、一公开")
        self.headings: list[Heading] = []
        self._syncing = False

        self.back_button = QPushButton("← 后退")
        self.back_button.setToolTip("后退（Alt+←）")
        self.forward_button = QPushButton("前进 →")
        self.forward_button.setToolTip("前进（Alt+→）")
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("查找（Ctrl+F），回车找下一个")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMinimumWidth(220)
        self.previous_button = QPushButton("上一个")
        self.previous_button.setToolTip("上一个（Shift+F3）")
        self.next_button = QPushButton("下一个")
        self.next_button.setToolTip("下一个（F3）")
        self.find_status = QLabel()
        self.find_status.setObjectName("hint")
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel("查找："))
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.find_status, 1)

        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setRootIsDecorated(True)
        self.contents.setMinimumWidth(180)
        self.browser = HelpBrowser(self)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 850])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        # 后退/前进 are kept here, not by QTextBrowser: its history reloads the text once it has been touched
        # (the fitted pictures), which would lose the fitting.
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self.back_button.clicked.connect(self.go_back)
        self.forward_button.clicked.connect(self.go_forward)
        self._update_history_buttons()
        self.contents.currentItemChanged.connect(self._on_contents)
        self.contents.itemClicked.connect(lambda item, _column: self._open_item(item))
        self.browser.verticalScrollBar().valueChanged.connect(lambda _v: self._sync_contents())
        self.find_edit.textEdited.connect(lambda _t: self.find_text(from_start_of_selection=True))
        self.find_edit.returnPressed.connect(self._find_from_keyboard)
        self.next_button.clicked.connect(lambda: self.find_next())
        self.previous_button.clicked.connect(lambda: self.find_previous())
        # Explicit keys: the platform's Back includes Backspace on Windows, which the find box needs.
        for keys, slot in (
            ("Ctrl+F", self.focus_find),
            ("F3", self.find_next),
            ("Shift+F3", self.find_previous),
            ("Alt+Left", self.go_back),
            ("Alt+Right", self.go_forward),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

        self.browser.setSource(QUrl(HELP_FILE))
        self._build_contents()
        self._size_to_screen()

    # --- the text and its contents --------------------------------------------------------------------------
    def _build_contents(self) -> None:
        """The contents list from the h2 (sections) and h3 (their parts) of the text."""
        self.headings = collect_headings(self.browser.document())
        self.contents.clear()
        section: QTreeWidgetItem | None = None
        for heading in self.headings:
            if heading.level == 2:
                section = QTreeWidgetItem([heading.text])
                section.setData(0, Qt.ItemDataRole.UserRole, heading.anchor)
                section.setToolTip(0, heading.text)
                self.contents.addTopLevelItem(section)
            elif heading.level == 3 and section is not None:
                part = QTreeWidgetItem([heading.text])
                part.setData(0, Qt.ItemDataRole.UserRole, heading.anchor)
                part.setToolTip(0, heading.text)
                section.addChild(part)
        self.contents.expandAll()

    def _size_to_screen(self) -> None:
        screen = self.screen()
        if screen is None:
            self.resize(1100, 720)
            return
        area = screen.availableGeometry()
        self.resize(min(1100, int(area.width() * 0.85)), min(760, int(area.height() * 0.9)))

    def anchors(self) -> set[str]:
        """Every anchor name of the text (headings and any other ``<a name>``)."""
        return document_anchors(self.browser.document())

    def contents_items(self) -> list[QTreeWidgetItem]:
        """The contents entries, sections and their parts, in order."""
        items: list[QTreeWidgetItem] = []
        for row in range(self.contents.topLevelItemCount()):
            section = self.contents.topLevelItem(row)
            if section is not None:
                items.append(section)
                items.extend(c for i in range(section.childCount()) if (c := section.child(i)) is not None)
        return items

    def open_anchor(self, anchor: str | None) -> None:
        """Show the section ``anchor`` (None or unknown: the start of the text); 后退 returns to where the
        view was."""
        target = Place(anchor if anchor in self.anchors() else None)
        here = self.browser.place()
        if self.browser.scroll_value(here) != self.browser.scroll_value(target):
            self._back.append(here)
            self._forward.clear()
        self._go(target)

    def go_back(self) -> None:
        if self._back:
            self._forward.append(self.browser.place())
            self._go(self._back.pop())

    def go_forward(self) -> None:
        if self._forward:
            self._back.append(self.browser.place())
            self._go(self._forward.pop())

    def _go(self, place: Place) -> None:
        self.browser.go_to(place)
        self._update_history_buttons()
        self._sync_contents()

    def _update_history_buttons(self) -> None:
        self.back_button.setEnabled(bool(self._back))
        self.forward_button.setEnabled(bool(self._forward))

    def current_anchor(self) -> str | None:
        """The section at the top of the view."""
        return self.browser.anchor_at_top()

    def _open_item(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and not self._syncing:
            self.open_anchor(item.data(0, Qt.ItemDataRole.UserRole))

    def _on_contents(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self._open_item(item)  # also the keyboard: arrows in the contents list move through the text

    def _sync_contents(self) -> None:
        """Select the contents entry of the section in view (without moving the text)."""
        anchor = self.current_anchor()
        for item in self.contents_items():
            if item.data(0, Qt.ItemDataRole.UserRole) == anchor:
                if self.contents.currentItem() is not item:
                    self._syncing = True
                    try:
                        self.contents.setCurrentItem(item)
                        self.contents.scrollToItem(item)
                    finally:
                        self._syncing = False
                return

    # --- 查找 ---------------------------------------------------------------------------------------------
    def focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _find_from_keyboard(self) -> None:
        backward = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.find_text(backward=backward)

    def find_next(self) -> bool:
        return self.find_text()

    def find_previous(self) -> bool:
        return self.find_text(backward=True)

    def find_text(self, *, backward: bool = False, from_start_of_selection: bool = False) -> bool:
        """Select the next (or previous) occurrence of the find text, wrapping around at the end; every
        occurrence is highlighted and the status says which one of how many, or that there is none."""
        text = self.find_edit.text().strip()
        document = self.browser.document()
        if not text:
            self.browser.setExtraSelections([])
            self._say("")
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        cursor = self.browser.textCursor()
        if not self.browser.viewport().rect().intersects(self.browser.cursorRect(cursor)):
            cursor = self.browser.cursorForPosition(QPoint(0, 0))  # the reader moved on: from the view's top
        elif from_start_of_selection:  # typing: the match may grow in place
            cursor.setPosition(cursor.selectionStart())
        found = document.find(text, cursor, flags)
        if found.isNull():  # wrap around
            start = QTextCursor(document)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(text, start, flags)
        matches = self._highlight(text)
        if found.isNull():
            self._say(f"未找到“{text}”", alert=True)
            return False
        self.browser.setTextCursor(found)
        self.browser.ensureCursorVisible()
        number = 1 + sum(1 for m in matches if m.selectionStart() < found.selectionStart())
        self._say(f"第 {number} 处，共 {len(matches)} 处")
        return True

    def _highlight(self, text: str) -> list[QTextCursor]:
        document = self.browser.document()
        matches: list[QTextCursor] = []
        cursor = document.find(text, 0)
        while not cursor.isNull() and len(matches) < MAX_HIGHLIGHTS:
            matches.append(cursor)
            cursor = document.find(text, cursor)
        selections = []
        for match in matches:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = match
            highlight = QTextCharFormat()
            highlight.setBackground(FOUND_COLOR)
            selection.format = highlight
            selections.append(selection)
        self.browser.setExtraSelections(selections)
        return matches

    def _say(self, text: str, alert: bool = False) -> None:
        self.find_status.setText(text)
        self.find_status.setStyleSheet(f"color: {ALERT_COLOR};" if alert else "")


_window: HelpWindow | None = None


def show_help(parent: QWidget | None, anchor: str | None = None) -> HelpWindow:
    """Open the help at ``anchor`` (None: the start). There is one help window: asked again, the open one is
    brought to the front; it belongs to ``parent`` (a main window), so it closes with it."""
    global _window
    window = _window if _window is not None and shiboken6.isValid(_window) else None
    if window is not None and window.parentWidget() is not parent:
        window.close()
        window.deleteLater()
        window = None
    if window is None:
        window = HelpWindow(parent)
        _window = window
    window.show()
    window.browser.fit_images()  # the pictures at the window's width before the section is looked for
    window.open_anchor(anchor)
    window.raise_()
    window.activateWindow()
    return window
