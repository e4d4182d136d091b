"""数据交换 → 导入报表（Excel）…: another department's filled 进展情况 table (real xlsx, written by the helpers of
tests/app/reports/test_importer.py) previewed with its departments and figures, imported into the 司法局's
database and listed on the 报表导入 tab; a file with errors shows them by row and writes nothing; the same file
again is a duplicate; a file without its period asks for it; a plan table becomes a 草稿 plan; a 监督员 has no
button. Only the file dialogs are patched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database import Database
from app.reports import Facts, Period, collect_facts, plan_table
from app.reports.reported import county_table
from app.reports.xlsx import write_table_xlsx
from db.models import AnnualPlan, Department
from tests.accounts import staff
from tests.app.reports import conftest as report_fixtures
from tests.app.reports import test_importer as importer_tests
from tests.app.reports.conftest import H1
from tests.app.reports.test_importer import (
    HB,
    MARK,
    SJ,
    WJ,
    _set,
    imported,
    source_rows,
    stored,
    write_by_hand,
)
from tests.conftest import DEMO_YEAR
from tests.ui.conftest import DialogAnswerer
from ui.context import AppContext
from ui.io.issue_model import COL_FIELD, COL_ROW, COL_SEVERITY, COL_TEXT
from ui.pages.exchange_page import ExchangePage
from ui.widgets.report_import_dialog import ReportImportDialog

# The fixtures of the importer's tests: the hand-built county's facts (h1) and the 司法局's database (target).
county, county_db, session, h1 = (
    report_fixtures.county,
    report_fixtures.county_db,
    report_fixtures.session,
    report_fixtures.h1,
)
target = importer_tests.target

SHOTS = os.environ.get(
    "REPORT_IMPORT_SHOTS"
)  # a folder: screenshots of the dialog and the tab are saved there
ERRORS_LINE = "有 1 处错误，未写入任何数据。请改正 Excel 后重新导入。"


class FileDialogs:
    """QFileDialog's open and save functions, answering with the paths a test gives."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open_path: Path | None = None
        self.save_to: Path | None = None
        self.filters: list[str] = []
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._open)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save)

    def _open(self, _parent: QWidget, _title: str, _folder: str = "", filters: str = "") -> tuple[str, str]:
        self.filters.append(filters)
        return (str(self.open_path) if self.open_path else "", "")

    def _save(self, _parent: QWidget, _title: str, _suggested: str, _filter: str = "") -> tuple[str, str]:
        return (str(self.save_to) if self.save_to else "", "")


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> FileDialogs:
    return FileDialogs(monkeypatch)


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


def open_page(qtbot: QtBot, database: Database) -> tuple[ExchangePage, list[str]]:
    """The page, and the status-bar messages it sends."""
    page = ExchangePage(AppContext(database))
    qtbot.addWidget(page)
    page.apply_role()
    page.resize(1366, 740)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    said: list[str] = []
    page.context.status_message.connect(said.append)
    return page, said


def open_dialog(qtbot: QtBot, page: ExchangePage, files: FileDialogs, path: Path) -> ReportImportDialog:
    files.open_path = path
    dialog = page.import_report()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def issue_rows(dialog: ReportImportDialog) -> list[tuple[str, str, str, str]]:
    model = dialog.issue_model
    return [
        tuple(model.index(r, c).data() for c in (COL_ROW, COL_FIELD, COL_SEVERITY, COL_TEXT))  # type: ignore[misc]
        for r in range(model.rowCount())
    ]


def tab_rows(page: ExchangePage) -> list[list[str]]:
    model = page.reported_model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def good_file(h1: Facts, tmp_path: Path, name: str = "卫健委-进展情况.xlsx", **options: Any) -> Path:
    table, rows = source_rows(h1)
    return write_by_hand(tmp_path / name, table, rows, **options)


# --- a good file -------------------------------------------------------------------------------------------------


