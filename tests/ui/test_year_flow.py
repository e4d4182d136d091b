"""Issue 5: a year on the demo county, driven through the real pages as a clerk does it — a new year's plan
row, 报审 and 审核备案, the task made from that row, the draw in the console, every inspection filed, the
blank forms printed, the 公示表 exported and 已公示 recorded. Also the recorded 调整 that add or remove a row
of a filed plan."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database import Database
from app.draw import verify_record
from app.paths import DATA_DIR_ENV
from app.plans import items_for_department, plan_revisions
from app.tasks import current_record
from db.models import Department
from db.models.task import InspectionTask
from tests.conftest import DEMO_YEAR
from tests.ui.conftest import DialogAnswerer, ModalDriver
from ui.context import AppContext
from ui.draw.console import DrawConsole
from ui.draw.task_dialog import TaskDialog
from ui.main_window import MainWindow
from ui.pages.inspections_page import InspectionsPage
from ui.pages.plans_page import NewPlanDialog, PlansPage, RemoveRowDialog, RowDialog, SignDialog
from ui.pages.tasks_page import PlanRowPicker, TasksPage

YEAR = DEMO_YEAR + 1
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[QUrl]:
    """Files handed to the system viewer are recorded instead of opened; the data directory is private."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def _department_with_items(db: Database) -> int:
    with db.sessions() as s:
        for dept in s.scalars(select(Department).order_by(Department.sort_order)):
            if items_for_department(s, dept.id):
                return dept.id
    raise AssertionError("no department with items")


def _sign(name: str) -> Callable[[SignDialog], None]:
    def act(dialog: SignDialog) -> None:
        dialog.name.setText(name)
        dialog._accept()

    return act


def _filed_plan(page: PlansPage, dept_id: int, dialogs: DialogAnswerer, quantity: int = 3) -> int:
    """新建计划 for ``dept_id`` with one row of ``quantity`` objects, 报审 and 审核备案, all through the page."""
    page.year.setValue(YEAR)

    def choose(dialog: NewPlanDialog) -> None:
        dialog.department.setCurrentIndex(dialog.department.findData(dept_id))
        dialog.accept()

    driver = ModalDriver(NewPlanDialog, choose)
    plan_id = page.new_plan()
    assert driver.done and plan_id is not None

    def fill(dialog: RowDialog) -> None:
        dialog.mode.setCurrentText("按数量")
        dialog.quantity.setValue(quantity)
        dialog.month.setValue(dt.date.today().month)
        dialog.scope.setText(dialog.scope.text() or "辖区内相关经营者")
        dialog.content.setPlainText(dialog.content.toPlainText() or "检查要点")
        dialog.basis.setPlainText(dialog.basis.toPlainText() or "有关法律法规")
        dialog.method.setText(dialog.method.text() or "现场检查")
        dialog._accept()

    driver = ModalDriver(RowDialog, fill)
    assert page.add_row() and driver.done
    assert page.row_model.rowCount() == 1 and page.row_model.row_object(0).planned_count == quantity

    driver = ModalDriver(SignDialog, _sign("张三"))
    assert page.submit() and driver.done
    dialogs.answer("审核备案")
    driver = ModalDriver(SignDialog, _sign("李四"))
    assert page.file() and driver.done
    plan = page.selected_plan()
    assert plan is not None and plan.status == "已审核备案"
    return plan_id


