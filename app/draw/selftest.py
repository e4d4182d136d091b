"""Self-test: reproduce the RFC 3797 reference vectors and the SJDRAW-1 vectors shipped in resources/.

Good SJDRAW-1 vectors must verify *and* be rebuilt byte for byte from their inputs (prepare →
execute → replace); ``bad_*`` vectors must not verify.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.draw import rfc3797
from app.draw.api import execute, prepare
from app.draw.errors import DrawError
from app.draw.record import dump_record, parse_witnesses
from app.draw.replacing import replace
from app.draw.verify import Outcome, verify_text

VECTORS_DIR = Path(__file__).resolve().parents[2] / "resources" / "vectors"


def rebuild_record(record: dict[str, Any]) -> dict[str, Any]:
    """Re-run a recorded draw from its inputs only (rows, params, draw id, nonce, witnesses, requests)."""
    prepared = prepare(record["objects"], record["inspectors"], record["conflicts"], record["params_text"])
    rebuilt = execute(
        prepared,
        record["draw_id"],
        bytes.fromhex(record["nonce"]),
        parse_witnesses(record["witness"], "witness"),
    )
    for index, step in enumerate(record["replacements"]):
        witnesses = parse_witnesses(step["witness"], f"replacements[{index}].witness")
        rebuilt = replace(rebuilt, step["object"], step["removed"], step["reason"], witnesses)
    return rebuilt


def _rfc_lines(path: Path) -> tuple[bool, list[str]]:
    ok = True
    lines = []
    for vector in json.loads(path.read_text(encoding="utf-8")):
        result = rfc3797.select(vector["key"], vector["pool"], len(vector["picks"]))
        passed = list(result.picks) == vector["picks"] and result.first_md5 == vector["first_md5"].upper()
        ok &= passed
        lines.append(f"{'PASS' if passed else 'FAIL'}  RFC 3797：{vector['source']}")
    return ok, lines


def _sjdraw_line(path: Path) -> tuple[bool, str]:
    text = path.read_text(encoding="utf-8")
    verdict = verify_text(text)
    if path.name.startswith("bad_"):
        passed = verdict.outcome is Outcome.NOT_VERIFIED
        what = f"应不通过验证，实际：{verdict.outcome.name}，差异 {', '.join(verdict.keys) or '无'}"
    else:
        try:
            rebuilt_text = dump_record(rebuild_record(json.loads(text)))
        except DrawError as exc:
            rebuilt_text = f"<{exc.message}>"
        rebuilt = rebuilt_text == text
        passed = verdict.outcome is Outcome.VERIFIED and rebuilt
        what = f"验证：{verdict.outcome.name}，由输入重建逐字节一致：{'是' if rebuilt else '否'}"
    return passed, f"{'PASS' if passed else 'FAIL'}  SJDRAW-1：{path.stem}（{what}）"


def run_selftest(vectors_dir: Path = VECTORS_DIR) -> tuple[bool, list[str]]:
    """Run every vector; return (all passed, one printable line per vector)."""
    rfc_path = vectors_dir / "rfc3797" / "vectors.json"
    sjdraw_paths = sorted((vectors_dir / "sjdraw").glob("*.json"))
    if not rfc_path.is_file() or not sjdraw_paths:
        return False, [f"FAIL  找不到测试向量目录：{vectors_dir}"]
    ok, lines = _rfc_lines(rfc_path)
    for path in sjdraw_paths:
        passed, line = _sjdraw_line(path)
        ok &= passed
        lines.append(line)
    return ok, lines
