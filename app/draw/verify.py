"""Verifying a draw record: recompute everything from its inputs and report each key that differs.

Three outcomes (also the exit codes of ``cmd_verify``):

* ``VERIFIED`` (0) — every recomputed key equals the record;
* ``NOT_VERIFIED`` (1) — at least one key differs, or the recomputation could not run (e.g. a
  replacement names an inspector the recomputed draw never assigned to that object);
* ``MALFORMED`` (2) — not JSON, missing keys, wrong types, bad params or rows, unknown format, or a
  replacement naming an object/inspector that is not in the record's lists at all.

Inputs (``draw_id``, ``params_text``, the rows, ``nonce``, ``witness``, and each replacement's
``object``/``removed``/``reason``/``witness``) are taken as given; everything else is recomputed.
"""

from __future__ import annotations

import enum
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.draw.api import PreparedDraw, commitment, prepare, run_draw
from app.draw.canonical import clean_text
from app.draw.engine import apply_replacements, make_replacement
from app.draw.errors import DrawError, InfeasibleDrawError, RecordError, ReplacementError
from app.draw.models import DrawnObject, Replacement, witnesses_string
from app.draw.record import (
    FORMAT,
    RECORD_KEYS,
    expect_hex64,
    expect_str,
    load_record,
    parse_replacement_requests,
    parse_rows,
    parse_witnesses,
    require_keys,
)
from app.draw.stream import compute_seed

KEY_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "objects": ("检查对象名录不是规范形式（NFC、按编号排序）", "objects are not in canonical form"),
    "inspectors": ("检查人员名录不是规范形式（NFC、按编号排序）", "inspectors are not in canonical form"),
    "conflicts": ("回避关系不是规范形式（NFC、去重、排序）", "conflicts are not in canonical form"),
    "objects_sha256": ("检查对象名录的哈希与名录内容不符", "objects_sha256 does not match the objects"),
    "inspectors_sha256": (
        "检查人员名录的哈希与名录内容不符",
        "inspectors_sha256 does not match the inspectors",
    ),
    "conflicts_sha256": ("回避关系的哈希与内容不符", "conflicts_sha256 does not match the conflicts"),
    "params_sha256": ("抽取参数的哈希与参数文本不符", "params_sha256 does not match params_text"),
    "commit": ("承诺值不等于 nonce 的 SHA-256", "commit is not SHA-256 of the nonce"),
    "seed": ("种子与由输入、见证人随机数和 nonce 重算的结果不符", "seed does not match its recomputation"),
    "draw": ("抽取结果与重算结果不符", "draw does not match its recomputation"),
    "replacements": ("递补记录与重算结果不符", "replacements do not match their recomputation"),
    "final": ("最终分配结果与重算结果不符", "final does not match its recomputation"),
}


class Outcome(enum.IntEnum):
    """Verification outcome; the value is the command-line exit code."""

    VERIFIED = 0
    NOT_VERIFIED = 1
    MALFORMED = 2


@dataclass(frozen=True)
class Difference:
    """One top-level key whose recorded value differs from the recomputed one."""

    key: str
    zh: str
    en: str
    detail: str = ""
    """Where it first differs, in Chinese (e.g. ``第3项``), or why recomputation stopped."""

    def line(self) -> str:
        """A printable line: key, Chinese description, detail, English description."""
        detail = f"：{self.detail}" if self.detail else ""
        return f"{self.key}：{self.zh}{detail}（{self.en}）"


@dataclass(frozen=True)
class VerifyResult:
    """Outcome plus the differences (NOT_VERIFIED) or the problem (MALFORMED)."""

    outcome: Outcome
    differences: tuple[Difference, ...] = ()
    problem: str = ""
    """Chinese explanation when MALFORMED."""

    @property
    def exit_code(self) -> int:
        """0 verifies, 1 does not verify, 2 malformed."""
        return int(self.outcome)

    @property
    def keys(self) -> list[str]:
        """The keys that differ, in record order."""
        return [d.key for d in self.differences]


@dataclass
class Recomputation:
    """What a record's inputs determine: the full expected record and the objects behind it."""

    prepared: PreparedDraw
    expected: dict[str, Any]
    draw: list[DrawnObject] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)
    final: list[DrawnObject] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)
    """Keys known to differ (rows not canonical) or whose recomputation could not run, with the reason."""


def _first_difference(recorded: Any, expected: Any) -> str:
    if isinstance(recorded, list) and isinstance(expected, list):
        for index, (a, b) in enumerate(zip(recorded, expected, strict=False)):
            if a != b or not _same_types(a, b):
                return _entry_hint(index + 1, a, b)
        return f"条目数不同（记录 {len(recorded)}，重算 {len(expected)}）"
    return f"记录为 {recorded!r}，重算为 {expected!r}" if len(repr(recorded)) < 120 else ""


def _entry_hint(number: int, recorded: Any, expected: Any) -> str:
    """Where a list first differs; for draw/final entries, also which object it is about."""
    if not isinstance(recorded, dict) or not isinstance(expected, dict) or "id" not in expected:
        return f"第{number}项不同"
    if recorded.get("id") != expected["id"]:
        return f"第{number}项不同：记录为 {recorded.get('id')}，重算为 {expected['id']}"
    return f"第{number}项（对象 {expected['id']}）的内容不同"


def _clean_input(value: object, where: str) -> str:
    text = expect_str(value, where)
    try:
        cleaned = clean_text(text, where)
    except DrawError as exc:
        raise RecordError(exc.message) from None
    if cleaned != text:
        raise RecordError(f"{where} 不是 Unicode NFC 规范形式")
    return text


