"""The picture viewer of 使用说明: a screenshot of the help at its own size, in a window of its own (in the
text it may be shrunk to the window's width)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

__all__ = ["ImageViewer"]


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