def test_a_good_file_previews_its_departments_and_imports(
    qtbot: QtBot,
    h1: Facts,
    target: Database,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    table, rows = source_rows(h1)
    path = good_file(h1, tmp_path)
    page, said = open_page(qtbot, target)
    assert page.tabs.tabText(2) == "报表导入" and page.reported_model.rowCount() == 0
    assert "尚未导入其他部门的报表" in page.reported_hint.text()
    dialog = open_dialog(qtbot, page, files, path)
    assert files.filters == ["Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)"]

    facts = dialog.facts.text()
    for words in (
        "随机抽查工作进展情况统计表",
        "2026年上半年",
        f"填报单位：</td><td>{WJ}",
        "2026年7月20日",
        "李华",
    ):
        assert words in facts, words
    shown = dialog.department_texts()
    assert [r[1] for r in shown] == [SJ, WJ, HB] and [r[0] for r in shown] == ["6", "7", "8"]
    headers = [
        dialog.departments.horizontalHeaderItem(c).text() for c in range(dialog.departments.columnCount())
    ]  # type: ignore[union-attr]
    drawn, checked = table.column_index("抽取数") - 2, table.column_index("已检查数") - 2
    for line, (_name, figures) in zip(shown, rows, strict=True):
        assert line[headers.index("抽取对象")] == str(figures[drawn])
        assert line[headers.index("已检查")] == str(figures[checked])
    assert dialog.cards["new"].figure.text() == "3" and dialog.cards["errors"].figure.text() == "0"
    assert dialog.issue_count.text() == "问题清单：没有发现问题。" and dialog.issue_model.rowCount() == 0
    assert dialog.verdict.text().startswith("可以导入：3 个部门的数字")
    assert dialog.import_button.isEnabled() and not dialog.options.isVisible()
    assert not dialog.report_button.isEnabled(), "no problems, no problem list"
    shot(dialog, "report_import_good.png")
    assert stored(target) == 0, "the preview writes nothing"

    dialog.import_button.click()
    assert stored(target) == 3
    assert said and said[-1].startswith(f"已导入：从“{path.name}”导入报表数字：") and "3 个部门" in said[-1]
    assert dialog.verdict.text() == said[-1]
    assert not dialog.import_button.isVisible() and dialog.close_button.text() == "关闭"
    dialog.accept()

    assert page.tabs.currentWidget() is page.reported_panel, "the imported figures are shown"
    listed = tab_rows(page)
    assert [r[0] for r in listed] == [SJ, WJ, HB]
    assert {(r[1], r[2], r[3], r[6], r[7]) for r in listed} == {
        ("进展情况", "2026年上半年", "2026-07-20", path.name, "当前")
    }
    assert "已导入 1 个文件的 3 行报表数字（当前 3 行）" in page.reported_hint.text()
    shot(page, "report_import_tab.png")
    with target.sessions() as s:
        county_wide = county_table(s, "progress", H1)
    assert WJ + MARK in [r[1].value for r in county_wide.rows], "统计上报's 全县汇总 counts it"


def test_the_same_file_again_is_a_duplicate_and_writes_nothing(
    qtbot: QtBot,
    h1: Facts,
    target: Database,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    path = good_file(h1, tmp_path)
    imported(target, path)
    page, said = open_page(qtbot, target)
    dialog = open_dialog(qtbot, page, files, path)
    assert dialog.verdict.text().startswith("重复的文件：该文件已于 ")
    assert dialog.verdict.text().endswith("本次未重复导入。")
    assert dialog.cards["duplicate"].figure.text() == "3" and dialog.cards["new"].figure.text() == "0"
    assert not dialog.import_button.isEnabled() and dialog.close_button.text() == "关闭"
    assert dialog.do_import() is None
    assert stored(target) == 3 and said == []
    dialog.reject()


def test_a_newer_file_supersedes_and_the_tab_greys_the_old_rows(
    qtbot: QtBot,
    h1: Facts,
    target: Database,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    table, rows = source_rows(h1)
    imported(target, write_by_hand(tmp_path / "a.xlsx", table, rows[1:2], totals=False))
    newer = write_by_hand(
        tmp_path / "b.xlsx",
        table,
        rows[1:2],
        totals=False,
        info="填报单位：示范县卫生健康委员会  填报日期：2026年7月25日  联系人：李华",
    )
    page, _said = open_page(qtbot, target)
    dialog = open_dialog(qtbot, page, files, newer)
    assert dialog.cards["replacing"].figure.text() == "1" and dialog.cards["new"].figure.text() == "0"
    assert "其中 1 个取代此前导入的数字" in dialog.verdict.text()
    dialog.import_button.click()
    dialog.accept()
    assert [(r[6], r[7]) for r in tab_rows(page)] == [("b.xlsx", "当前"), ("a.xlsx", "已被替代")]
    old = page.reported_model.index(1, 0)
    assert old.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert page.reported_model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    status = [page.reported_model.index(r, 7).data(Qt.ItemDataRole.ToolTipRole) for r in (0, 1)]
    assert "全县汇总" in status[0] and "仅存档" in status[1]
    assert (
        page.reported_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "填报单位：示范县卫生健康委员会"
    )


# --- problems ---------------------------------------------------------------------------------------------------


def test_a_file_with_errors_shows_them_by_row_and_field_and_writes_nothing(
    qtbot: QtBot,
    h1: Facts,
    target: Database,
    files: FileDialogs,
    dialogs: DialogAnswerer,
    tmp_path: Path,
) -> None:
    table, rows = source_rows(h1)
    _set(WJ, "公示对象数（户）", 9)(rows, table)  # more published than inspected: an error, two rates off
    path = write_by_hand(tmp_path / "坏.xlsx", table, rows, totals=False)
    page, said = open_page(qtbot, target)
    dialog = open_dialog(qtbot, page, files, path)
    assert dialog.verdict.text() == ERRORS_LINE and dialog.verdict.property("alert") is True
    assert not dialog.import_button.isEnabled() and dialog.cards["errors"].figure.text() == "1"
    found = issue_rows(dialog)
    assert ("7", "公示对象数", "错误", "公示对象数（9）大于已检查数（1）") in found
    assert all(r[0] == "7" for r in found) and [r[2] for r in found].count("警告") == 2
    colours = {
        dialog.issue_model.index(r, COL_TEXT).data(Qt.ItemDataRole.ForegroundRole).color().name(): found[r][2]
        for r in range(len(found))
    }
    assert colours == {"#b3261e": "错误", "#a15c00": "警告"}, "errors red, warnings amber"
    assert dialog.issue_count.text() == "问题清单（共 3 条：错误 1 条，警告 2 条）："
    assert "有错误的行不列出" in dialog.departments_label.text()
    assert [r[1] for r in dialog.department_texts()] == [SJ, HB]
    shot(dialog, "report_import_errors.png")

    dialog.import_button.click()  # disabled: nothing happens
    assert dialog.do_import() is None and stored(target) == 0 and said == []

    files.save_to = tmp_path / "问题清单"
    dialogs.answer("取消")  # do not open it
    written = dialog.export_issue_report()
    assert written == tmp_path / "问题清单.xlsx" and dialogs.seen[0].startswith("已把 3 条问题写入")
    sheet = load_workbook(written).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "错误 1 个，警告 2 个；存在错误，未导入" in str(cells[0][0])
    assert cells[1] == ["工作表", "行号", "字段", "严重程度", "说明"]
    assert ["进展情况统计表", 7, "公示对象数", "错误", "公示对象数（9）大于已检查数（1）"] in cells
    (tmp_path / "占用.xlsx").mkdir()  # a folder where the file should go: it cannot be written
    dialogs.answer("确定")
    assert dialog.export_issue_report(tmp_path / "占用.xlsx") is None
    assert "占用.xlsx" in dialogs.seen[1]
    dialog.reject()
    assert stored(target) == 0 and page.reported_model.rowCount() == 0


def test_a_file_without_its_period_asks_for_it(
    qtbot: QtBot,
    h1: Facts,
    target: Database,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    path = good_file(h1, tmp_path, "上半年.xlsx", title="上半年报表", period_line=None)
    page, _said = open_page(qtbot, target)
    dialog = open_dialog(qtbot, page, files, path)
    assert dialog.preview is None and dialog.asking and dialog.options.isVisible()
    assert dialog.period_picker.isVisible() and not dialog.year_box.isVisible()
    assert not dialog.department_box.isVisible()
    assert "没有写明统计期间" in dialog.ask_label.text() and "--year" not in dialog.verdict.text()
    assert not dialog.import_button.isEnabled()
    shot(dialog, "report_import_ask_period.png")
    dialog.period_picker.set_period("上半年", 2026)
    dialog.apply_options_button.click()
    assert dialog.preview is not None and dialog.preview.sheets[0].period == H1
    assert "2026年上半年" in dialog.facts.text() and dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert stored(target) == 3
    dialog.accept()


def test_a_file_that_cannot_be_used_is_only_told_about(
    qtbot: QtBot,
    target: Database,
    files: FileDialogs,
    dialogs: DialogAnswerer,
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "报表.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    page, _said = open_page(qtbot, target)
    files.open_path = pdf
    dialogs.answer("确定")
    assert page.import_report() is None
    assert dialogs.seen and "PDF" in dialogs.seen[0]
    files.open_path = None
    assert page.import_report() is None, "cancelled in the file dialog"


# --- plans, roles ----------------------------------------------------------------------------------------------


def test_a_plan_table_becomes_a_draft_plan(
    qtbot: QtBot, demo_db: Database, files: FileDialogs, tmp_path: Path
) -> None:
    year = DEMO_YEAR + 1
    with demo_db.sessions() as s:
        code, name = s.execute(
            select(Department.code, Department.name).order_by(Department.sort_order)
        ).first()  # type: ignore[misc]
        facts = collect_facts(s, Period.year(DEMO_YEAR))
    path = write_table_xlsx(plan_table(facts, [code]), tmp_path / "计划表.xlsx")
    book = load_workbook(path)
    ws = book.active
    assert ws is not None
    title = str(ws.cell(row=1, column=1).value)
    assert f"{DEMO_YEAR}年度" in title
    ws.cell(row=1, column=1, value=title.replace(f"{DEMO_YEAR}年度", f"{year}年度"))
    book.save(path)

    def plans() -> int:
        with demo_db.sessions() as s:
            return s.scalar(select(func.count()).select_from(AnnualPlan).where(AnnualPlan.year == year)) or 0

    page, said = open_page(qtbot, demo_db)
    dialog = open_dialog(qtbot, page, files, path)
    assert "行政执法检查计划表" in dialog.facts.text() and f"{year}年度" in dialog.facts.text()
    assert dialog.department_texts()[0][:1] == [name]
    assert "将作为草稿计划导入" in dialog.verdict.text()
    dialog.import_button.click()
    assert plans() == 1
    assert said[-1].startswith(f"已作为草稿计划导入：{year}年度抽查计划，{name}（")
    assert dialog.verdict.text() == said[-1]
    dialog.accept()


def test_a_supervisor_does_not_see_the_button(
    qtbot: QtBot,
    target: Database,
    files: FileDialogs,
) -> None:
    actors = staff(target)
    target.sign_in(actors["watch"])
    page, _said = open_page(qtbot, target)
    assert page.report_button.isHidden() and page.import_button.isHidden()
    assert page.tabs.tabText(2) == "报表导入", "the list is there to read"
    assert "需要经办人或管理员登录" in page.reported_hint.text()
    target.sign_in(actors["clerk"])
    clerk_page, _said = open_page(qtbot, target)
    assert clerk_page.report_button.isVisible() and clerk_page.report_button.text() == "导入报表（Excel）…"
