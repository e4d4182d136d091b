"""The dialogs of 数据交换: what to export, what was exported (with the key's fingerprint to read out on the
phone), the verification and import of one or several 数据包, and the question when a sender's key changed.

The fingerprint is shown as four numbered lines of four groups (``3F2A 9C01 …``), the way two clerks compare
it on the phone."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.exchange import KeyChangedError, PackageReport, PackageSummary
from app.reports import Period
from app.reports.errors import ReportError
from ui import feedback
from ui.widgets.dialog_buttons import accept_cancel_buttons
from ui.widgets.hint import hint_label
from ui.widgets.period_picker import PeriodPicker

log = logging.getLogger(__name__)

__all__ = [
    "ExportChoiceDialog",
    "ExportDoneDialog",
    "ImportDialog",
    "ImportResult",
    "ask_accept_new_key",
    "fingerprint_html",
    "fingerprint_rows",
    "size_text",
]

GOOD, BAD, NOTE = "#1e7b34", "#b3261e", "#8a5a00"
WRAP_WIDTH = 600  # of the wrapped text in ExportDoneDialog
IMPORTED, DUPLICATE, REFUSED = "已导入", "重复，未导入", "已拒绝"


def fingerprint_rows(fingerprint: str) -> list[str]:
    """``3F2A 9C01 …`` (16 groups) as four lines of four groups; anything else as it is."""
    groups = fingerprint.split()
    if len(groups) != 16:
        return [fingerprint]
    return [" ".join(groups[i : i + 4]) for i in range(0, 16, 4)]


def fingerprint_html(fingerprint: str, size_pt: int = 13) -> str:
    """The fingerprint as a small table: 第1行 … 第4行, in a fixed-width font."""
    rows = fingerprint_rows(fingerprint)
    lines = "".join(
        f"<tr><td style='color:#4a5a6e; padding-right:10px'>第{n}行</td>"
        f"<td style='font-family:monospace; font-size:{size_pt}pt; font-weight:bold'>{html.escape(row)}</td></tr>"
        for n, row in enumerate(rows, start=1)
    )
    return f"<table cellspacing='0' cellpadding='2'>{lines}</table>"


def size_text(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):,.1f} MB"
    return f"{max(1, round(size / 1024)):,} KB"


def counts_text(counts: dict[str, int] | dict[str, object]) -> str:
    """What a package holds, in one line."""

    def n(key: str) -> object:
        return counts.get(key, 0)

    return (
        f"抽查事项 {n('items')} 项，年度计划 {n('plans')} 份（{n('plan_rows')} 行），抽查任务 {n('tasks')} 个，"
        f"摇号记录 {n('records')} 份，抽中对象 {n('entities')} 户，检查登记 {n('inspections')} 份，"
        f"结果公示 {n('publications')} 次"
    )


# --- export ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    name: str
    own: bool  # 本机所属部门


class ExportChoiceDialog(QDialog):
    """导出数据包: which department and which 统计期间 (the 司法局 says which period everyone sends)."""

    def __init__(
        self, departments: Sequence[DepartmentChoice], period: Period | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出数据包")
        self.setMinimumWidth(480)
        self.department = QComboBox()
        for choice in departments:
            self.department.addItem(choice.name + ("（本机所属部门）" if choice.own else ""), choice.id)
        own = [n for n, d in enumerate(departments) if d.own]
        self.department.setCurrentIndex(own[0] if own else 0)
        self.picker = PeriodPicker()
        if period is not None:
            self.picker.set_value(period)
        form = QFormLayout()
        form.addRow("部门(&D)：", self.department)
        form.addRow("统计期间(&P)：", self.picker)
        hint = hint_label(
            "数据包包含该部门在统计期间内的年度计划、抽查任务、摇号记录、检查和公示情况，"
            "用本机的签名密钥签名，对方导入时会逐项核验。请与司法局约定的统计期间一致，"
            "否则对方汇总时不会合并。"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(accept_cancel_buttons("下一步", self._accept, self.reject))

    def _accept(self) -> None:
        if self.department.currentIndex() < 0:
            feedback.warn(self, "本机没有可导出的部门，请先在系统设置中添加部门。", title="导出数据包")
            return
        try:
            self.picker.period()
        except ReportError as exc:
            self.picker.show_error(exc.message_zh)
            return
        self.accept()

    def values(self) -> tuple[int, str, Period]:
        name = self.department.currentText().removesuffix("（本机所属部门）")
        return int(self.department.currentData()), name, self.picker.period()


class ExportDoneDialog(QDialog):
    """数据包已导出: where, what it holds, and the fingerprint to read out to the receiver on the phone."""

    def __init__(self, summary: PackageSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle("数据包已导出")
        layout = QVBoxLayout(self)
        done = QLabel(f"<b style='color:{GOOD}'>数据包已导出并签名。</b>")
        layout.addWidget(done)
        self.facts_label = QLabel(
            f"文件：{html.escape(summary.path.name)}（{size_text(summary.size)}）<br>"
            f"位置：{html.escape(str(summary.path.parent))}<br>"
            f"发送部门：{html.escape(summary.department_name)}（{html.escape(summary.department_code)}）<br>"
            f"统计期间：{html.escape(summary.period.span_text)}<br>"
            f"内容：{counts_text(summary.counts)}"
        )
        self.facts_label.setWordWrap(True)
        self.facts_label.setMinimumWidth(WRAP_WIDTH)  # wrapped labels ask for height at this width
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts_label)
        box = QGroupBox("本机签名密钥指纹")
        inner = QVBoxLayout(box)
        self.fingerprint_label = QLabel(fingerprint_html(summary.fingerprint, 15))
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.fingerprint_label)
        phone = hint_label(
            "请把数据包拷给接收单位（如司法局），并打电话把上面的指纹逐行读给对方核对。"
            "对方第一次收到本部门的数据包、或本机重装过程序时，都要这样核对一次。"
        )
        phone.setMinimumWidth(WRAP_WIDTH - 30)
        inner.addWidget(phone)
        layout.addWidget(box)
        buttons = QDialogButtonBox()
        self.folder_button = QPushButton("打开所在文件夹")
        self.copy_button = QPushButton("复制指纹")
        close = QPushButton("关闭")
        close.setDefault(True)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.folder_button.clicked.connect(
            lambda _c=False: QDesktopServices.openUrl(QUrl.fromLocalFile(str(summary.path.parent)))
        )
        self.copy_button.clicked.connect(lambda _c=False: self.copy_fingerprint())
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)

    def copy_fingerprint(self) -> None:
        QGuiApplication.clipboard().setText(self.summary.fingerprint)
        self.copy_button.setText("已复制")


# --- import ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What became of one verified package: IMPORTED, DUPLICATE or REFUSED, and the service's sentence."""

    state: str
    text: str


