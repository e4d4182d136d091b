"""The dialog for the unexpected: a Chinese explanation, the traceback on request, and where the log is."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.paths import log_file

log = logging.getLogger("ui.crash")


class ErrorDialog(QDialog):
    """Shows an unexpected error. The program keeps running; the clerk can copy the details for support."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序错误")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        message = QLabel(
            "程序遇到了一个意外错误，当前操作未完成。已保存的数据不受影响。\n\n"
            f"错误：{summary}\n\n详细信息已写入日志文件：\n{log_file()}"
        )
        message.setWordWrap(True)
        message.setTextInteractionFlags(
            message.textInteractionFlags() | message.textInteractionFlags().TextSelectableByMouse
        )
        layout.addWidget(message)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        toggle = QPushButton("显示详细信息")
        toggle.setCheckable(True)
        toggle.toggled.connect(self.details.setVisible)
        toggle.toggled.connect(lambda on: toggle.setText("隐藏详细信息" if on else "显示详细信息"))
        copy = QPushButton("复制错误信息")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.addButton(toggle, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, value, tb))
    log.critical("unhandled exception\n%s", details)
    if issubclass(kind, KeyboardInterrupt) or QApplication.instance() is None:
        sys.__excepthook__(kind, value, tb)
        return
    from app.auth.roles import PermissionDenied

    if isinstance(value, PermissionDenied):  # a refusal, not a fault: say so plainly
        log.warning("refused: %s", value.message_zh)
        from ui import feedback

        feedback.warn(QApplication.activeWindow(), value.message_zh, title="没有权限")
        return
    ErrorDialog(f"{kind.__name__}: {value}", details, QApplication.activeWindow()).exec()


def install_excepthook() -> None:
    """Route every unhandled exception (including ones raised in Qt slots) to the log and the dialog."""
    sys.excepthook = _excepthook
