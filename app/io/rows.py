"""Turning the data rows of a sheet into cleaned field values, row by row, with Chinese messages.

Per row: merged cells that run down from a row above are filled with that row's value ("same as
above"), as are cells reading 同上/〃; every mapped cell goes through its FieldSpec.clean; blank rows,
title rows inside the data (one cell merged across the sheet) and footers (合计、制表人：…) are
recognised and skipped. Nothing here knows about the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from app.io.columns import ColumnCleaner
from app.io.header import Layout
from app.io.readers import Table
from app.io.values import DITTO_MARKS, clean_text
from app.registry.fields import RegistrySpec

__all__ = ["ParsedRow", "ParsedSheet", "RowIssue", "parse_rows"]

Severity = Literal["error", "warning"]
Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A problem found in one row (row 0 = the file as a whole). ``text`` names the field."""

    row: int
    field: str  # the field's Chinese label, "" when the whole row is meant
    severity: Severity
    text: str

    @property
    def message(self) -> str:
        """The sentence shown to the clerk, e.g. "第12行 统一社会信用代码应为 18 位，实为 17 位"."""
        return f"第{self.row}行 {self.text}" if self.row else self.text

    @property
    def severity_zh(self) -> str:
        return "错误" if self.severity == "error" else "警告"


@dataclass(slots=True)
class ParsedRow:
    """One data row: cleaned values aligned with ParsedSheet.fields (None = blank)."""

    number: int  # the row number the clerk sees in Excel (1-based)
    values: tuple[Any, ...]
    issues: list[RowIssue] | None = None
    damaged: frozenset[str] = frozenset()
    filled: frozenset[str] = frozenset()  # fields whose value came from a merged cell above or 同上
    errors: int = 0

    def add(self, issue: RowIssue) -> None:
        """Attach a message to the row."""
        if self.issues is None:
            self.issues = []
        self.issues.append(issue)
        if issue.severity == "error":
            self.errors += 1

    def set_issues(self, issues: list[RowIssue] | None) -> None:
        """Replace the row's messages (e.g. drop one that a later step made moot)."""
        self.issues = issues or None
        self.errors = sum(1 for i in issues or () if i.severity == "error")

    def drop_issues(self, field: str, severity: Severity | None = None) -> None:
        """Remove the messages about ``field`` (of one severity, or all)."""
        if self.issues:
            self.set_issues(
                [i for i in self.issues if not (i.field == field and severity in (None, i.severity))]
            )

    @property
    def has_error(self) -> bool:
        return self.errors > 0


@dataclass
class ParsedSheet:
    """All data rows of a sheet, plus the rows skipped while reading."""

    fields: tuple[str, ...]
    rows: list[ParsedRow] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, why) titles and footers
    issues: list[RowIssue] = field(default_factory=list)  # warnings about skipped rows

    def position(self, name: str) -> int:
        return self.fields.index(name)


_FOOTER = re.compile(
    r"^(?:合计|总计|小计|共计)|^(?:制表|填表|填报|审核|审批|负责人|联系人|说明|注|备注)[人单位日期时间]*[：:]"
)


def _footer(cells: list[Any]) -> bool:
    for cell in cells:
        if cell is not None and cell != "":
            return isinstance(cell, str) and bool(_FOOTER.match(clean_text(cell)))
    return False


_CHUNK_ROWS = 4096


