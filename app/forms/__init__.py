"""Printed forms (表单) as PDF: fonts, page layout, and the 随机抽取情况记录表 (draw sheet).

Public API:

* :func:`write_draw_sheet` — the draw sheet PDF from a :class:`DrawSheetData`;
* :func:`draw_sheet_data_from_record` / :func:`load_draw_sheet_data` — fill that data from a SJDRAW-1 record;
* :func:`register_cjk_fonts` / :func:`find_cjk_fonts` and :class:`FontNotFoundError` — embeddable Chinese fonts.
"""

from app.forms.draw_sheet import write_draw_sheet
from app.forms.draw_sheet_data import (
    Assignment,
    DrawSheetData,
    DrawSheetError,
    Fingerprints,
    InspectorPoolLine,
    InspectorRef,
    PoolExclusion,
    ReplacementLine,
    ResultRow,
    StratumLine,
    VoidedAttempt,
    WitnessLine,
)
from app.forms.draw_sheet_record import draw_sheet_data_from_record, load_draw_sheet_data
from app.forms.fonts import (
    FONT_ENV,
    CjkFonts,
    FontFile,
    FontNotFoundError,
    find_cjk_fonts,
    register_cjk_fonts,
)

__all__ = [
    "FONT_ENV",
    "Assignment",
    "CjkFonts",
    "DrawSheetData",
    "DrawSheetError",
    "Fingerprints",
    "FontFile",
    "FontNotFoundError",
    "InspectorPoolLine",
    "InspectorRef",
    "PoolExclusion",
    "ReplacementLine",
    "ResultRow",
    "StratumLine",
    "VoidedAttempt",
    "WitnessLine",
    "draw_sheet_data_from_record",
    "find_cjk_fonts",
    "load_draw_sheet_data",
    "register_cjk_fonts",
    "write_draw_sheet",
]
