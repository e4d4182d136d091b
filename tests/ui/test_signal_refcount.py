"""Emitting Qt signals from Python must not leak or steal references (PySide6 6.12.0 stole one from True per
emit, which aborts a long session on Python < 3.12 — hence the version pin in pyproject.toml)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    progress = Signal(str, float)


def test_emitting_keeps_the_reference_counts_of_true_and_false(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    received: list[float] = []
    emitter.progress.connect(lambda _stage, fraction: received.append(fraction))
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for n in range(2_000):
        emitter.plain.emit()
        emitter.progress.emit("导入", n / 2_000)
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert len(received) == 2_000
    # Immortal objects (Python ≥ 3.12) report a fixed huge count; on 3.11 any drift means a refcount bug.
    assert after[0] >= before[0] and after[1] >= before[1], (before, after)
