"""The neutral shape of a statistics table, before it is an xlsx, a PDF or a page in the GUI.

A :class:`StatTable` has a title, the 填报单位/联系人 defaults, header rows described as cells with merges
(row, col, rowspan, colspan), body rows, a totals row and the 填表说明 lines. Every number is a :class:`Cell`
that also names the records behind it (``record`` kind and ``keys``), so a click on it can list them
(:func:`app.reports.drill.drill_down`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.reports.period import Period

__all__ = ["Cell", "Column", "HeaderCell", "StatTable", "count_cell", "rate_cell", "sum_cell", "text_cell"]

TEXT, COUNT, RATE = "text", "count", "rate"


@dataclass(frozen=True)
class Cell:
    """One cell. ``value``: text, an integer, a rate as a fraction (0.953 = 95.3%) or None (no rate: its
    base is empty). ``record`` names the kind of records in ``keys`` (``task``, ``object``, ``inspection``,
    ``plan_row``, ``item``, ``department``; empty = not drillable). A rate's ``keys`` are its numerator and
    ``base`` its denominator; ``flag`` says what being in the numerator means (e.g. 已公示)."""

    value: str | int | float | None
    record: str = ""
    keys: tuple[str, ...] = ()
    base: tuple[str, ...] = ()
    is_rate: bool = False
    flag: str = ""
    bold: bool = False

    @property
    def drillable(self) -> bool:
        return bool(self.record)

    @property
    def text(self) -> str:
        """As printed: ``95.3%``, ``—`` for a rate without a base, integers plainly."""
        if self.is_rate:
            return "—" if self.value is None else f"{float(self.value) * 100:.1f}%"
        if self.value is None:
            return ""
        return str(self.value)


def text_cell(text: str, *, bold: bool = False) -> Cell:
    return Cell(text, bold=bold)


def count_cell(record: str, keys: set[str] | frozenset[str], *, bold: bool = False) -> Cell:
    """A number of records: the value is how many keys there are."""
    return Cell(len(keys), record, tuple(sorted(keys)), bold=bold)


def sum_cell(record: str, keys: set[str] | frozenset[str], value: int, *, bold: bool = False) -> Cell:
    """A sum over records (e.g. 计划抽查数 over plan rows)."""
    return Cell(value, record, tuple(sorted(keys)), bold=bold)


def rate_cell(record: str, numerator: set[str], base: set[str], flag: str, *, bold: bool = False) -> Cell:
    """numerator ÷ base as a fraction (None when the base is empty); numerator ⊆ base."""
    value = len(numerator) / len(base) if base else None
    return Cell(value, record, tuple(sorted(numerator)), tuple(sorted(base)), True, flag, bold)


@dataclass(frozen=True)
class Column:
    """A leaf column: its header text (for look-ups and tests), xlsx width in characters, kind and alignment."""

    name: str
    width: float
    kind: str = TEXT  # text / count / rate
    align: str = "center"  # left / center / right


@dataclass(frozen=True)
class HeaderCell:
    """A header cell at (row, col) of the header block, spanning ``rowspan`` × ``colspan`` (0-based)."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class StatTable:
    """A statistics table, ready to write (:mod:`app.reports.xlsx`, :mod:`app.reports.pdf`) or show."""

    kind: str  # plan / progress / joint / non_market_plan / non_market
    title: str
    period: Period
    unit: str  # 填报单位 default
    contact: str  # 联系人 default ("" when several departments)
    header_rows: int
    headers: tuple[HeaderCell, ...]
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[Cell, ...] | None
    notes: tuple[str, ...]
    sheet_name: str = "统计表"
    pdf_widths_mm: tuple[float, ...] | None = None  # scaled to the page; None = from the xlsx widths
    empty_text: str = "（本期无数据）"

    def column_index(self, name: str) -> int:
        """The position of the leaf column called ``name``."""
        for index, column in enumerate(self.columns):
            if column.name == name:
                return index
        raise KeyError(name)

    def header_grid(self) -> list[list[str]]:
        """The header block as rows of text, a merged cell's text in its top-left position only."""
        grid = [[""] * len(self.columns) for _ in range(self.header_rows)]
        for cell in self.headers:
            grid[cell.row][cell.col] = cell.text
        return grid

    @property
    def merges(self) -> list[tuple[int, int, int, int]]:
        """(row, col, rowspan, colspan) of every header cell spanning more than one position."""
        return [(c.row, c.col, c.rowspan, c.colspan) for c in self.headers if c.rowspan > 1 or c.colspan > 1]
