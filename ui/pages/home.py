"""首页: the county at a glance — registries, this year's plans, this month's planned checks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from app.overview import MonthLine, Overview, PlanLine, load_overview
from app.workdays import DueItems, FormDue, due_items
from db.engine import transaction
from ui.context import AppContext
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.pages import Page

PLAN_COLUMNS: list[Column[PlanLine]] = [
    Column("部门", lambda p: p.department),
    Column("计划名称", lambda p: p.title),
    Column("状态", lambda p: p.status),
    Column("事项数", lambda p: p.rows, align_right=True),
    Column("计划抽查对象数", lambda p: p.planned_objects, align_right=True),
]
MONTH_COLUMNS: list[Column[MonthLine]] = [
    Column("部门", lambda m: m.department),
    Column("抽查事项", lambda m: m.item),
    Column("计划抽查数", lambda m: m.planned_count, align_right=True),
]


class StatCard(QFrame):
    """A figure with a caption and a detail line (e.g. 检查对象 20,000 / 存续 18,800)."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("statCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.caption = QLabel(caption)
        self.caption.setObjectName("statCaption")
        self.figure = QLabel("—")
        self.figure.setObjectName("statFigure")
        self.detail = QLabel("")
        self.detail.setObjectName("statDetail")
        self.detail.setWordWrap(True)
        for widget in (self.caption, self.figure, self.detail):
            layout.addWidget(widget)

    def show_values(self, figure: int, detail: str, alert: bool = False) -> None:
        self.figure.setText(f"{figure:,}")
        self.detail.setText(detail)
        self.detail.setProperty("alert", alert)
        self.detail.style().unpolish(self.detail)
        self.detail.style().polish(self.detail)


class HomePage(Page):
    TITLE = "首页"

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        layout.addWidget(self.heading)

        cards = QGridLayout()
        self.entities_card = StatCard("检查对象名录库")
        self.inspectors_card = StatCard("执法检查人员名录库")
        self.items_card = StatCard("随机抽查事项清单")
        self.plans_card = StatCard("本年度抽查计划")
        for column, card in enumerate(
            (self.entities_card, self.inspectors_card, self.items_card, self.plans_card)
        ):
            cards.addWidget(card, 0, column)
        layout.addLayout(cards)

        self.plans_title = QLabel()
        self.plans_title.setObjectName("sectionTitle")
        layout.addWidget(self.plans_title)
        self.plans_model: ListTableModel[PlanLine] = ListTableModel(PLAN_COLUMNS)
        self.plans_view = list_table_view(self.plans_model, stretch_column=1)
        layout.addWidget(self.plans_view, 3)

        lower = QHBoxLayout()
        due_column = QVBoxLayout()
        self.due_title = QLabel("待办与逾期")
        self.due_title.setObjectName("sectionTitle")
        due_column.addWidget(self.due_title)
        self.due_list = QListWidget()
        due_column.addWidget(self.due_list)
        lower.addLayout(due_column, 1)
        month_column = QVBoxLayout()
        self.month_title = QLabel()
        self.month_title.setObjectName("sectionTitle")
        month_column.addWidget(self.month_title)
        self.month_model: ListTableModel[MonthLine] = ListTableModel(MONTH_COLUMNS)
        self.month_view = list_table_view(self.month_model, stretch_column=1)
        month_column.addWidget(self.month_view)
        self.month_empty = QLabel("本月没有计划中的抽查事项。")
        self.month_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        month_column.addWidget(self.month_empty)
        lower.addLayout(month_column, 1)
        layout.addLayout(lower, 2)

    def refresh(self) -> None:
        # A transaction: the first call stores the bundled holidays.
        with transaction(self.context.database.sessions) as session:
            overview = load_overview(session)
            due = due_items(session, overview.today)
        self.show_overview(overview)
        self.show_due(due)

    def show_due(self, due: DueItems) -> None:
        """Overdue first (red), then what is due soon, then plan rows still without a task."""
        self.due_list.clear()
        overdue = QBrush(QColor("#b3261e"))
        lines: list[tuple[str, bool]] = []
        by_task: dict[str, list[FormDue]] = {}
        for form in due.forms:  # one line per task: a task's forms share their deadlines
            by_task.setdefault(f"{form.task_code} {form.task_title}", []).append(form)
        for task, forms in by_task.items():
            overdue_forms = [f for f in forms if f.due.overdue]
            if overdue_forms:
                worst = max(f.due.workdays_overdue for f in overdue_forms)
                text = f"登记表　{task}：{len(overdue_forms)} 户未归档已逾期（最长 {worst} 个工作日）"
            else:
                soonest = min(f.due.deadline for f in forms)
                text = f"登记表　{task}：{len(forms)} 户待填写，最早 {soonest:%m月%d日} 到期"
            lines.append((text, bool(overdue_forms)))
        for publication in due.publications:
            lines.append((f"公示　{publication.description}", publication.due.overdue))
        for row in due.plan_rows:
            lines.append((f"计划　{row.description}", row.months_late > 0))
        lines.sort(key=lambda line: not line[1])
        for text, late in lines[:200]:
            item = QListWidgetItem(text)
            item.setToolTip(text)
            if late:
                item.setForeground(overdue)
            self.due_list.addItem(item)
        for note in due.notes:
            self.due_list.addItem(QListWidgetItem(note))
        if not lines and not due.notes:
            self.due_list.addItem(QListWidgetItem("没有待办事项。"))
        late_count = sum(1 for _t, late in lines if late)
        self.due_title.setText(f"待办与逾期（逾期 {late_count} 项）" if late_count else "待办与逾期")

    def show_overview(self, o: Overview) -> None:
        settings = self.context.settings()
        self.heading.setText(f"{settings.bureau_name}　{o.today:%Y年%m月%d日}")
        c = o.counts
        self.entities_card.show_values(
            c.entities,
            f"存续 {c.entities_active:,}　异常名录/失信 {c.entities_abnormal:,}"
            + (f"　代码待补录 {c.entities_need_code:,}" if c.entities_need_code else ""),
        )
        self.inspectors_card.show_values(
            c.inspectors,
            f"在岗 {c.inspectors_on_duty:,}　执法证已过期 {c.inspectors_cert_expired:,}",
            alert=c.inspectors_cert_expired > 0,
        )
        self.items_card.show_values(c.items, f"其中部门联合抽查事项 {c.joint_items:,}")
        filed = sum(1 for p in o.plans if p.status == "已审核备案")
        self.plans_card.show_values(
            len(o.plans), f"已审核备案 {filed}　计划抽查对象 {sum(p.planned_objects for p in o.plans):,}"
        )
        self.plans_title.setText(f"{o.today.year}年度抽查计划")
        self.plans_model.set_rows(o.plans)
        self.month_title.setText(f"{o.today.month}月计划抽查事项")
        self.month_model.set_rows(o.this_month)
        self.month_view.setVisible(bool(o.this_month))
        self.month_empty.setVisible(not o.this_month)
