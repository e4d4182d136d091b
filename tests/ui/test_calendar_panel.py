"""系统设置 → 节假日: a clerk browses a year, adds, edits and deletes days, restores the official ones, imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.database import Database
from db.models import CalendarDay
from tests.ui.conftest import DialogAnswerer
from ui.context import AppContext
from ui.pages.settings_page import SettingsPage
from ui.widgets.calendar_panel import CalendarDayDialog, CalendarPanel


@pytest.fixture
def panel(qtbot: QtBot, empty_db: Database) -> CalendarPanel:
    widget = CalendarPanel(AppContext(empty_db))
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.refresh()
    return widget


def _rows(panel: CalendarPanel) -> list[tuple[str, ...]]:
    model = panel.model
    return [
        tuple(str(model.index(r, c).data()) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def _select(panel: CalendarPanel, day: str) -> None:
    row = next(i for i, cells in enumerate(_rows(panel)) if cells[0] == day)
    panel.table.selectRow(row)


def _stored(database: Database, day: str) -> CalendarDay | None:
    with database.sessions() as session:
        return session.get(CalendarDay, dt.date.fromisoformat(day))


Step = tuple[str | None, str | None, str | None, str]  # date, kind, name, button pressed


class DayDialogFiller:
    """Each time the 新增/编辑日期 dialog is in front, applies the next step: fill it, press a button."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CalendarDayDialog) or not self.steps:
            return
        day, kind, name, button = self.steps.pop(0)
        if not self.steps:
            self._timer.stop()
        if day:
            date = dt.date.fromisoformat(day)
            dialog.date.setDate(QDate(date.year, date.month, date.day))
        if kind:
            dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        if name is not None:
            dialog.name.setCurrentText(name)
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        next(b for b in box.buttons() if b.text() == button).click()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def fill_day() -> Iterator[Callable[..., DayDialogFiller]]:
    fillers: list[DayDialogFiller] = []

    def start(*steps: Step) -> DayDialogFiller:
        fillers.append(DayDialogFiller(*steps))
        return fillers[-1]

    yield start
    for filler in fillers:
        filler.stop()


def test_a_shipped_year_is_listed_with_weekday_kind_name_and_source(panel: CalendarPanel) -> None:
    panel.select_year(2025)
    rows = _rows(panel)
    assert len(rows) == 33
    assert rows[0] == ("2025-01-01", "星期三", "休", "元旦", "官方安排")
    assert ("2025-01-26", "星期日", "班", "春节", "官方安排") in rows
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["日期", "星期", "休/班", "名称", "来源"]
    assert "2025年节假日安排已录入" in panel.coverage.text()
    assert panel.coverage.property("alert") is False
    assert panel.restore_button.isEnabled()
    assert not panel.delete_button.isEnabled()  # nothing selected yet


def test_a_year_not_entered_says_so(panel: CalendarPanel) -> None:
    panel.select_year(2027)
    assert panel.model.rowCount() == 0
    assert panel.coverage.text().startswith("2027年节假日安排尚未录入")
    assert panel.coverage.property("alert") is True
    assert not panel.restore_button.isEnabled()


def test_adding_days_and_confirming_a_pointless_one(
    panel: CalendarPanel,
    empty_db: Database,
    fill_day: Callable[..., DayDialogFiller],
    dialogs: DialogAnswerer,
) -> None:
    panel.select_year(2027)
    fill_day(("2027-02-06", "班", "春节", "保存"))
    panel.add()
    assert _rows(panel) == [("2027-02-06", "星期六", "班", "春节", "本单位录入")]
    assert not panel.coverage.text().startswith("2027年节假日安排尚未录入")
    # A 班 on a Tuesday changes nothing: the clerk is asked, says 取消, and nothing is stored.
    fill_day(("2027-01-05", "班", "", "保存"), (None, None, None, "取消"))
    dialogs.answer("取消")
    panel.add()
    assert dialogs.seen[-1].startswith("2027-01-05 是星期二，本来就是工作日")
    assert _stored(empty_db, "2027-01-05") is None
    # Asked again, the clerk keeps it.
    fill_day(("2027-01-05", "班", "", "保存"))
    dialogs.answer("仍然保存")
    panel.add()
    assert ("2027-01-05", "星期二", "班", "", "本单位录入") in _rows(panel)


