"""演示数据: a realistic fictional county (示范县), deterministic for a given size and year — optionally with
its year of work (tasks, draws, inspections, 公示) up to the demo's today.

The builders load on first use: importing :mod:`app.demo.vocab` or :data:`DEFAULT_ENTITIES` (as the sign-in
and first-run dialogs do) must not pull in the task, inspection and report services behind them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.demo.generate import DemoSummary, build_demo
    from app.demo.work import WorkSummary, add_year_of_work

__all__ = ["DEFAULT_ENTITIES", "DemoSummary", "WorkSummary", "add_year_of_work", "build_demo"]

DEFAULT_ENTITIES = 20_000
"""The demo county's number of 检查对象 when no size is given."""

_LAZY = {
    "DemoSummary": "app.demo.generate",
    "build_demo": "app.demo.generate",
    "WorkSummary": "app.demo.work",
    "add_year_of_work": "app.demo.work",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'app.demo' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
