"""历史版本 of a 年度抽查计划: every recorded version (报审, 审核备案, 调整) and, for two chosen versions,
what changed row by row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.plans import RevisionLine, RowDiff, compare_revisions, percent_text
from ui.models.list_table import Column, ListTableModel, list_table_view

__all__ = ["DIFF_COLUMNS", "REVISION_COLUMNS", "HistoryDialog"]

REVISION_COLUMNS: list[Column[RevisionLine]] = [
    Column("版本", lambda r: r.revision_no, align_right=True),
    Column("类型", lambda r: r.kind),
    Column("经办人", lambda r: r.changed_by),
    Column("时间", lambda r: f"{r.changed_at.astimezone():%Y-%m-%d %H:%M}"),
    Column("原因/说明", lambda r: r.reason),
]
DIFF_COLUMNS: list[Column[tuple[RowDiff, str, str, str]]] = [
    Column("变化", lambda d: d[0].kind),
    Column("抽查事项", lambda d: d[0].item),
    Column("项目", lambda d: d[1]),
    Column("前一版本", lambda d: d[2]),
    Column("后一版本", lambda d: d[3]),
]


def _shown(value: object, field: str = "") -> str:
    if value is None or value == "":
        return ""
    if field == "planned_month":
        return f"{value}月"
    if field == "ratio" and isinstance(value, str):
        return percent_text(value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class HistoryDialog(QDialog):
    """历史版本: every recorded version; choose two to see what changed, row by row."""

    def __init__(self, title: str, revisions: list[RevisionLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"历史版本 — {title}")
        self.resize(1000, 620)
        self.revisions = revisions
        self.list_model: ListTableModel[RevisionLine] = ListTableModel(REVISION_COLUMNS, revisions)
        self.list_view = list_table_view(self.list_model, stretch_column=4, single=True)
        self.first = QComboBox()
        self.second = QComboBox()
        for r in revisions:
            label = f"第{r.revision_no}版（{r.kind}，{r.changed_at.astimezone():%Y-%m-%d}）"
            self.first.addItem(label, r.revision_no)
            self.second.addItem(label, r.revision_no)
        self.first.setCurrentIndex(max(len(revisions) - 2, 0))
        self.second.setCurrentIndex(max(len(revisions) - 1, 0))
        self.diff_model: ListTableModel[tuple[RowDiff, str, str, str]] = ListTableModel(DIFF_COLUMNS)
        self.diff_view = list_table_view(self.diff_model, stretch_column=4)
        self.summary = QLabel()
        pick = QHBoxLayout()
        pick.addWidget(QLabel("比较："))
        pick.addWidget(self.first, 1)
        pick.addWidget(QLabel("→"))
        pick.addWidget(self.second, 1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list_view, 1)
        layout.addLayout(pick)
        layout.addWidget(self.summary)
        layout.addWidget(self.diff_view, 2)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.first.currentIndexChanged.connect(lambda _i: self.show_diff())
        self.second.currentIndexChanged.connect(lambda _i: self.show_diff())
        self.show_diff()

    def show_diff(self) -> None:
        by_no = {r.revision_no: r for r in self.revisions}
        a, b = by_no.get(self.first.currentData()), by_no.get(self.second.currentData())
        if a is None or b is None:
            self.diff_model.set_rows([])
            self.summary.setText("尚无记录的版本。")
            return
        diff = compare_revisions(a.snapshot, b.snapshot)
        lines: list[tuple[RowDiff, str, str, str]] = []
        for row in diff.rows:
            if row.kind == "修改":
                lines += [
                    (row, c.label, _shown(c.before, c.field), _shown(c.after, c.field)) for c in row.changes
                ]
            elif row.kind == "新增" and row.after is not None:
                lines.append((row, "整行", "", f"计划抽查数 {_shown(row.after.get('planned_count'))}"))
            elif row.kind == "删除" and row.before is not None:
                lines.append((row, "整行", f"计划抽查数 {_shown(row.before.get('planned_count'))}", ""))
        self.diff_model.set_rows(lines)
        self.summary.setText(
            f"第{a.revision_no}版 → 第{b.revision_no}版：新增 {len(diff.added)} 行，删除 {len(diff.removed)} 行，"
            f"修改 {len(diff.changed)} 行。" + (f"　调整原因：{b.reason}" if b.reason else "")
        )