def recompute(record: Any) -> Recomputation:
    """Recompute every derived key of ``record`` from its inputs.

    Raises :class:`RecordError` (or another :class:`DrawError`) when the record is malformed.
    """
    if not isinstance(record, dict):
        raise RecordError("摇号记录的顶层应为 JSON 对象")
    require_keys(record)
    if record["format"] != FORMAT:
        raise RecordError(f"不支持的记录格式：{record['format']!r}（应为 {FORMAT}）")
    draw_id = _clean_input(record["draw_id"], "draw_id")
    params_text = expect_str(record["params_text"], "params_text")
    if not unicodedata.is_normalized("NFC", params_text):
        raise RecordError("params_text 不是 Unicode NFC 规范形式")
    objects = parse_rows(record["objects"], 3, "objects")
    inspectors = parse_rows(record["inspectors"], 3, "inspectors")
    conflicts = parse_rows(record["conflicts"], 2, "conflicts")
    prepared = prepare(objects, inspectors, conflicts, params_text)
    nonce_hex = expect_hex64(record["nonce"], "nonce")
    witnesses = parse_witnesses(record["witness"], "witness")
    requests = parse_replacement_requests(record["replacements"])
    object_ids = {row[0] for row in prepared.objects}
    inspector_ids = {row[0] for row in prepared.inspectors}
    for index, (object_id, removed, reason, entries) in enumerate(requests):
        spot = f"replacements[{index}]"
        if object_id not in object_ids:
            raise RecordError(f"{spot}.object 指向名录中不存在的检查对象：{object_id}")
        if removed not in inspector_ids:
            raise RecordError(f"{spot}.removed 指向名录中不存在的检查人员：{removed}")
        _clean_input(reason, f"{spot}.reason")
        for w_index, witness in enumerate(entries):
            _clean_input(witness.name, f"{spot}.witness[{w_index}].name")
    for w_index, witness in enumerate(witnesses):
        _clean_input(witness.name, f"witness[{w_index}].name")

    seed = compute_seed(
        draw_id,
        prepared.hashes["objects_sha256"],
        prepared.hashes["inspectors_sha256"],
        prepared.hashes["conflicts_sha256"],
        prepared.hashes["params_sha256"],
        witnesses_string(witnesses),
        nonce_hex,
    )
    expected: dict[str, Any] = {
        "format": FORMAT,
        "draw_id": draw_id,
        "params_text": params_text,
        **prepared.hashes,
        "commit": commitment(bytes.fromhex(nonce_hex)),
        "witness": [w.to_json() for w in witnesses],
        "nonce": nonce_hex,
        "seed": seed,
    }
    result = Recomputation(prepared, expected)
    # Rows are inputs; they differ only when the record does not list them in canonical form.
    for key, rows, canonical in (
        ("objects", objects, prepared.objects),
        ("inspectors", inspectors, prepared.inspectors),
        ("conflicts", conflicts, prepared.conflicts),
    ):
        if rows != canonical:
            result.broken[key] = _first_difference(rows, canonical)
    try:
        result.draw = run_draw(prepared, seed)
    except InfeasibleDrawError as exc:
        result.broken.update({key: f"无法重算：{exc.message}" for key in ("draw", "replacements", "final")})
        return result
    expected["draw"] = [entry.to_json() for entry in result.draw]
    prev_seed = seed
    current = apply_replacements(result.draw, [])
    for object_id, removed, reason, entries in requests:
        try:
            step = make_replacement(
                prepared.pools, current, result.replacements, prev_seed, object_id, removed, reason, entries
            )
        except ReplacementError as exc:
            detail = f"第{len(result.replacements) + 1}轮递补无法重算：{exc.message}"
            result.broken.update({"replacements": detail, "final": detail})
            return result
        result.replacements.append(step)
        current = apply_replacements(result.draw, result.replacements)
        prev_seed = step.seed
    result.final = current
    expected["replacements"] = [r.to_json() for r in result.replacements]
    expected["final"] = [entry.final_json() for entry in current]
    return result


def verify_record(record: Any) -> VerifyResult:
    """Verify a parsed record (any JSON value); never raises for bad records."""
    return check_record(record)[0]


def check_record(record: Any) -> tuple[VerifyResult, Recomputation | None]:
    """Verify ``record`` and also return the recomputation (None when the record is malformed)."""
    try:
        recomputed = recompute(record)
    except DrawError as exc:
        return VerifyResult(Outcome.MALFORMED, problem=exc.message), None
    differences: list[Difference] = []
    for key in RECORD_KEYS:
        if key not in KEY_DESCRIPTIONS:
            continue  # an input taken as given
        zh, en = KEY_DESCRIPTIONS[key]
        if key in recomputed.broken:
            differences.append(Difference(key, zh, en, recomputed.broken[key]))
            continue
        expected = recomputed.expected.get(key)  # absent for the rows, which were compared already
        if key in recomputed.expected and (record[key] != expected or not _same_types(record[key], expected)):
            differences.append(Difference(key, zh, en, _first_difference(record[key], expected)))
    if differences:
        return VerifyResult(Outcome.NOT_VERIFIED, tuple(differences)), recomputed
    return VerifyResult(Outcome.VERIFIED), recomputed


def _same_types(a: Any, b: Any) -> bool:
    """Python says ``1 == True == 1.0``; JSON does not, so equal values must also serialise the same."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def verify_text(text: str | bytes) -> VerifyResult:
    """Verify record JSON text."""
    try:
        record = load_record(text)
    except RecordError as exc:
        return VerifyResult(Outcome.MALFORMED, problem=exc.message)
    return verify_record(record)


def verify_file(path: str | Path) -> VerifyResult:
    """Verify a record file (UTF-8 JSON)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return VerifyResult(Outcome.MALFORMED, problem=f"无法读取文件 {path}：{exc}")
    return verify_text(data)
