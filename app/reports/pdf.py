"""A :class:`~app.reports.model.StatTable` as an A4 landscape PDF, with the page furniture of the other forms
(:mod:`app.forms.layout`: header, 第 X 页 共 Y 页) and the CJK fonts embedded as subsets
(:mod:`app.forms.fonts`: :class:`FontNotFoundError` when there is none, :class:`MissingGlyphsError` when a
character cannot be printed — never a PDF of empty boxes). The header rows repeat on every page.

The 进展情况 table may carry its charts (reportlab.graphics, on a page of their own after the table): objects
drawn and inspected per month, and inspection results by category.

    write_table_pdf(table, "进展情况统计表.pdf", charts=progress_charts(facts))

This module imports reportlab; import it only where a file is written (not at start-up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from app.forms.fonts import CjkFonts, MissingGlyphsError, missing_glyphs, register_cjk_fonts
from app.forms.layout import (
    CELL_PADDING,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    FormStyles,
    build_pdf,
    form_styles,
    grid_commands,
    heading_line,
    page_decorator,
    para,
    title_line,
    wrap_text,
)
from app.reports.measures import ProgressCharts, axis_scale
from app.reports.model import StatTable
from app.reports.xlsx import info_line

__all__ = ["write_table_pdf"]

PAGE = landscape(A4)
FRAME = PAGE[0] - MARGIN_LEFT - MARGIN_RIGHT
DRAWN_COLOUR = colors.HexColor("#4a78b0")
INSPECTED_COLOUR = colors.HexColor("#e39b2d")
RESULT_COLOUR = colors.HexColor("#5f9e6e")


def _widths(table: StatTable) -> list[float]:
    """Column widths in points filling the frame: the table's PDF millimetres, else its xlsx widths."""
    raw = list(table.pdf_widths_mm) if table.pdf_widths_mm else [c.width for c in table.columns]
    scale = FRAME / sum(raw) if table.pdf_widths_mm is None else FRAME / (sum(raw) * mm)
    return [w * scale * (mm if table.pdf_widths_mm else 1.0) for w in raw]


def _grid(table: StatTable, widths: Sequence[float], fonts: CjkFonts, size: float) -> list[list[str]]:
    """Header, body and totals as wrapped text (a merged header wrapped to its whole width)."""
    n = len(table.columns)
    grid = [[""] * n for _ in range(table.header_rows)]
    for h in table.headers:
        span = sum(widths[h.col : h.col + h.colspan]) - 2 * CELL_PADDING
        grid[h.row][h.col] = wrap_text(h.text, fonts.hei, size, span)
    rows = [*table.rows, *([table.totals] if table.totals is not None else [])]
    for index, cells in enumerate(rows):
        font = fonts.hei if table.totals is not None and index == len(rows) - 1 else fonts.song
        grid.append(
            [wrap_text(c.text, font, size, widths[i] - 2 * CELL_PADDING) for i, c in enumerate(cells)]
        )
    return grid


def _table(table: StatTable, st: FormStyles) -> Table:
    fonts = st.fonts
    size = 7.5 if len(table.columns) >= 15 else 8.5
    leading = size * 1.35
    widths = _widths(table)
    grid = _grid(table, widths, fonts, size)
    h = table.header_rows
    commands: list[tuple[Any, ...]] = grid_commands(fonts.song, size, leading, header_rows=h)
    commands.append(("FONT", (0, 0), (-1, h - 1), fonts.hei, size, leading))
    commands += [
        ("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1))
        for c in table.headers
        if c.rowspan > 1 or c.colspan > 1
    ]
    for index, column in enumerate(table.columns):
        align = {"left": "LEFT", "right": "RIGHT"}.get(column.align, "CENTER")
        commands.append(("ALIGN", (index, h), (index, -1), align))
    if table.totals is not None:
        commands += [
            ("FONT", (0, -1), (-1, -1), fonts.hei, size, leading),
            ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f2f2f2")),
            ("ALIGN", (0, -1), (0, -1), "CENTER"),
        ]
        totals = table.totals
        if len(totals) > 1 and not totals[1].drillable and totals[1].value in ("", None):
            commands.append(("SPAN", (0, -1), (1, -1)))
    return Table(grid, colWidths=widths, style=TableStyle(commands), repeatRows=h)


def _value_axis(axis: Any, top: int, fonts: CjkFonts) -> None:
    """The count axis from 0 in round steps, as on the 统计上报 page's charts."""
    axis.valueMin = 0
    axis.valueStep, axis.valueMax = axis_scale(top)
    axis.labels.fontName = fonts.song
    axis.labels.fontSize = 8


def _monthly_chart(charts: ProgressCharts, fonts: CjkFonts) -> Drawing:
    """Clustered bars: objects drawn and objects inspected in each month of the period."""
    labels = [m for m, _d, _i in charts.monthly]
    drawn = [d for _m, d, _i in charts.monthly]
    inspected = [i for _m, _d, i in charts.monthly]
    top = max([*drawn, *inspected, 1])
    drawing = Drawing(FRAME, 200, initialFontName=fonts.song)  # else Helvetica is referenced, unembedded
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, FRAME - 60, 140
    chart.data = [drawn, inspected]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = fonts.song
    chart.categoryAxis.labels.fontSize = 8
    _value_axis(chart.valueAxis, top, fonts)
    chart.bars[0].fillColor = DRAWN_COLOUR
    chart.bars[1].fillColor = INSPECTED_COLOUR
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.song
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.groupSpacing = 8
    legend = Legend()
    legend.x, legend.y = FRAME - 150, 195
    legend.fontName = fonts.song
    legend.fontSize = 9
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(DRAWN_COLOUR, "抽取对象数"), (INSPECTED_COLOUR, "已检查对象数")]
    drawing.add(chart)
    drawing.add(legend)
    return drawing


