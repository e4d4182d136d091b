"""演示数据: a realistic fictional county (示范县), deterministic for a given size and year — optionally with
its year of work (tasks, draws, inspections, 公示) up to the demo's today."""

from app.demo.generate import DemoSummary, build_demo
from app.demo.work import WorkSummary, add_year_of_work

__all__ = ["DemoSummary", "WorkSummary", "add_year_of_work", "build_demo"]
