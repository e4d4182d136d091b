"""The structure of the 使用说明 text: its headings (h1 title, h2 sections, h3 parts) and ``<a name>``
anchors as Qt lays them out, and a place in the text kept across re-layouts."""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QTextDocument, QTextFormat

__all__ = ["Heading", "Place", "collect_headings", "document_anchors"]


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
