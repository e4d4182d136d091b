"""Registry page over 100,000 objects: model ready + first screen painted, Chinese search, sort by column.

Goals (DESIGN.md): first paint ≤ 300 ms; a Chinese substring search ≤ 100 ms; sort by any column ≤ 300 ms.
Usage: python bench/bench_registry_page.py   (offscreen Qt; builds bench/out/demo100000.db on first run)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import demo_database, timed  # noqa: E402


def main() -> None:
    source = demo_database()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SHUANGSUIJI_DATA_DIR"] = folder
        path = Path(folder) / "bench.db"
        shutil.copyfile(source, path)

        from PySide6.QtWidgets import QApplication

        from app.database import open_database
        from app.registry import query as rq
        from ui.application import create_application
        from ui.context import AppContext
        from ui.pages.registry_page import EntitiesPage

        app = create_application()
        database = open_database(path)
        context = AppContext(database)

        start = time.perf_counter()
        page = EntitiesPage(context)
        page.resize(1366, 700)
        page.refresh()
        page.show()
        page.table.viewport().repaint()  # force the first screen to paint now
        QApplication.processEvents()
        first_paint = (time.perf_counter() - start) * 1000
        print(f"objects in registry:          {page.model.rowCount():,}")
        print(f"page ready + first paint:     {first_paint:7.1f} ms   (goal ≤ 300)")

        def search(text: str) -> int:
            page.model.set_query(rq.RegistryQuery(text=text, sort_key="name"))
            page.table.viewport().repaint()
            return page.model.rowCount()

        for text in ("粮油", "城关镇王记", "91469099MA5", "示范县"):
            ms, hits = timed(lambda t=text: search(t))
            note = "(matches every row)" if hits == page.model.rowCount() and text == "示范县" else ""
            print(f"search {text!r:16} {hits:7,} hits {ms:7.1f} ms   (goal ≤ 100) {note}")

        page.model.set_query(rq.RegistryQuery(sort_key="name"))
        for number, column in enumerate(rq.ENTITIES.columns):

            def sort(n: int = number) -> None:
                page.model.set_query(rq.RegistryQuery(sort_key=rq.ENTITIES.columns[n].key, descending=True))
                page.table.viewport().repaint()

            ms, _ = timed(sort)
            print(f"sort by {column.title:<22} {ms:7.1f} ms   (goal ≤ 300)")
        database.close()
        del app


if __name__ == "__main__":
    main()
