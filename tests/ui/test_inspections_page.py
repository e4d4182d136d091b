"""检查录入与公示 on the demo county: a finished draw of three objects is started, one form is filled and
filed through the editor, the blank forms are printed, and once every form is filed the 公示 is exported
without personal data and recorded."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database import Database
from app.inspections import InspectionSummary, file_inspection, publication_rows, record_inspection
from app.paths import DATA_DIR_ENV
from db.models import AssignmentInspector, Inspection
from tests.app.inspections.conftest import complete_input, drawn_task
from ui.context import AppContext
from ui.pages.inspections_page import INSPECTION_COLUMNS, OVERDUE_COLOR, InspectionListModel, InspectionsPage
from ui.widgets.inspection_editor import COL_PROBLEM, InspectionEditor

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[QUrl]:
    """Files the page hands to the system viewer (recorded instead of opened); the data directory is private."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def _page(qtbot: QtBot, database: Database) -> InspectionsPage:
    page = InspectionsPage(AppContext(database))
    qtbot.addWidget(page)
    page.resize(1166, 700)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    return page


def _choose(editor: InspectionEditor, method: str, result: str, follow_up: str) -> None:
    editor.method.setCurrentIndex(editor.method.findData(method))
    editor.result.setCurrentIndex(editor.result.findData(result))
    editor.follow_up.setCurrentIndex(editor.follow_up.findData(follow_up))


