"""GUI test helpers: the product's QApplication setup, and answering modal message boxes like a user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ui.application import create_application


@pytest.fixture(autouse=True)
def product_app(qapp: QApplication) -> QApplication:
    """The same translations and style the clerk gets."""
    return create_application()


@pytest.fixture(autouse=True)
def quick_demo_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first-run wizard's demo county without its year of work (≈15 s a test); tests/app/test_setup.py
    builds the year through the same create_database."""
    from ui.widgets.first_run import FirstRunWizard

    monkeypatch.setattr(FirstRunWizard, "DEMO_YEAR_OF_WORK", False)


class ModalDriver:
    """Acts on the next modal dialog of ``kind`` as soon as it is shown (``done`` once it has)."""

    def __init__(self, kind: type[QDialog], act: Callable[[Any], None]) -> None:
        self.kind, self.act, self.done = kind, act, False
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, self.kind) and widget.isVisible():
            self.timer.stop()
            self.done = True
            self.act(widget)


class DialogAnswerer:
    """Clicks a button (by its text) on each modal message box that appears, and remembers what they said."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.answers: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)

    def answer(self, *button_texts: str) -> DialogAnswerer:
        self.answers.extend(button_texts)
        self._timer.start()
        return self

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible() or not self.answers:
            return
        wanted = self.answers.pop(0)
        self.seen.append(box.text())
        for button in box.buttons():
            if button.text() == wanted:
                button.click()
                break
        else:
            raise AssertionError(f"no button {wanted!r} on message box {box.text()!r}")
        if not self.answers:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def dialogs() -> Iterator[DialogAnswerer]:
    answerer = DialogAnswerer()
    yield answerer
    answerer.stop()
