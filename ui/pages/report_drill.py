"""The drill-down of 统计上报 back into the app: what a drilled row is about, and how a record of this PC
opens on the page that keeps it (a task on 抽查任务与摇号, an inspection on 检查录入与公示 …)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.reports import Facts, StatTable

__all__ = ["record_opener", "row_label"]


def record_opener(
    window: QWidget, facts: Facts | None, record: str
) -> tuple[Callable[[int], bool] | None, str]:
    """How a drilled record of this PC opens where the app keeps it (a task on 抽查任务与摇号 …)."""
    show_page = getattr(window, "show_page", None)
    if show_page is None or facts is None:
        return None, ""

    def shown() -> None:
        window.raise_()
        window.activateWindow()

    if record == "task":
        years = {t.local_id: t.year for t in facts.tasks}

        def open_task(task_id: int) -> bool:
            from ui.pages.tasks_page import TasksPage  # noqa: PLC0415 - loaded when first needed

            page = show_page(TasksPage)
            page.year.setValue(years.get(task_id, page.year.value()))
            page.select_task(task_id)
            shown()
            return page.selected() is not None and page.selected().task_id == task_id

        return open_task, "抽查任务与摇号"
    if record == "inspection":
        tasks = {
            i.local_id: facts.task_by_key[i.task_key]
            for i in facts.inspections
            if i.task_key in facts.task_by_key
        }

        def open_inspection(inspection_id: int) -> bool:
            from ui.pages.inspections_page import InspectionsPage  # noqa: PLC0415

            task = tasks.get(inspection_id)
            if task is None or task.local_id is None:
                return False
            page = show_page(InspectionsPage)
            page.year.setValue(task.year)
            found = page.select_task(task.local_id) and page.select_inspection(inspection_id)
            shown()
            return bool(found)

        return open_inspection, "检查录入与公示"
    if record == "plan_row":
        plans = {r.local_id: (p.local_id, p.year) for p in facts.plans for r in p.rows}

        def open_plan_row(row_id: int) -> bool:
            from ui.pages.plans_page import PlansPage  # noqa: PLC0415

            plan_id, year = plans.get(row_id, (None, 0))
            if plan_id is None:
                return False
            page = show_page(PlansPage)
            page.year.setValue(year)
            page.select_plan(plan_id)
            found = page.row_model.select_first(page.row_view, lambda r: r.row_id == row_id)
            shown()
            return found

        return open_plan_row, "年度抽查计划"
    if record in ("object", "item"):
        entities = record == "object"

        def open_registry(row_id: int) -> bool:
            from ui.pages.registry_page import EntitiesPage, ItemsPage  # noqa: PLC0415

            page = show_page(EntitiesPage if entities else ItemsPage)
            if not page.select_id(row_id):
                page.reset_filters()  # the clerk's search there may hide it
            found = page.select_id(row_id)
            shown()
            return found

        return open_registry, "检查对象名录库" if entities else "随机抽查事项清单"
    return None, ""


def row_label(table: StatTable, row: int) -> str:
    """What a body row is about: its department, task or plan row."""
    cells = table.rows[row] if 0 <= row < len(table.rows) else ()
    names = [c.name for c in table.columns]
    for wanted in ("任务名称", "抽查事项", "部门"):
        if wanted in names and cells:
            text = cells[names.index(wanted)].text
            return f"第{cells[0].text}行 {text}" if wanted == "抽查事项" else text
    return f"第{row + 1}行"
