"""Finding the header of a registry sheet and mapping its columns to fields.

Real county files start with title rows ("XX县市场主体名录（2024年）"), sometimes put a group header over
two-row headers (抽查项目 over 抽查类别 / 抽查事项), and name columns in many ways. The header row is the
row (among the first 30) whose cells match the most fields by synonym (:meth:`RegistrySpec.match_header`).
A row right below it is a second header row when each of its cells sits under a horizontally merged
(or blank) cell of the first.

A mapping chosen by the clerk is remembered in the ``setting`` table under
``import_mapping.<kind>.<signature>``, where the signature is a hash of the normalised header labels,
so the next file with the same header is mapped the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.io.errors import HeaderNotFoundError, MappingError, MissingColumnError
from app.io.readers import Table
from app.io.values import clean_text
from app.registry.fields import RegistrySpec, header_key
from db.models import Setting

__all__ = [
    "ColumnInfo",
    "Layout",
    "column_letter",
    "header_signature",
    "load_saved_mapping",
    "resolve_layout",
    "save_mapping",
]

HEADER_SCAN_ROWS = 30


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """One column of the file: position, Excel letter, header label as shown, and the field it feeds."""

    index: int
    letter: str
    header: str
    field: str | None


@dataclass(frozen=True)
class Layout:
    """Where the header is and how columns map to fields."""

    header_rows: tuple[int, ...]  # 0-based row indices
    columns: tuple[ColumnInfo, ...]
    source: str  # "auto", "saved" or "user"

    @property
    def data_start(self) -> int:
        """0-based index of the first data row."""
        return self.header_rows[-1] + 1

    @property
    def mapping(self) -> dict[str, str]:
        """header label → field name, for the mapped columns."""
        return {c.header: c.field for c in self.columns if c.field}

    @property
    def labels(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def unmapped(self) -> list[str]:
        """Labels of non-empty columns that feed no field."""
        return [c.header for c in self.columns if not c.field and not c.header.startswith("（第")]

    @property
    def signature(self) -> str:
        return header_signature(self.labels)


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def header_signature(labels: Sequence[str]) -> str:
    """A short hash identifying a header layout (labels normalised with header_key)."""
    text = "\x1f".join(header_key(label) for label in labels)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return clean_text(str(value))


class _Grid:
    """The first rows of a sheet with merge lookups."""

    def __init__(self, rows: list[list[Any]], merges: Sequence[tuple[int, int, int, int]]) -> None:
        self.rows = rows
        self.width = max((len(r) for r in rows), default=0)
        self.covered: dict[tuple[int, int], tuple[int, int]] = {}
        self.hspan: set[tuple[int, int]] = set()  # cells belonging to a merge wider than one column
        limit = len(rows)
        for r0, c0, r1, c1 in merges:
            if r0 >= limit:
                continue
            for r in range(r0, min(r1, limit - 1) + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self.covered[(r, c)] = (r0, c0)
                    if c1 > c0:
                        self.hspan.add((r, c))

    def own(self, r: int, c: int) -> str:
        """The cell's own text ("" when covered by a merge or beyond the row)."""
        if (r, c) in self.covered or r >= len(self.rows) or c >= len(self.rows[r]):
            return ""
        return _text(self.rows[r][c])

    def shown(self, r: int, c: int) -> str:
        """The text shown at a cell, following a merge to its top-left cell."""
        r0, c0 = self.covered.get((r, c), (r, c))
        if r0 >= len(self.rows) or c0 >= len(self.rows[r0]):
            return ""
        return _text(self.rows[r0][c0])


def _row_score(grid: _Grid, spec: RegistrySpec, r: int, labels: frozenset[str]) -> int:
    found: set[object] = set()
    for c in range(grid.width):
        text = grid.own(r, c)
        if text in labels:
            found.add(text)
        else:
            match = spec.match_header(text)
            if match is not None:
                found.add(match.name)
    return len(found)


def _is_subheader(grid: _Grid, r: int) -> bool:
    r2 = r + 1
    if r2 >= len(grid.rows):
        return False
    cells = [c for c in range(grid.width) if grid.own(r2, c)]
    if not cells:
        return False
    for c in cells:
        parent_spans = (r, c) in grid.hspan
        parent_blank = not grid.shown(r, c)
        csv_span = bool(grid.own(r, c)) and c + 1 < grid.width and not grid.shown(r, c + 1)
        if not (parent_spans or parent_blank or csv_span):
            return False
    return True


def _find(
    table: Table, spec: RegistrySpec, labels: frozenset[str] = frozenset()
) -> tuple[int, tuple[int, ...], list[tuple[str, str]]] | None:
    """(score, header rows, [(parent, child)] per column) for the best header row of a table.

    A cell scores when it names a field, or when it is one of ``labels`` (the clerk's mapping).
    """
    grid = _Grid(table.head(HEADER_SCAN_ROWS + 1), table.merges)
    best_row, best_score = -1, 0
    for r in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
        score = _row_score(grid, spec, r, labels)
        if score > best_score:
            best_row, best_score = r, score
    if best_row < 0:
        return None
    two_rows = _is_subheader(grid, best_row)
    parts: list[tuple[str, str]] = []
    last_parent = ""
    for c in range(grid.width):
        parent = grid.shown(best_row, c)
        if not parent and two_rows and grid.own(best_row + 1, c) and c > 0:
            parent = last_parent  # csv-style group header written once over several columns
        last_parent = parent or last_parent
        child = grid.own(best_row + 1, c) if two_rows else ""
        parts.append((parent, child))
    rows = (best_row, best_row + 1) if two_rows else (best_row,)
    return best_score, rows, parts


