"""文件中的部门 of 导入报表（Excel）: the departments a checked file carries, with their key figures (开展任务,
抽取对象, 已检查, 发现问题, 公示率) for a statistics table or their rows for a plan table, shown in a
QTableWidget under a heading that says how many."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from app.reports.importer import ReportImportPreview

__all__ = ["KEY_FIGURES", "SHORT_KIND", "fill_departments"]

SHORT_KIND = {"progress": "进展情况", "non_market": "非市场监管推行情况"}
# The figures shown for each department: (heading, progress column, non_market column).
KEY_FIGURES = (
    ("开展任务", "开展任务数", "开展任务数（个）"),
    ("抽取对象", "抽取数", "抽取对象数（户）"),
    ("已检查", "已检查数", "已检查对象数（户）"),
    ("发现问题", "发现问题数", "发现问题数（户）"),
    ("公示率", "公示率", "公示率"),
)


def fill_departments(table: QTableWidget, label: QLabel, preview: ReportImportPreview | None) -> None:
    """``table`` filled with the departments of ``preview`` (emptied when there is none) and ``label`` saying
    what they are and how many."""
    table.clear()
    if preview is None:
        table.setColumnCount(0)
        table.setRowCount(0)
        label.setText("文件中的部门")
        return
    if preview.kind == "plan":
        headers = ["部门", "计划行数", "说明"]
        rows: list[list[str]] = [
            [p.department_name, str(len(p.preview.rows)), "新建为草稿计划"] for p in preview.plan_parts
        ]
        right = {1}
    else:
        several = len({s.kind for s in preview.sheets}) > 1
        headers = ["行号", "部门", *(["表格"] if several else []), *(k[0] for k in KEY_FIGURES), "说明"]
        rows = []
        for sheet, line in preview.lines:
            figures = line.figures
            cells = [str(line.row), line.department_name, *([SHORT_KIND[sheet.kind]] if several else [])]
            for _title, progress, non_market in KEY_FIGURES:
                value = figures.get(progress if sheet.kind == "progress" else non_market)
                cells.append(_figure_text(value))
            cells.append("不在部门名录中，作为新部门记录" if line.new_department else "")
            rows.append(cells)
        first = 3 if several else 2
        right = {0, *range(first, first + len(KEY_FIGURES))}
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in right - {0}:  # the figures: one width, room for 100.0% and a heading
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, 84)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    what = "计划表中的部门" if preview.kind == "plan" else "可导入的部门及主要数字"
    note = "（有错误的行不列出，见下方问题清单）" if preview.errors and preview.kind != "plan" else ""
    label.setText(f"{what}（{len(rows)} 个）{note}")


def _figure_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)
