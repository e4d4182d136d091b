"""年度抽查计划 page: 导入计划表… (preview, refusal, import as a draft) and 全县联合视图…."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.database import Database
from app.forms.plan_table import write_plan_table_xlsx
from app.plans import list_plans, plan_rows
from app.plans.county import county_joint_view
from tests.conftest import DEMO_YEAR
from tests.ui.conftest import DialogAnswerer
from ui.context import AppContext
from ui.pages.plans_page import PlansPage

YEAR = DEMO_YEAR + 1
SHOTS = os.environ.get("PLAN_SHOTS_DIR")  # set to save screenshots (under Xvfb) for a look


def _page(qtbot: QtBot, db: Database, year: int) -> PlansPage:
    page = PlansPage(AppContext(db))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.year.setValue(year)
    page.refresh()
    return page


def _export_first_plan(db: Database, path: Path) -> tuple[int, str, int]:
    with db.sessions() as s:
        line = list_plans(s, DEMO_YEAR)[0]
        rows = plan_rows(s, line.plan_id)
    write_plan_table_xlsx(rows, path, year=DEMO_YEAR, unit=line.department, date=dt.date(2026, 2, 1))
    return line.department_id, line.department, len(rows)


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


def test_import_plan_table_as_draft(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "计划表.xlsx"
    dept, name, count = _export_first_plan(demo_db, path)
    page = _page(qtbot, demo_db, YEAR)
    assert page.import_button.isEnabled() and page.plan_model.rowCount() == 0
    dialog = page.import_plan()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.department.setCurrentIndex(dialog.department.findData(dept))
    preview = dialog.load(path)
    assert preview is not None and preview.ok
    assert dialog.model.rowCount() == count and dialog.import_button.isEnabled()
    assert f"共 {count} 行" in dialog.summary.text()
    _shot(dialog, "plan_import_ok.png")
    dialog.import_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.plan_id is not None
    assert page.plan_model.rowCount() == 1
    line = page.plan_model.row_object(0)
    assert (line.department, line.status, line.rows) == (name, "草稿", count)
    assert page.selected_plan() is not None and page.row_model.rowCount() == count


def test_import_with_unknown_item_is_refused(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "计划表.xlsx"
    dept, _name, _count = _export_first_plan(demo_db, path)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=5, column=2, value="不存在的抽查事项")
    book.save(path)
    page = _page(qtbot, demo_db, YEAR)
    dialog = page.import_plan()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.department.setCurrentIndex(dialog.department.findData(dept))
    preview = dialog.load(path)
    assert preview is not None and not preview.ok
    assert not dialog.import_button.isEnabled()
    assert "第5行：抽查事项“不存在的抽查事项”" in dialog.problems.toPlainText()
    assert "不能导入" in dialog.summary.text() and dialog.problems.isVisible()
    assert "不存在" in dialog.model.data(dialog.model.index(1, 4))
    _shot(dialog, "plan_import_refused.png")
    dialog.do_import()  # refused quietly: nothing to import
    assert dialog.plan_id is None
    with demo_db.sessions() as s:
        assert list_plans(s, YEAR) == []


def test_county_view_dialog_lists_the_joint_visits(qtbot: QtBot, demo_db: Database) -> None:
    page = _page(qtbot, demo_db, DEMO_YEAR)
    _shot(page, "plans_page.png")
    dialog = page.show_county_view()
    qtbot.addWidget(dialog)
    with demo_db.sessions() as s:
        view = county_joint_view(s, DEMO_YEAR)
    assert dialog.model.rowCount() == len(view.visits) > 0
    first = view.visits[0]
    assert dialog.model.data(dialog.model.index(0, 1)) == "、".join(first.departments)
    assert dialog.model.data(dialog.model.index(0, 5)) == str(first.visits_saved)
    assert f"可减少 {view.visits_saved} 次" in dialog.summary.text()
    _shot(dialog, "county_view.png")
    dialog.accept()


def test_no_department_left_for_import(qtbot: QtBot, demo_db: Database, dialogs: DialogAnswerer) -> None:
    page = _page(qtbot, demo_db, DEMO_YEAR)
    dialogs.answer("确定")
    assert page.import_plan() is None
    assert "已有" in dialogs.seen[0]
