"""The 执法检查登记表 (inspection form, 一次一档) as PDF: one form per drawn object, a whole task in one file.

Two variants from the same data: *blank* (object, task and inspectors printed; what is found on site left as
ruled space to write in by hand; every choice a box to tick) and *filled* (as recorded, boxes ticked).
Each form starts on a new page and numbers its own pages 第 X 页 共 Y 页.

The forms are ruled grids drawn straight on the canvas, paginated here row by row (a long checklist
continues on the next page under its repeated header): platypus tables cost about three times as much,
and a task prints hundreds of forms at once.

    forms = task_form_data(session, task_id)            # app.inspections: from the database
    write_inspection_forms(forms, "登记表.pdf", blank=True)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from app.forms.fonts import CjkFonts, MissingGlyphsError, missing_glyphs, register_cjk_fonts, text_characters
from app.forms.inspection_form_data import InspectionFormData
from app.forms.layout import (
    CELL_PADDING,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    form_styles,
    page_decorator,
    text_width,
    wrap_text,
    write_pdf_atomically,
)
from db.enums import FollowUp, InspectionMethod, InspectionResult

TITLE = "执法检查登记表"
BOX_GLYPHS = ("☐", "☑")  # printed as text when the font has them; otherwise the boxes are drawn
SIZE, LEADING = 9.0, 12.5  # table text
CHOICE_LEADING = 15.5
PAD_TOP, PAD_BOTTOM = 3.0, 4.0
LABEL_FILL, HEADER_FILL = colors.HexColor("#f0f0f0"), colors.HexColor("#e8e8e8")
FRAME_TOP, FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
HANDWRITING = 16 * mm  # height of each 发现问题 / 处置情况 row on the blank form
DATE_BLANK = "　　　　年　　月　　日"
SIGN_DATE = "　年　月　日"
_FIXED_TEXT = (
    "执法检查登记表文书编号档案号被检查对象统一社会信用代码联系电话法定代表人（负责人）抽中顺序号地址抽查任务事项依据"
    "日期方式序号人员所属部门执法证号内容发现问题处置情况其他：结果后续说明签字确认姓名意见盖章年月日第页共＿　…"
)


def box_glyphs_available(char_to_glyph: Mapping[int, Any]) -> bool:
    """True when a font's character map has both ☐ and ☑; else the boxes are drawn with lines."""
    return all(ord(ch) in char_to_glyph for ch in BOX_GLYPHS)


@dataclass
class Choices:
    """Options each behind a tick box, in ``columns`` equal columns (0: one after another, wrapping)."""

    options: Sequence[str]
    checked: str
    columns: int = 0
    places: list[tuple[float, int, str]] = field(default_factory=list)

    def layout(self, width: float, font: str) -> float:
        """Place the options in ``width``; return the height they need."""
        x, line, self.places = 0.0, 0, []
        for index, option in enumerate(self.options):
            if self.columns:
                x, line = (index % self.columns) * width / self.columns, index // self.columns
            elif x and x + SIZE * 1.4 + text_width(option, font, SIZE) > width:
                x, line = 0.0, line + 1
            self.places.append((x, line, option))
            x += SIZE * 2.9 + text_width(option, font, SIZE)
        return (line + 1) * CHOICE_LEADING

    def draw(
        self, canvas: Canvas, text: PDFTextObject, boxes: list[str], x0: float, top: float, glyphs: bool
    ) -> None:
        """Boxes into ``boxes`` (stroked with the page's rules), the tick on the canvas, labels into ``text``."""
        side = SIZE * 0.9
        for x, line, option in self.places:
            base = top - line * CHOICE_LEADING - CHOICE_LEADING / 2 - SIZE * 0.35
            ticked, left = option == self.checked, x0 + x
            if glyphs:
                text.setTextOrigin(left, base)
                text.textOut(BOX_GLYPHS[ticked])
            else:
                boxes.append(_re(left, base - SIZE * 0.08, side, side))
                if ticked:
                    tick = canvas.beginPath()
                    tick.moveTo(left + side * 0.15, base + side * 0.45)
                    tick.lineTo(left + side * 0.42, base + side * 0.1)
                    tick.lineTo(left + side * 1.05, base + side * 1.0)
                    canvas.setLineWidth(1.3)
                    canvas.drawPath(tick, stroke=1, fill=0)
                    canvas.setLineWidth(0.6)
            text.setTextOrigin(left + SIZE * 1.4, base)
            text.textOut(option)


@dataclass
class Cell:
    """One cell: wrapped text (lines split by ``\\n``) or choices, optionally shaded, aligned, bold."""

    width: float
    text: str = ""
    font: str = ""
    size: float = SIZE
    shade: Any = None
    align: str = "left"  # left / center / right
    top: bool = False  # text from the top (rows written in by hand) rather than centred
    bold: bool = False
    choices: Choices | None = None

    @property
    def leading(self) -> float:
        return LEADING * self.size / SIZE

    def height(self) -> float:
        if self.choices is not None:
            return self.choices.layout(self.width - 2 * CELL_PADDING, self.font)
        return (self.text.count("\n") + 1) * self.leading if self.text else 0.0


