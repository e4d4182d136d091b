"""Shared page furniture of the printed forms: A4 page, filing margins, styles, header and 第 X 页 共 Y 页.

Tables of thousands of rows use plain string cells (fast) wrapped here with :func:`wrap_text`; Paragraphs
are kept for the few blocks of running text.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.forms.fonts import CjkFonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# Binding (装订) edge on the left, as for filed documents; the rest leaves room for the header and footer.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 25 * mm, 20 * mm, 24 * mm, 20 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
CELL_PADDING = 3.0  # points, left and right, in every table
GRID = colors.black


@dataclass(frozen=True)
class FormStyles:
    """Paragraph styles and raw font settings for one set of registered fonts."""

    fonts: CjkFonts
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    label: ParagraphStyle
    note: ParagraphStyle
    cell_size: float = 9.0
    mono_size: float = 8.5


def form_styles(fonts: CjkFonts) -> FormStyles:
    """The house styles: 黑体 title and headings, 仿宋 running text, 宋体 tables."""
    base = {"wordWrap": "CJK", "allowWidows": 1, "allowOrphans": 1}
    return FormStyles(
        fonts=fonts,
        title=ParagraphStyle(
            "title", fontName=fonts.hei, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=4, **base
        ),
        subtitle=ParagraphStyle(
            "subtitle",
            fontName=fonts.fang,
            fontSize=11,
            leading=16,
            alignment=TA_CENTER,
            spaceAfter=8,
            **base,
        ),
        heading=ParagraphStyle(
            "heading", fontName=fonts.hei, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4, **base
        ),
        body=ParagraphStyle("body", fontName=fonts.fang, fontSize=11, leading=17, alignment=TA_LEFT, **base),
        cell=ParagraphStyle("cell", fontName=fonts.song, fontSize=9, leading=12.5, **base),
        cell_bold=ParagraphStyle("cell_bold", fontName=fonts.hei, fontSize=9, leading=12.5, **base),
        label=ParagraphStyle(
            "label", fontName=fonts.hei, fontSize=9, leading=12.5, alignment=TA_CENTER, **base
        ),
        note=ParagraphStyle("note", fontName=fonts.fang, fontSize=9, leading=13, spaceBefore=3, **base),
    )


# One token per CJK character (a line may break after any of them), Latin words and numbers kept whole,
# runs of spaces as break opportunities.
_TOKENS = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\uffef]+|\s+"
)
_width_cache: dict[tuple[str, float], dict[str, float]] = {}


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points (per-character cache: tables call this hundreds of thousands of times)."""
    widths = _width_cache.setdefault((font, size), {})
    total = 0.0
    for ch in text:
        w = widths.get(ch)
        if w is None:
            w = widths[ch] = pdfmetrics.stringWidth(ch, font, size)
        total += w
    return total


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and text_width(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current] if current else pieces


# Line-breaking rules (禁则): no line ends with an opening bracket, none starts with closing punctuation.
_NO_LINE_END = frozenset("（《“‘【〔「『(")
_NO_LINE_START = frozenset("）》”’】〕」』)，。、；：！？,.;:!?")


def _keep_punctuation(line: str, token: str) -> tuple[str, str]:
    """Move characters from the end of ``line`` to the start of ``token`` so the break obeys 禁则."""
    cut = len(line)
    if token[:1] in _NO_LINE_START and cut:
        cut -= 1  # the closing mark takes the character before it to the next line
    while cut and line[cut - 1] in _NO_LINE_END:
        cut -= 1
    if not line[:cut].strip():  # nothing would be left: break where it falls instead
        return line, token
    return line[:cut], line[cut:] + token


