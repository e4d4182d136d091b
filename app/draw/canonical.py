"""Canonical texts of the draw inputs and their SHA-256 (SJDRAW-1 §1–§2).

Rows are plain tuples of strings:

* object (检查对象): ``(id, stratum, name)`` — id is the 统一社会信用代码 or registry code;
* inspector (执法检查人员): ``(id, group, name)`` — id is the 执法证号 or registry code;
* conflict (回避关系): ``(inspector_id, object_id)``.

Sorting note: the spec sorts by UTF-8 bytes. UTF-8 preserves code-point order and Python compares
``str`` by code point, so a plain ``sorted()`` of strings that encode as UTF-8 gives the same order,
without encoding 100,000 ids.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from app.draw.errors import ForbiddenTextError, InputError

ObjectRow = tuple[str, str, str]
InspectorRow = tuple[str, str, str]
ConflictRow = tuple[str, str]

_FORBIDDEN = ("\t", "\r", "\n")


def clean_text(value: object, field: str) -> str:
    """Return ``value`` in Unicode NFC, or raise if it is not text or holds TAB, CR or LF.

    ``field`` names the field in Chinese for the error message (e.g. ``"检查对象第3行的名称"``).
    """
    if not isinstance(value, str):
        raise ForbiddenTextError(f"{field}不是文本：{value!r}", field=field, value=repr(value))
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    for ch in _FORBIDDEN:
        if ch in value:
            raise ForbiddenTextError(
                f"{field}含有制表符或换行符（TAB/CR/LF），不能用于摇号：{value!r}", field=field, value=value
            )
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ForbiddenTextError(
                f"{field}含有无法按 UTF-8 编码的字符：{value!r}", field=field, value=value
            ) from None
    return value


def _clean_row(row: tuple[object, ...], width: int, what: str, index: int, names: Sequence[str]) -> Any:
    """One row as a tuple of clean texts (slow path, with a precise message for the bad field)."""
    if len(row) != width:
        raise InputError(f"{what}第{index + 1}行应有{width}个字段（{'、'.join(names)}）：{row!r}")
    return tuple(
        clean_text(value, f"{what}第{index + 1}行的{name}") for value, name in zip(row, names, strict=True)
    )


def _as_tuples(rows: Iterable[Sequence[object]], what: str) -> list[tuple[object, ...]]:
    """Rows as tuples; a bare string is not a row (it would split into characters)."""
    result = []
    for index, row in enumerate(rows):
        # The exact-type test first: the Sequence ABC check costs ~1 µs a row.
        if (
            type(row) is not tuple
            and type(row) is not list
            and (isinstance(row, str | bytes) or not isinstance(row, Sequence))
        ):
            raise InputError(f"{what}第{index + 1}行不是字段列表：{row!r}")
        result.append(tuple(row))
    return result


def _all_clean(rows: list[tuple[object, ...]], width: int) -> bool:
    """Fast check of a whole list: right widths, all text, NFC, no TAB/CR/LF, encodable.

    NUL joins the fields: it never composes with its neighbours, so the joined text is NFC exactly
    when every field is. A False here only sends the rows through the slow, field-by-field path,
    which finds and names the offending field (or normalises it).
    """
    if any(len(row) != width for row in rows):
        return False
    try:
        joined = "\x00".join(chain.from_iterable(rows))  # type: ignore[arg-type]
    except TypeError:
        return False
    if "\t" in joined or "\r" in joined or "\n" in joined or not unicodedata.is_normalized("NFC", joined):
        return False
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def _canonical_three(
    rows: Iterable[Sequence[object]], what: str, names: Sequence[str]
) -> list[tuple[str, str, str]]:
    materialized = _as_tuples(rows, what)
    if _all_clean(materialized, 3):
        cleaned: list[tuple[str, str, str]] = materialized  # type: ignore[assignment]
    else:
        cleaned = [_clean_row(row, 3, what, index, names) for index, row in enumerate(materialized)]
    seen: set[str] = set()
    for index, (row_id, label, _name) in enumerate(cleaned):
        if not row_id:
            raise InputError(f"{what}第{index + 1}行的{names[0]}为空")
        if not label:
            raise InputError(f"{what}第{index + 1}行的{names[1]}为空（{names[0]} {row_id}）")
        if row_id in seen:
            raise InputError(f"{what}的{names[0]}重复：{row_id}")
        seen.add(row_id)
    # Ids are unique, so sorting by id alone gives the canonical order.
    cleaned.sort(key=itemgetter(0))
    return cleaned


def canonical_objects(rows: Iterable[Sequence[object]]) -> list[ObjectRow]:
    """Objects in canonical form: NFC fields, unique non-empty ids, sorted by id."""
    return _canonical_three(rows, "检查对象", ("编号", "分层", "名称"))


def canonical_inspectors(rows: Iterable[Sequence[object]]) -> list[InspectorRow]:
    """Inspectors in canonical form: NFC fields, unique non-empty ids, sorted by id."""
    return _canonical_three(rows, "检查人员", ("执法证号", "所属部门", "姓名"))


def canonical_conflicts(rows: Iterable[Sequence[object]]) -> list[ConflictRow]:
    """Conflicts in canonical form: NFC, duplicates merged, sorted by (inspector_id, object_id)."""
    names = ("检查人员执法证号", "检查对象编号")
    materialized = _as_tuples(rows, "回避关系")
    if not _all_clean(materialized, 2):
        materialized = [
            _clean_row(row, 2, "回避关系", index, names) for index, row in enumerate(materialized)
        ]
    for index, (inspector_id, object_id) in enumerate(materialized):
        if not inspector_id or not object_id:
            raise InputError(f"回避关系第{index + 1}行有空编号：{materialized[index]!r}")
    return sorted(set(materialized))  # type: ignore[arg-type]


def rows_text(rows: Iterable[Sequence[str]]) -> str:
    """The canonical text of already-canonical rows: fields joined by TAB, each row followed by LF."""
    return "".join(["\t".join(row) + "\n" for row in rows])


def sha256_hex(text: str) -> str:
    """Lowercase hex SHA-256 of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rows_sha256(rows: Iterable[Sequence[str]]) -> str:
    """SHA-256 (hex) of the canonical text of already-canonical rows."""
    return sha256_hex(rows_text(rows))
