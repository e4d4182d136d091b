"""使用说明 (issue 8): the help text and its pictures, F1 from every page of the main window, the contents,
查找, 后退/前进, pictures fitted to the window, and the script that makes the pictures."""

from __future__ import annotations

import importlib.util
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QImage, QKeySequence, QTextDocument
from pytestqt.qtbot import QtBot

from app.database import Database
from app.paths import DATA_DIR_ENV
from ui import feedback
from ui.context import AppContext
from ui.help_window import HELP_FILE, PAGE_SECTIONS, HelpWindow, help_dir, show_help
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
HTML = help_dir() / HELP_FILE
ANCHOR = Qt.ItemDataRole.UserRole


def _html() -> str:
    return HTML.read_text(encoding="utf-8")


def _picture_names() -> list[str]:
    return re.findall(r'<img\s+src="([^"]+)"', _html())


@pytest.fixture
def help_window(qtbot: QtBot) -> Iterator[HelpWindow]:
    """A new help window (the one show_help keeps is deleted afterwards, so every test starts afresh)."""
    window = show_help(None)
    qtbot.waitExposed(window)
    yield window
    window.close()
    shiboken6.delete(window)


def test_every_picture_in_the_help_is_a_real_screenshot() -> None:
    names = _picture_names()
    assert len(names) >= 20
    for name in names:
        path = help_dir() / name
        assert path.is_file(), f"{name} is referenced but missing: run packaging/help_screenshots.py"
        image = QImage(str(path))
        assert not image.isNull(), name
        assert 300 <= image.width() <= 1000 and image.height() >= 200, (name, image.size())
        assert image.colorCount() > 16 or image.format() != QImage.Format.Format_Indexed8, name
        assert path.stat().st_size > 8_000, f"{name} looks empty"
    on_disk = {p.name for p in (help_dir() / "images").glob("*.png")}
    assert on_disk == {Path(n).name for n in names}, "every picture is used, and only those"
    assert sum((help_dir() / n).stat().st_size for n in set(names)) < 3 * 1024 * 1024


def test_links_in_the_text_lead_to_sections(
    help_window: HelpWindow,
) -> None:
    anchors = help_window.anchors()
    targets = re.findall(r'<a href="#([^"]+)"', _html())
    assert targets and set(targets) <= anchors


def test_f1_on_every_page_opens_the_help_at_that_page_section(qtbot: QtBot, demo_db: Database) -> None:
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    f1 = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("F1")]
    assert len(f1) == 1 and f1[0].text() == "使用说明(&H)"

    qtbot.keyClick(window, Qt.Key.Key_F1)  # the real key, on 首页
    helper = window.findChild(HelpWindow)
    assert helper is not None
    qtbot.waitExposed(helper)
    assert helper.current_anchor() == PAGE_SECTIONS["首页"] == "home"

    for row in range(window.nav.count()):
        title = window.nav.item(row).text()
        window.nav.setCurrentRow(row)
        assert title == window.current_page().TITLE
        assert title in PAGE_SECTIONS, f"no help section for the page {title}"
        f1[0].trigger()
        assert helper.isVisible()
        assert helper.current_anchor() == PAGE_SECTIONS[title], title
        assert title in _opening(helper, PAGE_SECTIONS[title]), (
            f"the section for {title} is about another page"
        )
        current = helper.contents.currentItem()
        assert current is not None and current.data(0, ANCHOR) == PAGE_SECTIONS[title]
    assert window.findChildren(HelpWindow) == [helper], "one help window, reused"


def test_f1_in_the_draw_console_opens_the_section_of_the_step_in_front(
    qtbot: QtBot, demo_db: Database
) -> None:
    from sqlalchemy import select

    from app.tasks import create_task_from_plan_row
    from db.engine import transaction
    from db.models import PlanRow
    from ui.draw.console import HELP_SECTIONS, STEPS, DrawConsole

    with transaction(demo_db.sessions) as session:
        row_id = session.scalars(select(PlanRow.id).order_by(PlanRow.id)).first()
        assert row_id is not None
        task_id = create_task_from_plan_row(session, row_id).id
    console = DrawConsole(AppContext(demo_db), task_id)
    qtbot.addWidget(console)
    console.show()
    qtbot.waitExposed(console)
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    qtbot.keyClick(console, Qt.Key.Key_F1)  # the real key, at 准备与自检
    helper = console.findChild(HelpWindow)
    assert helper is not None, "the help belongs to the console and closes with it"
    qtbot.waitExposed(helper)
    assert helper.current_anchor() == "draw"
    said = ("准备", "数据指纹", "承诺值", "揭晓")  # what each step's section is about
    for step, words in enumerate(said):
        console._go(step)
        assert console.show_help() is helper
        assert helper.current_anchor() == HELP_SECTIONS[step], STEPS[step]
        assert words in _opening(helper, HELP_SECTIONS[step]), STEPS[step]


def test_every_contents_entry_shows_its_section(help_window: HelpWindow) -> None:
    items = help_window.contents_items()
    anchors = help_window.anchors()
    sections = [
        help_window.contents.topLevelItem(i).text(0) for i in range(help_window.contents.topLevelItemCount())
    ]
    assert sections[:3] == ["一年的工作顺序", "首次启动与账号", "首页：今天要做什么"]
    assert "常见问题" in sections
    expected = {"import-problems", "plans-adjust", "draw", "draw-replace", "draw-void", "fairness", "verify"}
    expected |= {"inspections", "publication", "reporting", "cosign", "backup", "faq-password", "faq-damaged"}
    expected |= {"faq-fonts", "faq-running"}
    assert expected <= {item.data(0, ANCHOR) for item in items}
    for item in items:
        anchor = item.data(0, ANCHOR)
        assert anchor in anchors
        help_window.contents.setCurrentItem(item)
        assert help_window.current_anchor() == anchor, item.text(0)


