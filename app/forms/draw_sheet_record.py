"""Filling the draw sheet from a SJDRAW-1 record: verify it, then read rows, hashes, results and ``meta``.

The record (DRAW_SPEC §9) carries the inputs, hashes, witnesses and results; what it does not carry (bureau,
task, place, operator, earlier voids, pool before exclusions, affiliations) comes from its ``meta`` (see
:mod:`app.forms.record_meta`) or from keyword arguments named like the :class:`DrawSheetData` fields.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.draw import Outcome, RecordError, Witness, dump_record, load_record
from app.draw.models import witnesses_string
from app.draw.params import ALL_INSPECTORS
from app.draw.verify import check_record
from app.forms.draw_sheet_data import (
    ALL_INSPECTORS_LABEL,
    Assignment,
    DrawSheetData,
    DrawSheetError,
    Fingerprints,
    InspectorPoolLine,
    InspectorRef,
    ReplacementLine,
    ResultRow,
    StratumLine,
    WitnessLine,
)
from app.forms.record_meta import sheet_fields, witness_affiliations

VERIFIED_NOTE = "打印时已由本程序按 SJDRAW-1 重新计算复核：验证通过，全部结果均可由记录中的输入重算得到。"


def _cap_rule(cap: str | int) -> str:
    if cap == "auto":
        return "自动：每人最多 k×n÷m 个对象，有小数时进一（k 为每个对象派员数，n 为抽中对象数，m 为部门人数）"
    if cap == "none":
        return "不限"
    return f"每人最多 {cap} 个对象"


def draw_sheet_data_from_record(record: Mapping[str, Any], **context: Any) -> DrawSheetData:
    """Fill a :class:`DrawSheetData` from a SJDRAW-1 record (dict), its ``meta`` and ``context``.

    The record is verified first; a record that does not verify raises :class:`DrawSheetError` — a sheet
    for the watchers to sign must never show results the record's inputs do not produce. Without
    ``record_file_name``/``record_sha256`` in ``context``, the hash is that of the record as
    :func:`app.draw.dump_record` writes it (use :func:`load_draw_sheet_data` for a file as it is on disk).
    """
    result, recomputed = check_record(dict(record))
    if result.outcome is Outcome.MALFORMED or recomputed is None:
        raise DrawSheetError(f"摇号记录格式不正确，不能生成记录表：{result.problem}")
    if result.outcome is not Outcome.VERIFIED:
        keys = "、".join(d.zh for d in result.differences)
        raise DrawSheetError(f"摇号记录未通过验证，不能生成记录表：{keys}")
    prepared = recomputed.prepared
    meta = record.get("meta")
    objects = {row[0]: (row[1], row[2]) for row in record["objects"]}
    people = {row[0]: row[2] for row in record["inspectors"]}

    def department(group: str) -> str:
        return ALL_INSPECTORS_LABEL if group == ALL_INSPECTORS else group

    replaced_in = {(r["object"], r["chosen"]) for r in record["replacements"]}
    results = tuple(
        ResultRow(
            entry["order"],
            objects[entry["id"]][1],
            entry["id"],
            objects[entry["id"]][0],
            tuple(
                Assignment(
                    department(a["group"]),
                    tuple(InspectorRef(people[i], i, (entry["id"], i) in replaced_in) for i in a["ids"]),
                )
                for a in entry["inspectors"]
            ),
        )
        for entry in record["final"]
    )
    affiliations = witness_affiliations(meta) if isinstance(meta, dict) else {}

    def witnesses(rows: Sequence[Mapping[str, Any]]) -> tuple[WitnessLine, ...]:
        return tuple(
            WitnessLine(w["name"], tuple(w["values"]), affiliations.get(w["name"], "")) for w in rows
        )

    replacements = tuple(
        ReplacementLine(
            r["round"],
            objects[r["object"]][1],
            r["object"],
            department(r["group"]),
            InspectorRef(people[r["removed"]], r["removed"]),
            r["reason"],
            witnesses(r["witness"]),
            InspectorRef(people[r["chosen"]], r["chosen"], True),
        )
        for r in record["replacements"]
    )
    witness_lines = witnesses(record["witness"])
    data = DrawSheetData(
        bureau_name="",
        draw_id=record["draw_id"],
        fingerprints=Fingerprints(
            record["objects_sha256"],
            record["inspectors_sha256"],
            record["conflicts_sha256"],
            record["params_sha256"],
        ),
        commit=record["commit"],
        nonce=record["nonce"],
        seed=record["seed"],
        results=results,
        record_file_name=f"{record['draw_id']}.json",
        record_sha256=hashlib.sha256(dump_record(record).encode("utf-8")).hexdigest(),
        pool_size=len(prepared.objects),
        strata=tuple(StratumLine(s.label, s.spelled, s.pool_size, s.sample_size) for s in prepared.strata),
        inspector_pools=tuple(
            InspectorPoolLine(department(g.group), g.members, g.k, g.cap) for g in prepared.groups
        ),
        cap_rule=_cap_rule(prepared.params.cap),
        conflicts_count=len(prepared.conflicts),
        params_text=prepared.params_text,
        witnesses=witness_lines,
        witness_string=witnesses_string([Witness(w.name, w.values) for w in witness_lines]),
        replacements=replacements,
        verification=VERIFIED_NOTE,
        departments=tuple(department(g.group) for g in prepared.groups),
    )
    try:
        return dataclasses.replace(data, **{**sheet_fields(meta), **context})
    except TypeError as exc:
        raise TypeError(f"draw_sheet_data_from_record: unknown field in context: {exc}") from None


def load_draw_sheet_data(path: str | Path, **context: Any) -> DrawSheetData:
    """Read a record file and fill the sheet; the printed name and SHA-256 are those of the file itself."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise DrawSheetError(f"无法读取摇号记录文件 {source}：{exc}") from None
    try:
        record = load_record(data)
    except RecordError as exc:
        raise DrawSheetError(f"摇号记录格式不正确，不能生成记录表：{exc.message}") from None
    fixed = {"record_file_name": source.name, "record_sha256": hashlib.sha256(data).hexdigest()}
    return draw_sheet_data_from_record(record, **{**fixed, **context})