Importer = Callable[[PackageReport, QWidget], ImportResult]  # (package, the dialog asking)


def _verdict(report: PackageReport) -> str:
    if report.valid:
        return "核验通过"
    return "无法读取" if not report.readable else "核验不通过"


class ImportDialog(QDialog):
    """The verified packages (one, or a list when several files were chosen) with each one's result; 导入
    imports those that verified, one by one through ``importer`` (which asks about a changed key)."""

    def __init__(
        self, reports: Sequence[PackageReport], importer: Importer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.reports = list(reports)
        self.importer = importer
        self.results: dict[int, ImportResult] = {}
        self.setWindowTitle("导入数据包")
        self.resize(900 if len(self.reports) > 1 else 760, 600)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bold = self.summary.font()
        bold.setBold(True)
        self.summary.setFont(bold)
        layout.addWidget(self.summary)

        self.files = QTableWidget(len(self.reports), 4)
        self.files.setHorizontalHeaderLabels(["文件", "发送部门", "统计期间", "结果"])
        self.files.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.files.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.files.verticalHeader().setVisible(False)
        self.files.verticalHeader().setDefaultSectionSize(24)
        header = self.files.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        if len(self.reports) > 1:
            split = QSplitter(Qt.Orientation.Vertical)
            split.addWidget(self.files)
            split.addWidget(self.detail)
            listed = min(len(self.reports), 8) * 24 + self.files.horizontalHeader().sizeHint().height() + 6
            self.files.setMinimumHeight(listed)  # up to eight files in view without scrolling
            split.setSizes([listed, 600 - listed])
            split.setChildrenCollapsible(False)
            layout.addWidget(split, 1)
        else:
            self.files.hide()
            layout.addWidget(self.detail, 1)

        buttons = QDialogButtonBox()
        self.import_button = QPushButton()
        self.close_button = QPushButton("取消")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(lambda _c=False: self.do_import())
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.files.itemSelectionChanged.connect(self._show_selected)
        self._update()
        if self.reports:
            self.files.selectRow(0)
        self._show_selected()

    # --- state ---
    def importable(self) -> list[int]:
        return [n for n, r in enumerate(self.reports) if r.valid and n not in self.results]

    def row_state(self, row: int) -> str:
        """The 结果 column of a file: its verification, then what the import did."""
        result = self.results.get(row)
        return result.state if result is not None else _verdict(self.reports[row])

    def selected_row(self) -> int:
        rows = self.files.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def do_import(self) -> list[ImportResult]:
        """Import every verified package not yet imported; each result is shown with its file."""
        done = []
        for row in self.importable():
            self.files.selectRow(row)
            result = self.importer(self.reports[row], self)
            self.results[row] = result
            done.append(result)
            self._update()
            self._show_selected()
        return done

    def _update(self) -> None:
        for row, report in enumerate(self.reports):
            manifest = report.manifest
            cells = [
                report.path.name,
                manifest.sender.department_name if manifest else "",
                manifest.period.label if manifest else "",
                self.row_state(row),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setForeground(_state_colour(text))
                self.files.setItem(row, column, item)
        waiting = self.importable()
        refused = [r for r in self.reports if not r.valid]
        if self.results:
            states = [r.state for r in self.results.values()]
            parts = [f"{states.count(s)} 个{s}" for s in (IMPORTED, DUPLICATE, REFUSED) if states.count(s)]
            if refused:
                parts.append(f"{len(refused)} 个未通过核验")
            self.summary.setText("导入完成：" + "，".join(parts) + "。")
        elif len(self.reports) == 1:
            report = self.reports[0]
            self.summary.setText(
                "数据包核验通过，可以导入。"
                if report.valid
                else "数据包未通过核验，已拒绝导入，未写入任何数据。"
            )
        else:
            self.summary.setText(
                f"共 {len(self.reports)} 个文件：{len(waiting)} 个核验通过，{len(refused)} 个未通过"
                + ("（未通过的不会导入，也不会写入任何数据）。" if refused else "。")
            )
        self.import_button.setText("导入" if len(waiting) <= 1 else f"导入 {len(waiting)} 个数据包")
        self.import_button.setEnabled(bool(waiting))
        self.import_button.setVisible(bool(waiting) or not self.results)
        self.close_button.setText("关闭" if self.results or not waiting else "取消")
        if waiting:
            self.import_button.setDefault(True)
        else:
            self.close_button.setDefault(True)

    def _show_selected(self) -> None:
        if not self.reports:
            self.detail.clear()
            return
        row = self.selected_row()
        self.detail.setHtml(report_html(self.reports[row], self.results.get(row)))

    def detail_text(self) -> str:
        return self.detail.toPlainText()


def _state_colour(text: str) -> QBrush:
    return QBrush(QColor({"核验通过": GOOD, IMPORTED: GOOD, DUPLICATE: NOTE}.get(text, BAD)))


def report_html(report: PackageReport, result: ImportResult | None) -> str:
    """One package: what became of it, then who sent it, which period, when, the key and what it holds — or
    every problem the verification found."""
    parts = []
    if result is not None:
        colour = {IMPORTED: GOOD, DUPLICATE: NOTE}.get(result.state, BAD)
        parts.append(
            f"<p style='color:{colour}; font-weight:bold'>{html.escape(result.state)}："
            f"{html.escape(result.text)}</p>"
        )
    if report.valid:
        parts.append(
            f"<p style='color:{GOOD}; font-weight:bold'>核验通过：签名有效，全部文件与清单一致，"
            f"{report.records_verified} 份摇号记录均通过 SJDRAW-1 验证。</p>"
        )
    elif not report.readable:
        first = report.problems[0] if report.problems else "文件不可用"
        parts.append(f"<p style='color:{BAD}; font-weight:bold'>无法读取：{html.escape(first)}</p>")
    else:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in report.problems)
        parts.append(
            f"<p style='color:{BAD}; font-weight:bold'>核验不通过，已拒绝导入，未写入任何数据。"
            f"发现 {len(report.problems)} 处问题：</p><ol style='color:{BAD}'>{items}</ol>"
        )
    manifest = report.manifest
    if manifest is not None:
        if not report.valid:
            parts.append(
                "<p style='color:#4a5a6e'>以下是数据包自称的内容，未通过核验，仅供与发送部门核对：</p>"
            )
        sender = manifest.sender
        created = f"{manifest.created_at.astimezone():%Y-%m-%d %H:%M}"
        rows = [
            ("发送部门", f"{sender.department_name}（{sender.department_code}）"),
            ("单位", f"{sender.bureau}　县（区）：{sender.county}"),
            ("统计期间", manifest.period.span_text),
            ("导出时间", f"{created}（{manifest.created_by or '未署名'}）"),
            ("内容", counts_text(manifest.counts)),
            ("文件", f"{report.path.name}（{size_text(report.size)}）"),
        ]
        parts.append(_table(rows))
        parts.append(
            "<p><b>发送部门的密钥指纹：</b></p>"
            + fingerprint_html(report.fingerprint or sender.key_fingerprint)
        )
    return "".join(parts)


def _table(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td style='color:#4a5a6e; padding-right:12px; white-space:nowrap'>{html.escape(k)}：</td>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table cellspacing='0' cellpadding='3'>{body}</table>"


def ask_accept_new_key(parent: QWidget | None, error: KeyChangedError, sender: str) -> bool:
    """The sender signed with a key this PC has not seen for it: accept it only after a phone call."""
    text = (
        f"<p><b>{html.escape(sender)}的签名密钥与以前收到的不同。</b></p>"
        "<p>可能是对方电脑重装过程序，也可能是有人冒充对方制作了数据包。"
        "请<b>打电话</b>给发送部门，请对方在本程序“数据交换”页导出数据包后显示的指纹逐行读给您，"
        "与下面的“本数据包的密钥指纹”核对；四行全部一致才能接受。</p>"
        f"<p>以前的密钥指纹：</p>{fingerprint_html(error.known_fingerprint, 11)}"
        f"<p>本数据包的密钥指纹：</p>{fingerprint_html(error.new_fingerprint, 11)}"
        "<p>不接受时不会写入任何数据。</p>"
    )
    return feedback.confirm(
        parent, text, ok_text="已电话核对，接受新密钥并导入", title="发送部门的密钥已更换"
    )
