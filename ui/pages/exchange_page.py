"""数据交换: a department's 数据包 written for the 司法局 (导出数据包…), other departments' packages verified
and imported (导入数据包…), the read-only 来自其他部门 list with each package's details and draw records,
核验 of what is stored, and the 全县联合抽查计划 built from this PC's plans and the received ones.

Everything here calls :mod:`app.exchange`; export and import need the 数据交换 permission (管理员, 经办人),
the rest only reads. Received packages can never be edited or deleted (the database refuses it too)."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission, PermissionDenied
from app.exchange import (
    SUFFIX,
    ExchangeError,
    KeyChangedError,
    PackageReport,
    PackageSummary,
    ReceivedPackageRow,
    county_facts,
    export_package,
    import_package,
    inspect_package,
    list_received,
    received_record_text,
    verify_received,
)
from app.registry.departments import list_departments
from app.reports import Facts, Period, ReportError
from app.settings import load_settings
from db.models import ReceivedPackage, ReportedFigures
from ui import feedback
from ui.context import AppContext
from ui.io.recent import last_folder, remember_folder, save_target
from ui.jobs import ProgressFn
from ui.models.list_table import Column, ListTableModel, list_table_view
from ui.pages import Page
from ui.widgets.drill_down_dialog import Failed, file_error_text, in_background, safe_file_name
from ui.widgets.exchange_dialogs import (
    DUPLICATE,
    IMPORTED,
    REFUSED,
    DepartmentChoice,
    ExportChoiceDialog,
    ExportDoneDialog,
    ImportDialog,
    ImportResult,
    ask_accept_new_key,
    counts_text,
    fingerprint_html,
    size_text,
)
from ui.widgets.period_picker import PeriodPicker
from ui.widgets.report_import_dialog import SHORT_KIND, ReportImportDialog

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
FOLDER = "exchange"  # the last folder used, per purpose (ui/io/recent.py)
REPORT_FOLDER = "report_import"
EXPECTED = (ExchangeError, PermissionDenied)  # failures told to the clerk in the service's words
MUTED = QColor("#7a7a7a")
APPLY_DELAY_MS = 500


def _local(moment: dt.datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _short_fingerprint(fingerprint: str) -> str:
    groups = fingerprint.split()
    return " ".join(groups[:2]) + " …" if len(groups) > 2 else fingerprint


RECEIVED_COLUMNS: list[Column[ReceivedPackageRow]] = [
    Column("发送部门", lambda r: r.sender_name),
    Column("统计期间", lambda r: r.period.label),
    Column("导出时间", lambda r: _local(r.created_at)),
    Column("导入时间", lambda r: _local(r.imported_at)),
    Column("导入人", lambda r: r.imported_by),
    Column("抽查任务", lambda r: r.counts.get("tasks", 0), align_right=True),
    Column("摇号记录", lambda r: r.counts.get("records", 0), align_right=True),
    Column("检查登记", lambda r: r.counts.get("inspections", 0), align_right=True),
    Column("状态", lambda r: "当前" if r.current else "已被替代"),
    Column("密钥指纹", lambda r: _short_fingerprint(r.fingerprint)),
]
STATUS_COLUMN, FINGERPRINT_COLUMN = 8, 9


class ReceivedModel(ListTableModel[ReceivedPackageRow]):
    """The received packages; a superseded one is greyed, the full fingerprint is the tooltip."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            row = self.row_object(index.row())
            if role == Qt.ItemDataRole.ForegroundRole and not row.current:
                return QBrush(MUTED)
            if role == Qt.ItemDataRole.ToolTipRole:
                if index.column() == FINGERPRINT_COLUMN:
                    return row.fingerprint
                if index.column() == STATUS_COLUMN:
                    return (
                        "统计时使用"
                        if row.current
                        else "已被同一部门、同一统计期间较新导出的数据包取代，仅存档"
                    )
        return super().data(index, role)


