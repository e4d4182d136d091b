"""The one way the UI tells the user something: info / warn / error / confirm. Every message is logged too."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger("ui.feedback")

APP_TITLE = "双随机、一公开"


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> QMessageBox:
    box = QMessageBox(icon, title or APP_TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    if details:
        box.setDetailedText(details)
    return box


def info(parent: QWidget | None, text: str, title: str = "提示") -> None:
    """Tell the user something went as expected."""
    log.info("info shown: %s", text)
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def warn(parent: QWidget | None, text: str, title: str = "注意", details: str = "") -> None:
    """Tell the user about a problem they can fix (bad input, missing data)."""
    log.warning("warning shown: %s %s", text, details)
    box = _box(parent, QMessageBox.Icon.Warning, title, text, details)
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def error(parent: QWidget | None, text: str, title: str = "错误", details: str = "") -> None:
    """Tell the user something failed."""
    log.error("error shown: %s %s", text, details)
    box = _box(parent, QMessageBox.Icon.Critical, title, text, details)
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, text: str, ok_text: str = "确定", title: str = "请确认") -> bool:
    """Ask before something that cannot be taken back. The safe answer (取消) is the default."""
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    answer = box.clickedButton() is ok
    log.info("confirm %r → %s", text, "yes" if answer else "no")
    return answer
