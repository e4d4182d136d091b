"""关于: version and where everything is kept (database, data directory, log file)."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app import __version__
from app.paths import data_dir, log_file
from ui.context import AppContext


class AboutDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = QLabel("双随机、一公开 县级工作平台")
        title.setObjectName("pageHeading")
        layout.addWidget(title)
        form = QFormLayout()
        database = context.database
        self.values = {
            "版本": __version__,
            "单位": context.settings().bureau_name,
            "数据库": str(database.path) if database.path else database.location,
            "数据目录": str(data_dir()),
            "日志文件": str(log_file()),
            "运行环境": f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}",
        }
        for key, value in self.values.items():
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(f"{key}：", label)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole).clicked.connect(self.accept)
        layout.addWidget(buttons)
