"""The 随机抽取情况记录表 (draw sheet): the printed, signed record of one draw (摇号), as a PDF.

Sections follow the procedure in the room: 一 task, 二 pools and rates, 三 hashes, commitment, witnesses'
numbers, nonce and seed (:mod:`app.forms.draw_sheet_before`); 四 results in draw order, 五 replacements
(递补), 六 the record file with its SHA-256 (text and QR code) and how to verify it, 七 signatures of the
operator (抽取人) and watchers (监督人) (:mod:`app.forms.draw_sheet_after`).

    data = load_draw_sheet_data("宁安-2026-0007.json", bureau_name="宁安市市场监督管理局")
    write_draw_sheet(data, "记录表.pdf")
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from app.forms import draw_sheet_after as after
from app.forms import draw_sheet_before as before
from app.forms.draw_sheet_data import DrawSheetData, DrawSheetError
from app.forms.draw_sheet_record import draw_sheet_data_from_record, load_draw_sheet_data
from app.forms.fonts import MissingGlyphsError, missing_glyphs, register_cjk_fonts, text_characters
from app.forms.layout import FormStyles, build_pdf, form_styles, page_decorator, para, title_line, void_banner

__all__ = [
    "DrawSheetData",
    "DrawSheetError",
    "draw_sheet_data_from_record",
    "load_draw_sheet_data",
    "write_draw_sheet",
]

TITLE = "随机抽取情况记录表"
SECTION_MIN_SPACE = 40 * mm


def build_story(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """The flowables of the whole sheet, in order."""
    story: list[Flowable] = [
        title_line(TITLE, st),
        para(f"摇号编号：{d.draw_id}", st.subtitle),
    ]
    if d.void_note:  # a voided draw must not be mistaken for a valid one on paper
        story.append(void_banner(d.void_note, st))
    for section in (
        before.task_section,
        before.pool_section,
        before.commitment_section,
        after.results_section,
        after.replacements_section,
        after.record_section,
        after.signature_section,
    ):
        story.append(CondPageBreak(SECTION_MIN_SPACE))  # no heading alone at the foot of a page
        story += section(d, st)
    return story


def write_draw_sheet(
    data: DrawSheetData,
    path: str | Path,
    *,
    font_path: str | Path | None = None,
    allow_missing_glyphs: bool = False,
) -> Path:
    """Write the draw sheet PDF to ``path`` (A4 portrait) and return the path.

    ``font_path`` is the font setting (a file or folder), see :func:`app.forms.fonts.find_cjk_fonts`.
    Raises :class:`~app.forms.fonts.FontNotFoundError` when no Chinese font can be embedded and
    :class:`~app.forms.fonts.MissingGlyphsError` when a name uses a character the font lacks (a signed
    record must not silently lose a character), unless ``allow_missing_glyphs``.
    """
    fonts = register_cjk_fonts(font_path)
    if not allow_missing_glyphs:
        missing = missing_glyphs(text_characters(data), fonts)
        if missing:
            raise MissingGlyphsError(missing, fonts)
    styles = form_styles(fonts)
    decorate = page_decorator(styles, data.bureau_name or TITLE, f"摇号编号：{data.draw_id}")
    return build_pdf(
        path,
        build_story(data, styles),
        decorate,
        title=f"{TITLE}（{data.draw_id}）",
        author=data.bureau_name or data.operator,
        initial_font=styles.fonts.song,
    )
