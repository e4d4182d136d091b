"""Registry pages driven like a clerk: type a search, pick filters, sort by a header, archive and restore."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.database import Database
from app.registry import query as rq
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.registry_model import RegistryTableModel
from ui.pages.registry_page import EntitiesPage, InspectorsPage, ItemsPage


def _page(qtbot: QtBot, database: Database, page_type: type) -> tuple[MainWindow, EntitiesPage]:
    window = MainWindow(AppContext(database))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page(page_type)
    return window, page  # type: ignore[return-value]


def _sql_count(database: Database, sql: str) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_registry_models_pass_the_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    for view in (rq.ENTITIES, rq.INSPECTORS, rq.ITEMS):
        model = RegistryTableModel(demo_db, view)
        qtmodeltester.check(model)
        model.set_query(rq.RegistryQuery(text="示范", sort_key=view.default_sort))
        qtmodeltester.check(model)


def test_model_fetches_rows_lazily(demo_db: Database) -> None:
    model = RegistryTableModel(demo_db, rq.ENTITIES)
    assert model.rowCount() == 2_000
    assert len(model._cache) == 0, "nothing fetched before the view asks"
    assert model.index(1_500, 0).data()
    assert 0 < len(model._cache) <= 200


def test_typing_a_search_filters_the_table(qtbot: QtBot, demo_db: Database) -> None:
    _window, page = _page(qtbot, demo_db, EntitiesPage)
    assert page.model.rowCount() == 2_000
    page.search.setText("粮油")
    expected = _sql_count(
        demo_db, "SELECT count(*) FROM entity WHERE name LIKE '%粮油%' OR address LIKE '%粮油%'"
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == expected, timeout=3000)
    assert all("粮油" in page.model.index(r, 0).data() for r in range(page.model.rowCount()))
    assert f"当前显示 {expected:,} 条" in page.count_label.text()
    page.reset_filters()
    assert page.model.rowCount() == 2_000


def test_filter_buttons_and_header_sort(qtbot: QtBot, demo_db: Database) -> None:
    _window, page = _page(qtbot, demo_db, EntitiesPage)
    risk = next(b for b in page.filter_buttons if b.key == "risk_level")
    risk.set_selected(["高"])
    assert risk.text() == "风险等级：高"
    assert page.model.rowCount() == _sql_count(demo_db, "SELECT count(*) FROM entity WHERE risk_level = '高'")
    column = [c.key for c in rq.ENTITIES.columns].index("town")
    page.table.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    towns = [page.model.index(r, column).data() for r in range(page.model.rowCount())]
    assert towns == sorted(towns, reverse=True)
    assert page.clear_filters.isEnabled()


def test_archive_asks_first_then_moves_rows_and_restore_brings_them_back(
    qtbot: QtBot, demo_db: Database, dialogs
) -> None:  # type: ignore[no-untyped-def]
    _window, page = _page(qtbot, demo_db, EntitiesPage)
    page.table.selectRow(0)
    first_id = page.selected_ids()[0]
    assert page.archive_button.isEnabled()
    dialogs.answer("取消")
    page.archive_selected()
    assert page.model.rowCount() == 2_000, "cancel changes nothing"
    dialogs.answer("归档")
    page.archive_selected()
    assert page.model.rowCount() == 1_999
    assert page.model.row_of(first_id) == -1
    page.archived_box.setChecked(True)
    assert page.model.ids() == [first_id]
    assert page.archive_button.text() == "恢复"
    page.table.selectRow(0)
    dialogs.answer("恢复")
    page.archive_selected()
    assert page.model.rowCount() == 0
    page.archived_box.setChecked(False)
    assert page.model.rowCount() == 2_000
    assert _sql_count(demo_db, "SELECT count(*) FROM entity") == 2_000, "nothing is ever deleted"


def test_selecting_a_row_shows_its_details(qtbot: QtBot, demo_db: Database) -> None:
    _window, page = _page(qtbot, demo_db, InspectorsPage)
    page.table.selectRow(3)
    row_id = page.selected_ids()[0]
    with demo_db.engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM inspector WHERE id = :i"), {"i": row_id}).scalar_one()
    assert page.detail.labels["name"].text() == name
    assert page.detail.values_area.isVisible()


def test_items_page_lists_the_items(qtbot: QtBot, demo_db: Database) -> None:
    _window, page = _page(qtbot, demo_db, ItemsPage)
    assert page.model.rowCount() == _sql_count(demo_db, "SELECT count(*) FROM inspection_item")


def test_add_edit_and_bulk_edit_through_the_dialogs(qtbot: QtBot, demo_db: Database, dialogs) -> None:  # type: ignore[no-untyped-def]
    from ui.widgets.bulk_edit import BulkEditDialog
    from ui.widgets.record_form import RecordDialog

    window, page = _page(qtbot, demo_db, EntitiesPage)
    dialog = RecordDialog(window.context, "entities", None, page)
    dialog.editors["name"].setText("示范县新开张便利店")  # type: ignore[attr-defined]
    dialog.editors["uscc"].setText("ABC")  # type: ignore[attr-defined]
    assert dialog.save() is False, "a malformed code is refused"
    assert (
        dialog.problems["uscc"].isVisibleTo(dialog) and "统一社会信用代码" in dialog.problems["uscc"].text()
    )
    dialog.editors["uscc"].setText("")  # type: ignore[attr-defined]
    assert dialog.save() is True and dialog.saved_id is not None
    new_id = dialog.saved_id
    page.refresh()
    assert page.model.row_of(new_id) >= 0
    assert _sql_count(demo_db, "SELECT count(*) FROM entity") == 2_001

    page.select_id(new_id)
    editor = RecordDialog(window.context, "entities", new_id, page)
    assert editor.editors["name"].text() == "示范县新开张便利店"  # type: ignore[attr-defined]
    editor.editors["address"].setText("示范县城关镇幸福街8号")  # type: ignore[attr-defined]
    assert editor.save()
    assert _sql_count(demo_db, "SELECT count(*) FROM entity WHERE address = '示范县城关镇幸福街8号'") == 1
    assert "暂无抽查记录" in page.detail.extra_body.text()

    page.table.selectAll()
    ids = page.selected_ids()
    assert len(ids) == 2_001 and page.bulk_button.isEnabled()
    bulk = BulkEditDialog(window.context, "entities", ids[:300], page)
    bulk.field.setCurrentIndex(bulk.field.findData("risk_level"))
    bulk.editor.setCurrentText("高")  # type: ignore[attr-defined]
    dialogs.answer("修改")
    assert bulk.apply()
    assert (
        _sql_count(
            demo_db,
            f"SELECT count(*) FROM entity WHERE risk_level = '高' AND id IN ({','.join(map(str, ids[:300]))})",
        )
        == 300
    )


def test_the_page_queries_only_when_shown_and_keeps_the_default_order(demo_db: Database) -> None:
    page = EntitiesPage(AppContext(demo_db))
    assert not page.model.loaded and page.model.rowCount() == 0, "building the page runs no query"
    assert page.model.query.sort_key == "name" and not page.model.query.descending
    page.refresh()
    assert page.model.loaded and page.model.rowCount() == 2_000
    names = [page.model.index(r, 0).data() for r in range(50)]
    assert names == sorted(names)