def _results_chart(charts: ProgressCharts, fonts: CjkFonts) -> Drawing:
    """Horizontal bars: filed inspections of the period by 检查结果, in the national order (top first)."""
    results = list(reversed(charts.results))  # reportlab draws the first category at the bottom
    counts = [n for _r, n in results]
    top = max([*counts, 1])
    height = 22 * len(results) + 40
    drawing = Drawing(FRAME, height, initialFontName=fonts.song)
    chart = HorizontalBarChart()
    chart.x, chart.y = 200, 25
    chart.width, chart.height = FRAME - 260, height - 40
    chart.data = [counts]
    chart.categoryAxis.categoryNames = [r for r, _n in results]
    chart.categoryAxis.labels.fontName = fonts.song
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.boxAnchor = "e"
    _value_axis(chart.valueAxis, top, fonts)
    chart.bars[0].fillColor = RESULT_COLOUR
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.song
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 12
    drawing.add(chart)
    return drawing


def _chart_story(charts: ProgressCharts, st: FormStyles) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), heading_line("图1  各月抽取与检查对象数（户）", st)]
    story.append(_monthly_chart(charts, st.fonts))
    results: Flowable = (
        _results_chart(charts, st.fonts)
        if charts.results
        else para("（统计期间内没有已归档的执法检查登记表）", st.body)
    )
    # The heading goes to the next page with its chart when the chart does not fit below the first one.
    story.append(KeepTogether([heading_line("图2  检查结果分类（户，已归档的执法检查登记表）", st), results]))
    return story


def _chart_texts(charts: ProgressCharts | None) -> list[str]:
    if charts is None:
        return []
    return [
        "图1  各月抽取与检查对象数（户）图2  检查结果分类（户，已归档的执法检查登记表）抽取对象数已检查对象数",
        *(m for m, _d, _i in charts.monthly),
        *(r for r, _n in charts.results),
    ]


def write_table_pdf(
    table: StatTable,
    path: str | Path,
    *,
    unit: str | None = None,
    date: dt.date | None = None,
    contact: str | None = None,
    charts: ProgressCharts | None = None,
    font_path: str | Path | None = None,
) -> Path:
    """The table on A4 landscape, written to a temporary file and renamed; ``charts`` adds a page of charts.
    Raises :class:`~app.forms.fonts.FontNotFoundError` / :class:`~app.forms.fonts.MissingGlyphsError`."""
    fonts = register_cjk_fonts(font_path)
    parts = info_line(table, unit, date, contact)
    subtitle = f"统计期间：{table.period.span_text}"
    notes = ["填表说明：", *(f"{i}. {note}" for i, note in enumerate(table.notes, start=1))]
    texts = [table.title, subtitle, *parts, *notes, table.empty_text, *(h.text for h in table.headers)]
    texts += [c.text for row in (*table.rows, table.totals or ()) for c in row]
    missing = missing_glyphs("".join([*texts, *_chart_texts(charts)]), fonts)
    if missing:
        raise MissingGlyphsError(missing, fonts)
    st = form_styles(fonts)
    info = Table(
        [list(parts)],
        colWidths=[FRAME * 0.45, FRAME * 0.3, FRAME * 0.25],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.fang, 10.5),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )
    story: list[Flowable] = [title_line(table.title, st), para(subtitle, st.subtitle), info]
    if table.rows or table.totals is not None:
        story.append(_table(table, st))
    if not table.rows:
        story.append(para(table.empty_text, st.body))
    if table.notes:
        story.append(Spacer(1, 3 * mm))
        story += [para(line, st.note) for line in notes]
    if charts is not None:
        story += _chart_story(charts, st)
    unit_text = parts[0].split("：", 1)[1]
    return build_pdf(
        path,
        story,
        page_decorator(st, unit_text, table.title, PAGE),
        title=table.title,
        author=unit_text,
        initial_font=fonts.song,
        page_size=PAGE,
    )
