"""抽取控制台: the operator's window for one task's draw, driving the projection window step by step.

准备（自检、核对抽取池）→ 抽取池与数据指纹 → 承诺值与监督人报数 → 揭晓与结果 → 打印记录表 / 递补 / 作废.
Every step is stored by app.tasks as it happens; the nonce lives only in this window between commitment and
reveal, so closing the window in between voids the attempt (with a reason, as the record shows).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.auth.roles import Permission
from app.draw import commitment
from app.draw.selftest import run_selftest
from app.tasks import (
    AssignedObject,
    DrawCommitment,
    DrawPreview,
    FinishedDraw,
    OpenAttemptError,
    PreparedTaskDraw,
    TaskError,
    commit_draw,
    current_record,
    draw_assignments,
    draw_history,
    finish_draw,
    prepare_draw,
    preview_draw,
    task_definition,
    void_draw,
)
from app.tasks.archive import export_draw_files
from db.models import Draw
from ui import feedback
from ui.context import AppContext
from ui.draw.projection import ProjectionWindow
from ui.draw.replacement_dialog import ReplacementDialog
from ui.draw.scenes import PoolScene, ResultLine, TitleScene
from ui.draw.witness_table import WitnessTable
from ui.permissions import restrict

log = logging.getLogger(__name__)

STEPS = ("准备与自检", "抽取池与数据指纹", "承诺值与监督人报数", "揭晓与抽取结果")
HELP_SECTIONS = ("draw", "draw-projection", "draw-witness", "draw-reveal")  # F1 at each step (使用说明)
CAP_TEXT = {"auto": "自动（平均分配）", "none": "不限"}


def result_lines(objects: list[AssignedObject]) -> list[ResultLine]:
    return [
        ResultLine(
            o.order,
            o.name,
            o.code,
            o.stratum,
            [f"{i.name}（{i.cert_no}）" for i in o.active_inspectors],
            [i.name for i in o.active_inspectors],
        )
        for o in objects
    ]


class DrawConsole(QWidget):
    """One task's draw. `finished` is emitted when a draw completes or is voided (the task list refreshes)."""

    changed = Signal()

    def __init__(self, context: AppContext, task_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.task_id = task_id
        with context.database.sessions() as session:
            self.definition = task_definition(session, task_id)
        self.setWindowTitle(f"抽取控制台 — {self.definition.code} {self.definition.title}")
        self.resize(1180, 720)
        self.preview: DrawPreview | None = None
        self.handle: PreparedTaskDraw | None = None
        self.sealed: DrawCommitment | None = None
        self.finished_draw: FinishedDraw | None = None
        self.results: list[AssignedObject] = []
        self.final_page = 0
        self.projection = ProjectionWindow(context.settings().bureau_name)
        self._build()
        self._go(0)
        self._load_finished()
        self._show_title()
        help_key = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self)
        help_key.activated.connect(self.show_help)
        # Watchers may open a finished draw to reproject, reprint or export it; 作废 and 递补 are the clerk's.
        restrict(context.database.actor, Permission.TASKS, self.void_button, self.replace_button)

    def _load_finished(self) -> None:
        """A task already drawn opens on its results: reprint, export, 递补 — never a second draw."""
        with self.context.database.sessions() as session:
            done = [a for a in draw_history(session, self.task_id) if a.status == "已完成"]
            if not done:
                return
            attempt = done[-1]
            record = current_record(session, attempt.draw_id)
            stored_sha = session.get(Draw, attempt.draw_id).record_sha256  # type: ignore[union-attr]
            self.results = draw_assignments(session, attempt.draw_id)
        self.finished_draw = FinishedDraw(
            attempt.draw_id, attempt.draw_uid, attempt.attempt_no, record["seed"], stored_sha, record
        )
        self.operator.setText(attempt.operator_name)
        self.place.setText(attempt.place)
        self._fill_results()
        self._go(3)
        self.skip_button.setEnabled(False)
        self.void_button.setEnabled(True)

    # --- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        self.step_list = QListWidget()
        self.step_list.setFixedWidth(200)
        self.step_list.setObjectName("navigation")
        self.step_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for number, title in enumerate(STEPS, start=1):
            self.step_list.addItem(f"{number}. {title}")
        outer.addWidget(self.step_list)
        right = QVBoxLayout()
        outer.addLayout(right, 1)

        heading = QLabel(f"{self.definition.code}　{self.definition.title}")
        heading.setObjectName("pageHeading")
        right.addWidget(heading)
        bar = QHBoxLayout()
        self.operator = QLineEdit()
        self.operator.setPlaceholderText("抽取人姓名")
        self.place = QLineEdit()
        self.place.setPlaceholderText("抽取地点，如：县局三楼会议室")
        self.screen_choice = QComboBox()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            size = screen.geometry()
            self.screen_choice.addItem(f"屏幕{number}（{size.width()}×{size.height()}）", number - 1)
        if self.screen_choice.count() > 1:
            self.screen_choice.setCurrentIndex(1)  # the second screen is usually the projector
        self.projection_button = QPushButton("打开投影窗口")
        self.projection_button.clicked.connect(self.toggle_projection)
        bar.addWidget(QLabel("抽取人："))
        bar.addWidget(self.operator)
        bar.addWidget(QLabel("地点："))
        bar.addWidget(self.place, 1)
        bar.addWidget(self.screen_choice)
        bar.addWidget(self.projection_button)
        right.addLayout(bar)

        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        self.stack.addWidget(self._page_ready())
        self.stack.addWidget(self._page_pool())
        self.stack.addWidget(self._page_witnesses())
        self.stack.addWidget(self._page_results())

        actions = QHBoxLayout()
        self.void_button = QPushButton("作废本次抽取…")
        self.void_button.clicked.connect(self.void)
        actions.addWidget(self.void_button)
        actions.addStretch(1)
        self.primary = QPushButton()
        self.primary.setDefault(True)
        self.primary.setMinimumWidth(200)
        self.primary.clicked.connect(self._primary_action)
        actions.addWidget(self.primary)
        right.addLayout(actions)

    def _page_ready(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.selftest_button = QPushButton("算法自检（投影显示）")
        self.selftest_button.clicked.connect(self.run_selftest)
        self.check_button = QPushButton("核对抽取池")
        self.check_button.clicked.connect(self.check_pool)
        row.addWidget(self.selftest_button)
        row.addWidget(self.check_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.ready_text = QPlainTextEdit()
        self.ready_text.setReadOnly(True)
        self.ready_text.setPlaceholderText(
            "先做算法自检，再核对抽取池：符合条件的对象、排除项及数量、分层比例、检查人员。"
        )
        layout.addWidget(self.ready_text)
        return page

    def _page_pool(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        pool = QPushButton("投影：抽取池")
        pool.clicked.connect(self._project_pool)
        prints = QPushButton("投影：数据指纹")
        prints.clicked.connect(self._project_fingerprints)
        row.addWidget(pool)
        row.addWidget(prints)
        row.addStretch(1)
        layout.addLayout(row)
        self.pool_text = QPlainTextEdit()
        self.pool_text.setReadOnly(True)
        layout.addWidget(self.pool_text)
        return page

    def _page_witnesses(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.commit_label = QLabel()
        self.commit_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(13)
        self.commit_label.setFont(mono)
        form.addRow("承诺值：", self.commit_label)
        layout.addLayout(form)
        row = QHBoxLayout()
        show = QPushButton("投影：承诺值")
        show.clicked.connect(self._project_commit)
        show_w = QPushButton("投影：监督人报数")
        show_w.clicked.connect(self._project_witnesses)
        add = QPushButton("增加监督人")
        remove = QPushButton("删除所选")
        row.addWidget(show)
        row.addWidget(show_w)
        row.addStretch(1)
        row.addWidget(add)
        row.addWidget(remove)
        layout.addLayout(row)
        self.witness_table = WitnessTable()
        self.witness_table.edited.connect(self._witnesses_edited)
        add.clicked.connect(lambda: self.witness_table.add_witness())
        remove.clicked.connect(self.witness_table.remove_selected)
        layout.addWidget(self.witness_table, 1)
        self.witness_problems = QLabel()
        self.witness_problems.setObjectName("hint")
        self.witness_problems.setProperty("alert", True)
        self.witness_problems.setWordWrap(True)
        layout.addWidget(self.witness_problems)
        return page

    def _page_results(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.skip_button = QPushButton("跳过动画")
        self.skip_button.clicked.connect(self.projection.skip_reveal)
        self.final_button = QPushButton("投影：结果表")
        self.final_button.clicked.connect(lambda: self._project_final(0))
        self.prev_page = QPushButton("上一页")
        self.prev_page.clicked.connect(lambda: self._project_final(self.final_page - 1))
        self.next_page = QPushButton("下一页")
        self.next_page.clicked.connect(lambda: self._project_final(self.final_page + 1))
        self.replace_button = QPushButton("递补…")
        self.replace_button.clicked.connect(self.replace)
        self.print_button = QPushButton("打印记录表")
        self.print_button.clicked.connect(self.print_sheet)
        self.export_button = QPushButton("导出到文件夹（U盘）…")
        self.export_button.clicked.connect(self.export_to_folder)
        for button in (self.skip_button, self.final_button, self.prev_page, self.next_page):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.replace_button, self.print_button, self.export_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.results_table = QTableWidget(0, 5)
        self.results_table.setHorizontalHeaderLabels(
            ("序号", "检查对象", "统一社会信用代码", "分层", "执法检查人员")
        )
        self.results_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.results_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.results_table.verticalHeader().setVisible(False)
        header = self.results_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.results_table, 1)
        self.seed_label = QLabel()
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.seed_label)
        return page

    def show_help(self) -> QWidget:
        """使用说明 at the section about the step in front (F1); it closes with this window."""
        from ui.help_window import show_help

        return show_help(self, HELP_SECTIONS[self.step()])

    # --- step control ---------------------------------------------------------------------------------
    def step(self) -> int:
        return self.stack.currentIndex()

    def _go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.step_list.setCurrentRow(step)
        self.primary.setText(("确认抽取池并开始", "生成承诺值", "揭晓并抽取", "完成，关闭")[step])
        self.primary.setEnabled(step != 0 or bool(self.preview and self.preview.feasible))
        self.void_button.setEnabled(self.handle is not None or self.finished_draw is not None)
        for widget in (self.operator, self.place):
            widget.setEnabled(step == 0)

    def _primary_action(self) -> None:
        actions = (self.prepare, self.commit, self.reveal, self.close)
        actions[self.step()]()

    # --- projection -------------------------------------------------------------------------------------
    def toggle_projection(self) -> None:
        if self.projection.isVisible():
            self.projection.hide()
            self.projection_button.setText("打开投影窗口")
            return
        screens = QGuiApplication.screens()
        screen = screens[min(int(self.screen_choice.currentData() or 0), len(screens) - 1)]
        self.projection.setScreen(screen)
        self.projection.setGeometry(screen.geometry())
        self.projection.showFullScreen()
        self.projection_button.setText("关闭投影窗口")

    def _show_title(self) -> None:
        d = self.definition
        self.projection.show_title(
            TitleScene(
                self.context.settings().bureau_name,
                d.title,
                d.code,
                list(d.items),
                [f"{x.name}（{x.role}）" if d.is_joint else x.name for x in d.departments],
                self.place.text().strip() or "—",
                d.planned_date.strftime("计划检查日期 %Y年%m月%d日") if d.planned_date else "",
                self.handle.attempt_note if self.handle else "",
            )
        )

    def _pool_scene(self) -> PoolScene:
        assert self.preview is not None
        pool = self.preview.pool
        return PoolScene(
            base_count=pool.base_count,
            exclusions=[(e.label, e.count) for e in pool.exclusions if e.enabled],
            pool_size=pool.pool_size,
            strata=[(s.label, s.pool_size, s.sample_size, s.inclusion_percent) for s in pool.strata],
            inspector_groups=[(d.group, len(d.eligible), d.k) for d in self.preview.departments],
            fingerprints=self.preview.hashes,
            cap=CAP_TEXT.get(self.definition.cap, self.definition.cap),
        )

    def _project_pool(self) -> None:
        if self.preview is not None:
            self.projection.show_pool(self._pool_scene())

    def _project_fingerprints(self) -> None:
        if self.preview is not None:
            self.projection.show_fingerprints(self.preview.hashes)

    def _project_commit(self) -> None:
        if self.sealed is not None:
            self.projection.show_commit(self.sealed.commit_hex)

    def _project_witnesses(self) -> None:
        self.projection.show_witnesses(self.witness_table.lines())

    def _witnesses_edited(self) -> None:
        problems = self.witness_table.problems()
        self.witness_problems.setText("\n".join(problems))
        if self.projection.scene_name == "witnesses":
            self._project_witnesses()

    def _project_final(self, page: int) -> None:
        if self.finished_draw is None:
            return
        pages = self.projection.show_final(result_lines(self.results), self.finished_draw.seed_hex, page)
        self.final_page = max(0, min(page, pages - 1))
        self.prev_page.setEnabled(self.final_page > 0)
        self.next_page.setEnabled(self.final_page < pages - 1)

    # --- steps --------------------------------------------------------------------------------------------
    def run_selftest(self) -> bool:
        ok, lines = run_selftest()
        self.projection.show_selftest(
            [(line.split("  ", 1)[-1], line.startswith("PASS")) for line in lines[:-1]]
        )
        self.ready_text.setPlainText("算法自检：\n" + "\n".join(lines))
        if not ok:
            feedback.error(self, "算法自检未通过，本机不能进行抽取。请联系技术支持。", title="自检未通过")
        return ok

    def check_pool(self) -> bool:
        with self.context.database.sessions() as session:
            try:
                self.preview = preview_draw(session, self.task_id)
            except TaskError as exc:
                feedback.warn(self, exc.message_zh, title="无法核对抽取池")
                return False
        lines = self.preview.summary_lines()
        if not self.preview.feasible:
            lines = ["不能抽取：", *self.preview.problems, "", *lines]
        self.ready_text.setPlainText("\n".join(lines))
        self._project_pool()
        self._go(0)
        return self.preview.feasible

    def prepare(self) -> None:
        operator, place = self.operator.text().strip(), self.place.text().strip()
        if not operator or not place:
            feedback.warn(self, "请填写抽取人和抽取地点，它们将印在记录表上。", title="信息不全")
            return
        with self.context.database.sessions() as session:
            try:
                self.handle = prepare_draw(session, self.task_id, operator, place)
            except OpenAttemptError:
                if self._void_stale_attempt():
                    self.prepare()
                return
            except TaskError as exc:
                feedback.warn(self, exc.message_zh, title="不能开始抽取")
                return
        self.preview = self.handle.preview
        self.pool_text.setPlainText("\n".join(self.handle.summary_lines()))
        log.info("draw %s prepared for task %s", self.handle.draw_uid, self.definition.code)
        self._show_title()
        self._go(1)
        self.changed.emit()

    def _void_stale_attempt(self) -> bool:
        """An attempt left open (the program stopped mid-draw) must be voided, with a reason, before a new one."""
        with self.context.database.sessions() as session:
            stale = [a for a in draw_history(session, self.task_id) if a.status in ("已准备", "已承诺")]
        if not stale:
            return False
        attempt = stale[-1]
        reason, ok = QInputDialog.getText(
            self,
            "上次抽取未完成",
            f"第{attempt.attempt_no}次抽取（{attempt.status}）未完成，须先作废才能重新抽取。\n作废原因：",
            text="程序中断，抽取未完成",
        )
        if not ok:
            return False
        with self.context.database.sessions() as session:
            try:
                void_draw(session, attempt.draw_id, reason)
            except TaskError as exc:
                feedback.warn(self, exc.message_zh, title="未能作废")
                return False
        return True

    def commit(self) -> None:
        assert self.handle is not None
        with self.context.database.sessions() as session:
            try:
                self.sealed = commit_draw(session, self.handle.draw_id)
            except TaskError as exc:
                feedback.warn(self, exc.message_zh, title="不能生成承诺值")
                return
        self.commit_label.setText(self.sealed.commit_hex)
        self.projection.show_commit(self.sealed.commit_hex)
        self._witnesses_edited()
        self._go(2)
        self.changed.emit()

    def reveal(self) -> None:
        assert self.handle is not None and self.sealed is not None
        problems = self.witness_table.problems()
        if problems:
            feedback.warn(self, "\n".join(problems), title="报数不完整")
            return
        witnesses = self.witness_table.witnesses()
        summary = "；".join(f"{w.name} {w.values_text()}" for w in witnesses)
        if not feedback.confirm(
            self,
            f"确认监督人报数：\n{summary}\n\n确认后立即揭晓随机数并抽取，报数不能再更改。",
            ok_text="揭晓并抽取",
        ):
            return
        with self.context.database.sessions() as session:
            try:
                self.finished_draw = finish_draw(
                    session, self.handle.draw_id, self.sealed.nonce, witnesses, prepared=self.handle
                )
            except TaskError as exc:
                feedback.error(self, exc.message_zh, title="抽取未完成")
                return
            self.results = draw_assignments(session, self.finished_draw.draw_id)
        nonce_hex = self.sealed.nonce.hex()
        self.projection.show_reveal(
            nonce_hex, commitment(self.sealed.nonce), commitment(self.sealed.nonce) == self.sealed.commit_hex
        )
        self._fill_results()
        self._go(3)
        self.void_button.setEnabled(True)
        self.changed.emit()
        QTimer.singleShot(4000, self._start_reveal)

    def _start_reveal(self) -> None:
        if self.projection.scene_name == "reveal":
            self.projection.start_reveal(result_lines(self.results))

    def _fill_results(self) -> None:
        assert self.finished_draw is not None
        table = self.results_table
        table.setRowCount(len(self.results))
        for row, line in enumerate(result_lines(self.results)):
            values = (str(line.order), line.name, line.code, line.stratum, "、".join(line.inspectors))
            for column, text in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(text))
        self.seed_label.setText(f"种子（seed）：{self.finished_draw.seed_hex}")

    # --- after the draw ---------------------------------------------------------------------------------
    def print_sheet(self) -> Path | None:
        """Export the record and its PDF to the data directory and open the PDF for printing."""
        if self.finished_draw is None:
            return None
        with self.context.database.sessions() as session:
            try:
                record_path, pdf_path = export_draw_files(session, self.finished_draw.draw_id)
            except Exception as exc:  # fonts, disk: tell the clerk plainly, keep the draw
                message = getattr(exc, "message_zh", None) or getattr(exc, "message", None) or str(exc)
                feedback.error(self, f"记录表未能生成：{message}", title="打印")
                return None
        self.context.status_message.emit(f"记录表已生成：{pdf_path}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf_path)))
        log.info("draw sheet written: %s (record %s)", pdf_path, record_path)
        return pdf_path

    def export_to_folder(self, folder: str | None = None) -> tuple[Path, Path] | None:
        if self.finished_draw is None:
            return None
        target = folder or QFileDialog.getExistingDirectory(self, "选择导出文件夹（如U盘）")
        if not target:
            return None
        with self.context.database.sessions() as session:
            try:
                paths = export_draw_files(session, self.finished_draw.draw_id, Path(target))
            except Exception as exc:
                message = getattr(exc, "message_zh", None) or getattr(exc, "message", None) or str(exc)
                feedback.error(self, f"导出失败：{message}", title="导出")
                return None
        feedback.info(self, f"已导出：\n{paths[0].name}\n{paths[1].name}\n\n到：{target}", title="导出完成")
        return paths

    def replace(self) -> None:
        if self.finished_draw is None:
            return
        rows = self.results_table.selectionModel().selectedRows()
        if not rows:
            feedback.warn(self, "请先在结果表中选中需要递补的检查对象。", title="递补")
            return
        target = self.results[rows[0].row()]
        dialog = ReplacementDialog(self.context, self.finished_draw.draw_id, target, self)
        if not dialog.exec() or dialog.outcome is None:
            return
        with self.context.database.sessions() as session:
            self.results = draw_assignments(session, self.finished_draw.draw_id)
        self._fill_results()
        removed = next(
            (i for i in target.inspectors if i.inspector_id == dialog.outcome.removed_inspector_id), None
        )
        self.projection.show_replacement(
            target.order,
            target.name,
            f"{removed.name}（{removed.cert_no}）" if removed else "",
            dialog.reason,
            dialog.outcome.chosen_name,
            dialog.witness_text,
        )
        self.changed.emit()

    def void(self) -> bool:
        if self.handle is None and self.finished_draw is None:
            return False
        reason, ok = QInputDialog.getMultiLineText(
            self, "作废本次抽取", "作废原因（必填，将记入下一次抽取的记录）："
        )
        if not ok:
            return False
        return self.void_with_reason(reason)

    def void_with_reason(self, reason: str) -> bool:
        draw_id = (
            self.handle.draw_id if self.handle else self.finished_draw.draw_id if self.finished_draw else None
        )
        attempt = (
            self.handle.attempt_no
            if self.handle
            else self.finished_draw.attempt_no
            if self.finished_draw
            else 0
        )
        if draw_id is None:
            return False
        with self.context.database.sessions() as session:
            try:
                void_draw(session, draw_id, reason)
            except TaskError as exc:
                feedback.warn(self, exc.message_zh, title="未能作废")
                return False
        log.info("draw %s voided: %s", draw_id, reason)
        self.context.status_message.emit(f"第{attempt}次抽取已作废。")
        self.handle = self.sealed = self.finished_draw = None
        self.preview = None
        self.results = []
        self.ready_text.clear()
        self._go(0)
        self._show_title()
        self.changed.emit()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.handle is not None and self.finished_draw is None:
            stage = "承诺值已公布但尚未揭晓" if self.sealed is not None else "本次抽取已开始但尚未生成承诺值"
            if not feedback.confirm(
                self,
                f"{stage}。现在关闭，本次抽取将作废（记录原因：抽取完成前关闭了抽取窗口）。确定关闭吗？",
                ok_text="作废并关闭",
            ):
                event.ignore()
                return
            self.void_with_reason("抽取完成前关闭了抽取窗口")
        self.projection.close()
        event.accept()
