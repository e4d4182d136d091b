"""审计日志 page: the log listed newest first, narrowed by the filters, an entry's before/after, export, and
验证完整性 — a success message on an intact database, and after someone edits the file behind the app's back, the
problems with the first one named and the broken entry selected in the table."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import listing as al
from app.auth.users import LoginError, authenticate
from app.database import Database
from app.registry.records import record_values, save_record
from app.registry.service import set_archived
from db.engine import transaction
from db.models import AuditEntry, Entity
from tests.tamper import drop_protection, edit
from ui.context import AppContext
from ui.models.audit_model import COL_ACTION, COL_SUMMARY, COL_USER, AuditTableModel
from ui.pages.audit_page import AuditPage


def _work(db: Database) -> int:
    """Change one object's risk level and archive it; one failed sign-in. Returns the object's id."""
    with db.sessions() as session:
        entity_id = session.scalars(
            select(Entity.id).where(Entity.archived.is_(False)).order_by(Entity.id)
        ).first()
        assert entity_id is not None
        values = record_values(session, "entities", entity_id)
    with transaction(db.sessions) as session:
        save_record(
            session,
            "entities",
            entity_id,
            {**values, "risk_level": "高" if values["risk_level"] != "高" else "低"},
        )
    with transaction(db.sessions) as session:
        set_archived(session, "entities", [entity_id], archived=True)
    with pytest.raises(LoginError):
        authenticate(db.sessions, "nobody", "whatever-password")
    return entity_id


@pytest.fixture
def page(qtbot: QtBot, demo_db: Database) -> AuditPage:
    _work(demo_db)
    widget = AuditPage(AppContext(demo_db))
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def _column(page: AuditPage, column: int) -> list[str]:
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def test_the_model_passes_qts_checks(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    _work(demo_db)
    model = AuditTableModel(demo_db)
    model.set_filter(al.AuditFilter())
    qtmodeltester.check(model)


def test_the_log_is_listed_newest_first_with_local_times(page: AuditPage, demo_db: Database) -> None:
    with demo_db.sessions() as session:
        total = al.count_entries(session, al.AuditFilter())
        newest = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert newest is not None
    assert page.model.rowCount() == total and page.count_label.text() == f"共 {total:,} 条"
    assert page.model.index(0, COL_ACTION).data() == "登录失败"
    assert page.model.index(0, 0).data() == al.local_time_text(newest.at)
    assert page.model.headerData(0, Qt.Orientation.Vertical) == str(newest.id)
    ids = [page.model.id_at(r) for r in range(page.model.rowCount())]
    assert ids == sorted(ids, reverse=True)  # type: ignore[type-var]
    assert not page.clear_button.isEnabled()


def test_filters_narrow_the_list_and_clear_again(qtbot: QtBot, page: AuditPage) -> None:
    total = page.model.rowCount()
    page.action_combo.setCurrentIndex(page.action_combo.findData("归档"))
    assert 0 < page.model.rowCount() < total
    assert set(_column(page, COL_ACTION)) == {"归档"}
    assert page.count_label.text() == f"共 {total:,} 条　筛选出 {page.model.rowCount():,} 条"

    page.reset_filters()
    assert page.model.rowCount() == total
    page.user_combo.setCurrentIndex(page.user_combo.findData("nobody"))
    assert set(_column(page, COL_USER)) == {"nobody"}

    page.reset_filters()
    page.search.setText("风险等级")  # typed: the search runs when the typing pauses
    qtbot.waitUntil(lambda: page.model.rowCount() < total)
    assert all("风险等级" in s for s in _column(page, COL_SUMMARY))

    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == total and page.search.text() == ""


def test_ctrl_f_focuses_the_search(qtbot: QtBot, page: AuditPage) -> None:
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search.hasFocus)


def test_selecting_an_entry_shows_its_fields_and_enter_opens_it(qtbot: QtBot, page: AuditPage) -> None:
    page.set_filter(action="修改", object_type="检查对象")
    assert page.model.rowCount() >= 1
    page.table.setFocus()
    page.table.selectRow(0)
    detail = page.detail.detail
    assert detail is not None and detail.row.action == "修改"
    fields = {c.label: (c.before, c.after) for c in detail.changes}
    before, after = fields["风险等级"]
    assert after in {"高", "低"} and before not in {after, ""}
    assert page.detail.fields_model.rowCount() == len(detail.changes)
    assert page.detail.hmac.text() == detail.hmac and len(detail.hmac) == 64

    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.entry_dialog is not None and page.entry_dialog.isVisible())
    assert page.entry_dialog is not None
    assert page.entry_dialog.detail.detail == detail
    page.entry_dialog.reject()


def test_verify_on_an_intact_database_says_so(qtbot: QtBot, page: AuditPage, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialogs.answer("确定")
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert page.last_report is not None and page.last_report.intact
    assert "核验通过" in dialogs.seen[0]
    assert f"审计日志 {page.last_report.entries} 条" in dialogs.seen[0]
    assert page.problems_dialog is None


def test_verify_after_tampering_names_the_broken_entry_and_selects_it(
    qtbot: QtBot, page: AuditPage, demo_db: Database
) -> None:
    assert demo_db.path is not None
    with demo_db.sessions() as session:
        target = session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "修改").order_by(AuditEntry.id.desc())
        ).first()
    assert target is not None
    drop_protection(demo_db.path)
    assert edit(demo_db.path, "UPDATE audit_entry SET summary = ? WHERE id = ?", "什么也没改", target) == 1
    page.set_filter(action="登录失败")  # a filter that hides the broken entry: the check clears it

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    report = page.last_report
    assert report is not None and not report.intact
    dialog = page.problems_dialog
    assert dialog is not None and dialog.isVisible()
    # The first problem is highlighted and named above the list.
    assert report.problems[0].message in dialog.first_label.text()
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    chain = next(p for p in report.problems if p.entry_id is not None)
    assert chain.entry_id == target and "内容被改动" in chain.message
    # The broken entry is selected in the table, with the filters cleared.
    assert page.selected_id() == target and not page.model.filter.narrowed
    assert page.model.index(page.model.row_of(target), 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert page.detail.detail is not None and page.detail.detail.row.summary == "什么也没改"

    page.table.selectRow(0)  # elsewhere, then back from the dialog
    row = report.problems.index(chain)
    dialog.table.selectRow(row)
    assert dialog.locate_button.isEnabled()
    qtbot.mouseClick(dialog.locate_button, Qt.MouseButton.LeftButton)
    assert page.selected_id() == target
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_export_writes_the_filtered_entries(page: AuditPage, tmp_path: Path, dialogs) -> None:  # type: ignore[no-untyped-def]
    page.set_filter(action="归档")
    shown = page.model.rowCount()
    dialogs.answer("确定")
    written = page.export_to(tmp_path / "审计日志")
    assert written == shown and "已导出" in dialogs.seen[0]
    target = tmp_path / "审计日志.xlsx"
    sheet = openpyxl.load_workbook(target, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == shown + 1 and {r[3] for r in rows[1:]} == {"归档"}
    # The export is in the log itself, at the top once the filter allows it.
    page.reset_filters()
    assert page.model.index(0, COL_ACTION).data() == "导出"
    assert page.model.index(0, 3).data() == al.AUDIT_LABEL
