"""数据交换 page: a department exports its 数据包 through the page and reads the fingerprint; the 司法局's PC
(another database, another data directory, hence another key) verifies and imports it, lists it with its
draws, recognises it again, refuses an altered one, asks about a changed key; a 监督员 only reads; and the
统计上报 page's 全县汇总 counts the received department."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database import Database, open_database
from app.draw import Outcome, verify_text
from app.exchange import import_package
from app.paths import DATA_DIR_ENV
from app.reports import Period, build_table, collect_facts
from app.settings import load_settings, save_settings
from db.engine import transaction
from db.models import Department
from tests.accounts import staff
from tests.app.exchange.conftest import (
    county_with_draws,
    department_id,
    entries,
    export,
    table_counts,
    write_zip,
)
from tests.tamper import drop_protection, edit
from tests.ui.conftest import DialogAnswerer, ModalDriver
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.exchange_page import ExchangePage
from ui.pages.reports_page import ExportInfoDialog, ReportsPage
from ui.widgets.exchange_dialogs import (
    DUPLICATE,
    IMPORTED,
    REFUSED,
    ExportChoiceDialog,
    ExportDoneDialog,
    ImportDialog,
    fingerprint_rows,
)

YEAR = 2026
PERIOD = Period.year(YEAR)
SJ = "示范县市场监督管理局"
SHOTS = os.environ.get("EXCHANGE_SHOTS_DIR")  # set to save screenshots of the page and its dialogs


@pytest.fixture(scope="module")
def sender_file(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county after three 市场监管局 draws (this installation's data directory and key)."""
    return county_with_draws(demo_template, tmp_path_factory.mktemp("exchange_page") / "sender.db", {"SJ": 3})


@pytest.fixture
def sender(sender_file: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "sender.db"
    shutil.copyfile(sender_file, target)
    database = open_database(target)
    yield database
    database.close()


@pytest.fixture
def sifaju(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Database]]:
    """Opens the 司法局's database; from then on this test runs as that PC (its own data directory, so its
    own audit and signing key). Closed at the end."""
    opened: list[Database] = []

    def become() -> Database:
        monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "sifaju-data"))
        opened.append(open_database(tmp_path / "sifaju.db"))
        return opened[0]

    yield become
    for database in opened:
        database.close()


def open_page(qtbot: QtBot, database: Database) -> ExchangePage:
    page = ExchangePage(AppContext(database))
    qtbot.addWidget(page)
    page.apply_role()
    page.resize(1366, 740)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    return page


