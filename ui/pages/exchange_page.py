"""数据交换: a department's 数据包 written for the 司法局 (导出数据包…), other departments' packages verified
and imported (导入数据包…), the read-only 来自其他部门 list with each package's details and draw records,
核验 of what is stored, and the 全县联合抽查计划 built from this PC's plans and the received ones.

Everything here calls :mod:`app.exchange`; export and import need the 数据交换 permission (管理员, 经办人),
the rest only reads. Received packages can never be edited or deleted (the database refuses it too).

The page's parts: the file actions in :mod:`ui.pages.exchange_files`, the received packages' models in
:mod:`ui.pages.exchange_received`, the 全县联合抽查计划 tab in :mod:`ui.pages.exchange_joint_plan` and the
报表导入 list in :mod:`ui.pages.exchange_reported`."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.auth.roles import Permission
from app.exchange import ReceivedPackageRow, list_received, verify_received
from ui import feedback
from ui.context import AppContext
from ui.jobs import ProgressFn
from ui.models.list_table import ListTableModel, list_table_view
from ui.pages.exchange_files import EXPECTED, ExchangeFileActions
from ui.pages.exchange_joint_plan import JointPlanView
from ui.pages.exchange_received import (
    DRAW_COLUMNS,
    RECEIVED_COLUMNS,
    DrawLine,
    PackageDetails,
    ReceivedModel,
    _local,
    package_details,
    problems_of,
)
from ui.pages.exchange_reported import REPORTED_COLUMNS, ReportedModel, reported_list
from ui.widgets.drill_down_dialog import Failed, in_background
from ui.widgets.exchange_dialogs import counts_text, fingerprint_html, size_text
from ui.widgets.hint import hint_label


class ExchangePage(ExchangeFileActions):
    TITLE = "数据交换"
    EDIT_PERMISSION = Permission.EXCHANGE

    def editing_widgets(self) -> list[QWidget]:
        return [self.export_button, self.import_button, self.report_button]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.rows: list[ReceivedPackageRow] = []
        self.details: PackageDetails | None = None
        context.data_changed.connect(lambda _what: self._mark_stale())

        top = self.heading_bar()
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
        self.list_hint = hint_label()
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
        record_hint = hint_label("记录与发送部门摇号时保存的完全一致，导入时已逐份验证。")
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
        self.reported_hint = hint_label()
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