def _auto_fields(spec: RegistrySpec, parts: list[tuple[str, str]]) -> tuple[list[str], list[str | None]]:
    labels: list[str] = []
    fields: list[str | None] = []
    used: set[str] = set()
    seen: dict[str, int] = {}
    for c, (parent, child) in enumerate(parts):
        if child:
            candidates = [child, parent + child]
            label = f"{parent}-{child}" if parent and parent != child else child
        else:
            candidates = [parent]
            label = parent
        if not label:
            label = f"（第{column_letter(c)}列）"
        elif label in seen:
            seen[label] += 1
            label = f"{label}({seen[label]})"
        else:
            seen[label] = 1
        labels.append(label)
        found = None
        for text in candidates:
            match = spec.match_header(text) if text else None
            if match is not None and match.name not in used:
                found = match.name
                break
        if found:
            used.add(found)
        fields.append(found)
    return labels, fields


def _apply_override(
    spec: RegistrySpec, labels: list[str], fields: list[str | None], override: Mapping[str, str | None]
) -> list[str | None]:
    names = {f.name for f in spec.fields}
    result = list(fields)
    claimed: dict[str, str] = {}
    for label, name in override.items():
        if label not in labels:
            raise MappingError(f"文件中没有名为“{label}”的列，无法按指定的对应关系导入。")
        if name and name not in names:
            raise MappingError(f"“{name}”不是{spec.label}的字段，无法把列“{label}”对应过去。")
        if name:
            if name in claimed:
                raise MappingError(
                    f"列“{claimed[name]}”和列“{label}”都对应到“{spec.field(name).label}”，每个字段只能对应一列。"
                )
            claimed[name] = label
    for label, name in override.items():
        result[labels.index(label)] = name or None
    for i, name in enumerate(result):
        if name and name in claimed and labels[i] != claimed[name]:
            result[i] = None  # an automatic match gives way to the clerk's choice
    return result


def resolve_layout(
    session: Session | None,
    spec: RegistrySpec,
    tables: Sequence[Table],
    mapping: Mapping[str, str | None] | None = None,
    sheet: str | None = None,
) -> tuple[Table, Layout]:
    """Pick the sheet (the named one, else the one whose header matches best), find its header
    and map the columns: the clerk's ``mapping`` (label → field name, None to ignore) over a
    remembered mapping for the same header, over the automatic one.

    Raises HeaderNotFoundError, MissingColumnError or MappingError.
    """
    candidates = [t for t in tables if sheet is None or t.name == sheet]
    if not candidates:
        raise MappingError(f"文件中没有名为“{sheet}”的工作表。")
    best: tuple[Table, tuple[int, tuple[int, ...], list[tuple[str, str]]]] | None = None
    for table in candidates:
        found = _find(table, spec, frozenset(mapping or ()))
        if found is not None and (best is None or found[0] > best[1][0]):
            best = (table, found)
    if best is None and session is not None and mapping is None:
        best = _find_saved(session, spec, candidates)
    if best is None:
        names = "、".join(f.label for f in spec.required)
        raise HeaderNotFoundError(
            f"在前 {HEADER_SCAN_ROWS} 行中没有找到{spec.label}的表头（例如“{names}”等列名）。"
            "请确认选择了正确的名录类型和文件。"
        )
    table, (_score, header_rows, parts) = best
    labels, fields = _auto_fields(spec, parts)
    source = "auto"
    saved = load_saved_mapping(session, spec.kind, labels) if session is not None else None
    if saved is not None and mapping is None:
        fields = _apply_override(spec, labels, fields, {k: v for k, v in saved.items() if k in labels})
        source = "saved"
    if mapping is not None:
        fields = _apply_override(spec, labels, fields, mapping)
        source = "user"
    columns = tuple(ColumnInfo(i, column_letter(i), labels[i], fields[i]) for i in range(len(labels)))
    mapped = {c.field for c in columns if c.field}
    missing = [f.label for f in spec.required if f.name not in mapped]
    if missing:
        seen = "、".join(c.header for c in columns if not c.header.startswith("（第")) or "（无）"
        raise MissingColumnError(
            f"缺少必需的列：{'、'.join(missing)}。文件中的列有：{seen}。请检查表头，或手动指定列的对应关系。"
        )
    return table, Layout(header_rows, columns, source)


def _find_saved(
    session: Session, spec: RegistrySpec, tables: Sequence[Table]
) -> tuple[Table, tuple[int, tuple[int, ...], list[tuple[str, str]]]] | None:
    """A header no synonym recognises, but whose mapping the clerk chose before (one-row headers)."""
    for table in tables:
        grid = _Grid(table.head(HEADER_SCAN_ROWS + 1), table.merges)
        for r in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
            parts = [(grid.shown(r, c), "") for c in range(grid.width)]
            if not any(p for p, _ in parts):
                continue
            labels, _fields = _auto_fields(spec, parts)
            if session.get(Setting, _setting_key(spec.kind, labels)) is not None:
                return table, (1, (r,), parts)
    return None


def _setting_key(kind: str, labels: Sequence[str]) -> str:
    return f"import_mapping.{kind}.{header_signature(labels)}"


def load_saved_mapping(session: Session, kind: str, labels: Sequence[str]) -> dict[str, str | None] | None:
    """The mapping remembered for this registry kind and header (label → field, None = ignored)."""
    row = session.get(Setting, _setting_key(kind, labels))
    if row is None or not isinstance(row.value, dict):
        return None
    return {str(k): (str(v) if v else None) for k, v in row.value.items()}


def save_mapping(
    session: Session, kind: str, labels: Sequence[str], mapping: Mapping[str, str | None]
) -> None:
    """Remember a mapping (label → field name or None) for files with this header. The caller commits."""
    key = _setting_key(kind, labels)
    value = {label: mapping.get(label) or None for label in labels if label in mapping}
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
