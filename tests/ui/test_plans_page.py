"""年度抽查计划 page: a new year's draft, a row, 报审, 审核备案 and a recorded 调整, as a clerk does it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database import Database
from app.plans import items_for_department, list_plans, plan_revisions
from db.models import AuditEntry, Department
from tests.conftest import DEMO_YEAR
from tests.ui.conftest import DialogAnswerer, ModalDriver
from ui.context import AppContext
from ui.pages.plans_page import NewPlanDialog, PlansPage, RowDialog, SignDialog

YEAR = DEMO_YEAR + 1


def _department_with_items(db: Database) -> int:
    with db.sessions() as s:
        for dept in s.scalars(select(Department).order_by(Department.sort_order)):
            if items_for_department(s, dept.id):
                return dept.id
    raise AssertionError("no department with items")


def _page(qtbot: QtBot, db: Database, year: int) -> PlansPage:
    page = PlansPage(AppContext(db))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.year.setValue(year)
    page.refresh()
    return page


def test_filed_demo_plans_allow_only_adjustment(qtbot: QtBot, demo_db: Database) -> None:
    page = _page(qtbot, demo_db, DEMO_YEAR)
    assert page.plan_model.rowCount() == 9
    page.plan_view.selectRow(0)
    assert page.row_model.rowCount() > 0
    page.row_view.selectRow(0)
    assert not page.add_row_button.isEnabled() and not page.edit_row_button.isEnabled()
    assert not page.submit_button.isEnabled() and not page.file_button.isEnabled()
    assert page.adjust_button.isEnabled() and page.history_button.isEnabled()


def test_draft_row_submit_file_and_adjust(
    qtbot: QtBot, demo_db: Database, dialogs: DialogAnswerer, tmp_path: Path
) -> None:
    dept_id = _department_with_items(demo_db)
    page = _page(qtbot, demo_db, YEAR)
    assert page.plan_model.rowCount() == 0

    def choose_department(dialog: NewPlanDialog) -> None:
        dialog.department.setCurrentIndex(dialog.department.findData(dept_id))
        dialog.accept()

    driver = ModalDriver(NewPlanDialog, choose_department)
    plan_id = page.new_plan()
    assert driver.done and plan_id is not None
    plan = page.selected_plan()
    assert plan is not None and plan.status == "草稿" and plan.department_id == dept_id
    assert not page.submit_button.isEnabled()

    seen: dict[str, str] = {}

    def fill_row(dialog: RowDialog) -> None:
        seen["base"] = dialog.base.text()
        dialog.mode.setCurrentText("按数量")
        dialog.quantity.setValue(8)
        dialog.month.setValue(5)
        seen["planned"] = dialog.planned.text()
        dialog.mode.setCurrentText("按比例")
        dialog.ratio.setText("5%")
        dialog.month.setValue(5)
        dialog.scope.setText("辖区内相关经营者")
        dialog.content.setPlainText(dialog.content.toPlainText() or "检查要点")
        dialog.basis.setPlainText(dialog.basis.toPlainText() or "有关法律法规")
        dialog.method.setText(dialog.method.text() or "现场检查")
        dialog._accept()

    driver = ModalDriver(RowDialog, fill_row)
    assert page.add_row()
    assert driver.done and "户" in seen["base"] and seen["planned"] == "8 户"
    assert page.row_model.rowCount() == 1
    row = page.row_model.row_object(0)
    assert row.ratio == "0.05" and row.planned_month == 5
    assert row.planned_count == -(-(row.base_count or 0) * 5 // 100)

    def sign(name: str) -> Callable[[SignDialog], None]:
        def act(dialog: SignDialog) -> None:
            dialog.name.setText(name)
            dialog._accept()

        return act

    driver = ModalDriver(SignDialog, sign("张三"))
    assert page.submit()
    assert driver.done and page.selected_plan() is not None
    assert page.selected_plan().status == "已报审"  # type: ignore[union-attr]

    dialogs.answer("审核备案")
    driver = ModalDriver(SignDialog, sign("李四"))
    assert page.file()
    assert driver.done and dialogs.seen and "审核备案" in dialogs.seen[0]
    assert page.selected_plan().status == "已审核备案"  # type: ignore[union-attr]
    assert not page.add_row_button.isEnabled()

    page.row_view.selectRow(0)

    def adjust(dialog: RowDialog) -> None:
        dialog.month.setValue(7)
        dialogs.answer("确定")
        dialog._accept()  # no reason yet: refused with a message, the dialog stays open
        assert dialog.isVisible()
        dialog.reason.setPlainText("上级部署专项行动，检查时间推后")
        dialog.who.setText("王五")
        dialog._accept()

    driver = ModalDriver(RowDialog, adjust)
    assert page.adjust_row()
    assert driver.done and "调整原因不能为空" in dialogs.seen[-1]
    assert page.row_model.row_object(0).planned_month == 7

    with demo_db.sessions() as s:
        revisions = plan_revisions(s, plan_id)
        (line,) = [p for p in list_plans(s, YEAR) if p.plan_id == plan_id]
    assert [(r.kind, r.changed_by) for r in revisions] == [
        ("报审", "张三"),
        ("备案", "李四"),
        ("调整", "王五"),
    ]
    assert revisions[1].snapshot["rows"][0]["planned_month"] == 5
    assert line.revisions == 3

    page.row_view.selectRow(0)
    history = page.show_history()
    assert history is not None
    try:
        fields = [history.diff_model.row_object(i)[1] for i in range(history.diff_model.rowCount())]
        assert fields == ["计划月份"]
        assert "上级部署专项行动" in history.summary.text()
    finally:
        history.close()

    xlsx = page.export_xlsx(tmp_path / "plan.xlsx")
    pdf = page.export_pdf(tmp_path / "plan.pdf")
    assert xlsx is not None and pdf is not None and pdf.stat().st_size > 0
    sheet = load_workbook(xlsx).active
    assert sheet is not None and sheet["A1"].value == f"{YEAR}年度行政执法检查计划表"
    assert sheet.cell(row=4, column=9).value == "7月"
    with page.context.database.sessions() as session:
        exported = session.scalars(
            select(AuditEntry.summary).where(
                AuditEntry.action == "导出", AuditEntry.object_type == "年度抽查计划"
            )
        ).all()
    assert [text.split("：")[0] for text in exported] == ["导出计划表“plan.xlsx”", "导出计划表“plan.pdf”"]
