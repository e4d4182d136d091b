"""Where the 使用说明 text is (resources/help/index.html, found through app.paths.resources_dir() in the
source tree and the frozen build alike) and the section F1 opens for each page of the main window."""

from __future__ import annotations

from pathlib import Path

from app.paths import resources_dir

__all__ = ["HELP_FILE", "PAGE_SECTIONS", "help_dir", "page_anchor"]

HELP_FILE = "index.html"

# The section F1 opens for each page of the main window, by the page's TITLE (ui/pages/*.py).
PAGE_SECTIONS: dict[str, str] = {
    "首页": "home",
    "检查对象名录库": "entities",
    "执法检查人员名录库": "inspectors",
    "随机抽查事项清单": "items",
    "年度抽查计划": "plans",
    "抽查任务与摇号": "tasks",
    "检查录入与公示": "inspections",
    "统计上报": "reports",
    "数据交换": "exchange",
    "系统设置": "settings",
    "审计日志": "audit",
}


def help_dir() -> Path:
    """resources/help of the source tree or of the frozen build."""
    return resources_dir() / "help"


def page_anchor(title: str) -> str | None:
    """The help section for the page titled ``title`` (None: the start of the help)."""
    return PAGE_SECTIONS.get(title)
