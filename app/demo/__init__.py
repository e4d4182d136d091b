"""演示数据: a realistic fictional county (示范县), deterministic for a given size and year."""

from app.demo.generate import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
