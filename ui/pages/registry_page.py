"""A registry page (检查对象 / 执法检查人员 / 抽查事项): quick search, column filters, a lazy sorted table,
and a detail panel for the selected record."""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth.roles import Permission
from app.registry import query as rq
from app.registry.service import set_archived
from db.engine import transaction
from ui import feedback
from ui.context import AppContext
from ui.models.registry_model import RegistryTableModel
from ui.pages import Page
from ui.widgets.filter_button import FilterButton
from ui.widgets.lazy_table import debounced_search, lazy_table_view, table_beside_detail

log = logging.getLogger(__name__)


class RegistryPage(Page):
    """Shared by the three registries; subclasses set VIEW and may add to the detail panel."""

    VIEW: rq.RegistryView = rq.ENTITIES
    SEARCH_HINT = "搜索…"
    EDIT_PERMISSION = Permission.REGISTRY

    def editing_widgets(self) -> list[QWidget]:
        return [self.archive_button, self.import_button, self.add_button, self.edit_button, self.bulk_button]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        view = self.VIEW
        layout = QVBoxLayout(self)

        top = self.heading_bar(view.title)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        top.addWidget(self.count_label)
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.SEARCH_HINT)
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.archived_box = QCheckBox("查看已归档")
        self.archived_box.toggled.connect(self._apply_query)
        bar.addWidget(self.archived_box)
        self.archive_button = QPushButton("归档")
        self.archive_button.setToolTip("归档后不再参与抽取；可在“查看已归档”中恢复。数据不会被删除。")
        self.archive_button.clicked.connect(self.archive_selected)
        bar.addWidget(self.archive_button)
        self.import_button = QPushButton("导入…")
        self.import_button.setToolTip("从 Excel（xlsx、xls）或 CSV 文件导入；写入前先逐行检查并显示结果")
        self.import_button.clicked.connect(self.open_import)
        bar.addWidget(self.import_button)
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("把当前筛选结果或全部记录导出为 Excel 文件")
        self.export_button.clicked.connect(self.open_export)
        bar.addWidget(self.export_button)
        self.action_bar = bar
        layout.addLayout(bar)

        filters = QHBoxLayout()
        filters.setSpacing(4)
        self.filter_buttons: list[FilterButton] = []
        for f in view.filters:
            button = FilterButton(f.key, f.title, functools.partial(self._filter_values, f.key))
            button.changed.connect(self._apply_query)
            self.filter_buttons.append(button)
            filters.addWidget(button)
        self.clear_filters = QPushButton("清除筛选")
        self.clear_filters.clicked.connect(self.reset_filters)
        filters.addWidget(self.clear_filters)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.model = RegistryTableModel(context.database, view, load=False)
        self.table = lazy_table_view(self.model, [column.width for column in view.columns])
        # The indicator first, then sorting on: enabling sorting sorts by the indicator, and the model only
        # records it (the page loads once, in refresh()).
        self.table.horizontalHeader().setSortIndicator(
            [c.key for c in view.columns].index(view.default_sort), Qt.SortOrder.AscendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self._add_edit_actions()
        self.detail = self.build_detail()
        layout.addWidget(table_beside_detail(self.table, self.detail, (900, 320)), 1)

        self._search_timer = debounced_search(self.search, self._apply_query, self)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)
        self.model.query_changed.connect(self._update_count)
        self._total = 0
        self._update_buttons()

    # --- what subclasses provide -----------------------------------------------------------------------
    def build_detail(self) -> QWidget:
        """The right-hand panel; the default shows the selected row's columns."""
        from ui.widgets.record_detail import RecordDetail

        return RecordDetail(self.VIEW)

    def show_detail(self, row_id: int | None) -> None:
        from ui.widgets.record_detail import RecordDetail

        if isinstance(self.detail, RecordDetail):
            values = None
            if row_id is not None:
                with self.context.database.sessions() as session:
                    values = rq.fetch_rows(session, self.VIEW, [row_id]).get(row_id)
            self.detail.show_values(values)

    # --- querying ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.context.database.sessions() as session:
            self._total = rq.count(session, self.VIEW, rq.RegistryQuery())
        self._apply_query()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_query(self) -> rq.RegistryQuery:
        return rq.RegistryQuery(
            text=self.search.text().strip(),
            filters={b.key: b.selected() for b in self.filter_buttons if b.selected()},
            archived=self.archived_box.isChecked(),
            sort_key=self.model.query.sort_key,
            descending=self.model.query.descending,
        )

    def _apply_query(self) -> None:
        self._search_timer.stop()
        selected = self.selected_ids()
        self.model.set_query(self.current_query())
        self._restore_selection(selected)
        self._update_buttons()

    def reset_filters(self) -> None:
        for button in self.filter_buttons:
            button.blockSignals(True)
            button.clear()
            button.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._apply_query()

    def _filter_values(self, key: str) -> list[str]:
        with self.context.database.sessions() as session:
            return rq.filter_values(session, self.VIEW, key)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        where = "已归档" if self.archived_box.isChecked() else "在册"
        self.count_label.setText(f"{where}共 {self._total:,} 条　当前显示 {shown:,} 条")
        self.clear_filters.setEnabled(
            bool(self.search.text() or any(b.selected() for b in self.filter_buttons))
        )

    # --- selection -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(r) for r in rows if r < self.model.rowCount()]

    def select_id(self, row_id: int) -> bool:
        row = self.model.row_of(row_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _restore_selection(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        for row_id in ids[:500]:
            row = self.model.row_of(row_id)
            if row >= 0:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )

    def _on_selection(self) -> None:
        ids = self.selected_ids()
        self.show_detail(ids[0] if len(ids) == 1 else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        archived = self.archived_box.isChecked()
        self.archive_button.setText("恢复" if archived else "归档")
        self.archive_button.setEnabled(bool(ids))
        self.edit_button.setEnabled(len(ids) == 1 and not archived)
        self.bulk_button.setEnabled(len(ids) > 1 and not archived)

    # --- actions -------------------------------------------------------------------------------------
    def _add_edit_actions(self) -> None:
        """新增 / 编辑 / 批量修改 before the 归档 button; double-click on a row edits it."""
        self.add_button = QPushButton("新增…")
        self.edit_button = QPushButton("编辑…")
        self.bulk_button = QPushButton("批量修改…")
        self.bulk_button.setToolTip("选中多条记录后统一修改一个字段，如风险等级")
        position = self.action_bar.indexOf(self.archive_button)
        for offset, button in enumerate((self.add_button, self.edit_button, self.bulk_button)):
            self.action_bar.insertWidget(position + offset, button)
        self.add_button.clicked.connect(self.add_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.bulk_button.clicked.connect(self.bulk_edit_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

    def add_record(self) -> int | None:
        from ui.widgets.record_form import RecordDialog

        dialog = RecordDialog(self.context, self.VIEW.name, None, self)
        if not dialog.exec() or dialog.saved_id is None:
            return None
        self._after_edit(dialog.saved_id, "已新增一条记录。")
        return dialog.saved_id

    def edit_selected(self) -> bool:
        from ui.widgets.record_form import RecordDialog

        ids = self.selected_ids()
        if len(ids) != 1 or self.archived_box.isChecked():
            return False
        dialog = RecordDialog(self.context, self.VIEW.name, ids[0], self)
        if not dialog.exec():
            return False
        self._after_edit(ids[0], "记录已保存。")
        return True

    def bulk_edit_selected(self) -> int:
        from ui.widgets.bulk_edit import BulkEditDialog

        ids = self.selected_ids()
        if len(ids) < 2:
            return 0
        dialog = BulkEditDialog(self.context, self.VIEW.name, ids, self)
        if not dialog.exec():
            return 0
        self.context.data_changed.emit(self.VIEW.name)
        self.refresh()
        self.context.status_message.emit(f"已修改 {dialog.changed:,} 条记录。")
        return dialog.changed

    def _after_edit(self, row_id: int, message: str) -> None:
        self.context.data_changed.emit(self.VIEW.name)
        self.refresh()
        if not self.select_id(row_id):
            self.context.status_message.emit(message + "（不在当前筛选结果中）")
            return
        self.show_detail(row_id)
        self.context.status_message.emit(message)

    def archive_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        restoring = self.archived_box.isChecked()
        verb = "恢复" if restoring else "归档"
        if not feedback.confirm(
            self,
            f"确定{verb}选中的 {len(ids):,} 条记录吗？"
            + ("" if restoring else "\n归档后不再参与抽取，可随时在“查看已归档”中恢复。"),
            ok_text=verb,
        ):
            return
        with transaction(self.context.database.sessions) as session:
            changed = set_archived(session, self.VIEW.name, ids, archived=not restoring)
        log.info("%s %d %s rows", verb, changed, self.VIEW.name)
        self.context.data_changed.emit(self.VIEW.name)
        self.refresh()
        self.context.status_message.emit(f"已{verb} {changed:,} 条记录。")

    def open_import(self) -> None:
        """The import wizard for this registry (window-modal); the page refreshes after an import."""
        from ui.io.import_wizard import ImportWizard

        wizard = ImportWizard(self.context, self.VIEW.name, self)
        wizard.imported.connect(lambda _summary: self.refresh())
        wizard.open()

    def open_export(self) -> None:
        """The export dialog, offering the ids of the current filter result or the whole registry."""
        from ui.io.export_dialog import ExportDialog

        ExportDialog(self.context, self.VIEW.name, self.model.ids(), self).open()


class EntitiesPage(RegistryPage):
    VIEW = rq.ENTITIES
    TITLE = rq.ENTITIES.title
    SEARCH_HINT = "搜索名称、统一社会信用代码、地址、负责人、电话（Ctrl+F）"

    def show_detail(self, row_id: int | None) -> None:
        from app.registry.history import inspection_history
        from ui.widgets.record_detail import RecordDetail

        super().show_detail(row_id)
        if row_id is None or not isinstance(self.detail, RecordDetail):
            return
        with self.context.database.sessions() as session:
            history = inspection_history(session, row_id)
        lines = [
            f"{h.year}年　{h.task}　{'检查日期 ' + h.inspected_on.isoformat() if h.inspected_on else '已抽中'}　{h.result}"
            for h in history
        ]
        self.detail.show_extra("抽查记录", lines, "暂无抽查记录。")


class InspectorsPage(RegistryPage):
    VIEW = rq.INSPECTORS
    TITLE = rq.INSPECTORS.title
    SEARCH_HINT = "搜索姓名、执法证号、人员编号、电话、专长（Ctrl+F）"


class ItemsPage(RegistryPage):
    VIEW = rq.ITEMS
    TITLE = rq.ITEMS.title
    SEARCH_HINT = "搜索编号、抽查事项、类别、检查对象、依据、编制单位（Ctrl+F）"
