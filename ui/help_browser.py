"""The text of 使用说明: resources/help/index.html in a QTextBrowser whose pictures are fitted to the
window's width, smoothly scaled, while the section in view stays in view; clicking a picture opens
:class:`ui.help_image_viewer.ImageViewer`.

The browser lives in :class:`ui.help_window.HelpWindow`: it asks the window for the headings and has it open
the sections that links lead to. HelpWindow is imported inside those two methods, since :mod:`ui.help_window`
imports this module."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QImage, QImageReader, QResizeEvent, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QTextBrowser, QWidget

from ui.help_document import Heading, Place
from ui.help_image_viewer import ImageViewer
from ui.help_sections import help_dir

__all__ = ["STYLE", "HelpBrowser"]

STYLE = """
h1 { color: #1f3a5f; }
h2 { color: #1f3a5f; margin-top: 22px; }
h3 { color: #2f5d93; margin-top: 14px; }
th { background-color: #e8eef6; }
code { background-color: #f0f2f5; }
"""


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
        from ui.help_window import HelpWindow  # that module imports this one

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
        from ui.help_window import HelpWindow  # that module imports this one

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
