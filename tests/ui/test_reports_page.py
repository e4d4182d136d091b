"""统计上报 page on the hand-built county of tests/app/reports/conftest.py (every figure known): the preview
shows each table's cells, the period and the departments change them, a click on a number lists exactly its
records, the files are written, and failures are told in Chinese."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.database import Database, open_database
from app.reports import Facts, Period, StatTable, build_table, collect_facts, drill_down, drill_local_ids
from app.reports.measures import axis_step, progress_charts
from db.engine import transaction
from db.models import AuditEntry, InspectionTask
from tests.app.forms.pdf_tools import page_count, pdf_text, squeeze
from tests.app.reports.conftest import AS_OF, _build
from tests.ui.conftest import DialogAnswerer, ModalDriver
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.reports_page import ExportInfo, ExportInfoDialog, ReportsPage
from ui.pages.tasks_page import TasksPage
from ui.widgets.charts import ProgressChartsView
from ui.widgets.drill_down_dialog import DrillDownDialog, DrillRowsModel
from ui.widgets.stat_table_view import DRILL_TIP, LINK_COLOUR, StatTableModel, fit_widths

H1 = Period.half(2026, 1)
SJ, WJ, HB, JY = "示范县市场监督管理局", "示范县卫生健康委员会", "示范县生态环境局", "示范县教育局"
INFO = ExportInfo("示范县司法局", "王芳（0898-7654321）", dt.date(2026, 7, 20))


@pytest.fixture(scope="module")
def county_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports_page") / "county.db"
    database = open_database(path)
    with transaction(database.sessions) as session:
        _build(session)
    database.close()
    return path


@pytest.fixture
def county_db(county_file: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "county.db"
    shutil.copyfile(county_file, target)
    database = open_database(target)
    yield database
    database.close()


def facts_for(db: Database, period: Period = H1) -> Facts:
    with db.sessions() as session:
        return collect_facts(session, period, as_of=AS_OF)


def open_page(qtbot: QtBot, db: Database, period: str = "上半年") -> ReportsPage:
    page = ReportsPage(AppContext(db))
    qtbot.addWidget(page)
    page.as_of = AS_OF
    page.resize(1366, 740)
    page.show()
    qtbot.waitExposed(page)
    page.set_period(period, 2026)
    page.refresh()
    assert page.facts is not None and page.facts.period == page.chosen_period()
    return page


def texts(table: StatTable) -> list[list[str]]:
    rows = [*table.rows, *([table.totals] if table.totals else [])]
    return [[c.text for c in row] for row in rows]


def click_cell(qtbot: QtBot, page: ReportsPage, row: int, column: int) -> None:
    view = page.view
    index = view.stat_model.index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def column(page: ReportsPage, name: str) -> int:
    table = page.current_table()
    assert table is not None
    return table.column_index(name)


# --- the preview ----------------------------------------------------------------------------------------


def test_the_preview_shows_every_table_cell_for_cell(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    facts = facts_for(county_db)
    for kind in ("plan", "progress", "joint", "non_market_plan", "non_market"):
        page.select_table(kind)
        expected = build_table(kind, facts)
        assert page.view.visible_texts() == texts(expected), kind
        assert page.title_label.text() == expected.title
        assert page.period_label.text() == "统计期间：2026年上半年（2026年1月1日至2026年6月30日）"
        header = page.view.header
        assert [(h.text, h.row, h.col, h.rowspan, h.colspan) for h in header.cells] == [
            (h.text, h.row, h.col, h.rowspan, h.colspan) for h in expected.headers
        ]
        assert all(note in page.notes_text() for note in expected.notes)
    # The figures worked out by hand in tests/app/reports/test_tables.py.
    page.select_table("progress")
    assert page.view.visible_texts()[-1] == [
        "合计", "", "4", "5", "4", "2", "2", "16", "10", "7", "3", "2", "2", "5", "71.4%", "60.0%",
    ]  # fmt: skip
    assert page.view.visible_texts()[0][:4] == ["1", SJ, "2", "3"]


def test_merged_headers_and_the_bold_totals_row(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    view, model = page.view, page.view.stat_model
    group = next(h for h in view.header.cells if h.text == "检查对象（户）")
    leaves = [h for h in view.header.cells if h.row == 1 and group.col <= h.col < group.col + group.colspan]
    rect = view.header.cell_rect(group)
    assert rect.width() == sum(view.header.cell_rect(h).width() for h in leaves)  # one cell over five
    assert rect.height() < view.header.cell_rect(view.header.cells[0]).height()  # 序号 spans both rows
    last = model.rowCount() - 1
    assert model.is_totals(last) and view.columnSpan(last, 0) == 2  # 合计 over 序号 and 部门
    assert model.index(last, 2).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 2).data(Qt.ItemDataRole.FontRole) is None


def test_numbers_with_records_look_clickable(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    model, view = page.view.stat_model, page.view
    problems = model.index(0, column(page, "发现问题数"))
    assert problems.data(Qt.ItemDataRole.ForegroundRole) == LINK_COLOUR
    assert problems.data(Qt.ItemDataRole.ToolTipRole) == DRILL_TIP
    nothing = model.index(3, column(page, "抽取数"))  # 教育局: 0 drawn, no record to list
    assert nothing.data(Qt.ItemDataRole.ForegroundRole) is None
    name = model.index(0, 1)
    assert name.data(Qt.ItemDataRole.ForegroundRole) is None
    qtbot.mouseMove(view.viewport(), view.visualRect(problems).center())
    qtbot.waitUntil(lambda: view.viewport().cursor().shape() == Qt.CursorShape.PointingHandCursor)
    qtbot.mouseMove(view.viewport(), view.visualRect(name).center())
    qtbot.waitUntil(lambda: view.viewport().cursor().shape() != Qt.CursorShape.PointingHandCursor)


# --- period and departments -----------------------------------------------------------------------------


def test_the_third_quarter_changes_the_numbers(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    page.set_period("第三季度")
    qtbot.waitUntil(
        lambda: page.facts is not None and page.facts.period == Period.quarter(2026, 3), timeout=5000
    )
    # T2 was published in July, but its objects were inspected in the second quarter: not Q3's.
    assert page.view.visible_texts()[0][2:] == [
        "2", "3", "1", "1", "0", "10", "2", "1", "0", "0", "0", "0", "0.0%", "—",
    ]  # fmt: skip
    assert page.period_label.text().startswith("统计期间：2026年第三季度")


def test_a_custom_period_the_wrong_way_round_is_explained(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    before = page.facts
    page.set_period("自定义期间")
    page.start_date.setDate(dt.date(2026, 6, 30))
    page.end_date.setDate(dt.date(2026, 3, 1))
    page.apply_choices()
    assert page.period_error.isVisible() and "晚于结束日期" in page.period_error.text()
    assert page.facts is before
    page.end_date.setDate(dt.date(2026, 7, 31))
    page.apply_choices()
    assert not page.period_error.isVisible()
    assert page.facts is not None and page.facts.period.label == "2026年6月30日至2026年7月31日"


def test_departments_filter_the_tables_without_reading_the_data_again(
    qtbot: QtBot, county_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, county_db)
    collected: list[Period] = []
    import ui.pages.reports_page as module

    real = module.collect_facts
    monkeypatch.setattr(module, "collect_facts", lambda s, p, **kw: collected.append(p) or real(s, p, **kw))
    names = [page.dept_list.item(r).text() for r in range(page.dept_list.count())]
    assert names == [SJ, WJ, HB, JY] and page.dept_choice.currentText() == "全部部门"
    # Only 卫健委 ticked: its row, and its own unit and contact on the files.
    for row in range(page.dept_list.count()):
        item = page.dept_list.item(row)
        item.setCheckState(Qt.CheckState.Checked if item.text() == WJ else Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: page.codes == ("WJ",), timeout=5000)
    assert page.dept_choice.currentText() == "自选部门"
    shown = page.view.visible_texts()
    assert [r[1] for r in shown] == [WJ, ""] and shown[-1][2:6] == ["1", "1", "1", "2"]
    assert page.default_info(page.current_table()).unit == WJ  # type: ignore[arg-type]
    assert page.default_info(page.current_table()).contact == "李华"  # type: ignore[arg-type]
    # 非市场监管领域: 卫健委, 生态环境局, 教育局.
    page.dept_choice.setCurrentText("非市场监管领域")
    page.dept_choice.activated.emit(page.dept_choice.currentIndex())
    qtbot.waitUntil(lambda: page.codes == ("WJ", "HB", "JY"), timeout=5000)
    assert [r[1] for r in page.view.visible_texts()] == [WJ, HB, JY, ""]
    page.select_table("joint")  # switching tables reads nothing either
    assert [r[1] for r in page.view.visible_texts()] == ["RW-2026-0002", "RW-2026-0006", ""]
    assert collected == []
    # Nothing ticked: said so, nothing to export.
    page.set_departments(())
    qtbot.waitUntil(lambda: page.codes == (), timeout=5000)
    assert page.current_table() is None and "请至少勾选一个部门" in page.period_label.text()
    assert not page.xlsx_button.isEnabled()
    page.set_departments(None)
    qtbot.waitUntil(lambda: page.codes is None, timeout=5000)
    assert page.dept_choice.currentText() == "全部部门" and collected == []


def test_data_changed_elsewhere_is_read_again_when_the_page_is_shown(
    qtbot: QtBot, county_db: Database
) -> None:
    page = open_page(qtbot, county_db)
    before = page.facts
    page.refresh()
    assert page.facts is before
    page.context.data_changed.emit("inspections")
    page.refresh()
    assert page.facts is not before and page.facts == before


# --- drill-down -----------------------------------------------------------------------------------------


def test_clicking_a_number_lists_exactly_its_records(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    facts = facts_for(county_db)
    at = column(page, "发现问题数")
    click_cell(qtbot, page, 0, at)
    dialog = page.drill_dialog
    assert isinstance(dialog, DrillDownDialog) and dialog.isVisible()
    cell = build_table("progress", facts).rows[0][at]
    headers, rows = drill_down(facts, cell)
    model = dialog.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == list(
        headers
    )
    shown = [
        tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())
    ]
    assert shown == rows and [r[1] for r in shown] == [
        "示范县第2号商贸有限公司",
        "示范县第3号商贸有限公司",
        "示范县第5号商贸有限公司",
    ]
    assert dialog.content.local_ids == drill_local_ids(facts, cell)
    assert "共 3 条记录" in dialog.summary.text() and SJ in dialog.summary.text()
    assert "发现问题数" in dialog.windowTitle()
    dialog.close()
    # Enter on a number does the same: the 合计 row's 公示率 lists its base with a 已公示 column.
    rate = page.view.stat_model.index(page.view.stat_model.rowCount() - 1, column(page, "公示率"))
    page.view.setFocus()
    page.view.setCurrentIndex(rate)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    dialog = page.drill_dialog
    assert dialog is not None and dialog.model.rowCount() == 7
    assert dialog.content.headers[-1] == "已公示"
    assert sorted(dialog.model.index(r, 11).data() for r in range(7)) == [
        "否",
        "否",
        "是",
        "是",
        "是",
        "是",
        "是",
    ]
    assert "71.4%" in dialog.summary.text() and "分母共 7 条" in dialog.summary.text()


def test_a_number_without_records_opens_nothing(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    click_cell(qtbot, page, 3, column(page, "抽取数"))  # 教育局: 0
    click_cell(qtbot, page, 0, 1)  # a department's name
    assert page.drill_dialog is None


def test_the_drill_down_list_searches_and_exports(qtbot: QtBot, county_db: Database, tmp_path: Path) -> None:
    page = open_page(qtbot, county_db)
    totals = page.view.stat_model.rowCount() - 1
    dialog = page.open_drill(totals, column(page, "抽取数"))
    assert dialog is not None and dialog.model.rowCount() == 10
    dialog.search.setText("第1")  # 第1号, 第10号, 第11号, 第12号
    dialog.apply_search()
    names = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
    assert names == [f"示范县第{n}号商贸有限公司" for n in (1, 10, 11, 12)]
    assert dialog.count_label.text() == "显示 4 / 10 条"
    written = dialog.export_xlsx(tmp_path / "抽取明细")
    assert written == tmp_path / "抽取明细.xlsx"
    sheet = load_workbook(written).active
    assert sheet is not None
    assert sheet["A1"].value == "抽取数明细（合计）"
    assert [sheet.cell(row=4, column=c).value for c in (1, 2, 4)] == ["序号", "任务编号", "对象名称"]
    assert [sheet.cell(row=r, column=4).value for r in range(5, 9)] == names
    assert sheet.cell(row=9, column=1).value is None  # four rows: what is listed
    assert any("含“第1”的 4 条（共 10 条）" in str(c.value) for c in sheet["A"] if c.value)


def test_the_drill_down_model_passes_qts_checks(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = DrillRowsModel(("任务编号", "对象名称"), [("RW-1", "甲公司"), ("RW-2", "乙公司"), ("RW-2", "丙")])
    qtmodeltester.check(model)
    model.set_filter("rw-2")
    assert model.rowCount() == 2 and model.source_row(1) == 2
    qtmodeltester.check(model)


def test_the_table_model_passes_qts_checks(qtmodeltester, county_db: Database) -> None:  # type: ignore[no-untyped-def]
    model = StatTableModel()
    model.set_table(build_table("progress", facts_for(county_db)))
    qtmodeltester.check(model)
    model.set_table(build_table("joint", facts_for(county_db, Period.quarter(2026, 1))))  # empty: one row
    assert model.rowCount() == 2 and model.index(0, 0).data() == "（统计期间内没有联合抽查任务）"
    qtmodeltester.check(model)


def test_enter_on_a_listed_task_opens_it_on_the_tasks_page(qtbot: QtBot, county_db: Database) -> None:
    # The hand-built tasks lack the sampling rule the tasks page shows beside a task.
    with transaction(county_db.sessions) as session:
        session.execute(update(InspectionTask).values(strata={"basis": "全部", "rules": {"全部": "0.05"}}))
    window = MainWindow(AppContext(county_db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page(ReportsPage)
    assert isinstance(page, ReportsPage)
    page.set_period("上半年", 2026)
    page.apply_choices()
    totals = page.view.stat_model.rowCount() - 1
    dialog = page.open_drill(totals, column(page, "参与联合抽查"))
    assert dialog is not None and "抽查任务与摇号" in dialog.hint.text()
    codes = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert codes == ["RW-2026-0002", "RW-2026-0006"]
    dialog.view.setFocus()
    dialog.view.setCurrentIndex(dialog.model.index(1, 0))
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    tasks = window.current_page()
    assert isinstance(tasks, TasksPage)
    selected = tasks.selected()
    assert selected is not None and selected.code == "RW-2026-0006" and tasks.year.value() == 2026
    qtbot.waitUntil(lambda: not dialog.isVisible())


# --- charts ---------------------------------------------------------------------------------------------


def test_the_charts_show_the_figures_of_the_table(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    charts = page.chart_view
    assert page.tabs.isTabEnabled(page.charts_tab)
    monthly = charts.monthly_chart
    assert monthly.categories == ("1月", "2月", "3月", "4月", "5月", "6月")
    drawn, inspected = (s.values for s in monthly.series)
    assert drawn == (0, 0, 3, 2, 2, 3) and inspected == (0, 0, 3, 1, 1, 2)
    assert charts.charts == progress_charts(facts_for(county_db))  # the PDF's chart data, not a recount
    totals = page.current_table().totals  # type: ignore[union-attr]
    assert totals is not None
    assert sum(drawn) == totals[column(page, "抽取数")].value
    assert sum(inspected) == totals[column(page, "已检查数")].value
    assert charts.results_chart.items[0] == ("未发现问题", 3)
    page.tabs.setCurrentIndex(page.charts_tab)
    assert not monthly.grab().isNull()  # it paints
    # One department: its figures only.
    page.set_departments(("WJ",))
    qtbot.waitUntil(lambda: page.codes == ("WJ",), timeout=5000)
    assert charts.results_chart.items == (("未发现问题", 1),)
    page.select_table("joint")
    assert not page.tabs.isTabEnabled(page.charts_tab) and page.tabs.currentIndex() == 0


def test_axis_steps_are_round() -> None:
    assert [axis_step(n) for n in (1, 4, 12, 37, 480, 14690)] == [1, 1, 5, 10, 100, 5000]


def test_chart_view_without_data_paints_its_empty_text(qtbot: QtBot) -> None:
    view = ProgressChartsView()
    qtbot.addWidget(view)
    view.set_charts(None)
    view.resize(900, 300)
    view.show()
    assert view.monthly_chart.categories == () and not view.results_chart.grab().isNull()


def test_column_widths_fill_the_width_and_never_cut_a_number() -> None:
    # The department grows to its name's width first; what is left goes to every column by weight.
    assert fit_widths([5, 22, 8, 8], [36, 60, 50, 40], [36, 180, 50, 40], 400) == [46, 228, 67, 59]
    assert fit_widths([5, 22, 8, 8], [36, 60, 50, 40], [36, 180, 50, 40], 300) == [36, 174, 50, 40]
    assert fit_widths([5, 22, 8, 8], [36, 60, 50, 40], [36, 180, 50, 40], 150) == [36, 60, 50, 40]


# --- files ----------------------------------------------------------------------------------------------


def test_export_excel_and_pdf(qtbot: QtBot, county_db: Database, tmp_path: Path) -> None:
    page = open_page(qtbot, county_db)
    messages: list[str] = []
    page.context.status_message.connect(messages.append)
    xlsx = page.export_table("xlsx", tmp_path / "进展.xlsx", INFO)
    assert xlsx == tmp_path / "进展.xlsx"
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    assert sheet["A1"].value == "市直部门2026年度随机抽查工作进展情况统计表"
    assert sheet["A3"].value == "填报单位（盖章）：示范县司法局"
    assert [sheet.cell(row=10, column=c).value for c in (1, 3, 9, 15)] == [
        "合计",
        4,
        10,
        pytest.approx(5 / 7),
    ]
    assert messages == [f"统计表已导出：{xlsx}"]
    pdf = page.export_table("pdf", tmp_path / "进展", INFO)
    assert pdf == tmp_path / "进展.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert page_count(pdf) >= 2  # the table, then the page of charts
    text = squeeze(pdf_text(pdf))
    assert "示范县司法局" in text and "图1各月抽取与检查对象数" in text
    with county_db.sessions() as session:
        exports = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "导出", AuditEntry.object_type == "统计表")
        ).all()
    assert exports == [
        "导出统计表（2026年上半年，本机数据）：“进展.xlsx”",
        "导出统计表（2026年上半年，本机数据）：“进展.pdf”",
    ], "each export is in the audit trail"


def test_the_export_form_offers_the_departments_unit_and_contact(
    qtbot: QtBot, county_db: Database, tmp_path: Path
) -> None:
    page = open_page(qtbot, county_db)
    page.set_departments(("SJ",))
    qtbot.waitUntil(lambda: page.codes == ("SJ",), timeout=5000)
    seen: list[tuple[str, str]] = []

    def fill(dialog: ExportInfoDialog) -> None:
        seen.append((dialog.unit.text(), dialog.contact.text()))
        dialog.contact.setText("赵六")
        dialog.accept()

    driver = ModalDriver(ExportInfoDialog, fill)  # noqa: F841 (kept alive while the form is open)
    written = page.export_table("xlsx", tmp_path / "sj.xlsx")
    assert seen == [(SJ, "张敏（0898-1234567）")]
    assert written is not None
    sheet = load_workbook(written).active
    assert sheet is not None
    assert any(sheet.cell(row=3, column=c).value == "联系人：赵六" for c in range(1, 17))
    assert "联系人：赵六" in page.info_label.text()  # remembered for this choice of departments
    assert (
        page.file_stem(page.current_table())
        == f"{SJ}_市直部门2026年度随机抽查工作进展情况统计表（2026年上半年）"
    )  # type: ignore[arg-type]


def test_export_all_writes_ten_files(qtbot: QtBot, county_db: Database, tmp_path: Path) -> None:
    page = open_page(qtbot, county_db)
    written = page.export_all(tmp_path, INFO)
    assert written is not None and len(written) == 10
    assert sorted(p.suffix for p in written) == [".pdf"] * 5 + [".xlsx"] * 5
    titles = {load_workbook(p).active["A1"].value for p in written if p.suffix == ".xlsx"}  # type: ignore[index]
    assert titles == {t.title for t in page.tables.values()}
    assert all(p.read_bytes().startswith(b"%PDF") for p in written if p.suffix == ".pdf")


def test_an_unwritable_place_is_explained_in_chinese(
    qtbot: QtBot, county_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    page = open_page(qtbot, county_db)
    blocker = tmp_path / "不是文件夹.txt"
    blocker.write_text("x")
    dialogs.answer("确定", "确定")
    assert page.export_table("xlsx", blocker / "进展.xlsx", INFO) is None
    assert page.export_all(tmp_path / "没有这个文件夹", INFO) is None
    assert dialogs.seen[0].startswith("无法写入“进展.xlsx”：所选位置不是文件夹")
    assert dialogs.seen[1].startswith("文件夹不存在")
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_missing_chinese_font_is_explained(
    qtbot: QtBot,
    county_db: Database,
    tmp_path: Path,
    dialogs: DialogAnswerer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.forms.fonts import FontNotFoundError
    from app.reports import pdf

    def no_font(_path: object = None) -> None:
        raise FontNotFoundError()

    monkeypatch.setattr(pdf, "register_cjk_fonts", no_font)
    page = open_page(qtbot, county_db)
    dialogs.answer("确定")
    assert page.export_table("pdf", tmp_path / "进展.pdf", INFO) is None
    assert "字体" in dialogs.seen[0] and not (tmp_path / "进展.pdf").exists()


def test_keyboard_order_starts_with_the_tables_and_enter_opens_a_number(
    qtbot: QtBot, county_db: Database
) -> None:
    page = open_page(qtbot, county_db)
    order, widget = [], page.table_list
    for _ in range(7):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
    assert order[:3] == [page.table_list, page.period_kind, page.year]
    assert page.dept_list in order and page.view in order
    page.view.setFocus()
    assert page.view.currentIndex().isValid()  # the first number, ready for Enter
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert page.drill_dialog is not None
    page.drill_dialog.close()


def test_ctrl_e_and_ctrl_p_start_the_exports(qtbot: QtBot, county_db: Database) -> None:
    page = open_page(qtbot, county_db)
    asked: list[str] = []

    def cancel(dialog: ExportInfoDialog) -> None:
        asked.append(dialog.unit.text())
        dialog.reject()

    for key in (Qt.Key.Key_E, Qt.Key.Key_P):
        page.activateWindow()  # the closed form handed the focus back to no window
        qtbot.waitUntil(page.isActiveWindow)
        driver = ModalDriver(ExportInfoDialog, cancel)  # noqa: F841 (kept alive while the form is open)
        qtbot.keyClick(page.view, key, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["示范县行政执法局", "示范县行政执法局"]  # the bureau: every department is chosen


def test_the_main_window_lists_the_page(qtbot: QtBot, county_db: Database) -> None:
    window = MainWindow(AppContext(county_db))
    qtbot.addWidget(window)
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    assert titles.index("统计上报") == titles.index("数据交换") - 1 == titles.index("系统设置") - 2


# --- 数据来源: 全县汇总 ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sj_package(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Facts]:
    """A 数据包 of the demo county's 市场监管局 (SJ) for 2026 with two draws, and the facts it carries."""
    from tests.app.exchange.conftest import department_id, draw_plan_rows, export  # noqa: PLC0415

    folder = tmp_path_factory.mktemp("sj_package")
    shutil.copyfile(demo_template, folder / "sender.db")
    sender = open_database(folder / "sender.db")
    try:
        draw_plan_rows(sender, "SJ", 2)
        path = export(sender, folder / "sj.sjpkg").path
        with sender.sessions() as session:
            sent = collect_facts(session, Period.year(2026), [department_id(sender, "SJ")]).as_received()
    finally:
        sender.close()
    return path, sent