@dataclass(frozen=True)
class DrawLine:
    """A draw a received package carries (its SJDRAW-1 record is stored with it)."""

    task_code: str
    task_title: str
    draw_uid: str
    drawn_on: dt.date
    objects: int


DRAW_COLUMNS: list[Column[DrawLine]] = [
    Column("任务编号", lambda d: d.task_code),
    Column("任务名称", lambda d: d.task_title),
    Column("摇号日期", lambda d: d.drawn_on.isoformat()),
    Column("抽中对象", lambda d: d.objects, align_right=True),
    Column("摇号编号（SJDRAW-1）", lambda d: d.draw_uid),
]


@dataclass(frozen=True)
class PackageDetails:
    file_name: str
    file_size: int
    program_version: str
    draws: list[DrawLine]


def package_details(session: Session, package_id: int) -> PackageDetails:
    """The stored package's file facts and the draws its facts name (a superseded package too)."""
    package = session.get(ReceivedPackage, package_id)
    if package is None:
        return PackageDetails("", 0, "", [])
    facts = Facts.from_json_dict(json.loads(package.facts_json))
    draws = [
        DrawLine(
            task.code if task else draw.task_key,
            task.title if task else "",
            draw.draw_uid,
            draw.drawn_on,
            len(draw.entity_keys),
        )
        for draw in facts.draws
        for task in [facts.task_by_key.get(draw.task_key)]
    ]
    draws.sort(key=lambda d: (d.drawn_on, d.task_code))
    return PackageDetails(package.file_name, package.file_size, package.program_version, draws)


def problems_of(problems: list[str], package_id: int) -> list[str]:
    """The problems :func:`verify_received` found in one package (each sentence begins by naming it)."""
    return [p for p in problems if p.startswith(f"收到的数据包 #{package_id}（")]


