"""Printed forms (表单) as PDF and xlsx: fonts, page layout, the 随机抽取情况记录表 (draw sheet), the
执法检查登记表, the plan table and the 公示 table.

Where things are:

* ``draw_sheet.write_draw_sheet`` — the draw sheet PDF from a ``draw_sheet_data.DrawSheetData``;
* ``draw_sheet_record.draw_sheet_data_from_record`` / ``load_draw_sheet_data`` — that data from a SJDRAW-1 record;
* ``fonts.register_cjk_fonts`` / ``find_cjk_fonts`` — embeddable Chinese fonts;
* ``errors.PrintingError`` — what a clerk is told when no PDF could be made (no font, a missing glyph).

This package imports nothing itself: reportlab and openpyxl load only when something is printed or exported,
not when the main window starts (bench/bench_startup.py).
"""
