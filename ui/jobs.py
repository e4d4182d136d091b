"""Long work off the GUI thread, with a progress dialog: the window never freezes on big jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

ProgressFn = Callable[[str, float], None]


class _Worker(QObject):
    progressed = Signal(str, float)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self._fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self.progressed.emit)
        except Exception as exc:  # handed back to the GUI thread, which decides how to tell the user
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class _Bridge(QObject):
    """Lives in the GUI thread, so the worker's signals reach it queued and widgets are touched safely."""

    def __init__(self, dialog: QProgressDialog, thread: QThread, title: str) -> None:
        super().__init__()
        self.dialog = dialog
        self.worker_thread = thread
        self.title = title
        self.outcome: dict[str, Any] = {}

    @Slot(str, float)
    def on_progress(self, stage: str, fraction: float) -> None:
        self.dialog.setLabelText(f"{self.title}：{stage}")
        self.dialog.setValue(int(fraction * 100))

    @Slot(object)
    def on_success(self, result: Any) -> None:
        self.outcome["result"] = result
        self.worker_thread.quit()

    @Slot(object)
    def on_failure(self, exc: Any) -> None:
        self.outcome["error"] = exc
        self.worker_thread.quit()


def run_with_progress(parent: QWidget | None, title: str, fn: Callable[[ProgressFn], Any]) -> Any:
    """Run fn(progress) in a worker thread behind a modal progress dialog; return its result or re-raise.

    fn reports progress as (stage text, fraction 0..1); it must not touch widgets.
    """
    dialog = QProgressDialog(title, "", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # the jobs run here are single transactions; stopping halfway is not offered
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    thread = QThread()
    worker = _Worker(fn)
    worker.moveToThread(thread)
    bridge = _Bridge(dialog, thread, title)
    worker.progressed.connect(bridge.on_progress)
    worker.succeeded.connect(bridge.on_success)
    worker.failed.connect(bridge.on_failure)
    thread.started.connect(worker.run)
    thread.finished.connect(dialog.accept)
    thread.start()
    dialog.exec()
    thread.wait()
    error: BaseException | None = bridge.outcome.pop("error", None)
    result = bridge.outcome.pop("result", None)
    if error is None:
        return result
    # Raised with no reference cycle back to it: the traceback holds this frame, so had ``bridge.outcome``
    # (or the ``error`` local) still held the exception, the dialog, thread and worker would wait for the
    # cyclic garbage collector — which may run in the NEXT job's worker thread and destroy Qt objects there.
    try:
        raise error
    finally:
        error = None