def receive(db: Database, package: Path) -> None:
    from app.exchange import import_package  # noqa: PLC0415

    with db.sessions() as session:
        import_package(session, package)


def row_of(page: ReportsPage, name: str) -> list[str]:
    return next(r for r in page.view.visible_texts() if r[1] == name)


def test_the_county_source_takes_a_received_department_from_its_package(
    qtbot: QtBot, county_db: Database, sj_package: tuple[Path, Facts]
) -> None:
    package, sent = sj_package
    receive(county_db, package)  # this PC holds its own records of SJ too: the package is authoritative
    page = open_page(qtbot, county_db, "年度")
    local_sj, local_wj = row_of(page, SJ), row_of(page, WJ)
    assert not page.county_chosen() and page.source_hint.isHidden()

    page.set_source(True)
    qtbot.waitUntil(lambda: page.received_senders == (SJ,), timeout=5000)
    assert page.source.currentText() == "全县汇总（本机＋收到的数据包）"
    assert page.source_hint.text() == "已合并 1 个部门的数据包。"
    assert page.source_hint.toolTip().startswith(f"{SJ}\n只合并统计期间完全相同的数据包")
    # The department's own figures are the package's (a joint task this PC's 卫健委 leads still counts for
    # it as a partner): its items, plan, planned and drawn objects.
    sent_row = [c.text for c in build_table("progress", sent).rows[0]]
    own = [column(page, n) for n in ("抽查事项数（项）", "年度计划任务数", "计划抽查数", "抽取数")]
    county_sj = row_of(page, SJ)
    assert [county_sj[c] for c in own] == [sent_row[c] for c in own] == ["13", "16", "252", "51"]
    assert [local_sj[c] for c in own] == ["2", "3", "10", "7"]
    county_wj = row_of(page, WJ)  # a department without a package comes from this PC
    assert [county_wj[c] for c in own] == [local_wj[c] for c in own]

    page.set_source(False)
    qtbot.waitUntil(lambda: page.received_senders == () and row_of(page, SJ) == local_sj, timeout=5000)
    assert page.source_hint.isHidden()