class FileDialogs:
    """QFileDialog's static functions, answering with the paths a test gives and noting what was suggested."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save_to: Path | None = None
        self.open_paths: list[Path] = []
        self.suggested: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", self._open)

    def _save(self, _parent: QWidget, _title: str, suggested: str, _filter: str = "") -> tuple[str, str]:
        self.suggested.append(suggested)
        return (str(self.save_to) if self.save_to else "", "")

    def _open(
        self, _parent: QWidget, _title: str, _folder: str = "", _filter: str = ""
    ) -> tuple[list[str], str]:
        return ([str(p) for p in self.open_paths], "")


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> FileDialogs:
    return FileDialogs(monkeypatch)


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


def set_own_department(database: Database, name: str) -> None:
    with transaction(database.sessions) as session:
        settings = load_settings(session)
        save_settings(session, settings.__class__(**{**vars(settings), "own_department": name}))


def export_through_page(
    qtbot: QtBot, database: Database, files: FileDialogs, target: Path
) -> ExportDoneDialog:
    page = open_page(qtbot, database)
    files.save_to = target
    seen: list[str] = []

    def choose(dialog: ExportChoiceDialog) -> None:
        seen.append(dialog.department.currentText())
        dialog.picker.set_period("年度", YEAR)
        next_button = [b for b in dialog.findChildren(type(page.export_button)) if b.text() == "下一步"]
        next_button[0].click()

    driver = ModalDriver(ExportChoiceDialog, choose)  # noqa: F841 (kept alive while the dialog is open)
    done = page.export_package()
    assert seen == [f"{SJ}（本机所属部门）"], "the own department is offered first"
    assert done is not None
    qtbot.addWidget(done)
    return done


def import_through_page(qtbot: QtBot, page: ExchangePage, files: FileDialogs, *paths: Path) -> ImportDialog:
    files.open_paths = list(paths)
    dialog = page.import_packages()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


# --- the round trip ----------------------------------------------------------------------------------------


def test_a_package_goes_from_a_department_to_the_sifaju_through_the_page(
    qtbot: QtBot,
    sender: Database,
    sifaju: Callable[[], Database],
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    set_own_department(sender, SJ)
    target = tmp_path / "U盘" / "数据包.sjpkg"
    target.parent.mkdir()
    done = export_through_page(qtbot, sender, files, target)
    assert files.suggested[0].endswith(f"{SJ}_2026年度.sjpkg")
    summary = done.summary
    assert summary.path == target and target.is_file() and summary.counts["records"] == 3
    shown = done.fingerprint_label.text()
    assert [row in shown for row in fingerprint_rows(summary.fingerprint)] == [True] * 4
    assert len(fingerprint_rows(summary.fingerprint)) == 4
    assert "摇号记录 3 份" in done.facts_label.text() and "KB" in done.facts_label.text()
    shot(done, "exchange_export_done.png")
    done.accept()

    receiver = sifaju()  # the 司法局's PC from here on
    page = open_page(qtbot, receiver)
    assert page.model.rowCount() == 0 and "尚未收到" in page.summary.toPlainText()
    shot(page, "exchange_empty.png")
    dialog = import_through_page(qtbot, page, files, target)
    assert dialog.files.isHidden(), "one file: no list, only its result"
    text = dialog.detail_text()
    assert "核验通过" in text and f"{SJ}（SJ）" in text and "2026年度" in text
    assert fingerprint_rows(summary.fingerprint)[0] in text
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "导入"
    shot(dialog, "exchange_import_ok.png")
    dialog.import_button.click()
    assert dialog.row_state(0) == IMPORTED and "均已通过 SJDRAW-1 验证" in dialog.detail_text()
    assert not dialog.import_button.isVisible() and dialog.close_button.text() == "关闭"
    dialog.accept()

    assert page.model.rowCount() == 1
    row = page.selected()
    assert row is not None
    assert [page.model.index(0, c).data() for c in (0, 1, 6, 8)] == [SJ, "2026年度", "3", "当前"]
    assert row.fingerprint == summary.fingerprint
    details = page.summary.toPlainText()
    assert "2026年度（2026年1月1日至2026年12月31日）" in details and "当前（统计时使用）" in details
    with sender.sessions() as session:
        facts = collect_facts(session, PERIOD, [department_id(sender, "SJ")])
    assert sorted(
        page.draw_model.row_object(r).draw_uid for r in range(page.draw_model.rowCount())
    ) == sorted(d.draw_uid for d in facts.draws)
    shot(page, "exchange_received.png")

    # A received draw record, to a file a watcher can check with nothing but the verifier.
    files.save_to = tmp_path / "记录"
    record = page.export_record()
    assert record == tmp_path / "记录.json"
    assert verify_text(record.read_bytes()).outcome is Outcome.VERIFIED
    assert page.selected_draw() is not None and page.selected_draw().draw_uid in record.read_text("utf-8")  # type: ignore[union-attr]

    # The same file again: recognised, nothing written.
    before = table_counts(receiver)
    again = import_through_page(qtbot, page, files, target)
    again.import_button.click()
    assert again.row_state(0) == DUPLICATE
    assert "该数据包已于" in again.detail_text() and "本次未重复导入" in again.detail_text()
    assert table_counts(receiver) == before and page.model.rowCount() == 1
    again.accept()


def test_a_tampered_package_is_refused_with_its_problems_and_nothing_written(
    qtbot: QtBot, sender: Database, sifaju: Callable[[], Database], files: FileDialogs, tmp_path: Path
) -> None:
    genuine = export(sender, tmp_path / "genuine.sjpkg").path
    content = entries(genuine)
    facts = bytearray(content["facts.json"])
    at = facts.index(b'"entity_count": ') + len(b'"entity_count": ')
    facts[at] = ord("9") if facts[at] != ord("9") else ord("8")  # one digit of the registry's size
    content["facts.json"] = bytes(facts)
    altered = write_zip(tmp_path / "altered.sjpkg", content)
    with zipfile.ZipFile(altered) as archive:
        assert archive.read("facts.json") != zipfile.ZipFile(genuine).read("facts.json")

    receiver = sifaju()
    page = open_page(qtbot, receiver)
    before = table_counts(receiver)
    dialog = import_through_page(qtbot, page, files, altered)
    assert dialog.summary.text() == "数据包未通过核验，已拒绝导入，未写入任何数据。"
    text = dialog.detail_text()
    assert "文件 facts.json 的内容与清单记录的大小或 SHA-256 摘要不符" in text
    assert "未通过核验，仅供与发送部门核对" in text
    assert not dialog.import_button.isEnabled() and dialog.close_button.text() == "关闭"
    shot(dialog, "exchange_import_refused.png")
    assert dialog.do_import() == []
    dialog.reject()
    assert table_counts(receiver) == before and page.model.rowCount() == 0


def test_several_files_at_once_each_with_its_own_result(
    qtbot: QtBot, sender: Database, sifaju: Callable[[], Database], files: FileDialogs, tmp_path: Path
) -> None:
    good = export(sender, tmp_path / "good.sjpkg").path
    broken = tmp_path / "broken.sjpkg"
    broken.write_bytes(good.read_bytes()[:4000])  # cut short on the way
    receiver = sifaju()
    page = open_page(qtbot, receiver)
    dialog = import_through_page(qtbot, page, files, good, broken)
    assert not dialog.files.isHidden() and dialog.files.rowCount() == 2
    assert (
        dialog.summary.text()
        == "共 2 个文件：1 个核验通过，1 个未通过（未通过的不会导入，也不会写入任何数据）。"
    )
    assert [dialog.row_state(0), dialog.row_state(1)] == ["核验通过", "无法读取"]
    dialog.import_button.click()
    assert [dialog.row_state(0), dialog.row_state(1)] == [IMPORTED, "无法读取"]
    assert dialog.summary.text() == "导入完成：1 个已导入，1 个未通过核验。"
    dialog.files.selectRow(1)
    assert "无法读取" in dialog.detail_text() and "不是数据包" in dialog.detail_text()
    dialog.accept()
    assert page.model.rowCount() == 1


def test_a_changed_key_is_asked_about_with_both_fingerprints_and_accepting_imports(
    qtbot: QtBot,
    sender: Database,
    sifaju: Callable[[], Database],
    files: FileDialogs,
    dialogs: DialogAnswerer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    genuine = export(sender, tmp_path / "before.sjpkg", now=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    with monkeypatch.context() as patch:  # the department's PC was reinstalled: a new installation key
        patch.setenv(DATA_DIR_ENV, str(tmp_path / "reinstalled"))
        reinstalled = export(sender, tmp_path / "after.sjpkg", now=dt.datetime(2026, 7, 2, tzinfo=dt.UTC))
    receiver = sifaju()
    with receiver.sessions() as session:
        import_package(session, genuine.path)
    page = open_page(qtbot, receiver)
    before = table_counts(receiver)

    dialogs.answer("取消")
    dialog = import_through_page(qtbot, page, files, reinstalled.path)
    dialog.import_button.click()
    asked = dialogs.seen[0]
    for fingerprint in (genuine.fingerprint, reinstalled.fingerprint):
        assert all(row in asked for row in fingerprint_rows(fingerprint))
    assert "打电话" in asked
    assert dialog.row_state(0) == REFUSED and "未接受新密钥" in dialog.detail_text()
    assert table_counts(receiver) == before
    dialog.accept()

    dialogs.answer("已电话核对，接受新密钥并导入")
    dialog = import_through_page(qtbot, page, files, reinstalled.path)
    dialog.import_button.click()
    assert len(dialogs.seen) == 2
    assert dialog.row_state(0) == IMPORTED and "已确认发送部门更换签名密钥" in dialog.detail_text()
    dialog.accept()
    statuses = [page.model.index(r, 8).data() for r in range(page.model.rowCount())]
    assert statuses == ["当前", "已被替代"], "the newer export first"
    tip = Qt.ItemDataRole.ToolTipRole
    assert page.model.index(0, 8).data(tip) == "统计时使用"
    assert "仅存档" in page.model.index(1, 8).data(tip)
    assert page.model.index(0, 9).data(tip) == reinstalled.fingerprint, "the whole fingerprint"
    grey = Qt.ItemDataRole.ForegroundRole
    assert page.model.index(0, 0).data(grey) is None and page.model.index(1, 0).data(grey) is not None


def test_the_own_departments_package_is_refused_in_the_services_words(
    qtbot: QtBot, sender: Database, files: FileDialogs, tmp_path: Path
) -> None:
    package = export(sender, tmp_path / "own.sjpkg").path
    set_own_department(sender, SJ)
    page = open_page(qtbot, sender)
    dialog = import_through_page(qtbot, page, files, package)
    dialog.import_button.click()
    assert dialog.row_state(0) == REFUSED
    assert f"该数据包来自本机所属部门“{SJ}”（SJ）" in dialog.detail_text()
    dialog.accept()
    assert page.model.rowCount() == 0


def test_ctrl_e_on_the_page_asks_what_to_export_not_the_reports_pages_excel(
    qtbot: QtBot, sender: Database
) -> None:
    window = MainWindow(AppContext(sender))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(ReportsPage)  # built, now hidden behind the exchange page: its Ctrl+E must not fire
    page = window.show_page(ExchangePage)
    assert isinstance(page, ExchangePage)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    asked: list[str] = []

    def cancel(dialog: QDialog) -> None:
        asked.append(dialog.windowTitle())
        dialog.reject()

    driver = ModalDriver(ExportChoiceDialog, cancel)  # noqa: F841 (kept alive while the dialog is open)
    wrong = ModalDriver(ExportInfoDialog, cancel)  # noqa: F841 (the reports page's form, if it came)
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["导出数据包"]


# --- roles, 核验 -------------------------------------------------------------------------------------------------


def test_a_supervisor_sees_no_export_or_import_but_may_read_and_verify(
    qtbot: QtBot,
    sender: Database,
    sifaju: Callable[[], Database],
    dialogs: DialogAnswerer,
    tmp_path: Path,
) -> None:
    package = export(sender, tmp_path / "sj.sjpkg").path
    receiver = sifaju()
    actors = staff(receiver)
    with receiver.sessions() as session:
        import_package(session, package)
    receiver.sign_in(actors["watch"])
    page = open_page(qtbot, receiver)
    assert page.export_button.isHidden() and page.import_button.isHidden()
    opened: list[str] = []

    def refuse(dialog: ExportChoiceDialog) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    driver = ModalDriver(ExportChoiceDialog, refuse)  # noqa: F841 (fails the test rather than hanging it)
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert opened == [], "the keys do no more than the buttons may"
    assert page.model.rowCount() == 1 and page.draw_model.rowCount() == 3
    assert page.verify_all_button.isVisible() and page.record_button.isVisible()
    dialogs.answer("确定", "确定")
    assert page.verify(selected_only=True) == []
    assert page.verify(selected_only=False) == []
    assert dialogs.seen[0].startswith("核验通过：示范县市场监督管理局的数据包（2026年度）")
    assert dialogs.seen[1].startswith("核验通过：收到的全部数据包共 1 个")

    receiver.sign_in(actors["clerk"])
    clerk_page = open_page(qtbot, receiver)
    assert clerk_page.export_button.isVisible() and clerk_page.import_button.isVisible()


def test_verification_names_a_package_changed_in_the_database(
    qtbot: QtBot,
    qtmodeltester: Any,
    sender: Database,
    sifaju: Callable[[], Database],
    dialogs: DialogAnswerer,
    tmp_path: Path,
) -> None:
    package = export(sender, tmp_path / "sj.sjpkg").path
    receiver = sifaju()
    with receiver.sessions() as session:
        import_package(session, package)
    assert receiver.path is not None
    drop_protection(receiver.path)  # a SQLite editor, behind the program's back
    assert (
        edit(receiver.path, "UPDATE received_record SET record_json = record_json || ' ' WHERE id = 1") == 1
    )
    page = open_page(qtbot, receiver)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.draw_model)
    dialogs.answer("确定")
    problems = page.verify(selected_only=False)
    assert problems and "的摇号记录 records/" in problems[0] and "已被改动" in problems[0]
    assert dialogs.seen[0].startswith("核验不通过：收到的全部数据包在本机保存后被改动")


# --- the county -------------------------------------------------------------------------------------------------


def test_the_reports_county_source_shows_the_received_departments_numbers(
    qtbot: QtBot, sender: Database, sifaju: Callable[[], Database], tmp_path: Path
) -> None:
    package = export(sender, tmp_path / "sj.sjpkg").path
    with sender.sessions() as session:
        sent = collect_facts(session, PERIOD, [department_id(sender, "SJ")]).as_received()
    receiver = sifaju()
    with receiver.sessions() as session:
        import_package(session, package)
        assert session.scalars(select(Department.code)).all() == []  # the 司法局 keeps no SJ records
    page = ReportsPage(AppContext(receiver))
    qtbot.addWidget(page)
    page.resize(1366, 740)
    page.show()
    page.set_period("年度", YEAR)
    page.refresh()
    assert page.facts is not None and page.facts.departments == ()
    page.set_source(True)
    qtbot.waitUntil(lambda: page.facts is not None and len(page.facts.departments) == 1, timeout=5000)
    assert page.source_hint.text() == "已合并 1 个部门的数据包。" and SJ in page.source_hint.toolTip()
    expected = build_table("progress", sent).rows[0]
    assert page.view.visible_texts()[0][1:] == [c.text for c in expected][1:]
    assert page.view.visible_texts()[0][1] == SJ


def test_the_joint_plan_view_lists_the_received_plans_rows_by_lead_department(
    qtbot: QtBot, sender: Database, sifaju: Callable[[], Database], tmp_path: Path
) -> None:
    package = export(sender, tmp_path / "sj.sjpkg").path
    with sender.sessions() as session:
        sent = collect_facts(session, PERIOD, [department_id(sender, "SJ")])
    joint = [r for p in sent.plans for r in p.rows if r.joint_department_codes]
    assert joint, "the demo's 市场监管局 plan has rows with 联合部门"
    receiver = sifaju()
    with receiver.sessions() as session:
        import_package(session, package)
    page = open_page(qtbot, receiver)
    page.tabs.setCurrentWidget(page.joint_view)
    view = page.joint_view
    qtbot.waitUntil(lambda: not view.stale, timeout=5000)
    assert view.picker.period() == PERIOD, "the period of the newest package is offered"
    assert view.tree.topLevelItemCount() == 1
    head = view.tree.topLevelItem(0)
    assert head is not None
    assert head.text(0) == f"{SJ}　2026年度计划　{len(joint)} 行联合抽查（收到的数据包）"
    rows = [head.child(n) for n in range(head.childCount())]
    assert [(r.text(1), r.text(2)) for r in rows if r is not None] == [
        (r.item, r.joint_departments) for r in joint
    ]
    assert f"合并了 {SJ} 的数据包" in view.summary.text()
    shot(page, "exchange_joint_plans.png")