def test_back_and_forward_retrace_the_sections_visited(help_window: HelpWindow) -> None:
    assert not help_window.back_button.isEnabled() and not help_window.forward_button.isEnabled()
    help_window.open_anchor("plans")
    help_window.open_anchor("faq")
    help_window.back_button.click()
    assert help_window.current_anchor() == "plans"
    help_window.back_button.click()
    assert help_window.current_anchor() == "top"
    assert not help_window.back_button.isEnabled() and help_window.forward_button.isEnabled()
    help_window.forward_button.click()
    help_window.forward_button.click()
    assert help_window.current_anchor() == "faq" and not help_window.forward_button.isEnabled()


def test_a_link_in_the_text_moves_to_its_section(help_window: HelpWindow) -> None:
    help_window.browser.anchorClicked.emit(QUrl("#fairness"))
    assert help_window.current_anchor() == "fairness"
    help_window.go_back()
    assert help_window.current_anchor() == "top"


def test_find_selects_each_occurrence_and_says_when_there_is_none(help_window: HelpWindow) -> None:
    help_window.find_edit.setText("递补")
    assert help_window.find_next()
    first = help_window.browser.textCursor()
    assert first.selectedText() == "递补"
    assert re.fullmatch(r"第 1 处，共 \d+ 处", help_window.find_status.text())
    assert help_window.find_next()
    second = help_window.browser.textCursor()
    assert second.selectedText() == "递补" and second.position() > first.position()
    assert help_window.find_status.text().startswith("第 2 处")
    assert help_window.find_previous()
    assert help_window.browser.textCursor().position() == first.position()
    assert len(help_window.browser.extraSelections()) > 2, "every occurrence is highlighted"

    help_window.find_edit.setText("不存在的词语")
    assert not help_window.find_next()
    assert help_window.find_status.text() == "未找到“不存在的词语”"
    assert "color" in help_window.find_status.styleSheet()
    assert help_window.browser.extraSelections() == []


def test_the_help_renders_with_its_pictures_fitted_to_the_window(
    qtbot: QtBot, help_window: HelpWindow
) -> None:
    help_window.open_anchor("draw")
    assert not help_window.grab().isNull()
    document = help_window.browser.document()
    picture = document.resource(QTextDocument.ResourceType.ImageResource, QUrl("images/console_ready.png"))
    if not isinstance(picture, QImage):
        picture = QImage.fromData(picture)
    assert not picture.isNull()

    before = max(_picture_widths(document))
    help_window.resize(help_window.width() - 200, 500)  # narrower: every picture must shrink
    browser = help_window.browser

    def fitted() -> bool:
        widths = _picture_widths(document)
        return max(widths) < before and max(widths) <= browser.available_width()

    qtbot.waitUntil(fitted)
    qtbot.waitUntil(lambda: help_window.current_anchor() == "draw")  # the section in view stays in view


def test_clicking_a_picture_shows_it_at_its_own_size(qtbot: QtBot, help_window: HelpWindow) -> None:
    help_window.browser.anchorClicked.emit(QUrl("images/home.png"))
    viewer = help_window.browser.viewer
    assert viewer is not None
    qtbot.waitExposed(viewer)
    assert viewer.label.pixmap().width() == QImage(str(help_dir() / "images/home.png")).width()
    assert "首页" in viewer.windowTitle()


def _opening(window: HelpWindow, anchor: str) -> str:
    """A section's heading and first paragraph."""
    heading = next(h for h in window.headings if h.anchor == anchor)
    block = window.browser.document().findBlock(heading.position)
    return block.text() + "\n" + block.next().text()


def _picture_widths(document: QTextDocument) -> list[float]:
    widths = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char_format = fragments.fragment().charFormat()
            if char_format.isImageFormat():
                widths.append(char_format.toImageFormat().width())
            fragments += 1
        block = block.next()
    return widths


def _screenshot_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "help_screenshots", ROOT / "packaging" / "help_screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_screenshot_script_runs_in_quick_mode(tmp_path: Path) -> None:
    script = _screenshot_script()
    data_dir = Path(os.environ[DATA_DIR_ENV])
    before = sorted(p.name for p in data_dir.rglob("*"))
    confirm = feedback.confirm
    started = time.monotonic()
    assert script.main(["--quick", "--out", str(tmp_path)]) == 0
    assert time.monotonic() - started < 30
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(f"{name}.png" for name in script.QUICK_SHOTS)
    for name in made:
        image = QImage(str(tmp_path / name))
        assert not image.isNull() and image.width() <= 1000
        assert image.format() == QImage.Format.Format_Indexed8, "palette PNG"
    assert os.environ[DATA_DIR_ENV] == str(data_dir), "the data directory setting is restored"
    assert sorted(p.name for p in data_dir.rglob("*")) == before, "nothing written to the data directory"
    assert feedback.confirm is confirm, "message boxes answer for themselves only inside the script"