def test_the_county_source_says_when_no_package_has_the_period(
    qtbot: QtBot, county_db: Database, sj_package: tuple[Path, Facts]
) -> None:
    receive(county_db, sj_package[0])  # a package of 2026年度, not of the first half
    page = open_page(qtbot, county_db)
    before = page.view.visible_texts()
    page.set_source(True)
    qtbot.waitUntil(lambda: page.source_hint.isVisible(), timeout=5000)
    assert page.source_hint.text() == "没有统计期间为“2026年上半年”的数据包。"
    assert page.source_hint.toolTip().startswith("表中只有本机数据。")
    assert page.view.visible_texts() == before


def test_a_received_record_in_a_drill_down_opens_nothing(
    qtbot: QtBot, county_db: Database, sj_package: tuple[Path, Facts], dialogs: DialogAnswerer
) -> None:
    receive(county_db, sj_package[0])
    window = MainWindow(AppContext(county_db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page(ReportsPage)
    assert isinstance(page, ReportsPage)
    page.set_period("年度", 2026)
    page.set_source(True)
    qtbot.waitUntil(lambda: page.received_senders == (SJ,), timeout=5000)
    totals = page.view.stat_model.rowCount() - 1
    dialog = page.open_drill(totals, column(page, "开展任务数"))  # this PC's tasks and the package's
    assert dialog is not None
    ids = dialog.content.local_ids
    assert None in ids and any(i is not None for i in ids)
    assert "来自其他电脑数据包的记录本机没有原件，不能打开" in dialog.hint.text()
    dialogs.answer("确定")
    assert not dialog.open_row(ids.index(None))
    assert dialogs.seen == ["这条记录来自其他电脑的数据包，本机没有原始记录。"]
    assert window.current_page() is page
    dialog.close()


def test_the_county_source_shows_figures_imported_from_another_departments_table(
    qtbot: QtBot, county_db: Database, tmp_path: Path
) -> None:
    """A department that sends its filled table in Excel (报表导入) appears under 全县汇总, not under 本机数据."""
    from app.reports import progress_table
    from tests.app.reports.test_importer import MARK, imported, write_by_hand

    table = progress_table(facts_for(county_db), ["WJ"])
    rows = [("示范县林业局", [c.value for c in table.rows[0][2:]])]
    imported(county_db, write_by_hand(tmp_path / "林业局.xlsx", table, rows, totals=False))
    page = open_page(qtbot, county_db)
    names = [r[1] for r in page.view.visible_texts()]
    assert "示范县林业局" + MARK not in names

    page.set_source(True)
    qtbot.waitUntil(lambda: "示范县林业局" + MARK in [r[1] for r in page.view.visible_texts()], timeout=5000)
    forestry = row_of(page, "示范县林业局" + MARK)
    drawn = column(page, "抽取数")
    assert forestry[drawn] == table.rows[0][drawn].text
    totals = page.current_table().totals  # type: ignore[union-attr]
    assert totals is not None and any("来源：报表导入" in note for note in page.current_table().notes)  # type: ignore[union-attr]