# --- 全县联合抽查计划 -------------------------------------------------------------------------------------------


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
        hint = QLabel(
            "按牵头部门列出各部门年度计划中有联合部门的计划行：本机数据与收到的、统计期间与所选期间完全相同的"
            "数据包合并（同一部门以对方发来的数据包为准）。只读。"
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
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


# --- 报表导入: the stored reported figures -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportedListRow:
    """One stored row of reported figures (a department's line of an imported statistics table)."""

    id: int
    kind: str
    department_code: str
    department_name: str
    period_label: str
    filled_on: dt.date | None
    unit: str
    imported_at: dt.datetime
    imported_by: str
    file_name: str
    superseded_by_id: int | None

    @property
    def current(self) -> bool:
        return self.superseded_by_id is None


def reported_list(session: Session) -> list[ReportedListRow]:
    """Every stored row of reported figures, the newest import first (app.reports has no listing of them all:
    :func:`app.reports.reported.reported_rows` gives the current ones of one table and period)."""
    found = session.scalars(
        select(ReportedFigures).order_by(ReportedFigures.imported_at.desc(), ReportedFigures.id)
    )
    return [
        ReportedListRow(
            r.id,
            r.kind,
            r.department_code,
            r.department_name,
            r.period_label,
            r.filled_on,
            r.unit,
            r.imported_at,
            r.imported_by,
            r.file_name,
            r.superseded_by_id,
        )
        for r in found
    ]


REPORTED_COLUMNS: list[Column[ReportedListRow]] = [
    Column("部门", lambda r: r.department_name + ("" if r.department_code else "（不在部门名录中）")),
    Column("表格", lambda r: SHORT_KIND.get(r.kind, r.kind)),
    Column("统计期间", lambda r: r.period_label),
    Column("填报日期", lambda r: r.filled_on.isoformat() if r.filled_on else ""),
    Column("导入时间", lambda r: _local(r.imported_at)),
    Column("导入人", lambda r: r.imported_by),
    Column("文件名", lambda r: r.file_name),
    Column("状态", lambda r: "当前" if r.current else "已被替代"),
]
REPORTED_STATUS_COLUMN = 7


class ReportedModel(ListTableModel[ReportedListRow]):
    """The reported figures; a superseded row is greyed, the 状态 tooltip says what that means."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            row = self.row_object(index.row())
            if role == Qt.ItemDataRole.ForegroundRole and not row.current:
                return QBrush(MUTED)
            if role == Qt.ItemDataRole.ToolTipRole:
                if index.column() == REPORTED_STATUS_COLUMN:
                    return (
                        "“统计上报”页选择“全县汇总”时使用"
                        if row.current
                        else "同一部门、同一表格和统计期间有填报日期更新的文件，这一行仅存档"
                    )
                if row.unit:
                    return f"填报单位：{row.unit}"
        return super().data(index, role)


# --- the page ------------------------------------------------------------------------------------------------


class ExchangePage(Page):
    TITLE = "数据交换"
    EDIT_PERMISSION = Permission.EXCHANGE

    def editing_widgets(self) -> list[QWidget]:
        return [self.export_button, self.import_button, self.report_button]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.rows: list[ReceivedPackageRow] = []
        self.details: PackageDetails | None = None
        context.data_changed.connect(lambda _what: self._mark_stale())

        top = QHBoxLayout()
        heading = QLabel(self.TITLE)
        heading.setObjectName("pageHeading")
        top.addWidget(heading)
        top.addStretch(1)
        self.import_button = QPushButton("导入数据包…")
        self.import_button.setToolTip("核验并导入其他部门拷来的数据包（Ctrl+I），可一次选择多个")
        self.export_button = QPushButton("导出数据包…")
        self.export_button.setToolTip(
            "把一个部门在统计期间内的数据导出为签名的数据包，交司法局汇总（Ctrl+E）"
        )
        self.report_button = QPushButton("导入报表（Excel）…")
        self.report_button.setToolTip(
            "导入未使用本系统的部门填好的进展情况统计表、非市场监管推行情况统计表或计划表（.xlsx / .xls），"
            "先逐行检查，没有错误才写入"
        )
        self.import_button.clicked.connect(lambda _c=False: self.import_packages())
        self.report_button.clicked.connect(lambda _c=False: self.import_report())
        self.export_button.clicked.connect(lambda _c=False: self.export_package())
        top.addWidget(self.import_button)
        top.addWidget(self.report_button)
        top.addWidget(self.export_button)
        # A disabled (hidden for a 监督员) button ignores click(): the keys do what the buttons may.
        for keys, action in (
            ("Ctrl+I", self.import_button.click),
            ("Ctrl+E", self.export_button.click),
            ("F5", self.refresh),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(action)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_received(), "来自其他部门")
        self.joint_view = JointPlanView(self)
        self.tabs.addTab(self.joint_view, "全县联合抽查计划")
        self.tabs.addTab(self._build_reported(), "报表导入")
        self.tabs.currentChanged.connect(lambda _i: self._on_tab())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        for first, second in (
            (self.import_button, self.report_button),
            (self.report_button, self.export_button),
            (self.export_button, self.tabs),
            (self.tabs, self.table),
            (self.table, self.verify_selected_button),
            (self.verify_selected_button, self.verify_all_button),
            (self.verify_all_button, self.summary),
            (self.summary, self.draw_table),
            (self.draw_table, self.record_button),
        ):
            self.setTabOrder(first, second)

    def _build_received(self) -> QWidget:
        panel = QWidget()
        bar = QHBoxLayout()
        self.list_hint = QLabel()
        self.list_hint.setObjectName("hint")
        self.list_hint.setWordWrap(True)
        bar.addWidget(self.list_hint, 1)
        self.verify_selected_button = QPushButton("核验所选")
        self.verify_selected_button.setToolTip("重新核验所选数据包的签名、统计数据和摇号记录是否在本机被改动")
        self.verify_all_button = QPushButton("核验全部")
        self.verify_all_button.setToolTip("重新核验本机保存的全部数据包")
        self.verify_selected_button.clicked.connect(lambda _c=False: self.verify(selected_only=True))
        self.verify_all_button.clicked.connect(lambda _c=False: self.verify(selected_only=False))
        bar.addWidget(self.verify_selected_button)
        bar.addWidget(self.verify_all_button)

        self.model = ReceivedModel(RECEIVED_COLUMNS)
        self.table = list_table_view(self.model, stretch_column=0, single=True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_selected())

        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        draws = QWidget()
        box = QVBoxLayout(draws)
        box.setContentsMargins(0, 0, 0, 0)
        self.draws_label = QLabel("本数据包中的摇号记录")
        self.draws_label.setObjectName("sectionTitle")
        self.draw_model: ListTableModel[DrawLine] = ListTableModel(DRAW_COLUMNS)
        self.draw_table = list_table_view(self.draw_model, stretch_column=1, single=True)
        self.draw_table.activated.connect(lambda _index: self.export_record())
        self.draw_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.record_button = QPushButton("导出摇号记录…")
        self.record_button.setToolTip(
            "把所选摇号的 SJDRAW-1 记录存为 .json 文件，供监督人员独立核验（也可双击）"
        )
        self.record_button.clicked.connect(lambda _c=False: self.export_record())
        row = QHBoxLayout()
        record_hint = QLabel("记录与发送部门摇号时保存的完全一致，导入时已逐份验证。")
        record_hint.setObjectName("hint")
        record_hint.setWordWrap(True)
        row.addWidget(record_hint, 1)
        row.addWidget(self.record_button)
        box.addWidget(self.draws_label)
        box.addWidget(self.draw_table, 1)
        box.addLayout(row)

        below = QSplitter()
        below.addWidget(self.summary)
        below.addWidget(draws)
        below.setSizes([520, 640])
        below.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(below)
        split.setSizes([230, 360])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(panel)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        return panel

    def _build_reported(self) -> QWidget:
        self.reported_panel = QWidget()
        self.reported_hint = QLabel()
        self.reported_hint.setObjectName("hint")
        self.reported_hint.setWordWrap(True)
        self.reported_model = ReportedModel(REPORTED_COLUMNS)
        self.reported_table = list_table_view(self.reported_model, stretch_column=6, single=True)
        layout = QVBoxLayout(self.reported_panel)
        layout.addWidget(self.reported_hint)
        layout.addWidget(self.reported_table, 1)
        return self.reported_panel

    def refresh_reported(self) -> None:
        """Reload the 报表导入 tab: every stored row of reported figures."""
        with self.context.database.sessions() as session:
            rows = reported_list(session)
        self.reported_model.set_rows(rows)
        if rows:
            current = sum(1 for r in rows if r.current)
            files = len({r.file_name for r in rows})
            self.reported_hint.setText(
                f"已导入 {files} 个文件的 {len(rows)} 行报表数字（当前 {current} 行）。报表数字只读保存，不能修改或"
                "删除；“统计上报”页选择“全县汇总”时，既无本机数据也未报送数据包的部门按当前数字统计。"
            )
        elif self.report_button.isVisibleTo(self):
            self.reported_hint.setText(
                "尚未导入其他部门的报表。点“导入报表（Excel）…”选择对方填好的统计表（进展情况或非市场监管推行情况）。"
            )
        else:
            self.reported_hint.setText("尚未导入其他部门的报表。导入报表需要经办人或管理员登录。")

    # --- the list ----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the received packages (the selection is kept) and the reported figures; the joint plans when
        their tab is in front."""
        self.refresh_reported()
        chosen = self.selected()
        with self.context.database.sessions() as session:
            self.rows = list_received(session)
        self.model.set_rows(self.rows)
        current = sum(1 for r in self.rows if r.current)
        senders = len({r.sender_code for r in self.rows})
        if self.rows:
            self.list_hint.setText(
                f"共收到 {senders} 个部门的 {len(self.rows)} 个数据包（当前 {current} 个）。"
                "收到的数据只读保存，不能修改或删除；“统计上报”页选择“全县汇总”即按全县统计。"
            )
        else:
            self.list_hint.setText("尚未收到其他部门的数据包。")
        if chosen is None or not self.select_package(chosen.id):
            if self.rows:
                self.table.selectRow(0)
            else:
                self._show_selected()
        if not self.joint_view.period_chosen:
            newest = max((r for r in self.rows if r.current), key=lambda r: r.imported_at, default=None)
            if newest is not None:
                self.joint_view.picker.blockSignals(True)
                self.joint_view.picker.set_value(newest.period)
                self.joint_view.picker.blockSignals(False)
                self.joint_view.period_chosen = True
        self._on_tab()

    def _mark_stale(self) -> None:
        self.joint_view.stale = True

    def _on_tab(self) -> None:
        if self.tabs.currentWidget() is self.joint_view and self.joint_view.stale and self.isVisible():
            self.joint_view.build()

    def selected(self) -> ReceivedPackageRow | None:
        return self.model.selected_object(self.table)

    def select_package(self, package_id: int) -> bool:
        return self.model.select_first(self.table, lambda r: r.id == package_id)

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.details = None
            self.summary.setHtml(self._empty_html())
            self.draw_model.set_rows([])
            self._update_buttons()
            return
        with self.context.database.sessions() as session:
            self.details = package_details(session, row.id)
        self.summary.setHtml(self._detail_html(row, self.details))
        self.draw_model.set_rows(self.details.draws)
        self.draws_label.setText(f"本数据包中的摇号记录（{len(self.details.draws)} 次）")
        if self.details.draws:
            self.draw_table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.verify_selected_button.setEnabled(self.selected() is not None)
        self.verify_all_button.setEnabled(bool(self.rows))
        self.record_button.setEnabled(self.selected_draw() is not None)

    def _empty_html(self) -> str:
        if self.rows:
            return "<p>在上方选中一个数据包查看详情。</p>"
        how = (
            "点<b>导入数据包…</b>，选择对方用U盘拷来的数据包文件（可一次选多个）。程序先核验签名和内容，"
            "通过后才导入。"
            if self.import_button.isVisibleTo(self)
            else "导入数据包需要经办人或管理员登录。"
        )
        return f"<p><b>尚未收到其他部门的数据包。</b></p><p>{how}</p>"

    def _detail_html(self, row: ReceivedPackageRow, details: PackageDetails) -> str:
        by_id = {r.id: r for r in self.rows}
        if row.current:
            status = "当前（统计时使用）"
        else:
            newer = by_id.get(row.superseded_by_id or 0)
            when = f"{_local(newer.created_at)} 导出的" if newer is not None else ""
            status = f"已被{when}较新数据包替代，仅存档"
        lines = [
            ("发送部门", f"{row.sender_name}（{row.sender_code}）"),
            ("单位", f"{row.bureau_name}　县（区）：{row.county_name}"),
            ("统计期间", row.period.span_text),
            ("导出", f"{_local(row.created_at)}（{row.created_by or '未署名'}）"),
            ("导入", f"{_local(row.imported_at)}（{row.imported_by or '未署名'}）"),
            ("状态", status),
            ("内容", counts_text(row.counts)),
            (
                "文件",
                f"{details.file_name}（{size_text(details.file_size)}），导出程序版本 {details.program_version}",
            ),
        ]
        body = "".join(
            f"<tr><td style='color:#4a5a6e; padding-right:10px; white-space:nowrap'>{html.escape(k)}：</td>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in lines
        )
        return (
            f"<table cellspacing='0' cellpadding='2'>{body}</table>"
            f"<p><b>发送部门的密钥指纹：</b></p>{fingerprint_html(row.fingerprint, 11)}"
        )

    def selected_draw(self) -> DrawLine | None:
        return self.draw_model.selected_object(self.draw_table)

    # --- 核验 -----------------------------------------------------------------------------------------------
    def verify(self, *, selected_only: bool) -> list[str] | None:
        """Check the stored packages again (all, or the selected one); the result in a message box."""
        row = self.selected()
        if selected_only and row is None:
            return None
        database = self.context.database

        def job(_progress: ProgressFn) -> list[str]:
            with database.sessions() as session:
                return verify_received(session)

        found = in_background(self, "正在核验收到的数据包", job, EXPECTED)
        if isinstance(found, Failed):
            feedback.error(self, getattr(found.error, "message_zh", str(found.error)), title="核验")
            return None
        problems: list[str] = problems_of(found, row.id) if selected_only and row is not None else found
        what = (
            f"{row.sender_name}的数据包（{row.period.label}）"
            if selected_only and row
            else "收到的全部数据包"
        )
        if not problems:
            count = 1 if selected_only else len(self.rows)
            feedback.info(
                self,
                f"核验通过：{what}共 {count} 个，签名有效，统计数据和摇号记录与导入时一致，未被改动。",
                title="核验",
            )
        else:
            shown = "\n".join(f"{n}. {p}" for n, p in enumerate(problems[:8], start=1))
            more = f"\n……共 {len(problems)} 处" if len(problems) > 8 else ""
            feedback.warn(
                self,
                f"核验不通过：{what}在本机保存后被改动，发现 {len(problems)} 处问题。"
                f"请勿使用这些数据汇总，并报告单位负责人；可请发送部门重新导出。\n\n{shown}{more}",
                title="核验",
                details="\n".join(problems),
            )
        return problems

    # --- files ----------------------------------------------------------------------------------------------
    def export_record(self, path: str | Path | None = None) -> Path | None:
        """The selected draw's SJDRAW-1 record, exactly as received, to a .json file."""
        draw = self.selected_draw()
        if draw is None:
            return None
        with self.context.database.sessions() as session:
            text = received_record_text(session, draw.draw_uid)
        if text is None:
            feedback.warn(self, f"本机没有摇号记录 {draw.draw_uid}。", title="导出摇号记录")
            return None
        target = save_target(
            self,
            path,
            title="导出摇号记录",
            suggested=last_folder(FOLDER) / f"{safe_file_name(draw.draw_uid)}.json",
            kind="摇号记录",
            suffix=".json",
        )
        if target is None:
            return None
        try:
            target.write_bytes(text.encode("utf-8"))
        except OSError as exc:
            log.warning("record %s not written to %s: %s", draw.draw_uid, target, exc)
            feedback.error(self, file_error_text(exc, target), title="导出失败")
            return None
        remember_folder(FOLDER, target)
        self.context.status_message.emit(f"摇号记录已导出：{target}（可用摇号核验程序独立核验）")
        return target

    def _department_choices(self) -> list[DepartmentChoice]:
        with self.context.database.sessions() as session:
            own = load_settings(session).own_department.strip()
            return [
                DepartmentChoice(d.id, d.name, bool(own) and d.name == own)
                for d in list_departments(session, include_archived=False)
                if d.id is not None
            ]

    def export_package(
        self, department_id: int | None = None, period: Period | None = None, path: str | Path | None = None
    ) -> ExportDoneDialog | None:
        """导出数据包…: the department and period (asked unless given), where to (asked unless given), written
        behind a progress dialog; then what was written and the key's fingerprint."""
        choices = self._department_choices()
        if department_id is None or period is None:
            dialog = ExportChoiceDialog(choices, period, self)
            if not dialog.exec():
                return None
            department_id, name, period = dialog.values()
        else:
            name = next((c.name for c in choices if c.id == department_id), "")
        target = save_target(
            self,
            path,
            title="保存数据包",
            suggested=last_folder(FOLDER) / (safe_file_name(f"{name}_{period.label}") + SUFFIX),
            kind="数据包",
            suffix=SUFFIX,
        )
        if target is None:
            return None
        database, chosen_id, chosen_period = self.context.database, department_id, period

        def job(progress: ProgressFn) -> PackageSummary:
            with database.sessions() as session:
                return export_package(session, chosen_id, chosen_period, target, progress)

        summary = in_background(self, "正在导出数据包", job, EXPECTED)
        if isinstance(summary, Failed):
            feedback.error(self, getattr(summary.error, "message_zh", str(summary.error)), title="导出失败")
            return None
        remember_folder(FOLDER, target)
        self.context.status_message.emit(f"数据包已导出：{target}")
        done = ExportDoneDialog(summary, self)
        done.setWindowModality(Qt.WindowModality.WindowModal)
        done.open()
        return done

    def import_packages(self, paths: list[str | Path] | None = None) -> ImportDialog | None:
        """导入数据包…: the chosen files verified behind a progress dialog, then the result of each and 导入."""
        if paths is None:
            chosen, _f = QFileDialog.getOpenFileNames(
                self, "选择要导入的数据包", str(last_folder(FOLDER)), f"数据包 (*{SUFFIX});;所有文件 (*)"
            )
            if not chosen:
                return None
            paths = list(chosen)
        files = [Path(p) for p in paths]
        if not files:
            return None

        def job(progress: ProgressFn) -> list[PackageReport]:
            reports = []
            for n, file in enumerate(files):

                def tell(stage: str, fraction: float, n: int = n, file: Path = file) -> None:
                    progress(f"{file.name}：{stage}", (n + fraction) / len(files))

                reports.append(inspect_package(file, tell))
            return reports

        reports = in_background(self, "正在核验数据包", job, ())
        remember_folder(FOLDER, files[0])
        dialog = ImportDialog(reports, self._import_one, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def _import_one(
        self, report: PackageReport, parent: QWidget, accept_new_key: bool = False
    ) -> ImportResult:
        database, path = self.context.database, report.path

        def job(progress: ProgressFn) -> Any:
            with database.sessions() as session:
                return import_package(session, path, accept_new_key=accept_new_key, progress=progress)

        outcome = in_background(parent, "正在导入数据包", job, EXPECTED)
        if isinstance(outcome, Failed):
            error = outcome.error
            if isinstance(error, KeyChangedError) and not accept_new_key:
                sender = report.manifest.sender.department_name if report.manifest else "发送部门"
                if ask_accept_new_key(parent, error, sender):
                    return self._import_one(report, parent, accept_new_key=True)
                return ImportResult(
                    REFUSED, "未接受新密钥，未导入，未写入任何数据。请与发送部门电话核对指纹后再导入。"
                )
            return ImportResult(REFUSED, getattr(error, "message_zh", str(error)))
        self.context.data_changed.emit("received")
        self.refresh()
        self.select_package(outcome.package_id)
        return ImportResult(DUPLICATE if outcome.duplicate else IMPORTED, outcome.message)

    # --- 导入报表（Excel） -----------------------------------------------------------------------------------------
    def import_report(self, path: str | Path | None = None) -> ReportImportDialog | None:
        """导入报表（Excel）…: the chosen xlsx read and checked behind a progress dialog, then what it holds, its
        problems and 导入 in a dialog. A file that cannot be used at all is only told about."""
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(
                self,
                "选择其他部门填报的统计表或计划表",
                str(last_folder(REPORT_FOLDER)),
                "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)",
            )
            if not chosen:
                return None
            path = chosen
        file = Path(path)
        remember_folder(REPORT_FOLDER, file)
        dialog = ReportImportDialog(self.context, file, self)
        if not dialog.check() and not dialog.asking:
            reason = dialog.failure
            dialog.deleteLater()
            feedback.warn(self, reason, title="无法导入报表")
            return None
        dialog.imported.connect(self._report_imported)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def _report_imported(self, summary: Any) -> None:
        self.context.data_changed.emit("plans" if summary.plan_ids else "reported")
        self.refresh_reported()
        if summary.figure_ids:
            self.tabs.setCurrentWidget(self.reported_panel)
