"""The main window on the demo county: every page opens, the title names the bureau, keyboard navigation."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from app.database import Database
from app.paths import log_file
from ui.context import AppContext
from ui.main_window import DEFAULT_PAGES, MainWindow
from ui.pages.home import HomePage
from ui.pages.settings_page import SettingsPage


def _window(qtbot: QtBot, database: Database) -> MainWindow:
    window = MainWindow(AppContext(database))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_every_page_opens_from_the_navigation(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    assert window.nav.count() == len(DEFAULT_PAGES) >= 2
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.pages[row]
        assert window.nav.item(row).text() == window.pages[row].TITLE
        assert window.current_page().isVisible()


def test_pages_are_built_when_first_opened_and_titled_as_their_class(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    expected = [True] + [False] * (len(DEFAULT_PAGES) - 1)
    assert [page is not None for page in window._built] == expected, "only 首页 is built at start"
    for entry in DEFAULT_PAGES:
        assert entry.title == entry.load().TITLE
    settings = window.show_page(SettingsPage)
    assert window.current_page() is settings and settings.isVisible()
    assert window._built.count(None) == len(DEFAULT_PAGES) - 2


def test_starting_the_main_window_loads_no_pdf_or_excel_library(tmp_path: Path) -> None:
    """reportlab and openpyxl cost ~0.25 s of imports; the start (DESIGN.md: ≤ 2 s) must not pay for them, nor
    for the demo builder (0.12 s, behind the first-run dialogs) or the damaged-database dialog."""
    import subprocess
    import sys

    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from app.database import open_database\n"
        "from ui.application import create_application\n"
        "from ui.context import AppContext\n"
        "from ui.main_window import MainWindow\n"
        "import ui.widgets.sign_in\n"
        "app = create_application(['probe'])\n"
        f"window = MainWindow(AppContext(open_database({str(tmp_path / 'probe.db')!r})))\n"
        "window.show(); app.processEvents()\n"
        "heavy = ('reportlab', 'openpyxl', 'python_calamine', 'alembic')\n"
        "ours = ('app.demo.generate', 'app.demo.work', 'ui.widgets.damaged_database')\n"
        "print(sorted({name.split('.')[0] for name in sys.modules if name.split('.')[0] in heavy}"
        " | {name for name in sys.modules if name in ours}))\n"
    )
    env = {**os.environ, "SHUANGSUIJI_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    # The new file is migrated by Alembic; a second start of the same file must load none of them.
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_title_and_status_bar_name_the_bureau_and_the_database(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    assert window.windowTitle().startswith("示范县市场监督管理局")
    assert str(demo_db.path) in window.db_label.text()


def test_home_page_shows_the_county(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    home = window.current_page()
    assert isinstance(home, HomePage)
    assert home.entities_card.figure.text() == "2,000"
    assert home.inspectors_card.figure.text() == "77"
    assert home.plans_model.rowCount() == 9
    assert home.plans_model.index(0, 0).data() == "示范县市场监督管理局"
    assert "示范县市场监督管理局" in home.heading.text()
    texts = [home.due_list.item(r).text() for r in range(home.due_list.count())]
    assert any(t.startswith("计划") for t in texts), "the year's plan rows without a task are listed"


def test_ctrl_number_switches_pages(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert DEFAULT_PAGES[8].title == window.current_page().TITLE
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.current_page(), HomePage)
    assert window.nav.item(9).toolTip() == f"{DEFAULT_PAGES[9].title}（Ctrl+PgDown/PgUp）"


def test_ctrl_page_down_and_up_reach_every_page_round_the_list(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    seen = []
    for _ in range(len(DEFAULT_PAGES) - 8):  # the pages after the ninth, then round to 首页
        qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        seen.append(window.current_page().TITLE)
    assert seen == [entry.title for entry in DEFAULT_PAGES[9:]] + [DEFAULT_PAGES[0].title]
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert DEFAULT_PAGES[-1].title == window.current_page().TITLE


def test_saving_the_bureau_name_updates_the_title(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    page = window.show_page(SettingsPage)
    assert isinstance(page, SettingsPage)
    assert not page.save_button.isEnabled(), "nothing to save before an edit"
    page.bureau_name.selectAll()
    # QTest cannot type non-ASCII keys; insert() goes through the same editing path as typing.
    page.bureau_name.insert("示范县司法局")
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(window.context.settings_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert window.windowTitle().startswith("示范县司法局")
    assert window.context.settings().bureau_name == "示范县司法局"


def test_an_invalid_document_pattern_is_explained_and_not_saved(
    qtbot: QtBot, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_db)
    page = window.show_page(SettingsPage)
    assert isinstance(page, SettingsPage)
    page.doc_no_pattern.setText("〔{year}〕第{number}号")
    assert "格式无效" in page.doc_no_preview.text()
    dialogs.answer("确定")
    assert page.save() is False
    assert any("文书编号格式" in text for text in dialogs.seen)
    assert window.context.settings().doc_no_pattern == "〔{year}〕{dept_short}检字第{seq:04d}号"


def test_about_names_version_database_and_log(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    dialog = window.show_about()
    qtbot.waitExposed(dialog)
    assert dialog.values["数据库"] == str(demo_db.path)
    assert dialog.values["日志文件"] == str(log_file())
    assert dialog.values["版本"]
    dialog.accept()


def test_standard_buttons_are_in_chinese() -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "确定"


def test_home_table_models_pass_the_model_tester(qtbot: QtBot, qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_db)
    home = window.current_page()
    assert isinstance(home, HomePage)
    qtmodeltester.check(home.plans_model)
    qtmodeltester.check(home.month_model)


def test_log_file_lives_in_the_data_directory(_private_data_dir: Path) -> None:
    assert log_file().parent.parent == _private_data_dir


def test_departments_tab_adds_and_archives_a_department(qtbot: QtBot, demo_db: Database, dialogs) -> None:  # type: ignore[no-untyped-def]
    from ui.widgets.departments import DepartmentDialog

    window = _window(qtbot, demo_db)
    page = window.show_page(SettingsPage)
    assert isinstance(page, SettingsPage)
    panel = page.departments
    assert panel.model.rowCount() == 9
    dialog = DepartmentDialog(window.context, None, panel)
    dialog.name.setText("示范县水务局")
    dialog.short_name.setText("示水")
    dialog.save()
    assert dialog.result() == DepartmentDialog.DialogCode.Accepted
    panel.refresh()
    assert panel.model.rowCount() == 10
    row = next(r for r in range(10) if panel.model.index(r, 0).data() == "示范县水务局")
    panel.table.selectRow(row)
    dialogs.answer("归档")
    panel.toggle_archive()
    assert any(
        "示范县水务局" in panel.model.index(r, 0).data() and "已归档" in panel.model.index(r, 0).data()
        for r in range(10)
    )
    duplicate = DepartmentDialog(window.context, None, panel)
    duplicate.name.setText("示范县水务局")
    dialogs.answer("确定")
    duplicate.save()
    assert duplicate.result() != DepartmentDialog.DialogCode.Accepted
    assert any("已有同名部门" in t for t in dialogs.seen)


def test_a_departments_code_is_shown_and_changed_only_after_a_warning(  # type: ignore[no-untyped-def]
    qtbot: QtBot, demo_db: Database, dialogs
) -> None:
    from ui.widgets.departments import COLUMNS, DepartmentDialog

    window = _window(qtbot, demo_db)
    page = window.show_page(SettingsPage)
    assert isinstance(page, SettingsPage)
    panel = page.departments
    code_column = [c.title for c in COLUMNS].index("部门编号")
    row = next(r for r in range(panel.model.rowCount()) if panel.model.index(r, 0).data() == "示范县教育局")
    assert panel.model.index(row, code_column).data() == "JY"
    dialog = DepartmentDialog(window.context, panel.model.row_object(row), panel)
    assert dialog.code.text() == "JY"
    dialog.code.setText("jy-2")
    dialogs.answer("取消")
    dialog.save()
    assert dialog.result() != DepartmentDialog.DialogCode.Accepted
    assert "司法局按部门编号区分" in dialogs.seen[-1]
    dialogs.answer("修改编号")
    dialog.save()
    assert dialog.result() == DepartmentDialog.DialogCode.Accepted
    panel.refresh()
    assert panel.model.index(row, code_column).data() == "JY-2"
    clash = DepartmentDialog(window.context, panel.model.row_object(row), panel)
    clash.code.setText("SJ")
    dialogs.answer("修改编号", "确定")
    clash.save()
    assert clash.result() != DepartmentDialog.DialogCode.Accepted
    assert "部门编号“SJ”已由“示范县市场监督管理局”使用" in dialogs.seen[-1]


def test_the_own_department_is_chosen_in_settings_and_kept_when_other_fields_are_saved(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = _window(qtbot, demo_db)
    page = window.show_page(SettingsPage)
    assert isinstance(page, SettingsPage)
    assert page.own_department.currentText() == "（未设置）"
    index = page.own_department.findText("示范县卫生健康委员会")
    assert index > 0, "the registry's departments are offered"
    page.own_department.setCurrentIndex(index)
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert window.context.settings().own_department == "示范县卫生健康委员会"

    page.bureau_name.selectAll()
    page.bureau_name.insert("示范县司法局")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = window.context.settings()
    assert (saved.bureau_name, saved.own_department) == ("示范县司法局", "示范县卫生健康委员会")
    page.refresh()
    assert page.own_department.currentText() == "示范县卫生健康委员会"
    assert not page.save_button.isEnabled(), "nothing edited after a reload"
