"""Starting the program again (after a restore): the new process starts once this one has fully ended, so it
finds the database's window lock released and opens the restored data from scratch."""

from __future__ import annotations

import atexit
import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def restart_command() -> tuple[list[str], Path]:
    """The command line that started this program (PyInstaller build or `python -m app`), and where to run it."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *sys.argv[1:]], Path.cwd()
    root = Path(__file__).resolve().parent.parent
    return [sys.executable, "-m", "app", *sys.argv[1:]], root


def _spawn(command: list[str], cwd: Path) -> None:
    options: dict[str, object] = {}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    try:
        subprocess.Popen(  # noqa: S603 (our own command line)
            command,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            **options,  # type: ignore[call-overload]
        )
    except OSError:
        log.exception("could not start the program again")


def restart_when_this_process_ends() -> None:
    """Register the restart; the caller then closes the main window so the program ends."""
    command, cwd = restart_command()
    log.info("program will restart: %s", command)
    atexit.register(_spawn, command, cwd)
