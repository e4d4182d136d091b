"""Screenshots of the real main window, for review and for the help pages (使用说明).

Run under a display (e.g. `xvfb-run -s "-screen 0 1366x768x24" python packaging/screenshots.py --db X --out DIR`).
Each page is opened through the navigation as a clerk would, then the whole screen is grabbed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--pages", default="", help="comma-separated page numbers (1-based); default all")
    parser.add_argument("--search", default="", help="text typed into a registry page's search box")
    args = parser.parse_args()

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from app.database import open_database
    from ui.application import create_application
    from ui.context import AppContext
    from ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(AppContext(open_database(args.db, create=False)))
    window.show_full()
    wanted = [int(p) for p in args.pages.split(",") if p] or list(range(1, len(window.pages) + 1))
    args.out.mkdir(parents=True, exist_ok=True)
    queue = list(wanted)

    def step() -> None:
        if not queue:
            app.quit()
            return
        number = queue.pop(0)
        window.nav.setCurrentRow(number - 1)
        page = window.current_page()
        if args.search and hasattr(page, "search"):
            page.search.setText(args.search)
            page._apply_query()
            if page.model.rowCount():
                page.table.selectRow(0)

        def grab() -> None:
            shot = QGuiApplication.primaryScreen().grabWindow(0)
            path = args.out / f"page{number}.png"
            shot.save(str(path))
            print(path)
            QTimer.singleShot(100, step)

        QTimer.singleShot(700, grab)

    QTimer.singleShot(800, step)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
