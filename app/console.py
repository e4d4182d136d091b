"""Output of the command-line tools, one way everywhere: lines to stdout, problems and progress to stderr,
the counts line as JSON (the last line of an import), progress every ten per cent."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.database import Database


def say(text: str) -> None:
    print(text, flush=True)


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fail(text: str, code: int = 2) -> int:
    """Tell the problem on stderr and return the exit code."""
    err(text)
    return code


def json_line(counts: dict[str, int]) -> None:
    say(json.dumps(counts, ensure_ascii=False))


def progress_printer(out: Callable[[str], None] = err) -> Callable[[str, float], None]:
    """A progress callback that prints ``  40%  stage`` each time another ten per cent is reached."""
    last = [-1]

    def report(stage: str, fraction: float) -> None:
        percent = int(fraction * 100)
        if percent // 10 != last[0] // 10:
            last[0] = percent
            out(f"  {percent:3d}%  {stage}")

    return report


def open_or_report(location: str, *, create: bool = False) -> Database | None:
    """The database a command works on; None after telling on stderr why it cannot be opened (a missing file
    when ``create`` is False, not a database of this program, one from a newer version) — exit code 2."""
    from app.database import DatabaseOpenError, DatabaseVersionError, open_database

    try:
        return open_database(location, create=create)
    except (DatabaseOpenError, DatabaseVersionError) as exc:
        err(f"错误：{exc.message_zh}")
        return None
