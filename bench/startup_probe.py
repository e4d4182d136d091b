"""Run by bench_startup.py in its own process: the real GUI start (`ui.application.run_gui`) on a database,
signing in through the real sign-in dialog as soon as it shows, and printing when each stage was reached.

Each line printed is ``STAGE <name> <time.monotonic()>``; the parent subtracts its own clock reading taken just
before it started this process (CLOCK_MONOTONIC is shared by all processes on Linux).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def stage(name: str) -> None:
    print(f"STAGE {name} {time.monotonic():.6f}", flush=True)


def main() -> int:
    database, username, password = sys.argv[1:4]
    stage("python")  # interpreter up, before any of our imports
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import ui.application as application

    stage("imports")
    original = application.create_application
    seen: set[str] = set()

    def watch(app: QApplication) -> None:
        from ui.main_window import MainWindow
        from ui.widgets.sign_in import LoginDialog

        modal = app.activeModalWidget()
        if isinstance(modal, LoginDialog) and "login" not in seen and modal.isVisible():
            seen.add("login")
            app.processEvents()  # let the dialog paint before reading the clock
            stage("login_shown")
            modal.username.setText(username)
            modal.password.setText(password)
            stage("login_submit")
            modal._submit()
            return
        for widget in app.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and "window" not in seen:
                handle = widget.windowHandle()
                if handle is None or not handle.isExposed():
                    return
                seen.add("window")
                widget.repaint()  # the first screen actually drawn
                app.processEvents()
                stage("window_usable")
                QTimer.singleShot(0, widget.close)

    def create(argv: list[str] | None = None) -> QApplication:
        app = original(argv)
        stage("qapplication")
        poll = QTimer(app)
        poll.setInterval(2)
        poll.timeout.connect(lambda: watch(app))
        poll.start()
        return app

    application.create_application = create
    code = application.run_gui(database, new_database_demo=False)
    stage("exited")
    return code


if __name__ == "__main__":
    sys.exit(main())
