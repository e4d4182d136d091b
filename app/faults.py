"""Crash points: named places where the crash-safety tests kill the process with SIGKILL.

A test starts the app in a subprocess with ``SHUANGSUIJI_CRASH_AT=<name>``. When the run reaches
``crash_point(<name>)`` it writes ``SHUANGSUIJI-CRASH-POINT <name>`` to stderr and waits there, so the test
can kill it at exactly that moment (a real ``kill -9``, not a clean exit). Without the variable a crash
point is one string comparison: the environment is read once, at import.
"""

from __future__ import annotations

import os
import sys
import time

__all__ = ["CRASH_AT_ENV", "CRASH_MARKER", "crash_point"]

CRASH_AT_ENV = "SHUANGSUIJI_CRASH_AT"
"""Environment variable naming the one crash point that stops the process."""
CRASH_MARKER = "SHUANGSUIJI-CRASH-POINT"
"""Start of the stderr line written when the process reaches the named crash point."""

_CRASH_AT = os.environ.get(CRASH_AT_ENV) or None
# A test that forgets to kill the process must not leave it behind forever: after this long it goes on.
_WAIT_SECONDS = 300.0


def crash_point(name: str) -> None:
    """Stop here (print the marker, then sleep) when ``SHUANGSUIJI_CRASH_AT`` equals ``name``."""
    if name != _CRASH_AT:
        return
    print(f"{CRASH_MARKER} {name}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + _WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)
