"""使用说明: the in-app help — a contents list built from the headings, the text with screenshots, 查找,
后退/前进, and F1 opening the section about the page in front of the clerk.

The text is resources/help/index.html (Qt's HTML subset: headings carry ``<a name>`` anchors); its pictures are
made by packaging/help_screenshots.py. Both are found through app.paths.resources_dir(), so the frozen build
finds them too. One window per main window; asking again brings it to the front.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPoint, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QKeySequence,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.paths import resources_dir

HELP_FILE = "index.html"

# The section F1 opens for each page of the main window, by the page's TITLE (ui/pages/*.py).
PAGE_SECTIONS: dict[str, str] = {
    "首页": "home",
    "检查对象名录库": "entities",
    "执法检查人员名录库": "inspectors",
    "随机抽查事项清单": "items",
    "年度抽查计划": "plans",
    "抽查任务与摇号": "tasks",
    "检查录入与公示": "inspections",
    "统计上报": "reports",
    "数据交换": "exchange",
    "系统设置": "settings",
    "审计日志": "audit",
}

STYLE = """
h1 { color: #1f3a5f; }
h2 { color: #1f3a5f; margin-top: 22px; }
h3 { color: #2f5d93; margin-top: 14px; }
th { background-color: #e8eef6; }
code { background-color: #f0f2f5; }
"""
FOUND_COLOR = QColor("#ffe066")
ALERT_COLOR = "#b3261e"
MAX_HIGHLIGHTS = 500


def help_dir() -> Path:
    """resources/help of the source tree or of the frozen build."""
    return resources_dir() / "help"


def page_anchor(title: str) -> str | None:
    """The help section for the page titled ``title`` (None: the start of the help)."""
    return PAGE_SECTIONS.get(title)


@dataclasses.dataclass(frozen=True)
class Place:
    """A place in the text, kept across re-layouts: a heading's anchor (None: the start) and pixels below it."""

    anchor: str | None
    offset: int = 0


@dataclasses.dataclass(frozen=True)
class Heading:
    """A heading of the help text: h1 (the title), h2 (a section) or h3 (a part of a section)."""

    level: int
    text: str
    anchor: str
    position: int  # in the document, for finding where it is laid out


class ImageViewer(QScrollArea):
    """A picture of the help at its own size (clicked in the text, where it may be shrunk)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.label)
        self.setWidgetResizable(True)

    def show_image(self, path: Path, title: str) -> None:
        pixmap = QPixmap(str(path))
        self.label.setPixmap(pixmap)
        self.setWindowTitle(f"{title} — 使用说明")
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = pixmap.width() + 24, pixmap.height() + 24
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 80)
        self.resize(width, height)
        self.show()
        self.raise_()
        self.activateWindow()


class HelpBrowser(QTextBrowser):
    """The text. Pictures are shrunk to the width of the window (never enlarged) whenever it is resized, with
    smooth scaling (the text's own scaling would drop strokes of small Chinese characters); a click on one
    shows it at its own size. Links within the help are followed here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self.follow)
        self.viewer: ImageViewer | None = None
        self._shown_width: dict[str, int] = {}
        self._kept: Place | None = None
        self._fitting = False
        # Always there, so fitting the pictures never makes it appear and narrow the text again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._natural: dict[str, QSize] = {}
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(60)
        self._fit_timer.timeout.connect(self.fit_images)
        self.setSearchPaths([str(help_dir())])
        self.document().setDefaultStyleSheet(STYLE)

    def natural_size(self, name: str) -> QSize:
        """The picture's own size in pixels (invalid when the file is missing)."""
        size = self._natural.get(name)
        if size is None:
            size = QImageReader(str(help_dir() / name)).size()
            self._natural[name] = size
        return size

    def follow(self, url: QUrl) -> None:
        """A link: a picture opens at its own size, anything else is a place in the help."""
        name = url.path()
        if name.lower().endswith(".png"):
            if self.viewer is None:
                self.viewer = ImageViewer(self)
            self.viewer.show_image(help_dir() / name, self.picture_title(name))
            return
        window = self.window()
        if isinstance(window, HelpWindow):
            window.open_anchor(url.fragment() or None)

    def picture_title(self, name: str) -> str:
        """The heading of the part of the help that shows picture ``name``."""
        position = next((p for p, image in self.pictures() if image == name), None)
        headings = [h for h in self.headings() if position is not None and h.position <= position]
        return headings[-1].text if headings else Path(name).stem

    def pictures(self) -> list[tuple[int, str]]:
        """(position in the text, picture name) of every picture, in order."""
        found = []
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().isImageFormat():
                    found.append((fragment.position(), fragment.charFormat().toImageFormat().name()))
                fragments += 1
            block = block.next()
        return found

    def _scaled(self, name: str, width: int) -> QImage | None:
        """The picture at ``width`` pixels, smoothly scaled (None: the file is missing)."""
        image = QImage(str(help_dir() / name))
        if image.isNull():
            return None
        if image.width() > width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        return image

    def available_width(self) -> int:
        return max(120, self.viewport().width() - 2 * int(self.document().documentMargin()) - 8)

    def fit_images(self) -> None:
        """Every picture as wide as the text allows, at most its own width; the text in view stays in view.
        The bottom margin lets the last sections scroll to the top like the others."""
        document = self.document()
        place = self._kept or self.place()
        self._fitting = True
        try:
            self._fit(document)
            self.go_to(place)
        finally:
            self._fitting = False
            self._kept = None

    def _fit(self, document: QTextDocument) -> None:
        width = self.available_width()
        ratio = self.devicePixelRatioF()  # on a scaled display the picture keeps its own sharpness
        changes: list[tuple[int, int, QTextImageFormat]] = []
        block = document.begin()
        while block.isValid():  # first look, then change: changing formats re-cuts the fragments
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().isImageFormat():
                    image = fragment.charFormat().toImageFormat()
                    natural = self.natural_size(image.name())
                    shown = min(width, natural.width())
                    if natural.isValid() and shown > 0 and int(image.width()) != shown:
                        image.setWidth(shown)
                        image.setHeight(round(natural.height() * shown / natural.width()))
                        changes.append((fragment.position(), fragment.length(), image))
                fragments += 1
            block = block.next()
        cursor = QTextCursor(document)
        for position, length, image in changes:
            name, shown = image.name(), int(image.width())
            pixels = min(self.natural_size(name).width(), round(shown * ratio))
            if self._shown_width.get(name) != pixels:
                scaled = self._scaled(name, pixels)
                if scaled is not None:
                    url = document.baseUrl().resolved(QUrl(name))
                    document.addResource(QTextDocument.ResourceType.ImageResource, url, scaled)
                    self._shown_width[name] = pixels
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image)
        root = document.rootFrame()
        frame_format = root.frameFormat()
        bottom = max(0, self.viewport().height() - 60)
        if int(frame_format.bottomMargin()) != bottom:
            frame_format.setBottomMargin(bottom)
            root.setFrameFormat(frame_format)

    def place(self) -> Place:
        """Where the view is: the section at its top and how far into it (at the very top: the start)."""
        if self.verticalScrollBar().value() == 0:
            return Place(None)
        anchor = self.anchor_at_top()
        top = self.anchor_top(anchor) if anchor is not None else 0
        return Place(anchor, self.verticalScrollBar().value() - top)

    def go_to(self, place: Place) -> None:
        """Scroll so that ``place`` is at the top."""
        self.verticalScrollBar().setValue(self.scroll_value(place))

    def scroll_value(self, place: Place) -> int:
        """The scroll position that puts ``place`` at the top (the layout is completed first: pictures change
        heights)."""
        self.document().size()  # finishes the layout, so the scroll range is the final one
        top = self.anchor_top(place.anchor) if place.anchor is not None else 0
        return max(0, min(top + place.offset, self.verticalScrollBar().maximum()))

    def headings(self) -> list[Heading]:
        window = self.window()
        return window.headings if isinstance(window, HelpWindow) else []

    def anchor_top(self, anchor: str) -> int:
        """Where the heading ``anchor`` is laid out (document pixels from the top)."""
        for heading in self.headings():
            if heading.anchor == anchor:
                block = self.document().findBlock(heading.position)
                return int(self.document().documentLayout().blockBoundingRect(block).top())
        return 0

    def anchor_at_top(self) -> str | None:
        """The anchor of the last heading at or above the top of the view (None before the first one)."""
        top = self.verticalScrollBar().value()
        layout = self.document().documentLayout()
        current = None
        for heading in self.headings():
            block = self.document().findBlock(heading.position)
            if layout.blockBoundingRect(block).top() <= top + 4:
                current = heading.anchor
            else:
                break
        return current

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Where the reader is, taken before the text re-wraps at the new width (a burst of resizes keeps the
        # first); the pictures are fitted when the resizing pauses and that place is put back at the top.
        if self._kept is None and not self._fitting:
            self._kept = self.place()
        super().resizeEvent(event)
        if not self._fitting:
            self._fit_timer.start()


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


def collect_headings(document: QTextDocument) -> list[Heading]:
    """The headings of ``document`` that carry an anchor, in order."""
    headings = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level:
            names = _block_anchors(block)
            if names:
                headings.append(Heading(level, block.text().strip(), names[0], block.position()))
        block = block.next()
    return headings


def document_anchors(document: QTextDocument) -> set[str]:
    names: set[str] = set()
    block = document.begin()
    while block.isValid():
        names.update(_block_anchors(block))
        block = block.next()
    return names


def _block_anchors(block: object) -> list[str]:
    names: list[str] = []
    fragments = block.begin()  # type: ignore[attr-defined]
    while not fragments.atEnd():
        char_format = fragments.fragment().charFormat()
        if char_format.hasProperty(QTextFormat.Property.AnchorName):
            names.extend(char_format.anchorNames())
        fragments += 1
    return names


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