def parse_rows(
    table: Table, layout: Layout, spec: RegistrySpec, progress: Progress | None = None
) -> ParsedSheet:
    """Clean every data row of ``table`` below the header described by ``layout``.

    Rows are read in chunks; within a chunk the cells are cleaned column by column (one specialised
    loop per column, see app.io.columns), which is several times faster in Python than cell by cell.
    """
    mapped = [(c.index, spec.field(c.field)) for c in layout.columns if c.field]
    parsed = ParsedSheet(fields=tuple(f.name for _, f in mapped))
    cleaners = [(col, ColumnCleaner(f)) for col, f in mapped]
    columns = [col for col, _ in mapped]
    field_of_column = {col: f.name for col, f in mapped}
    width = max(columns) + 1
    fills = _MergeFill(table.merges, layout.data_start)
    state = _ChunkState(width)
    chunk: list[tuple[int, list[Any], tuple[int, ...]]] = []
    step = max(1, table.height // 50)
    for index, cells in table.rows_from(layout.data_start):
        if progress is not None and index % step == 0:
            progress("读取并校验数据", min(1.0, index / max(1, table.height)))
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        filled_cols = fills.apply(index, cells) if fills.active else ()
        ditto = state.ditto(cells, columns)
        for col in columns:
            cell = cells[col]
            if cell is not None and cell != "" and not (cell.__class__ is str and cell.isspace()):
                break
        else:
            if _footer(cells):  # e.g. 合计：1234户 in the 序号 column, which feeds no field
                _skip_footer(parsed, state, index + 1)
            else:
                state.pending_blank.append(index + 1)
            continue
        chunk.append((index, cells, (*filled_cols, *ditto)))
        if len(chunk) >= _CHUNK_ROWS:
            _clean_chunk(chunk, cleaners, field_of_column, fills, parsed, state)
            chunk = []
    if chunk:
        _clean_chunk(chunk, cleaners, field_of_column, fills, parsed, state)
    return parsed


class _ChunkState:
    """What carries over from one row to the next: the row above (for 同上) and pending blank rows."""

    def __init__(self, width: int) -> None:
        self.previous: list[Any] = [""] * width
        self.pending_blank: list[int] = []

    def ditto(self, cells: list[Any], columns: list[int]) -> tuple[int, ...]:
        previous, self.previous = self.previous, cells
        if DITTO_MARKS.isdisjoint(cells):  # one C-level pass; 同上 is rare
            return ()
        found: list[int] = []
        for col in columns:
            cell = cells[col]
            if type(cell) is str and cell in DITTO_MARKS:
                cells[col] = previous[col]
                found.append(col)
        return tuple(found)


def _skip_footer(parsed: ParsedSheet, state: _ChunkState, number: int) -> None:
    parsed.skipped_rows.append((number, "表尾说明行"))
    parsed.issues.append(RowIssue(number, "", "warning", "看起来是表尾说明（合计、制表人等），已跳过"))
    parsed.blank_rows.extend(state.pending_blank)
    state.pending_blank.clear()


def _clean_chunk(
    chunk: list[tuple[int, list[Any], tuple[int, ...]]],
    cleaners: list[tuple[int, ColumnCleaner]],
    field_of_column: dict[int, str],
    fills: _MergeFill,
    parsed: ParsedSheet,
    state: _ChunkState,
) -> None:
    results = [cleaner.clean([cells[col] for _, cells, _ in chunk]) for col, cleaner in cleaners]
    value_rows = list(zip(*(r.values for r in results), strict=True))
    issues_at: dict[int, list[RowIssue]] = {}
    damaged_at: dict[int, list[str]] = {}
    for (_col, cleaner), result in zip(cleaners, results, strict=True):
        for i, issue in result.issues:
            number = chunk[i][0] + 1
            issues_at.setdefault(i, []).append(RowIssue(number, cleaner.label, issue.severity, issue.message))
        for i in result.damaged:
            damaged_at.setdefault(i, []).append(cleaner.name)
    for i, ((index, cells, filled_cols), values) in enumerate(zip(chunk, value_rows, strict=True)):
        number = index + 1
        issues = issues_at.get(i)
        present = len(values) - values.count(None)
        if not present and not issues:
            state.pending_blank.append(number)  # only spaces or invisible characters
            continue
        if present <= 2 and not issues and fills.is_title(index, cells):
            parsed.skipped_rows.append((number, "标题行"))
            parsed.blank_rows.extend(state.pending_blank)
            state.pending_blank.clear()
            continue
        if present <= 2 and not issues and _footer(cells):
            _skip_footer(parsed, state, number)
            continue
        if state.pending_blank:
            parsed.blank_rows.extend(state.pending_blank)
            state.pending_blank.clear()
        row = ParsedRow(number, values)
        if issues:
            row.set_issues(issues)
        if i in damaged_at:
            row.damaged = frozenset(damaged_at[i])
        if filled_cols:
            row.filled = frozenset(field_of_column[c] for c in filled_cols if c in field_of_column)
        parsed.rows.append(row)


class _MergeFill:
    """Copies the value of a vertically merged cell into the rows it covers, while streaming rows."""

    def __init__(self, merges: list[tuple[int, int, int, int]], data_start: int) -> None:
        self.starting: dict[int, list[tuple[int, int]]] = {}
        self.wide: dict[int, int] = {}  # row → widest horizontal merge starting in it
        for r0, c0, r1, c1 in merges:
            if r1 < data_start:
                continue
            if r1 > r0 and r0 >= data_start:
                self.starting.setdefault(r0, []).append((c0, r1))
            if c1 > c0:
                self.wide[r0] = max(self.wide.get(r0, 0), c1 - c0 + 1)
        self.active = bool(self.starting or self.wide)
        self.carry: dict[int, tuple[Any, int]] = {}

    def apply(self, index: int, cells: list[Any]) -> tuple[int, ...]:
        filled: list[int] = []
        if self.carry:
            for col, (value, until) in list(self.carry.items()):
                if index > until:
                    del self.carry[col]
                elif col < len(cells):
                    cells[col] = value
                    filled.append(col)
        for col, until in self.starting.get(index, ()):
            if col < len(cells):
                self.carry[col] = (cells[col], until)
        return tuple(filled)

    def is_title(self, index: int, cells: list[Any]) -> bool:
        """One non-blank cell, merged across at least three columns: a heading inside the data."""
        if self.wide.get(index, 0) < 3:
            return False
        return (
            sum(1 for c in cells if c is not None and c != "" and not (isinstance(c, str) and c.isspace()))
            == 1
        )


def iter_issues(parsed: ParsedSheet) -> Iterator[RowIssue]:
    """Every issue found while reading, in row order."""
    for row in parsed.rows:
        if row.issues:
            yield from row.issues
    yield from parsed.issues
