"""`python -m app audit verify --db PATH`: exit 0 intact, 1 broken (the first broken item named), 2 unusable."""

from __future__ import annotations

import sys

from app.audit.verify import VerifyUnusable, verify_file


def run_verify(location: str) -> int:
    try:
        report = verify_file(location)
    except VerifyUnusable as exc:
        print(f"错误：{exc.message_zh}", file=sys.stderr, flush=True)
        return 2
    for line in report.lines():
        print(line, flush=True)
    return 0 if report.intact else 1