def test_inspections_are_recorded_filed_printed_and_published(
    qtbot: QtBot, qtmodeltester, demo_db: Database, dialogs, opened: list[QUrl], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with demo_db.sessions() as session:
        task_id = drawn_task(session, count=3)
    page = _page(qtbot, demo_db)

    # The drawn task is listed; 开始检查 makes one draft per object.
    assert page.select_task(task_id)
    assert page.selected_task() is not None and page.selected_task().status == "已抽取"  # type: ignore[union-attr]
    assert page.start_button.isEnabled() and not page.export_button.isEnabled()
    assert page.start()
    assert page.selected_task().status == "检查中"  # type: ignore[union-attr]
    assert not page.start_button.isEnabled()
    assert page.inspection_model.rowCount() == 3
    assert {page.inspection_model.row_object(r).status for r in range(3)} == {"草稿"}
    qtmodeltester.check(page.inspection_model)

    # The first object's form opens in the editor; only its assigned inspectors are offered.
    first = page.inspection_model.row_object(0)
    page.inspection_table.selectRow(0)
    editor = page.editor
    assert editor.detail is not None and editor.detail.inspection_id == first.inspection_id
    assert not editor.is_read_only()
    with demo_db.sessions() as session:
        assignment_id = session.scalar(
            select(Inspection.assignment_id).where(Inspection.id == first.inspection_id)
        )
        assigned = set(
            session.scalars(
                select(AssignmentInspector.inspector_id).where(
                    AssignmentInspector.assignment_id == assignment_id, AssignmentInspector.active.is_(True)
                )
            )
        )
    assert len(assigned) >= 2
    assert set(editor.inspector_boxes) == assigned

    # A value the service refuses is shown in Chinese and nothing is saved.
    _choose(editor, "实地核查", "未发现问题", "无需处置")
    editor.follow_up_note.setText("长" * 2001)
    dialogs.answer("确定")
    assert not editor.save()
    assert "过长" in dialogs.seen[-1]

    # Filled in with one inspector only: saved as a draft, but filing is refused with the reason.
    editor.follow_up_note.setText("")
    for row in range(editor.findings.rowCount()):
        editor.findings.item(row, COL_PROBLEM).setText("无")
    boxes = list(editor.inspector_boxes.values())
    for box in boxes[1:]:
        box.setChecked(False)
    dialogs.answer("确定")
    assert not editor.file()
    assert "检查人员不足" in dialogs.seen[-1]
    assert editor.detail.method == "实地核查" and editor.detail.result == "未发现问题"
    assert not editor.detail.filed

    # With everyone present it files after the confirmation and opens read-only.
    for box in editor.inspector_boxes.values():
        box.setChecked(True)
    dialogs.answer("归档")
    assert editor.file()
    assert "归档后不能修改" in dialogs.seen[-1]
    assert editor.detail.filed and editor.detail.doc_no
    assert editor.is_read_only()
    assert not editor.method.isEnabled() and not editor.date.isEnabled()
    assert all(not box.isEnabled() for box in editor.inspector_boxes.values())
    assert page.selected_inspection() is not None
    assert page.selected_inspection().status == "已归档"  # type: ignore[union-attr]

    # The blank forms of the whole task go to the data directory's 登记表 folder and are opened.
    pdf = page.print_forms(blank=True)
    assert pdf is not None and pdf.parent == tmp_path / "data" / "登记表"
    assert pdf.exists() and pdf.stat().st_size > 5 * 1024
    assert [url.toLocalFile() for url in opened] == [str(pdf)]

    # The other two forms are filed (as if by a colleague); the task is finished.
    with demo_db.sessions() as session:
        for row in range(1, 3):
            inspection_id = page.inspection_model.row_object(row).inspection_id
            record_inspection(session, inspection_id, complete_input(session, inspection_id))
            file_inspection(session, inspection_id)
    page.refresh()
    assert page.selected_task().status == "已完成"  # type: ignore[union-attr]
    assert page.export_button.isEnabled() and page.publish_button.isEnabled()

    # The 公示 table: three rows and no 身份证号 anywhere.
    folder = tmp_path / "U盘"
    folder.mkdir()
    dialogs.answer("确定")
    exported = page.export_publication(folder)
    assert exported is not None
    xlsx, pdf_publication = exported
    assert xlsx.exists() and pdf_publication.exists()
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    with demo_db.sessions() as session:
        published = publication_rows(session, task_id)
    assert len(published) == 3 and {r.entity_name for r in published} <= set(cells)
    assert not [c for c in cells if ID_NUMBER.search(c)]

    # 标记已公示 after confirming; the task is 已公示 and nothing more can be published.
    page.channel.setCurrentText("国家企业信用信息公示系统")
    dialogs.answer("登记公示")
    assert page.publish()
    assert "国家企业信用信息公示系统" in dialogs.seen[-1]
    assert page.selected_task().status == "已公示"  # type: ignore[union-attr]
    assert not page.publish_button.isEnabled() and not page.export_button.isEnabled()


def test_publishing_is_not_recorded_when_the_clerk_cancels(
    qtbot: QtBot, demo_db: Database, dialogs, opened: list[QUrl]
) -> None:  # type: ignore[no-untyped-def]
    with demo_db.sessions() as session:
        task_id = drawn_task(session, count=3)
    page = _page(qtbot, demo_db)
    page.select_task(task_id)
    page.start()
    with demo_db.sessions() as session:
        for row in range(3):
            inspection_id = page.inspection_model.row_object(row).inspection_id
            record_inspection(session, inspection_id, complete_input(session, inspection_id))
            file_inspection(session, inspection_id)
    page.refresh()
    dialogs.answer("取消")
    assert not page.publish()
    assert page.selected_task().status == "已完成"  # type: ignore[union-attr]


def test_a_cell_still_being_typed_in_is_saved(qtbot: QtBot, demo_db: Database, opened: list[QUrl]) -> None:
    with demo_db.sessions() as session:
        task_id = drawn_task(session, count=3)
    page = _page(qtbot, demo_db)
    page.select_task(task_id)
    page.start()
    page.inspection_table.selectRow(0)
    editor = page.editor
    editor.findings.editItem(editor.findings.item(0, COL_PROBLEM))
    typing = editor.findings.viewport().findChild(QLineEdit)
    assert typing is not None
    typing.setText("未按时报送年报")
    assert editor.save()
    assert editor.detail is not None and editor.detail.findings[0].problem == "未按时报送年报"


def test_an_overdue_draft_is_shown_in_red(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    day = dt.date(2026, 3, 2)
    rows = [
        InspectionSummary(1, 1, 10, "甲公司", "", "草稿", day, "", "", dt.date(2026, 3, 9), True),
        InspectionSummary(
            2, 2, 11, "乙公司", "", "已归档", day, "未发现问题", "X", dt.date(2026, 3, 9), False
        ),
    ]
    model = InspectionListModel(INSPECTION_COLUMNS, rows)
    qtmodeltester.check(model)
    due = INSPECTION_COLUMNS.index(next(c for c in INSPECTION_COLUMNS if c.title == "登记表期限"))
    assert model.data(model.index(0, due)) == "2026-03-09（已逾期）"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ForegroundRole) is None