def wrap_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` with line breaks so that no line is wider than ``width`` points (for string table cells).

    Lines break between Chinese characters or at spaces; a Latin word or number longer than a line (a
    hash, a long code) is cut where it must be, never lost.
    """
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, line_w, wrapped = "", 0.0, False
        for token in _TOKENS.findall(paragraph):
            if token.isspace():
                # Kept as typed (the full-width spaces of 年　月　日), except where a wrapped line starts.
                if line or not wrapped:
                    line, line_w = line + token, line_w + text_width(token, font, size)
                continue
            w = text_width(token, font, size)
            if line_w + w <= width:
                line, line_w = line + token, line_w + w
                continue
            wrapped = True
            line, token = _keep_punctuation(line, token)
            w = text_width(token, font, size)
            if line.strip():
                out.append(line.rstrip())
            if w <= width:
                line, line_w = token, w
            else:
                *whole, line = _break_word(token, font, size, width)
                out.extend(whole)
                line_w = text_width(line, font, size)
        out.append(line.rstrip())
    return "\n".join(out)


def column_wrap(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    fonts: Sequence[str],
    sizes: float | Sequence[float],
) -> list[list[str]]:
    """Wrap every cell of ``rows`` to its column (width less padding), one font and size per column."""
    inner = [w - 2 * CELL_PADDING for w in widths]
    size_of = [sizes] * len(widths) if isinstance(sizes, int | float) else list(sizes)
    return [[wrap_text(cell, fonts[i], size_of[i], inner[i]) for i, cell in enumerate(row)] for row in rows]


def grid_commands(font: str, size: float, leading: float, header_rows: int = 0) -> list[tuple[Any, ...]]:
    """TableStyle commands for a ruled form table; header rows shaded and centred."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, size, leading),
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BOX", (0, 0), (-1, -1), 1.0, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8e8e8")),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    return commands


class BoldLine(Flowable):
    """One line of title or heading text in 黑体, filled and lightly stroked so that it reads bold.

    Chinese system fonts come in one weight; reportlab has no bold to switch to. The line shrinks to fit
    rather than run past the margin. Keeping it with what follows is left to a ``CondPageBreak`` before it:
    reportlab's keep-with-next would push a long table's heading, and the table, to the next page.
    """

    def __init__(
        self,
        text: str,
        font: str,
        size: float,
        *,
        centred: bool = False,
        space_before: float = 0.0,
        space_after: float = 0.0,
        stroke: float = 0.35,
    ) -> None:
        super().__init__()
        self.text, self.font, self.size, self.centred, self.stroke = text, font, size, centred, stroke
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self._avail = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self._avail = availWidth
        natural = text_width(self.text, self.font, self.size)
        if natural > availWidth:
            self.size *= availWidth / natural
        return availWidth, self.size * 1.45

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.stroke)
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        text.setTextRenderMode(2)  # fill, then stroke the outline
        x = (self._avail - text_width(self.text, self.font, self.size)) / 2 if self.centred else 0.0
        text.setTextOrigin(x, self.size * 0.35)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()


def title_line(text: str, styles: FormStyles) -> BoldLine:
    """The form's title, centred, in the title style's font and size."""
    st = styles.title
    return BoldLine(text, st.fontName, st.fontSize, centred=True, space_after=st.spaceAfter, stroke=0.5)


def heading_line(text: str, styles: FormStyles) -> BoldLine:
    """A section heading (一、二、…) in the heading style's font and size."""
    st = styles.heading
    return BoldLine(text, st.fontName, st.fontSize, space_before=st.spaceBefore, space_after=st.spaceAfter)


def escape(text: str) -> str:
    """``text`` made safe for Paragraph markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain ``text`` (markup characters escaped)."""
    return Paragraph(escape(text), style)


def mono_para(text: str, st: FormStyles) -> Paragraph:
    """A hex string set in the monospace font, breaking only where the column ends."""
    font = st.fonts.mono
    return Paragraph(f'<font face="{font}" size="{st.mono_size}">{escape(text)}</font>', st.cell)


def form_table(
    rows: list[list[Any]],
    widths: Sequence[float],
    st: FormStyles,
    label_cols: Sequence[int],
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> Table:
    """A ruled key–value table; label columns are shaded and centred."""
    commands = grid_commands(st.fonts.song, st.cell_size, 12.5)
    commands += [("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    spanned = {(col, row) for (c0, row), (c1, _r) in spans for col in range(c0, c1 + 1)}
    for col in label_cols:
        for row in range(len(rows)):
            if (col, row) not in spanned:
                commands += [("BACKGROUND", (col, row), (col, row), "#f0f0f0")]
                commands += [("ALIGN", (col, row), (col, row), "CENTER")]
    commands += [("SPAN", a, b) for a, b in spans]
    # Rows tall enough to fill in by hand when a field was left empty.
    return Table(rows, colWidths=list(widths), style=TableStyle(commands), minRowHeights=[8 * mm] * len(rows))


def void_banner(text: str, styles: FormStyles) -> Table:
    """A boxed notice in 黑体 across the page (e.g. 本次抽取已作废…)."""
    notice = ParagraphStyle("void", parent=styles.heading, alignment=TA_CENTER, spaceBefore=0, spaceAfter=0)
    return Table(
        [[Paragraph(escape(text), notice)]],
        colWidths=[FRAME_WIDTH],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.fonts.hei, 12),
                ("BOX", (0, 0), (-1, -1), 2.0, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        ),
    )


PageDecorator = Callable[[Canvas, int, int], None]
_build_lock = threading.Lock()


class _PagedCanvas(Canvas):
    """Holds every page back until the end so that each can be stamped with the total page count."""

    def __init__(self, *args: Any, decorate: PageDecorator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


def page_decorator(
    styles: FormStyles, header_left: str, header_right: str, page_size: tuple[float, float] = A4
) -> PageDecorator:
    """Header (bureau name, a reference) with a rule, and the footer 第 X 页 共 Y 页 on every page
    (``page_size`` e.g. ``landscape(A4)`` for wide tables)."""
    fonts = styles.fonts
    width, height = page_size

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        top = height - MARGIN_TOP + 8 * mm
        canvas.setFont(fonts.hei, 10)
        canvas.drawString(MARGIN_LEFT, top, header_left)
        canvas.setFont(fonts.song, 8.5)
        canvas.drawRightString(width - MARGIN_RIGHT, top, header_right)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_LEFT, top - 2.5 * mm, width - MARGIN_RIGHT, top - 2.5 * mm)
        canvas.setFont(fonts.song, 9)
        canvas.drawCentredString(width / 2, MARGIN_BOTTOM - 10 * mm, f"第 {number} 页 共 {total} 页")
        canvas.restoreState()

    return decorate


def write_pdf_atomically(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Run ``write(temporary_path)`` one build at a time, then rename the result to ``path`` (a half-written
    PDF never takes the place of a good one). For PDFs drawn straight on a canvas; see also :func:`build_pdf`.
    """
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    try:
        with _build_lock:  # reportlab's fonts keep per-document state; one build at a time is the safe use
            write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def build_pdf(
    path: str | Path,
    story: list[Flowable],
    decorate: PageDecorator,
    *,
    title: str,
    author: str,
    initial_font: str,
    page_size: tuple[float, float] = A4,
) -> Path:
    """Lay out ``story`` on A4 (portrait unless ``page_size`` says otherwise) into ``path``; written to a
    temporary file first, then renamed.

    ``initial_font`` replaces reportlab's default Helvetica, which would otherwise be referenced unembedded.
    """

    def maker(*args: Any, **kwargs: Any) -> Canvas:
        return _PagedCanvas(*args, decorate=decorate, **kwargs)

    def write(temporary: Path) -> None:
        doc = SimpleDocTemplate(
            str(temporary),
            pagesize=page_size,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            creator="shuangsuiji",
            lang="zh-CN",
            initialFontName=initial_font,
        )
        doc.build(story, canvasmaker=maker)

    return write_pdf_atomically(path, write)
