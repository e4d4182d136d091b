"""Step 1 of the import wizard: choose the file (xlsx/xls/csv). 下一步 reads and checks it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from ui.io.recent import last_folder
from ui.io.wording import registry_name
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from ui.io.import_wizard import ImportWizard

FILE_FILTER = "表格文件 (*.xlsx *.xls *.csv *.xlsm *.et *.ods);;所有文件 (*)"


def _hint(text: str) -> QLabel:
    label = hint_label(text)
    return label


class FilePage(QWizardPage):
    """A path box with 浏览…, what the import does, and the last read error (if any)."""

    def __init__(self, importer: ImportWizard) -> None:
        super().__init__()
        self.importer = importer
        name = registry_name(importer.kind)
        self.setTitle("第 1 步：选择文件")
        self.setSubTitle(f"选择要导入到“{name}”的表格文件（Excel .xlsx、.xls 或 CSV）。")
        layout = QVBoxLayout(self)

        prompt = QLabel("文件(&L)：")
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("点“浏览…”选择文件，或在此粘贴文件路径")
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(self._on_text)
        prompt.setBuddy(self.path_edit)
        self.browse_button = QPushButton("浏览(&O)…")
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(prompt)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)

        self.error_label = _hint("")
        self.error_label.setProperty("alert", True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        layout.addSpacing(12)
        for text in (
            "程序会自动找到表头（标题行、两行表头、合并单元格都可以），并识别每一列对应的字段；"
            "下一步可以核对和修改。",
            "导入前会先逐行检查，并显示将新增、更新多少条，以及每一处问题。",
            "导入是“全部或不导入”：文件中只要有一处错误，就不会写入任何数据，改好后重新导入即可。",
            "名录中已有的记录会按文件内容更新，不会重复新增。",
        ):
            layout.addWidget(_hint("• " + text))
        layout.addStretch(1)

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))

    def browse(self) -> None:
        """The native open-file dialog, starting in the folder used last time."""
        current = self.path_edit.text().strip()
        start = str(Path(current).parent) if current else str(last_folder("import"))
        chosen, _filter = QFileDialog.getOpenFileName(self, "选择要导入的文件", start, FILE_FILTER)
        if chosen:
            self.set_path(Path(chosen))

    def _on_text(self, _text: str) -> None:
        self.error_label.setVisible(False)
        self.completeChanged.emit()

    # --- QWizardPage ---------------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.path_edit.setFocus()

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        """Read the file; on failure stay here with the reason shown, so another file can be chosen."""
        path = Path(self.path_edit.text().strip().strip('"'))
        if self.importer.read_file(path):
            return True
        self.error_label.setText(f"无法读取：{self.importer.read_error}\n请修改文件或选择另一个文件。")
        self.error_label.setVisible(True)
        self.path_edit.setFocus()
        self.path_edit.selectAll()
        return False