def test_editing_an_official_day_makes_it_the_bureaus(
    panel: CalendarPanel,
    empty_db: Database,
    fill_day: Callable[..., DayDialogFiller],
    dialogs: DialogAnswerer,
) -> None:
    panel.select_year(2025)
    _select(panel, "2025-10-08")
    fill_day((None, "班", "本县安排", "保存"))
    dialogs.answer("仍然保存")  # a 班 on a Wednesday is ordinary: the clerk is asked and confirms
    panel.edit_selected()
    assert "本来就是工作日" in dialogs.seen[0]
    assert ("2025-10-08", "星期三", "班", "本县安排", "本单位录入") in _rows(panel)
    stored = _stored(empty_db, "2025-10-08")
    assert stored is not None and stored.source == "user"


def test_adding_a_listed_date_is_refused_with_a_message(
    panel: CalendarPanel,
    empty_db: Database,
    fill_day: Callable[..., DayDialogFiller],
    dialogs: DialogAnswerer,
) -> None:
    panel.select_year(2025)
    fill_day(("2025-10-01", "休", "国庆节", "保存"), (None, None, None, "取消"))
    dialogs.answer("确定")
    panel.add()
    assert "2025-10-01（星期三）已在列表中" in dialogs.seen[0]
    assert len(_rows(panel)) == 33


def test_delete_asks_first(panel: CalendarPanel, empty_db: Database, dialogs: DialogAnswerer) -> None:
    panel.select_year(2025)
    _select(panel, "2025-05-05")
    dialogs.answer("取消")
    panel.delete_selected()
    assert _stored(empty_db, "2025-05-05") is not None
    _select(panel, "2025-05-05")
    dialogs.answer("删除")
    panel.delete_selected()
    assert "删除 2025-05-05（星期一，休 劳动节）" in dialogs.seen[-1]
    assert _stored(empty_db, "2025-05-05") is None
    assert len(_rows(panel)) == 32


def test_restore_official_brings_back_the_notice(
    panel: CalendarPanel, empty_db: Database, dialogs: DialogAnswerer
) -> None:
    panel.select_year(2025)
    _select(panel, "2025-05-05")
    dialogs.answer("删除")
    panel.delete_selected()
    dialogs.answer("恢复")
    panel.restore()
    assert "已删除的 1 个官方日期将恢复" in dialogs.seen[-1]
    assert len(_rows(panel)) == 33
    assert {row[4] for row in _rows(panel)} == {"官方安排"}


def test_import_from_a_file_after_confirmation(
    panel: CalendarPanel, empty_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    path = tmp_path / "2027年节假日.csv"
    path.write_text("日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,班,春节\n", encoding="utf-8")
    dialogs.answer("导入")
    assert panel.import_from_file(path)
    assert "导入2027年的 2 个日期" in dialogs.seen[-1]
    assert panel.year() == 2027
    assert [r[0] for r in _rows(panel)] == ["2027-01-01", "2027-02-06"]
    assert panel.coverage.property("alert") is False


def test_a_bad_file_is_refused_and_named(
    panel: CalendarPanel, empty_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("日期,类型,名称\n2027-01-01,放假吗,元旦\n", encoding="utf-8")
    dialogs.answer("确定")
    assert not panel.import_from_file(path)
    assert dialogs.seen == ["文件有 1 处问题，未导入任何内容。"]
    assert _stored(empty_db, "2027-01-01") is None


def test_settings_page_has_the_holiday_tab(qtbot: QtBot, empty_db: Database) -> None:
    page = SettingsPage(AppContext(empty_db))
    qtbot.addWidget(page)
    page.refresh()
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles[:3] == ["单位信息", "部门", "节假日"]
    assert page.tabs.widget(2) is page.calendar
    assert page.calendar.year() == dt.date.today().year