def test_a_year_from_plan_row_to_publication(
    qtbot: QtBot, demo_db: Database, dialogs: DialogAnswerer, opened: list[QUrl], tmp_path: Path
) -> None:
    today = dt.date.today()
    dept_id = _department_with_items(demo_db)
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)

    # 年度抽查计划: a draft for next year, one row of 3 objects, 报审, 审核备案.
    plans = window.show_page(PlansPage)
    assert isinstance(plans, PlansPage)
    plan_id = _filed_plan(plans, dept_id, dialogs)
    plan_row_id = plans.row_model.row_object(0).row_id

    # 抽查任务与摇号: the task from that plan row (picker, then the task dialog), then the console.
    tasks = window.show_page(TasksPage)
    assert isinstance(tasks, TasksPage)
    tasks.year.setValue(YEAR)
    assert tasks.model.rowCount() == 0

    def pick(dialog: PlanRowPicker) -> None:
        rows = [dialog.model.row_object(r).plan_row_id for r in range(dialog.model.rowCount())]
        assert plan_row_id in rows
        dialog.view.selectRow(rows.index(plan_row_id))
        dialog.accept()

    def save_task(dialog: TaskDialog) -> None:
        planned = dialog.planned_date.date()
        assert planned.year() == YEAR, "the plan row's month of the plan's year is proposed"
        dialog.save()

    picker = ModalDriver(PlanRowPicker, pick)
    task_dialog = ModalDriver(TaskDialog, save_task)
    task_id = tasks.new_from_plan()
    assert picker.done and task_dialog.done and task_id is not None
    assert tasks.selected() is not None and tasks.selected().task_id == task_id  # type: ignore[union-attr]

    console = tasks.open_console()
    assert isinstance(console, DrawConsole)
    qtbot.addWidget(console)
    console.projection.reveal_interval_ms = 10
    assert console.run_selftest()
    assert console.check_pool(), console.ready_text.toPlainText()
    console.operator.setText("张经办")
    console.place.setText("县局三楼会议室")
    console.prepare()
    assert console.step() == 1
    console.commit()
    assert console.step() == 2
    table = console.witness_table
    for row, (name, values) in enumerate([("王建国", "3 1 4 1 5"), ("李秀英", "2 7 1 8")]):
        if row >= table.rowCount():
            table.add_witness()
        table.item(row, 0).setText(name)
        table.item(row, 2).setText(values)
    dialogs.answer("揭晓并抽取")
    console.reveal()
    assert console.step() == 3 and len(console.results) == 3
    with qtbot.waitSignal(console.projection.reveal_finished, timeout=5_000):
        console.skip_button.click()
    assert console.finished_draw is not None
    draw_id = console.finished_draw.draw_id
    console.close()
    assert tasks.selected() is not None and tasks.selected().status == "已抽取"  # type: ignore[union-attr]

    # 检查录入与公示: start, fill and file every form, print the blank forms, export, mark 已公示.
    inspections = window.show_page(InspectionsPage)
    assert isinstance(inspections, InspectionsPage)
    inspections.year.setValue(YEAR)
    assert inspections.select_task(task_id)
    assert inspections.start()
    model = inspections.inspection_model
    assert model.rowCount() == 3
    for row in range(3):
        inspections.inspection_table.selectRow(row)
        editor = inspections.editor
        assert editor.detail is not None and not editor.is_read_only()
        editor.date.setDate(QDate(today.year, today.month, today.day))
        editor.method.setCurrentIndex(editor.method.findData("实地核查"))
        editor.result.setCurrentIndex(editor.result.findData("未发现问题"))
        editor.follow_up.setCurrentIndex(editor.follow_up.findData("无需处置"))
        for line in range(editor.findings.rowCount()):
            editor.findings.item(line, 1).setText("无")
        for box in editor.inspector_boxes.values():
            box.setChecked(True)
        dialogs.answer("归档")
        assert editor.file(), dialogs.seen[-1:]
        assert editor.is_read_only()
    selected = inspections.selected_task()
    assert selected is not None and selected.status == "已完成"

    pdf = inspections.print_forms(blank=True)
    assert pdf is not None and pdf.exists() and pdf.stat().st_size > 0
    assert [url.toLocalFile() for url in opened] == [str(pdf)]

    folder = tmp_path / "U盘"
    folder.mkdir()
    dialogs.answer("确定")
    exported = inspections.export_publication(folder)
    assert exported is not None
    xlsx, publication_pdf = exported
    assert xlsx.exists() and publication_pdf.exists()
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    cells = [str(c) for line in sheet.iter_rows(values_only=True) for c in line if c is not None]
    assert {r.name for r in console.results} <= set(cells)
    assert not [c for c in cells if ID_NUMBER.search(c)]

    dialogs.answer("登记公示")
    assert inspections.publish()
    assert not QApplication.activeModalWidget()

    # The task is 已公示, it is linked to its plan row, and the stored draw record verifies.
    with demo_db.sessions() as session:
        task = session.get(InspectionTask, task_id)
        assert task is not None
        assert task.status == "已公示" and task.plan_row_id == plan_row_id
        record = current_record(session, draw_id)
        assert [r.kind for r in plan_revisions(session, plan_id)] == ["报审", "备案"]
    assert verify_record(record).exit_code == 0
    tasks.refresh()
    tasks.select_task(task_id)
    assert tasks.selected() is not None and tasks.selected().status == "已公示"  # type: ignore[union-attr]
    assert tasks.selected().filed == tasks.selected().drawn == 3  # type: ignore[union-attr]

    # Back in the plan: the row shows what was drawn and filed against what was planned.
    window.show_page(PlansPage)
    plans.select_plan(plan_id)
    progress_column = plans.row_model.columnCount() - 1
    assert plans.row_model.index(0, progress_column).data() == "3/3"


