"""Small bar charts drawn with QPainter (QtCharts is not part of PySide6-Essentials), and the two charts of the
进展情况 table: objects drawn and inspected by month, and inspection results by category — the figures of
:func:`app.reports.measures.progress_charts`, the same the PDF's chart page draws, in the same colours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.reports.measures import ProgressCharts, axis_scale

__all__ = [
    "DRAWN_COLOUR",
    "INSPECTED_COLOUR",
    "RESULT_COLOUR",
    "CategoryBarChart",
    "ColumnChart",
    "ProgressChartsView",
    "Series",
]

# As on the PDF's chart page (app/reports/pdf.py).
DRAWN_COLOUR = QColor("#4a78b0")
INSPECTED_COLOUR = QColor("#e39b2d")
RESULT_COLOUR = QColor("#5f9e6e")
AXIS_COLOUR = QColor("#7a7a7a")
GRID_COLOUR = QColor("#e3e3e3")
TEXT_COLOUR = QColor("#333333")


@dataclass(frozen=True)
class Series:
    """One series of bars: its legend name, colour and one value per category."""

    name: str
    colour: QColor
    values: tuple[int, ...]


class _Chart(QWidget):
    """Shared by the charts: an empty text, tooltips over bars, a small font."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = empty_text
        self._tips: list[tuple[QRectF, str]] = []  # bar rectangles of the last paint and their tooltips
        self.setMouseTracking(True)
        self.setMinimumHeight(120)

    def chart_font(self, delta: float = 0.0) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(self.font().pointSizeF() - 1.5 + delta, 7.0))
        return font

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for rect, text in self._tips:
                if rect.adjusted(-2, -2, 2, 2).contains(QPointF(event.pos())):
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

    def _begin_paint(self, has_data: bool) -> tuple[QPainter, QFontMetricsF] | None:
        """A painter on the white chart, in the chart font, with last paint's tooltips forgotten; None after
        drawing the empty text when there is nothing to plot."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        self._tips = []
        if not has_data:
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return None
        font = self.chart_font()
        painter.setFont(font)
        return painter, QFontMetricsF(font)


class ColumnChart(_Chart):
    """Clustered vertical bars: one group per category (e.g. month), one bar per series, values on top."""

    def __init__(self, empty_text: str = "（无数据）", parent: QWidget | None = None) -> None:
        super().__init__(empty_text, parent)
        self.categories: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        self.categories = tuple(categories)
        self.series = tuple(series)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(520, 260)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        begun = self._begin_paint(bool(self.categories and self.series))
        if begun is None:
            return
        painter, metrics = begun
        font = painter.font()  # the chart font, set again after the smaller value labels
        line = metrics.height()
        top_value = max([v for s in self.series for v in s.values] + [1])
        step, axis_top = axis_scale(top_value)
        label_width = metrics.horizontalAdvance(f"{axis_top:,}") + 8
        legend_height = line + 8
        plot = QRectF(
            label_width + 6,
            legend_height + line,  # room for the value labels over the tallest bar
            self.width() - label_width - 16,
            self.height() - legend_height - 2.4 * line - 8,
        )
        if plot.width() < 40 or plot.height() < 30:
            return
        self._draw_legend(painter, metrics)
        # Gridlines and value axis.
        for tick in range(0, axis_top + 1, step):
            y = plot.bottom() - plot.height() * tick / axis_top
            painter.setPen(QPen(GRID_COLOUR if tick else AXIS_COLOUR, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(TEXT_COLOUR)
            painter.drawText(
                QRectF(0, y - line / 2, label_width, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{tick:,}",
            )
        group = plot.width() / len(self.categories)
        gap = max(group * 0.18, 3.0)
        bar = (group - gap) / len(self.series)
        # Values over the bars as on the PDF (no thousands separator), in the chart's font or a smaller one,
        # or none when even that would run into the next bar (the tooltip still tells).
        value_font: QFont | None = None
        for candidate in (font, self.chart_font(-1.5)):
            fits = QFontMetricsF(candidate)
            if all(fits.horizontalAdvance(str(v)) <= bar - 2 for s in self.series for v in s.values):
                value_font = candidate
                break
        for index, category in enumerate(self.categories):
            left = plot.left() + index * group + gap / 2
            for number, series in enumerate(self.series):
                value = series.values[index]
                height = plot.height() * value / axis_top
                rect = QRectF(left + number * bar, plot.bottom() - height, bar, height)
                painter.fillRect(rect, series.colour)
                self._tips.append((rect.adjusted(0, -line, 0, 0), f"{category}　{series.name}：{value:,}"))
                if value_font is not None:
                    painter.setPen(TEXT_COLOUR)
                    painter.setFont(value_font)
                    painter.drawText(
                        QRectF(rect.left() - 6, rect.top() - line, bar + 12, line),
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                        str(value),
                    )
                    painter.setFont(font)
            painter.setPen(TEXT_COLOUR)
            label = metrics.elidedText(category, Qt.TextElideMode.ElideRight, group + 4)
            painter.drawText(
                QRectF(plot.left() + index * group - 2, plot.bottom() + 3, group + 4, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )

    def _draw_legend(self, painter: QPainter, metrics: QFontMetricsF) -> None:
        line = metrics.height()
        x = self.width() - 8.0
        for series in reversed(self.series):
            width = metrics.horizontalAdvance(series.name)
            x -= width
            painter.setPen(TEXT_COLOUR)
            painter.drawText(QRectF(x, 2, width + 2, line), Qt.AlignmentFlag.AlignVCenter, series.name)
            x -= line * 0.8 + 4
            painter.fillRect(QRectF(x, 2 + line * 0.15, line * 0.8, line * 0.7), series.colour)
            x -= 14


class CategoryBarChart(_Chart):
    """Horizontal bars, one per category (e.g. 检查结果), the first at the top, the value after each bar."""

    ROW = 26

    def __init__(
        self, colour: QColor = RESULT_COLOUR, empty_text: str = "（无数据）", parent: QWidget | None = None
    ) -> None:
        super().__init__(empty_text, parent)
        self.colour = colour
        self.items: tuple[tuple[str, int], ...] = ()

    def set_data(self, items: Sequence[tuple[str, int]]) -> None:
        self.items = tuple(items)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, max(120, self.ROW * len(self.items) + 40))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        begun = self._begin_paint(bool(self.items))
        if begun is None:
            return
        painter, metrics = begun
        line = metrics.height()
        labels_width = min(
            max(metrics.horizontalAdvance(name) for name, _n in self.items) + 10, self.width() * 0.45
        )
        top_value = max([n for _name, n in self.items] + [1])
        step, axis_top = axis_scale(top_value)
        plot = QRectF(labels_width, 4, self.width() - labels_width - 40, self.height() - line - 12)
        if plot.width() < 40 or plot.height() < 20:
            return
        row = min(plot.height() / len(self.items), self.ROW * 1.6)
        for tick in range(0, axis_top + 1, step):
            x = plot.left() + plot.width() * tick / axis_top
            painter.setPen(QPen(GRID_COLOUR if tick else AXIS_COLOUR, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.top() + row * len(self.items)))
            painter.setPen(TEXT_COLOUR)
            painter.drawText(
                QRectF(x - 30, plot.top() + row * len(self.items) + 2, 60, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                f"{tick:,}",
            )
        for index, (name, value) in enumerate(self.items):
            y = plot.top() + index * row
            painter.setPen(TEXT_COLOUR)
            label = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, labels_width - 10)
            painter.drawText(
                QRectF(0, y, labels_width - 8, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            rect = QRectF(plot.left(), y + row * 0.2, plot.width() * value / axis_top, row * 0.6)
            painter.fillRect(rect, self.colour)
            self._tips.append((QRectF(0, y, self.width(), row), f"{name}：{value:,}"))
            painter.drawText(
                QRectF(rect.right() + 4, y, 80, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )


MONTHLY_TITLE = "图1  各月抽取与检查对象数（户）"
RESULTS_TITLE = "图2  检查结果分类（户，已归档的执法检查登记表）"


class ProgressChartsView(QWidget):
    """The 进展情况 table's two charts side by side, with the PDF's captions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monthly_chart = ColumnChart("（统计期间内没有月份）")
        self.results_chart = CategoryBarChart(RESULT_COLOUR, "（统计期间内没有已归档的执法检查登记表）")
        layout = QVBoxLayout(self)  # one above the other: each gets the page's whole width
        for title, chart, stretch in (
            (MONTHLY_TITLE, self.monthly_chart, 3),
            (RESULTS_TITLE, self.results_chart, 2),
        ):
            caption = QLabel(title)
            caption.setObjectName("sectionTitle")
            layout.addWidget(caption)
            layout.addWidget(chart, stretch)
            chart.setAccessibleName(title)
        self.charts: ProgressCharts | None = None

    def set_charts(self, charts: ProgressCharts | None) -> None:
        self.charts = charts
        if charts is None:
            self.monthly_chart.set_data([], [])
            self.results_chart.set_data([])
            return
        months = [m for m, _d, _i in charts.monthly]
        self.monthly_chart.set_data(
            months,
            [
                Series("抽取对象数", DRAWN_COLOUR, tuple(d for _m, d, _i in charts.monthly)),
                Series("已检查对象数", INSPECTED_COLOUR, tuple(i for _m, _d, i in charts.monthly)),
            ],
        )
        self.results_chart.set_data(charts.results)
