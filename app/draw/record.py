"""The draw record (摇号记录) of SJDRAW-1 §9: building it, reading its parts back, writing it as JSON.

The record is a plain dict whose keys and nesting follow the reference vectors exactly, so
``json.loads(dump_record(r)) == r`` and a record built from a vector's inputs equals the vector.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from app.draw.errors import RecordError
from app.draw.models import DrawnObject, Replacement, Witness

FORMAT = "SJDRAW-1"
RECORD_KEYS = (
    "format",
    "draw_id",
    "params_text",
    "objects",
    "inspectors",
    "conflicts",
    "objects_sha256",
    "inspectors_sha256",
    "conflicts_sha256",
    "params_sha256",
    "commit",
    "witness",
    "nonce",
    "seed",
    "draw",
    "replacements",
    "final",
)
"""Top-level keys, in the order the record is written."""

_HEX64 = re.compile(r"[0-9a-f]{64}")


def build_record(
    *,
    draw_id: str,
    params_text: str,
    objects: Sequence[Sequence[str]],
    inspectors: Sequence[Sequence[str]],
    conflicts: Sequence[Sequence[str]],
    hashes: Mapping[str, str],
    commit: str,
    witnesses: Sequence[Witness],
    nonce_hex: str,
    seed: str,
    draw: Sequence[DrawnObject],
    replacements: Sequence[Replacement],
    final: Sequence[DrawnObject],
) -> dict[str, Any]:
    """Assemble the record dict in the §9 key order; ``hashes`` maps ``objects_sha256`` etc. to hex."""
    return {
        "format": FORMAT,
        "draw_id": draw_id,
        "params_text": params_text,
        "objects": [list(row) for row in objects],
        "inspectors": [list(row) for row in inspectors],
        "conflicts": [list(row) for row in conflicts],
        "objects_sha256": hashes["objects_sha256"],
        "inspectors_sha256": hashes["inspectors_sha256"],
        "conflicts_sha256": hashes["conflicts_sha256"],
        "params_sha256": hashes["params_sha256"],
        "commit": commit,
        "witness": [w.to_json() for w in witnesses],
        "nonce": nonce_hex,
        "seed": seed,
        "draw": [entry.to_json() for entry in draw],
        "replacements": [r.to_json() for r in replacements],
        "final": [entry.final_json() for entry in final],
    }


def dump_record(record: Mapping[str, Any]) -> str:
    """The record as JSON text, in the layout of the reference vectors (UTF-8 text, indent 1, final LF)."""
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def load_record(text: str | bytes) -> dict[str, Any]:
    """Parse record JSON; raise :class:`RecordError` if it is not a JSON object."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError(f"摇号记录不是有效的 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise RecordError("摇号记录的顶层应为 JSON 对象")
    return data


def require_keys(record: Mapping[str, Any]) -> None:
    """Raise :class:`RecordError` naming every missing top-level key."""
    missing = [key for key in RECORD_KEYS if key not in record]
    if missing:
        raise RecordError(f"摇号记录缺少字段：{', '.join(missing)}")


def expect_str(value: object, where: str) -> str:
    """``value`` if it is a string, else :class:`RecordError`."""
    if not isinstance(value, str):
        raise RecordError(f"摇号记录的 {where} 应为文本：{value!r}"[:200])
    return value


def expect_hex64(value: object, where: str) -> str:
    """``value`` if it is 64 lowercase hex digits, else :class:`RecordError`."""
    text = expect_str(value, where)
    if not _HEX64.fullmatch(text):
        raise RecordError(f"摇号记录的 {where} 应为64位小写十六进制：{text!r}")
    return text


def expect_list(value: object, where: str) -> list[Any]:
    """``value`` if it is a list, else :class:`RecordError`."""
    if not isinstance(value, list):
        raise RecordError(f"摇号记录的 {where} 应为列表：{value!r}"[:200])
    return value


def parse_witnesses(value: object, where: str) -> tuple[Witness, ...]:
    """Read a ``witness`` list of ``{"name", "values"}``; values must be non-negative integers."""
    witnesses: list[Witness] = []
    for index, item in enumerate(expect_list(value, where)):
        spot = f"{where}[{index}]"
        if not isinstance(item, dict) or set(item) != {"name", "values"}:
            raise RecordError(f"摇号记录的 {spot} 应为含 name 与 values 的对象")
        name = expect_str(item["name"], f"{spot}.name")
        values = expect_list(item["values"], f"{spot}.values")
        for number in values:
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise RecordError(f"摇号记录的 {spot}.values 只能是非负整数：{number!r}")
        witnesses.append(Witness(name, tuple(values)))
    return tuple(witnesses)


def parse_rows(value: object, width: int, where: str) -> list[tuple[str, ...]]:
    """Read a list of rows of ``width`` fields (objects, inspectors, conflicts) as tuples.

    Field types are checked by :func:`app.draw.canonical` when the rows are canonicalised.
    """
    rows = expect_list(value, where)
    if not all(type(row) is list and len(row) == width for row in rows):
        for index, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != width:
                raise RecordError(f"摇号记录的 {where}[{index}] 应为{width}个文本字段：{row!r}")
    return [tuple(row) for row in rows]


def parse_replacement_requests(value: object) -> list[tuple[str, str, str, tuple[Witness, ...]]]:
    """The inputs of each recorded replacement: ``(object, removed, reason, witnesses)``.

    Only these are inputs; ``round``, ``group``, ``seed`` and ``chosen`` are recomputed and compared.
    """
    requests = []
    for index, item in enumerate(expect_list(value, "replacements")):
        spot = f"replacements[{index}]"
        if not isinstance(item, dict):
            raise RecordError(f"摇号记录的 {spot} 应为对象")
        missing = [
            k
            for k in ("round", "object", "group", "removed", "reason", "witness", "seed", "chosen")
            if k not in item
        ]
        if missing:
            raise RecordError(f"摇号记录的 {spot} 缺少字段：{', '.join(missing)}")
        requests.append(
            (
                expect_str(item["object"], f"{spot}.object"),
                expect_str(item["removed"], f"{spot}.removed"),
                expect_str(item["reason"], f"{spot}.reason"),
                parse_witnesses(item["witness"], f"{spot}.witness"),
            )
        )
    return requests
