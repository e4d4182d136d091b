"""A whole draw ceremony on the demo county, driven through the operator console as in the meeting room:
self-test, pool check, commitment, witnesses' numbers, reveal, results, 递补, printing; the stored record
must verify, and a void is carried into the next attempt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from app.database import Database
from app.draw import verify_record
from app.tasks import create_task_from_plan_row, current_record, draw_history
from db.models import AnnualPlan, Department, InspectionItem, PlanRow
from tests.cli import run_app
from ui.context import AppContext
from ui.draw.console import DrawConsole
from ui.main_window import MainWindow
from ui.pages.tasks_page import TasksPage


def _food_task(database: Database) -> int:
    """The market bureau's 食品销售者 plan row becomes a task (the clerk's usual start)."""
    with database.sessions() as session:
        row_id = session.scalar(
            select(PlanRow.id)
            .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
            .join(Department, Department.id == AnnualPlan.department_id)
            .join(InspectionItem, InspectionItem.id == PlanRow.item_id)
            .where(Department.name == "示范县市场监督管理局", InspectionItem.code == "SJ-004")
        )
        assert row_id is not None
        return create_task_from_plan_row(session, row_id).id


def _console(qtbot: QtBot, database: Database, task_id: int) -> DrawConsole:
    console = DrawConsole(AppContext(database), task_id)
    qtbot.addWidget(console)
    console.show()
    qtbot.waitExposed(console)
    return console


def _type_witnesses(console: DrawConsole, rows: list[tuple[str, str]]) -> None:
    table = console.witness_table
    for row, (name, values) in enumerate(rows):
        table.item(row, 0).setText(name)
        table.item(row, 2).setText(values)


def test_a_whole_ceremony_stores_a_record_that_verifies(
    qtbot: QtBot, demo_db: Database, dialogs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    task_id = _food_task(demo_db)
    console = _console(qtbot, demo_db, task_id)
    console.projection.reveal_interval_ms = 50

    assert console.run_selftest()
    assert console.projection.scene_name == "selftest"
    assert not console.primary.isEnabled(), "no draw before the pool has been checked"
    assert console.check_pool()
    assert console.projection.scene_name == "pool"
    assert "可行性检查通过" in console.ready_text.toPlainText()

    dialogs.answer("确定")
    console.prepare()  # refused: operator and place are printed on the sheet
    assert console.step() == 0 and "抽取人" in dialogs.seen[-1]
    console.operator.setText("张经办")
    console.place.setText("县局三楼会议室")
    console.prepare()
    assert console.step() == 1
    console._project_fingerprints()
    assert console.projection.scene_name == "fingerprints"

    console.commit()
    assert console.step() == 2 and len(console.commit_label.text()) == 64
    assert console.projection.scene_name == "commit"
    console._project_witnesses()
    _type_witnesses(console, [("王建国", "3 1 4 1 5"), ("李秀英", "2,7,1,8"), ("赵志强", "9 9 a")])
    assert console.projection.scene_name == "witnesses"
    assert "赵志强" in console.witness_problems.text(), "a bad number is named before the reveal"
    dialogs.answer("确定")
    console.reveal()
    assert console.step() == 2, "not revealed with a bad witness entry"
    console.witness_table.item(2, 2).setText("9 9 6")
    dialogs.answer("揭晓并抽取")
    console.reveal()
    assert console.step() == 3
    assert console.projection.scene_name == "reveal"
    with qtbot.waitSignal(console.projection.reveal_finished, timeout=20_000):
        pass
    assert console.projection.revealed_count() == len(console.results) > 0
    assert console.results_table.rowCount() == len(console.results)

    # The stored record verifies and matches what the console shows.
    assert console.finished_draw is not None
    with demo_db.sessions() as session:
        record = current_record(session, console.finished_draw.draw_id)
    assert verify_record(record).exit_code == 0
    assert [w["name"] for w in record["witness"]] == ["王建国", "李秀英", "赵志强"]
    assert [o["id"] for o in record["final"]] == [o.code for o in console.results]

    # 递补: the first object's first inspector withdraws; fresh numbers; the record still verifies.
    from ui.draw.replacement_dialog import ReplacementDialog

    target = console.results[0]
    dialog = ReplacementDialog(console.context, console.finished_draw.draw_id, target, console)
    dialog.reason_edit.setText("与该户负责人系近亲属")
    dialog.witnesses.item(0, 0).setText("王建国")
    dialog.witnesses.item(0, 2).setText("6 6 2")
    dialog.run()
    assert dialog.outcome is not None
    with demo_db.sessions() as session:
        replayed = current_record(session, console.finished_draw.draw_id)
    assert verify_record(replayed).exit_code == 0
    assert replayed["replacements"][0]["reason"] == "与该户负责人系近亲属"

    # Export to a "USB" folder: the JSON verifies with the command line, the PDF is beside it.
    dialogs.answer("确定")
    exported = console.export_to_folder(str(tmp_path))
    assert exported is not None
    record_path, pdf_path = exported
    assert pdf_path.parent == tmp_path and pdf_path.stat().st_size > 5_000
    assert any("导出" in t for t in dialogs.seen)
    result = run_app("verify", record_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(record_path.read_text(encoding="utf-8"))["format"] == "SJDRAW-1"


def test_closing_after_the_commitment_voids_and_the_next_attempt_names_it(
    qtbot: QtBot, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    task_id = _food_task(demo_db)
    console = _console(qtbot, demo_db, task_id)
    assert console.check_pool()
    console.operator.setText("张经办")
    console.place.setText("县局三楼会议室")
    console.prepare()
    console.commit()
    dialogs.answer("作废并关闭")
    console.close()
    with demo_db.sessions() as session:
        history = draw_history(session, task_id)
    assert [(a.status, a.void_reason) for a in history] == [("已作废", "抽取完成前关闭了抽取窗口")]

    second = _console(qtbot, demo_db, task_id)
    assert second.check_pool()
    second.operator.setText("张经办")
    second.place.setText("县局三楼会议室")
    second.prepare()
    assert second.handle is not None and "第1次作废" in second.handle.attempt_note
    assert second.handle.attempt_no == 2
    assert second.void_with_reason("演练结束")  # leaves nothing open, so closing asks nothing


def test_tasks_page_lists_tasks_and_opens_the_console(qtbot: QtBot, demo_db: Database) -> None:
    task_id = _food_task(demo_db)
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page(TasksPage)
    assert isinstance(page, TasksPage)
    page.year.setValue(2026)
    assert page.model.rowCount() == 1
    page.select_task(task_id)
    assert "食品销售者的监督检查" in page.detail.toPlainText()
    assert page.edit_button.isEnabled()
    console = page.open_console()
    assert console is not None and console.isVisible()
    qtbot.addWidget(console)
    assert page.open_console() is console, "one console per task"


def test_an_infeasible_task_is_explained_before_any_commitment(qtbot: QtBot, demo_db: Database) -> None:
    task_id = _food_task(demo_db)
    with demo_db.engine.begin() as conn:  # every market inspector leaves: nobody can be drawn
        conn.execute(text("UPDATE inspector SET status = '调离' WHERE department_id = 1"))
    console = _console(qtbot, demo_db, task_id)
    assert not console.check_pool()
    assert "不能抽取" in console.ready_text.toPlainText()
    assert not console.primary.isEnabled()
    with demo_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM draw")).scalar() == 0


@pytest.mark.parametrize("size", [(1920, 1080)])
def test_projection_scales_its_type_with_the_screen(qtbot: QtBot, size: tuple[int, int]) -> None:
    from ui.draw.projection import ProjectionWindow

    window = ProjectionWindow("示范县")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    assert f"font-size: {size[1] // 28}px" in window.styleSheet()


def test_the_final_table_keeps_every_row_on_one_line_at_1920x1080(qtbot: QtBot) -> None:
    """Twelve rows a page must fit the wall: wrapped cells were clipped mid-line before."""
    from PySide6.QtWidgets import QLabel

    from ui.draw.projection import ProjectionWindow
    from ui.draw.scenes import ResultLine

    window = ProjectionWindow("示范县市场监督管理局")
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    long_name = "示范县鼎盛建材销售有限责任公司城关镇第二分店（原示范县鼎盛五金交电门市部）"
    people = [("张建国", "469099010001"), ("李明", "469099010002"), ("王芳", "469099020003")]
    results = [
        ResultLine(
            n,
            long_name,
            f"91469099MA5T{n:05d}X",
            "",
            [f"{a}（{b}）" for a, b in people],
            [a for a, _ in people],
        )
        for n in range(1, 13)
    ]
    window.show_final(results, "ab" * 32)
    qtbot.wait(50)
    scene = window.stack.currentWidget()
    cells = [label for label in scene.findChildren(QLabel) if label.property("role") == "cell"]
    assert len(cells) == 12 * 4
    line = cells[0].fontMetrics().height()
    for label in cells:
        assert label.height() < 2 * line, f"{label.text()!r} takes more than one line"
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width() + 1, label.text()
    shown = {label.text() for label in cells}
    assert "张建国、李明、王芳" in shown, (
        "inspectors by name in the table (执法证号 were shown at the reveal)"
    )
    assert any(text.endswith("…") for text in shown), "the long name is shortened, not cut off"
    assert all(label.toolTip() for label in cells if label.text().endswith("…"))


def test_a_drawn_task_reopens_on_its_results_and_can_be_voided_with_a_reason(
    qtbot: QtBot, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    task_id = _food_task(demo_db)
    first = _console(qtbot, demo_db, task_id)
    assert first.check_pool()
    first.operator.setText("张经办")
    first.place.setText("县局三楼会议室")
    first.prepare()
    first.commit()
    _type_witnesses(first, [("王建国", "1 2 3")])
    dialogs.answer("揭晓并抽取")
    first.reveal()
    drawn = [o.entity_id for o in first.results]
    first.projection.skip_reveal()
    first.close()

    again = _console(qtbot, demo_db, task_id)
    assert again.step() == 3 and [o.entity_id for o in again.results] == drawn
    assert again.operator.text() == "张经办"
    assert again.void_with_reason("检查日期调整，重新抽取")
    assert again.step() == 0 and again.results == []
    with demo_db.sessions() as session:
        assert [a.status for a in draw_history(session, task_id)] == ["已作废"]