@dataclass
class Row:
    """A row of cells; ``header`` rows are repeated when their block continues on a new page."""

    cells: list[Cell]
    min_height: float = 0.0
    ruled: bool = True
    header: bool = False
    height: float = 0.0

    def __post_init__(self) -> None:
        self.height = max(self.min_height, max(c.height() for c in self.cells) + PAD_TOP + PAD_BOTTOM)

    def split(self, room: float) -> tuple[Row | None, Row]:
        """The lines that fit in ``room`` and the rest (a row taller than a page; choices stay in front)."""
        fit = int((room - PAD_TOP - PAD_BOTTOM) // max(c.leading for c in self.cells))
        if fit < 1:
            return None, self
        head = [dataclasses.replace(c, text="\n".join(c.text.split("\n")[:fit])) for c in self.cells]
        tail = [
            dataclasses.replace(c, text="\n".join(c.text.split("\n")[fit:]), choices=None) for c in self.cells
        ]
        return Row(head, ruled=self.ruled), Row(tail, ruled=self.ruled)


@dataclass
class Block:
    """Rows printed together; ``keep`` moves the whole block to the next page rather than splitting it."""

    rows: list[Row]
    keep: bool = True
    space_after: float = 3 * mm


def paginate(blocks: Sequence[Block]) -> list[list[tuple[float, Row]]]:
    """Pages of (top y, row): blocks top to bottom, header rows repeated, over-tall rows split by lines."""
    pages: list[list[tuple[float, Row]]] = [[]]
    y = FRAME_TOP
    for block in blocks:
        if block.keep and pages[-1] and y - sum(r.height for r in block.rows) < MARGIN_BOTTOM:
            pages.append([])
            y = FRAME_TOP
        headers = [r for r in block.rows if r.header]
        for row in block.rows:
            while y - row.height < MARGIN_BOTTOM:
                first, row = row.split(y - MARGIN_BOTTOM) if row.height > FRAME_HEIGHT / 2 else (None, row)
                if first is not None:
                    pages[-1].append((y, first))
                pages.append([])
                y = FRAME_TOP
                for header in headers if not row.header else []:
                    pages[-1].append((y, header))
                    y -= header.height
            pages[-1].append((y, row))
            y -= row.height
        y -= block.space_after
    return pages


def _re(x: float, y: float, width: float, height: float) -> str:
    # Formatted here and added as one literal per page: reportlab's pure-Python number formatting per call
    # was a third of the time of a 500-form print.
    return f"{x:.2f} {y:.2f} {width:.2f} {height:.2f} re"


def draw_page(canvas: Canvas, placed: Sequence[tuple[float, Row]], song: str, glyphs: bool) -> None:
    """Shading, then rules and tick boxes, then all text of the page in a single text object."""
    shaded: dict[Any, list[str]] = {}
    ruled: list[str] = []
    for top, row in placed:
        x = MARGIN_LEFT
        for cell in row.cells:
            if row.ruled:
                if cell.shade is not None:
                    shaded.setdefault(cell.shade, []).append(_re(x, top - row.height, cell.width, row.height))
                ruled.append(_re(x, top - row.height, cell.width, row.height))
            x += cell.width
    for shade, rects in shaded.items():
        canvas.setFillColor(shade)
        canvas.addLiteral("\n".join(rects) + " f")
    canvas.setFillColor(colors.black)
    canvas.setLineWidth(0.6)
    text = canvas.beginText()
    current = ("", 0.0, False)
    for top, row in placed:
        x = MARGIN_LEFT
        for cell in row.cells:
            font = (cell.font or song, cell.size, cell.bold)
            if font != current:
                text.setFont(font[0], font[1])
                text.setTextRenderMode(2 if cell.bold else 0)  # fill and stroke: reads as bold
                current = font
            if cell.choices is not None:
                used = cell.choices.layout(cell.width - 2 * CELL_PADDING, font[0])
                cell_top = top - (row.height - used) / 2
                cell.choices.draw(canvas, text, ruled, x + CELL_PADDING, cell_top, glyphs)
            elif cell.text:
                _text_lines(text, cell, x, top, row.height, font[0])
            x += cell.width
    if ruled:
        canvas.addLiteral("\n".join(ruled) + " S")
    canvas.drawText(text)


def _text_lines(text: PDFTextObject, cell: Cell, x: float, top: float, height: float, font: str) -> None:
    lines = cell.text.split("\n")
    lead = cell.leading
    y = top - PAD_TOP if cell.top else top - (height - len(lines) * lead) / 2
    for line in lines:
        y -= lead
        if cell.align == "left":
            left = x + CELL_PADDING
        else:
            width = text_width(line, font, cell.size)
            left = (
                x + (cell.width - width) / 2
                if cell.align == "center"
                else x + cell.width - CELL_PADDING - width
            )
        text.setTextOrigin(left, y + lead / 2 - cell.size * 0.35)
        text.textOut(line)


class _FormLayout:
    """The blocks of one form from its data."""

    def __init__(
        self, d: InspectionFormData, blank: bool, fonts: CjkFonts, wrapped: dict[tuple[str, str, float], str]
    ) -> None:
        self.d, self.blank, self.song, self.hei = d, blank, fonts.song, fonts.hei
        self.wrapped = wrapped  # shared by the forms of one print: labels and checklists repeat

    def wrap(self, text: str, font: str, width: float) -> str:
        key = (text, font, width)
        found = self.wrapped.get(key)
        if found is None:
            found = self.wrapped[key] = wrap_text(text, font, SIZE, width - 2 * CELL_PADDING)
        return found

    def value(self, text: str, width: float, **kw: Any) -> Cell:
        return Cell(width, self.wrap(text, self.song, width), self.song, **kw)

    def label(self, text: str, width: float, shade: Any = LABEL_FILL) -> Cell:
        return Cell(width, self.wrap(text, self.hei, width), self.hei, shade=shade, align="center")

    def choices(self, enum: type[StrEnum], chosen: str, width: float, columns: int = 0) -> Cell:
        checked = "" if self.blank else chosen
        return Cell(width, font=self.song, choices=Choices([m.value for m in enum], checked, columns))

    def header(self, names: Sequence[str], widths: Sequence[float]) -> Row:
        return Row(
            [self.label(n, w, HEADER_FILL) for n, w in zip(names, widths, strict=True)], 7 * mm, header=True
        )

    def blocks(self) -> list[Block]:
        return [
            self.top(),
            self.identity(),
            self.inspectors(),
            self.findings(),
            self.outcome(),
            self.signatures(),
        ]

    def top(self) -> Block:
        d, half, blank_no = self.d, FRAME_WIDTH / 2, "＿" * 10
        title = Cell(FRAME_WIDTH, TITLE, self.hei, 22, align="center", bold=True)
        doc_no = Cell(half, f"文书编号：{d.doc_no or blank_no}", self.song, 10)
        archive = Cell(half, f"档案号：{d.archive_no or blank_no}", self.song, 10, align="right")
        return Block([Row([title], ruled=False), Row([doc_no, archive], ruled=False)], space_after=1 * mm)

    def identity(self) -> Block:
        d, lab, half = self.d, 28 * mm, (FRAME_WIDTH - 56 * mm) / 2
        wide = FRAME_WIDTH - lab
        day = DATE_BLANK if self.blank else _date_text(d.inspection_date)
        pairs = [
            ("被检查对象", d.entity_name),
            ("地址", d.address),
            ("抽查任务", f"{d.task_code}　{d.task_title}"),
            ("抽查事项", "；".join(d.items)),
            ("检查依据", d.basis),
            ("检查日期", day),
        ]
        rows = [Row([self.label(name, lab), self.value(text, wide)], 8 * mm) for name, text in pairs]
        rows[1:1] = [
            Row([self.label(a, lab), self.value(b, half), self.label(c, lab), self.value(e, half)], 8 * mm)
            for a, b, c, e in (
                ("统一社会信用代码", d.code, "联系电话", d.phone),
                ("法定代表人\n（负责人）", d.legal_rep, "抽中顺序号", str(d.order or "")),
            )
        ]
        rows.append(
            Row([self.label("检查方式", lab), self.choices(InspectionMethod, d.method, wide)], 8 * mm)
        )
        return Block(rows)

    def inspectors(self) -> Block:
        widths = [12 * mm, 30 * mm, 68 * mm, FRAME_WIDTH - 110 * mm]
        people = [(p.name, p.department, p.cert_no) for p in self.d.inspectors]
        if self.blank:
            people.append(("", "", ""))  # a spare line for a recorded replacement (递补)
        rows = [self.header(("序号", "检查人员", "所属部门", "执法证号"), widths)]
        for n, texts in enumerate(people, start=1):
            cells = [self.value(str(n), widths[0], align="center")]
            cells += [self.value(t, w) for t, w in zip(texts, widths[1:], strict=True)]
            rows.append(Row(cells, 7 * mm))
        return Block(rows)

    def findings(self) -> Block:
        widths = [12 * mm, 67 * mm, 43 * mm, FRAME_WIDTH - 122 * mm]
        entries = [
            (f.content, "" if self.blank else f.problem, "" if self.blank else f.handling)
            for f in self.d.findings
        ]
        if self.blank:
            entries.append(("其他：", "", ""))
        rows = [self.header(("序号", "检查内容", "发现问题", "处置情况"), widths)]
        for n, texts in enumerate(entries, start=1):
            cells = [self.value(str(n), widths[0], align="center")]
            cells += [self.value(t, w, top=True) for t, w in zip(texts, widths[1:], strict=True)]
            rows.append(Row(cells, HANDWRITING if self.blank else 9 * mm))
        return Block(rows, keep=False)

    def outcome(self) -> Block:
        d, lab = self.d, 28 * mm
        wide = FRAME_WIDTH - lab
        note = "" if self.blank else d.follow_up_note
        return Block(
            [
                Row([self.label("检查结果", lab), self.choices(InspectionResult, d.result, wide, 2)]),
                Row([self.label("后续处置", lab), self.choices(FollowUp, d.follow_up, wide, 3)]),
                Row(
                    [self.label("处置说明", lab), self.value(note, wide)],
                    HANDWRITING if self.blank else 9 * mm,
                ),
            ]
        )

    def signatures(self) -> Block:
        widths = [28 * mm, 28 * mm, 44 * mm, 35 * mm, FRAME_WIDTH - 135 * mm]
        rows = [self.header(("签字确认", "姓名", "执法证号", "签字", "日期"), widths)]
        for p in self.d.inspectors:
            texts = (p.name, p.cert_no, "", SIGN_DATE)
            cells = [self.label("检查人员", widths[0])]
            cells += [self.value(t, w) for t, w in zip(texts, widths[1:], strict=True)]
            cells[-1].align = "right"
            rows.append(Row(cells, 12 * mm))
        party = self.label("被检查对象签字（盖章）", widths[0])
        rows += [
            Row([self.label("被检查对象意见", widths[0]), self.value("", FRAME_WIDTH - widths[0])], 16 * mm),
            Row(
                [party, self.value("", sum(widths[1:4])), self.value(SIGN_DATE, widths[4], align="right")],
                20 * mm,
            ),
        ]
        return Block(rows)


def _date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else DATE_BLANK


def _header_right(d: InspectionFormData, fonts: CjkFonts) -> str:
    """Object name and 文书编号 for the running header, the name shortened to leave the bureau room."""
    room = FRAME_WIDTH - text_width(d.bureau_name, fonts.hei, 10) - 12 * mm
    name, number = d.entity_name, f"　{d.doc_no}" if d.doc_no else ""
    while len(name) > 1 and text_width(name + number, fonts.song, 8.5) > room:
        name = name[:-2] + "…"
    return name + number


def write_inspection_forms(
    forms: Sequence[InspectionFormData],
    path: str | Path,
    blank: bool,
    *,
    font_path: str | Path | None = None,
    allow_missing_glyphs: bool = False,
) -> Path:
    """Write one 执法检查登记表 per entry of ``forms`` into one A4 PDF at ``path`` and return the path.

    ``blank`` prints the form to fill in on site (identity pre-filled, findings and choices left empty);
    otherwise the recorded entries are printed. Raises :class:`~app.forms.fonts.FontNotFoundError` without an
    embeddable Chinese font, :class:`~app.forms.fonts.MissingGlyphsError` when a text uses a character the
    font lacks (unless ``allow_missing_glyphs``), and ``ValueError`` for an empty list.
    """
    if not forms:
        raise ValueError("没有需要打印的执法检查登记表")
    fonts = register_cjk_fonts(font_path)
    if not allow_missing_glyphs:
        fixed = _FIXED_TEXT + "".join(
            m.value for e in (InspectionMethod, InspectionResult, FollowUp) for m in e
        )
        missing = missing_glyphs([*fixed, *text_characters(list(forms))], fonts)
        if missing:
            raise MissingGlyphsError(missing, fonts)
    styles = form_styles(fonts)
    glyphs = box_glyphs_available(pdfmetrics.getFont(fonts.song).face.charToGlyph)
    first = forms[0]

    def write(temporary: Path) -> None:
        canvas = Canvas(str(temporary), pagesize=A4, initialFontName=fonts.song, lang="zh-CN")
        canvas.setTitle(f"{TITLE}（{first.task_code}，{len(forms)} 份{'，空白' if blank else ''}）")
        canvas.setAuthor(first.bureau_name)
        canvas.setCreator("shuangsuiji")
        wrapped: dict[tuple[str, str, float], str] = {}
        for data in forms:
            pages = paginate(_FormLayout(data, blank, fonts, wrapped).blocks())
            decorate = page_decorator(styles, data.bureau_name, _header_right(data, fonts))
            for number, placed in enumerate(pages, start=1):
                draw_page(canvas, placed, fonts.song, glyphs)
                decorate(canvas, number, len(pages))
                canvas.showPage()
        canvas.save()

    return write_pdf_atomically(path, write)