def test_a_filed_plan_adds_and_removes_rows_as_recorded_adjustments(
    qtbot: QtBot, demo_db: Database, dialogs: DialogAnswerer
) -> None:
    dept_id = _department_with_items(demo_db)
    page = PlansPage(AppContext(demo_db))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    plan_id = _filed_plan(page, dept_id, dialogs)
    assert page.adjust_add_button.isEnabled() and not page.adjust_remove_button.isEnabled()

    def add(dialog: RowDialog) -> None:
        assert dialog.windowTitle() == "调整：新增计划行"
        dialog.mode.setCurrentText("按数量")
        dialog.quantity.setValue(2)
        dialog.scope.setText(dialog.scope.text() or "辖区内相关经营者")
        dialog.content.setPlainText(dialog.content.toPlainText() or "检查要点")
        dialog.basis.setPlainText(dialog.basis.toPlainText() or "有关法律法规")
        dialog.method.setText(dialog.method.text() or "现场检查")
        dialogs.answer("确定")
        dialog._accept()  # no reason: refused, the dialog stays open
        assert dialog.isVisible()
        dialog.reason.setPlainText("上级部署专项行动")
        dialog.who.setText("王五")
        dialog._accept()

    driver = ModalDriver(RowDialog, add)
    assert page.adjust_add_row()
    assert driver.done and "调整原因不能为空" in dialogs.seen[-1]
    assert page.row_model.rowCount() == 2
    plan = page.selected_plan()
    assert plan is not None and plan.status == "已审核备案"

    page.row_view.selectRow(0)
    assert page.adjust_remove_button.isEnabled()
    removed = page.row_model.row_object(0)

    def cancel(dialog: RemoveRowDialog) -> None:
        dialog.reject()

    driver = ModalDriver(RemoveRowDialog, cancel)
    assert not page.adjust_remove_row()
    assert driver.done and page.row_model.rowCount() == 2

    page.row_view.selectRow(0)

    def remove(dialog: RemoveRowDialog) -> None:
        assert dialog.who.text() == "王五", "the person is remembered within the session"
        dialogs.answer("确定")
        dialog.who.setText("")
        dialog.reason.setPlainText("该事项并入专项行动")
        dialog._accept()  # nobody named: refused, the dialog stays open
        assert dialog.isVisible()
        dialog.who.setText("赵六")
        dialog._accept()

    driver = ModalDriver(RemoveRowDialog, remove)
    assert page.adjust_remove_row()
    assert driver.done and page.row_model.rowCount() == 1
    assert page.row_model.row_object(0).row_id != removed.row_id

    with demo_db.sessions() as s:
        revisions = plan_revisions(s, plan_id)
    assert [(r.kind, r.changed_by) for r in revisions] == [
        ("报审", "张三"),
        ("备案", "李四"),
        ("调整", "王五"),
        ("调整", "赵六"),
    ]
    assert revisions[-1].reason == "该事项并入专项行动"
    assert not QApplication.activeModalWidget()
