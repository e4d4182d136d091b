"""Entry point of both frozen executables: the same command line as ``python -m app``.

``shuangsuiji`` (windowed on Windows) starts the GUI; ``shuangsuiji-cli`` (console) runs the commands —
``shuangsuiji-cli selftest``, ``verify RECORD.json``, ``smoke`` — with their output visible.
"""

import os
import sys


def _usable_streams() -> None:
    # A windowed Windows executable has no stdout/stderr at all; writes must not raise there.
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            # Piped or redirected output is UTF-8 on every system (a GBK Windows would otherwise fail on ✓/✗,
            # and packaging/build.py reads it as UTF-8); a console keeps its own encoding.
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    _usable_streams()
    from app.cli import main

    raise SystemExit(main())
