"""启动自检 (`python -m app smoke`): start the real main window on a throw-away database and report.

It proves an installed or frozen build can start — Qt platform plugin, translations, stylesheet, the database
with its migrations, every page — and print a PDF, without touching the user's data directory: everything
lives in a temporary folder that is deleted afterwards. It builds the window directly (no login dialog), the
way the GUI tests do. Headless by default (``QT_QPA_PLATFORM=offscreen`` unless already set).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.database import Database

SMOKE_TIMEOUT_SECONDS = 60.0


def _say(text: str) -> None:
    print(text, flush=True)


def _fail(text: str) -> int:
    print(f"启动自检失败：{text}", file=sys.stderr, flush=True)
    return 1


def run_smoke(*, entities: int = 200, timeout: float = SMOKE_TIMEOUT_SECONDS) -> int:
    """Build a small demo county in a temporary folder, show the main window, print a PDF; 0 if all worked."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.paths import DATA_DIR_ENV

    previous = os.environ.get(DATA_DIR_ENV)
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-smoke-", ignore_cleanup_errors=True) as folder:
        # The whole app (logs, locks, records) writes under the temporary folder, never the clerk's data.
        os.environ[DATA_DIR_ENV] = folder
        try:
            return _run(Path(folder), entities, timeout)
        finally:
            if previous is None:
                os.environ.pop(DATA_DIR_ENV, None)
            else:
                os.environ[DATA_DIR_ENV] = previous


def _run(folder: Path, entities: int, timeout: float) -> int:
    from app.database import open_database
    from app.demo import build_demo
    from db.engine import transaction

    started = time.perf_counter()
    database = open_database(folder / "smoke.db")
    try:
        with transaction(database.sessions) as session:
            build_demo(session, entities=entities)
        database.refresh_statistics()
        _say(f"  演示数据库：{entities} 个检查对象（用时 {time.perf_counter() - started:.2f} 秒）")
        shown = _show_main_window(database, timeout)
        if shown is None or _print_pdf(folder) != 0:
            return 1
        _say(f"启动自检通过：主窗口已显示（用时 {shown:.2f} 秒）")
        return 0
    finally:
        database.close()


def _show_main_window(database: Database, timeout: float) -> float | None:
    """Seconds from creating the QApplication to the main window being exposed; None (and why) on failure."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    from ui.about import AboutDialog
    from ui.application import create_application
    from ui.context import AppContext
    from ui.main_window import MainWindow

    clock = QElapsedTimer()
    clock.start()
    app = create_application([sys.argv[0]])
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if cancel != "取消":
        _fail(f"Qt 中文翻译（qtbase_zh_CN.qm）未加载：“Cancel”仍显示为“{cancel}”。")
        return None
    context = AppContext(database)
    window = MainWindow(context)
    outcome: list[int] = []

    def check() -> None:
        handle = window.windowHandle()
        if window.isVisible() and handle is not None and handle.isExposed():
            outcome.append(0)
            app.quit()
        elif clock.elapsed() > timeout * 1000:
            outcome.append(1)
            app.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    window.show_full()
    poll.start()
    app.exec()
    poll.stop()
    seconds = clock.elapsed() / 1000
    try:
        if outcome != [0]:
            _fail(f"主窗口在 {timeout:.0f} 秒内没有显示（平台：{app.platformName()}）。")
            return None
        if window.grab().isNull():
            _fail("主窗口无法绘制。")
            return None
        # Pages are built when first opened; open each one here so a module missing from a build fails now.
        for row, entry in enumerate(window.entries):
            window.nav.setCurrentRow(row)
            opened = window.current_page().TITLE
            if opened != entry.title:
                _fail(f"第 {row + 1} 页应为“{entry.title}”，打开的是“{opened}”。")
                return None
        about = AboutDialog(context)
        version = about.values["版本"]
        about.deleteLater()
    finally:
        window.close()
        window.deleteLater()
    _say(
        f"  关于：版本 {version}；Qt 平台 {app.platformName()}；界面翻译 zh_CN 已加载；{len(window.entries)} 个页面均可打开"
    )
    return seconds


def _print_pdf(folder: Path) -> int:
    """A 随机抽取情况记录表 from a shipped reference record: reportlab, the QR code and the CJK fonts."""
    from app.forms.draw_sheet import write_draw_sheet
    from app.forms.draw_sheet_record import load_draw_sheet_data
    from app.forms.fonts import FontNotFoundError
    from app.paths import resources_dir

    record = resources_dir() / "vectors" / "sjdraw" / "joint_two_departments.json"
    started = time.perf_counter()
    try:
        pdf = write_draw_sheet(load_draw_sheet_data(record), folder / "smoke.pdf")
    except FontNotFoundError as exc:
        # The app still works; printing will tell the clerk the same thing. Not a failure of the build.
        _say(f"  警告：{exc.message_zh}")
        return 0
    if not pdf.is_file() or pdf.stat().st_size < 1000:
        return _fail(f"记录表 PDF 未生成：{pdf}")
    _say(
        f"  打印：随机抽取情况记录表 PDF {pdf.stat().st_size // 1024} KB"
        f"（用时 {time.perf_counter() - started:.2f} 秒）"
    )
    return 0
