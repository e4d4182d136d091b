"""Step 2 of the import wizard: which field each column of the file feeds (列对应关系).

One row per column: its letter, header text and sample values, a combo box of the registry's fields
(or 不导入), and where the choice came from (自动识别 / 上次保存 / 手动修改). Any change re-checks the
file with the new mapping (after a short pause, so arrowing through a combo box checks once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from app.io import ColumnInfo
from ui.io.wording import counts_line
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from ui.io.import_wizard import ImportWizard

COL_LETTER, COL_HEADER, COL_SAMPLES, COL_FIELD, COL_SOURCE = range(5)
HEADERS = ("列", "文件中的表头", "示例内容", "导入为", "来源")
IGNORE_TEXT = "不导入"
REMAP_DELAY_MS = 400
ROW_HEIGHT = 32

SOURCE_AUTO, SOURCE_SAVED, SOURCE_CHANGED, SOURCE_NONE = "自动识别", "上次保存", "手动修改", "未识别"


def _shown(column: ColumnInfo, samples: dict[int, list[str]]) -> bool:
    """Columns without a header are listed only when they hold data."""
    return not column.header.startswith("（第") or bool(samples.get(column.index))


class MappingPage(QWizardPage):
    """The file's columns with a field chooser each; the current check's result below."""

    def __init__(self, importer: ImportWizard) -> None:
        super().__init__()
        self.importer = importer
        self.setTitle("第 2 步：核对列的对应关系")
        self.setSubTitle("请核对文件的每一列要导入到哪个字段。修改后会立即按新的对应关系重新检查。")
        layout = QVBoxLayout(self)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setTabKeyNavigation(False)  # Tab moves between the combo boxes, not the cells
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SAMPLES, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_LETTER, 44), (COL_HEADER, 200), (COL_FIELD, 210), (COL_SOURCE, 86)):
            header.resizeSection(column, width)
        layout.addWidget(self.table, 1)

        note = QLabel("带“*”的字段是必需的，每个字段只能对应一列；选“不导入”的列会被忽略。")
        note.setObjectName("hint")
        layout.addWidget(note)
        self.status_label = hint_label()
        layout.addWidget(self.status_label)

        self.combos: dict[str, QComboBox] = {}  # header label → its field chooser
        self._columns: list[ColumnInfo] = []
        self._moved_note = ""
        self._taken: dict[str, tuple[str, str]] = {}  # column → (column it took a field from, field)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REMAP_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        importer.preview_changed.connect(self._show_status)

    # --- filling -------------------------------------------------------------------------------------
    def initializePage(self) -> None:
        """Called on 下一步 from the file page: list the columns of the freshly read file."""
        preview = self.importer.preview
        if preview is None:
            return
        samples = self.importer.samples
        self._timer.stop()
        self._moved_note = ""
        self._taken.clear()
        self._columns = [c for c in preview.columns if _shown(c, samples)]
        header_rows = "、".join(str(r) for r in preview.header_rows)
        self.info_label.setText(
            f"文件“{preview.file_name}”，工作表“{preview.sheet}”，表头在第 {header_rows} 行，"
            f"共 {len(self._columns)} 列。"
        )
        self.combos.clear()
        self.table.clearContents()
        self.table.setRowCount(len(self._columns))
        for row, column in enumerate(self._columns):
            self.table.setItem(row, COL_LETTER, QTableWidgetItem(column.letter))
            self.table.setItem(row, COL_HEADER, self._item(column.header))
            values = samples.get(column.index, [])
            self.table.setItem(row, COL_SAMPLES, self._item("｜".join(values) if values else "（空）"))
            combo = self._combo(column)
            self.combos[column.header] = combo
            self.table.setCellWidget(row, COL_FIELD, combo)
            self.table.setItem(row, COL_SOURCE, QTableWidgetItem())
        self._update_sources()
        self._show_status()
        if self._columns:
            self.combos[self._columns[0].header].setFocus()

    @staticmethod
    def _item(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        return item

    def _combo(self, column: ColumnInfo) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"列“{column.header}”导入为")
        combo.addItem(IGNORE_TEXT, "")
        for spec in self.importer.spec.fields:
            combo.addItem(f"{spec.label} *" if spec.required else spec.label, spec.name)
        combo.setMaxVisibleItems(len(self.importer.spec.fields) + 1)
        found = combo.findData(column.field or "")
        combo.setCurrentIndex(max(found, 0))
        combo.currentIndexChanged.connect(lambda _i, header=column.header: self._on_changed(header))
        return combo

    # --- the clerk changes a column ------------------------------------------------------------------
    def mapping(self) -> dict[str, str | None]:
        """header label → field name (None = 不导入) as the combo boxes show it now."""
        return {header: (combo.currentData() or None) for header, combo in self.combos.items()}

    def set_field(self, header: str, field_name: str | None) -> None:
        """Choose ``field_name`` (None = 不导入) for the column ``header``, as the clerk would."""
        combo = self.combos[header]
        combo.setCurrentIndex(max(combo.findData(field_name or ""), 0))

    def _on_changed(self, header: str) -> None:
        self._moved_note = ""
        self._give_back(header)
        for thief, (victim, _field) in list(self._taken.items()):
            if victim == header:  # the clerk chose for that column: nothing to give back
                del self._taken[thief]
        chosen = self.combos[header].currentData()
        if chosen:
            # Each field takes one column: the column that had it gives it up (until this one moves on).
            for other, combo in self.combos.items():
                if other != header and combo.currentData() == chosen:
                    self._select(combo, "")
                    self._taken[header] = (other, chosen)
                    label = self.importer.spec.field(chosen).label
                    self._moved_note = f"列“{other}”原来也对应“{label}”，已改为“{IGNORE_TEXT}”。"
        self._update_sources()
        self.status_label.setProperty("alert", False)
        self._restyle(self.status_label)
        self.status_label.setText("正在等待检查……")
        self._timer.start()
        self.completeChanged.emit()

    def _give_back(self, header: str) -> None:
        """Arrowing through a combo box must not strip other columns: a field this column took from
        another goes back to it when this column moves on (if nobody else has taken it since)."""
        taken = self._taken.pop(header, None)
        if taken is None:
            return
        victim, field_name = taken
        combo = self.combos[victim]
        in_use = any(c.currentData() == field_name for c in self.combos.values())
        if not combo.currentData() and not in_use:
            self._select(combo, field_name)

    @staticmethod
    def _select(combo: QComboBox, field_name: str) -> None:
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(field_name), 0))
        combo.blockSignals(False)

    def cancel_pending(self) -> None:
        """Forget a change not yet checked (the wizard is closing)."""
        self._timer.stop()

    def check_now(self) -> None:
        """Re-check the file with the mapping shown (the pause after a change ends here)."""
        self._timer.stop()
        self.importer.remap(self.mapping())
        self.completeChanged.emit()

    def _update_sources(self) -> None:
        first = self.importer.first_mapping
        remembered = self.importer.first_source == "saved"
        for row, column in enumerate(self._columns):
            now = self.combos[column.header].currentData() or None
            if now != first.get(column.header):
                text = SOURCE_CHANGED
            elif remembered:
                text = SOURCE_SAVED
            else:
                text = SOURCE_AUTO if now else SOURCE_NONE
            item = self.table.item(row, COL_SOURCE)
            if item is not None:
                item.setText(text)

    def _show_status(self) -> None:
        preview = self.importer.preview
        if preview is None:
            text = f"无法按当前对应关系导入：{self.importer.read_error}"
            alert = True
        else:
            text = f"按当前对应关系：{counts_line(preview)}。"
            if preview.unmapped:
                text += f"\n不导入的列：{'、'.join(preview.unmapped)}。"
            alert = preview.counts.errors > 0
        if self._moved_note:
            text = f"{self._moved_note}\n{text}"
        self.status_label.setText(text)
        self.status_label.setProperty("alert", alert)
        self._restyle(self.status_label)

    @staticmethod
    def _restyle(label: QLabel) -> None:
        label.style().unpolish(label)
        label.style().polish(label)

    # --- QWizardPage ---------------------------------------------------------------------------------
    def isComplete(self) -> bool:
        return self._timer.isActive() or self.importer.preview is not None

    def validatePage(self) -> bool:
        if self._timer.isActive():
            self.check_now()
        return self.importer.preview is not None
