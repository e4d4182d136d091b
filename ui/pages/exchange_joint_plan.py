"""全县联合抽查计划: the plan rows naming 联合部门 of this PC's plans and of the received 数据包 of the same
period, grouped by lead department, and the 数据交换 page's tab that shows them for a chosen period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.exchange import county_facts, list_received
from app.reports import Facts, Period, ReportError
from ui import feedback
from ui.jobs import ProgressFn
from ui.widgets.drill_down_dialog import Failed, in_background
from ui.widgets.hint import hint_label
from ui.widgets.period_picker import PeriodPicker

if TYPE_CHECKING:
    from ui.pages.exchange_page import ExchangePage

APPLY_DELAY_MS = 500


@dataclass(frozen=True)
class JointPlanGroup:
    """One lead department's plan rows that name 联合部门, and where they come from."""

    department: str
    year: int
    source: str  # 本机数据 / 收到的数据包

    @property
    def heading(self) -> str:
        return f"{self.department}　{self.year}年度计划　{len(self.rows)} 行联合抽查（{self.source}）"

    rows: Sequence[tuple[str, ...]]  # 序号, 抽查事项, 联合部门, 计划月份, 抽查比例或数量, 计划抽查数


JOINT_HEADERS = ["序号", "抽查事项", "联合部门", "计划月份", "抽查比例或数量", "计划抽查数"]


def joint_plan_groups(facts: Facts, received: set[str]) -> list[JointPlanGroup]:
    """The plan rows with 联合部门 of the county facts, grouped by lead department (in department order)."""
    order = {d.code: (d.sort_order, d.code) for d in facts.departments}
    groups = []
    for plan in sorted(facts.plans, key=lambda p: (order.get(p.department_code, (9999, "")), p.year)):
        rows = [
            (
                str(r.seq),
                r.item,
                r.joint_departments,
                f"{r.planned_month}月" if r.planned_month else "",
                r.ratio_or_quantity,
                "" if r.planned_count is None else str(r.planned_count),
            )
            for r in plan.rows
            if r.joint_department_codes
        ]
        if rows:
            source = "收到的数据包" if plan.department_code in received else "本机数据"
            groups.append(JointPlanGroup(plan.department_name, plan.year, source, rows))
    return groups


class JointPlanView(QWidget):
    """全县联合抽查计划: the period, a summary line and the rows grouped by lead department."""

    def __init__(self, page: ExchangePage) -> None:
        super().__init__()
        self.page = page
        self.groups: list[JointPlanGroup] = []
        self.stale = True
        self.period_chosen = False
        self.picker = PeriodPicker()
        self.picker.setMaximumWidth(360)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("统计期间："))
        bar.addWidget(self.picker)
        bar.addWidget(self.summary, 1)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(JOINT_HEADERS))
        self.tree.setHeaderLabels(JOINT_HEADERS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        for column, width in enumerate((90, 430, 300, 70, 110, 90)):
            self.tree.setColumnWidth(column, width)
        hint = hint_label(
            "按牵头部门列出各部门年度计划中有联合部门的计划行：本机数据与收到的、统计期间与所选期间完全相同的"
            "数据包合并（同一部门以对方发来的数据包为准）。只读。"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_DELAY_MS)
        self._timer.timeout.connect(self.build)
        self.picker.changed.connect(self._on_period)

    def _on_period(self) -> None:
        self.stale = True
        self._timer.start()

    def build(self) -> bool:
        """Collect the county facts for the period (behind a progress dialog) and show the joint rows."""
        self._timer.stop()
        try:
            period = self.picker.period()
        except ReportError as exc:
            self.picker.show_error(exc.message_zh)
            return False
        self.picker.clear_error()
        database = self.page.context.database

        def job(_progress: ProgressFn) -> tuple[list[JointPlanGroup], list[str]]:
            with database.sessions() as session:
                facts = county_facts(session, period)
                senders = [
                    r
                    for r in list_received(session)
                    if r.current and (r.period.start, r.period.end) == (period.start, period.end)
                ]
            return joint_plan_groups(facts, {r.sender_code for r in senders}), [
                r.sender_name for r in senders
            ]

        result = in_background(self, "正在汇总全县联合抽查计划", job, (ReportError,))
        if isinstance(result, Failed):
            feedback.warn(
                self, getattr(result.error, "message_zh", str(result.error)), title="全县联合抽查计划"
            )
            return False
        self.groups, senders = result
        self.stale = False
        self._show(period, senders)
        return True

    def _show(self, period: Period, senders: list[str]) -> None:
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in self.groups:
            head = QTreeWidgetItem([group.heading])
            head.setFont(0, bold)
            for row in group.rows:
                child = QTreeWidgetItem(list(row))
                for column in (3, 5):
                    child.setTextAlignment(
                        column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                head.addChild(child)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)  # the lead department's line runs across the columns
            head.setExpanded(True)
        rows = sum(len(g.rows) for g in self.groups)
        merged = (
            f"合并了 {'、'.join(senders)} 的数据包" if senders else "没有统计期间相同的数据包，只有本机数据"
        )
        self.summary.setText(
            f"{period.label}：{len(self.groups)} 个牵头部门，{rows} 行联合抽查计划（{merged}）。"
        )
