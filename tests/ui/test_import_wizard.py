"""The import wizard and the export dialog driven like a clerk: choose a file, check the columns, review,
import; refuse a file with errors; export the filter result and bring it back unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.database import Database
from app.io import ExportError, RowIssue
from app.registry.codes import make_uscc
from tests.ui.conftest import DialogAnswerer
from ui.context import AppContext
from ui.io import export_dialog
from ui.io.export_dialog import ExportDialog
from ui.io.import_wizard import PAGE_DONE, PAGE_FILE, PAGE_MAPPING, PAGE_RESULT, ImportWizard
from ui.io.issue_model import BATCH, SHOW_ERRORS, IssueTableModel
from ui.io.mapping_page import COL_SAMPLES, COL_SOURCE
from ui.io.wording import default_export_name
from ui.main_window import MainWindow
from ui.pages.registry_page import EntitiesPage

NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton
FINISH = QWizard.WizardButton.FinishButton
HEADER = ["统一社会信用代码", "企业名称", "住所", "联系电话", "经营范围"]


def _uscc(n: int) -> str:
    return make_uscc("9", "1", "469006", f"MA5T{n:04d}")


def _workbook(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _good_file(path: Path) -> Path:
    return _workbook(
        path,
        [
            HEADER,
            [_uscc(1), "示范县甲乙商贸有限公司", "示范县城关镇人民路1号", "13900000001", "日用百货零售"],
            [_uscc(2), "示范县丙丁农业开发有限公司", "示范县东山镇农场路3号", "13900000002", "农产品种植"],
            [_uscc(3), "示范县戊己建材店", "示范县东山镇新华路9号", "0898-1234567", "建材批发"],
        ],
    )


def _page(qtbot: QtBot, database: Database) -> EntitiesPage:
    window = MainWindow(AppContext(database))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page(EntitiesPage)
    assert isinstance(page, EntitiesPage)
    return page


def _open_wizard(qtbot: QtBot, page: EntitiesPage) -> ImportWizard:
    page.import_button.click()
    wizard = page.findChild(ImportWizard)
    assert wizard is not None
    qtbot.waitExposed(wizard)
    return wizard


def _read(wizard: ImportWizard, path: Path) -> None:
    """Choose the file and press 下一步 (reading runs behind a progress dialog and returns when done)."""
    wizard.set_path(path)
    wizard.button(NEXT).click()


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _count(database: Database, table: str) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _sheet_rows(path: Path) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_a_small_file_is_imported_end_to_end(qtbot: QtBot, empty_db: Database, tmp_path: Path) -> None:
    page = _page(qtbot, empty_db)
    assert page.model.rowCount() == 0
    wizard = _open_wizard(qtbot, page)
    assert wizard.currentId() == PAGE_FILE
    assert not wizard.button(NEXT).isEnabled(), "no file chosen yet"

    _read(wizard, _good_file(tmp_path / "名录.xlsx"))
    assert wizard.currentId() == PAGE_MAPPING
    mapping = wizard.mapping_page
    assert mapping.combos["企业名称"].currentData() == "name"
    assert mapping.combos["经营范围"].currentText() == "不导入"
    assert _cell(mapping.table, 0, COL_SOURCE) == "自动识别"
    assert _cell(mapping.table, 4, COL_SOURCE) == "未识别"
    assert "示范县甲乙商贸有限公司" in _cell(mapping.table, 1, COL_SAMPLES)
    with qtbot.waitSignal(wizard.preview_changed, timeout=10_000):
        mapping.set_field("经营范围", "remarks")
    assert _cell(mapping.table, 4, COL_SOURCE) == "手动修改"

    wizard.button(NEXT).click()
    assert wizard.currentId() == PAGE_RESULT
    result = wizard.result_page
    shown = {key: card.figure.text() for key, card in result.cards.items()}
    assert shown == {
        "new": "3",
        "updated": "0",
        "unchanged": "0",
        "skipped": "0",
        "warnings": "0",
        "errors": "0",
    }
    assert wizard.button(COMMIT).isEnabled()

    with qtbot.waitSignal(page.context.data_changed, check_params_cb=lambda kind: kind == "entities"):
        wizard.button(COMMIT).click()
    assert wizard.currentId() == PAGE_DONE
    assert "新增 3 条" in wizard.done_page.summary_label.text()
    assert _count(empty_db, "entity") == 3
    assert _count(empty_db, "import_batch") == 1
    assert page.model.rowCount() == 3, "the registry page refreshed"
    wizard.button(FINISH).click()
    qtbot.waitUntil(lambda: page.findChild(ImportWizard) is None)

    # The same header next time: the clerk's mapping is remembered and marked so.
    again = _open_wizard(qtbot, page)
    _read(again, tmp_path / "名录.xlsx")
    assert again.mapping_page.combos["经营范围"].currentData() == "remarks"
    assert _cell(again.mapping_page.table, 4, COL_SOURCE) == "上次保存"
    again.button(NEXT).click()
    assert again.result_page.cards["unchanged"].figure.text() == "3"
    again.reject()


def test_changing_a_column_mapping_checks_the_file_again(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    page = _page(qtbot, demo_db)
    path = tmp_path / "三条.xlsx"
    dialogs.answer("取消")  # do not open the folder afterwards
    dialog = ExportDialog(page.context, "entities", page.model.ids()[:3], page)
    dialog.set_target(path)
    dialog.export_button.click()
    assert dialogs.seen[-1].startswith("已导出 3 条")

    wizard = _open_wizard(qtbot, page)
    _read(wizard, path)
    mapping = wizard.mapping_page
    assert "不变 3 条" in mapping.status_label.text()

    with qtbot.waitSignal(wizard.preview_changed, timeout=10_000):
        mapping.combos["地址"].setCurrentIndex(mapping.combos["地址"].findData("remarks"))
    assert wizard.preview is not None and wizard.preview.mapping["地址"] == "remarks"
    assert mapping.combos["备注"].currentText() == "不导入", "a field takes one column: 备注 gave it up"
    assert "更新 3 条" in mapping.status_label.text()
    assert "列“备注”原来也对应“备注”" in mapping.status_label.text()
    assert _cell(mapping.table, list(mapping.combos).index("地址"), COL_SOURCE) == "手动修改"

    with qtbot.waitSignal(wizard.preview_changed, timeout=10_000):
        mapping.set_field("地址", "address")
    assert mapping.combos["备注"].currentData() == "remarks", "moving on gives 备注 its field back"
    assert "不变 3 条" in mapping.status_label.text()

    with qtbot.waitSignal(wizard.preview_changed, timeout=10_000):
        mapping.set_field("名称", None)
    assert wizard.preview is None
    assert "缺少必需的列：名称" in mapping.status_label.text()
    assert not wizard.button(NEXT).isEnabled()

    with qtbot.waitSignal(wizard.preview_changed, timeout=10_000):
        mapping.set_field("名称", "name")
    with qtbot.waitSignal(wizard.preview_changed, timeout=10_000):
        mapping.set_field("地址", "remarks")
    wizard.button(NEXT).click()
    assert wizard.result_page.cards["updated"].figure.text() == "3"
    wizard.reject()


def test_a_file_with_errors_is_refused_and_writes_nothing(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    page = _page(qtbot, demo_db)
    path = _workbook(
        tmp_path / "有错.xlsx",
        [
            [*HEADER, "登记状态"],
            [_uscc(11), "示范县新开商店", "示范县城关镇新街1号", "13900000011", "零售", "存续"],
            [_uscc(12), "示范县另一商店", "示范县城关镇新街2号", "13900000012", "零售", "不知道"],
            [None, None, "示范县城关镇新街3号", "13900000013", "零售", "存续"],
        ],
    )
    before = (_count(demo_db, "entity"), _count(demo_db, "import_batch"))
    wizard = _open_wizard(qtbot, page)
    _read(wizard, path)
    wizard.button(NEXT).click()
    result = wizard.result_page
    assert wizard.currentId() == PAGE_RESULT
    assert result.cards["errors"].figure.text() == "2"
    assert result.cards["new"].figure.text() == "1"
    assert not wizard.button(COMMIT).isEnabled()
    assert "全部或不导入" in result.verdict.text() and "不会写入任何数据" in result.verdict.text()
    issues = [(result.model.index(r, 0).data(), result.model.index(r, 1).data()) for r in range(2)]
    assert issues == [("3", "登记状态"), ("4", "名称")]
    assert not wizard.apply(), "even when asked directly, nothing is applied"

    report = tmp_path / "问题清单.xlsx"
    dialogs.answer("取消")  # do not open the report
    assert wizard.export_issue_report(report) == report
    rows = _sheet_rows(report)
    assert rows[0][0].startswith("导入问题清单：有错.xlsx")
    assert rows[1] == ("行号", "字段", "严重程度", "说明")
    assert [r[:3] for r in rows[2:]] == [(3, "登记状态", "错误"), (4, "名称", "错误")]

    assert (_count(demo_db, "entity"), _count(demo_db, "import_batch")) == before

    # The clerk fixes the two rows in Excel, saves, and checks again without leaving the wizard.
    _workbook(
        path,
        [
            [*HEADER, "登记状态"],
            [_uscc(11), "示范县新开商店", "示范县城关镇新街1号", "13900000011", "零售", "存续"],
            [_uscc(12), "示范县另一商店", "示范县城关镇新街2号", "13900000012", "零售", "存续"],
            [None, "示范县第三商店", "示范县城关镇新街3号", "13900000013", "零售", "存续"],
        ],
    )
    result.recheck_button.click()
    assert result.cards["errors"].figure.text() == "0"
    assert wizard.button(COMMIT).isEnabled()
    wizard.button(COMMIT).click()
    assert (_count(demo_db, "entity"), _count(demo_db, "import_batch")) == (before[0] + 3, before[1] + 1)
    wizard.button(FINISH).click()


def test_an_unreadable_file_is_explained_and_another_can_be_chosen(
    qtbot: QtBot, empty_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    page = _page(qtbot, empty_db)
    fake = tmp_path / "名录.xlsx"
    fake.write_text("名称,地址\n甲,乙\n", encoding="utf-8")
    wizard = _open_wizard(qtbot, page)
    dialogs.answer("确定")
    _read(wizard, fake)
    assert wizard.currentId() == PAGE_FILE
    assert "内容实际是 CSV 文本" in dialogs.seen[0]
    assert wizard.file_page.error_label.isVisible()
    assert "内容实际是 CSV 文本" in wizard.file_page.error_label.text()
    _read(wizard, _good_file(tmp_path / "正确.xlsx"))
    assert wizard.currentId() == PAGE_MAPPING
    wizard.reject()


def test_export_of_the_filter_result_writes_exactly_those_rows_and_imports_back_unchanged(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    page = _page(qtbot, demo_db)
    page.search.setText("粮油")
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < 2_000, timeout=3_000)
    ids = page.model.ids()

    page.export_button.click()
    dialog = page.findChild(ExportDialog)
    assert dialog is not None
    assert dialog.filtered_radio.isChecked()
    assert dialog.filtered_radio.text() == f"当前筛选结果（{len(ids):,} 条）"
    assert dialog.target().name == default_export_name("entities")
    assert not dialog.personal_box.isChecked()
    target = tmp_path / "粮油.xlsx"
    dialog.set_target(target)
    dialogs.answer("取消")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: page.findChild(ExportDialog) is None)

    rows = _sheet_rows(target)
    header = list(rows[0])
    name_col, code_col = header.index("名称"), header.index("统一社会信用代码")
    exported = sorted((r[name_col], r[code_col] or "") for r in rows[1:])
    marks = ",".join(str(i) for i in ids)
    with demo_db.engine.connect() as conn:
        expected = sorted(
            (name, code or "")
            for name, code in conn.execute(text(f"SELECT name, uscc FROM entity WHERE id IN ({marks})"))
        )
    assert exported == expected and len(exported) == len(ids)

    before = _count(demo_db, "import_batch")
    wizard = _open_wizard(qtbot, page)
    _read(wizard, target)
    wizard.button(NEXT).click()
    figures = {key: card.figure.text() for key, card in wizard.result_page.cards.items()}
    assert figures == {
        "new": "0", "updated": "0", "unchanged": f"{len(ids):,}", "skipped": "0", "warnings": "0", "errors": "0",
    }  # fmt: skip
    assert "没有需要写入的变化" in wizard.result_page.verdict.text()
    wizard.button(COMMIT).click()
    assert "没有需要写入的变化" in wizard.done_page.summary_label.text()
    assert _count(demo_db, "import_batch") == before
    wizard.button(FINISH).click()


def test_an_export_blocked_by_excel_says_so(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, dialogs: DialogAnswerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_args: Any, **_kwargs: Any) -> None:
        try:
            raise PermissionError(13, "Permission denied")
        except PermissionError as exc:
            raise ExportError("无法写入文件：Permission denied") from exc

    monkeypatch.setattr(export_dialog, "export_registry", locked)
    page = _page(qtbot, demo_db)
    dialog = ExportDialog(page.context, "entities", [], page)
    assert not dialog.filtered_radio.isEnabled() and dialog.all_radio.isChecked()
    dialog.set_target(tmp_path / "名录.xlsx")
    dialogs.answer("确定")
    assert dialog.run_export() is None
    assert "文件可能正在被 Excel 打开，请关闭后重试" in dialogs.seen[0]
    assert dialog.summary is None
    dialog.reject()


def test_the_issue_model_hands_rows_out_in_batches(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    issues = [
        RowIssue(n + 2, "名称", "error" if n % 3 == 0 else "warning", f"第{n}条说明")
        for n in range(BATCH * 2 + 5)
    ]
    model = IssueTableModel(issues)
    assert model.rowCount() == BATCH and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == BATCH * 2
    model.set_filter(SHOW_ERRORS)
    assert model.total() == sum(1 for i in issues if i.severity == "error")
    assert {model.index(r, 2).data() for r in range(model.rowCount())} == {"错误"}
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == "第2行 第0条说明"
    qtmodeltester.check(IssueTableModel(issues))
