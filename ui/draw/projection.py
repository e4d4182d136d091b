"""The projection window (投影窗口): the draw as the room sees it — big type, high contrast, nothing else.

It only displays; the operator console drives it step by step. Readable from 10 m at 1920×1080: sizes scale
with the window height (body text ≈ 1/28 of the height, i.e. ~38 px at 1080 lines).
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsOpacityEffect,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.draw.scenes import PoolScene, ResultLine, TitleScene, WitnessLine, hex_blocks

BACKGROUND = "#0b2545"
TEXT = "#ffffff"
ACCENT = "#f4d35e"
GOOD = "#9be39f"
BAD = "#ff8a80"
MUTED = "#b8c7dc"


def _label(
    text: str = "", role: str = "body", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return label


class _ElidedLabel(QLabel):
    """A one-line label that ends in "…" when its column is too narrow, with the whole text as tooltip."""

    def __init__(self, text: str, role: str) -> None:
        super().__init__()
        self.full_text = text
        self.setProperty("role", role)
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width()))


class _Scene(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(80, 50, 80, 50)
        self.layout_.setSpacing(18)


class ProjectionWindow(QWidget):
    """One window, one scene at a time. Results are revealed one by one (skippable)."""

    reveal_finished = Signal()

    def __init__(self, bureau: str = "") -> None:
        super().__init__()
        self.setWindowTitle("随机抽取 — 投影")
        self.setObjectName("projection")
        self.bureau = bureau
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = _label(bureau, "banner", Qt.AlignmentFlag.AlignHCenter)
        outer.addWidget(self.banner)
        outer.addWidget(self.stack, 1)
        self.footer = _label("", "footer", Qt.AlignmentFlag.AlignHCenter)
        outer.addWidget(self.footer)

        self._reveal_timer = QTimer(self)
        self._reveal_timer.timeout.connect(self._reveal_next)
        self._pending: list[ResultLine] = []
        self._shown: list[ResultLine] = []
        self._animation: QPropertyAnimation | None = None
        self.reveal_interval_ms = 2200
        self.scene_name = ""
        self._apply_style()

    # --- look ----------------------------------------------------------------------------------------
    def _apply_style(self) -> None:
        h = max(480, self.height())
        body = max(18, h // 28)
        sheet = f"""
            QWidget#projection {{ background: {BACKGROUND}; }}
            QLabel {{ color: {TEXT}; font-size: {body}px; }}
            QLabel[role="banner"] {{ color: {MUTED}; font-size: {int(body * 0.8)}px; padding-top: 14px; }}
            QLabel[role="footer"] {{ color: {MUTED}; font-size: {int(body * 0.7)}px; padding-bottom: 12px; }}
            QLabel[role="title"] {{ font-size: {int(body * 1.7)}px; font-weight: bold; }}
            QLabel[role="step"] {{ color: {ACCENT}; font-size: {int(body * 0.9)}px; font-weight: bold; }}
            QLabel[role="big"] {{ font-size: {int(body * 1.35)}px; font-weight: bold; }}
            QLabel[role="hex"] {{ color: {ACCENT}; font-family: "DejaVu Sans Mono", "Consolas", monospace;
                                 font-size: {int(body * 1.15)}px; font-weight: bold; }}
            QLabel[role="hexmid"] {{ color: {ACCENT}; font-family: "DejaVu Sans Mono", "Consolas", monospace;
                                    font-size: {int(body * 0.95)}px; }}
            QLabel[role="hexsmall"] {{ color: {ACCENT}; font-family: "DejaVu Sans Mono", "Consolas", monospace;
                                      font-size: {int(body * 0.72)}px; }}
            QLabel[role="muted"] {{ color: {MUTED}; }}
            QLabel[role="good"] {{ color: {GOOD}; font-size: {int(body * 1.2)}px; font-weight: bold; }}
            QLabel[role="bad"] {{ color: {BAD}; font-size: {int(body * 1.2)}px; font-weight: bold; }}
            QLabel[role="card"] {{ font-size: {int(body * 1.5)}px; font-weight: bold; }}
            QLabel[role="cell"] {{ font-size: {int(body * 0.78)}px; }}
            QLabel[role="cellhead"] {{ color: {ACCENT}; font-size: {int(body * 0.78)}px; font-weight: bold; }}
        """
        self.setStyleSheet(sheet)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_style()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc leaves full screen (the operator may need the desktop); F11 returns to it.
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        elif event.key() == Qt.Key.Key_F11:
            self.showFullScreen()
        else:
            super().keyPressEvent(event)

    def _show(self, name: str, scene: QWidget, footer: str = "") -> None:
        if name != "results":
            self._reveal_timer.stop()  # leaving the reveal: its labels are about to be deleted
        old = self.stack.currentWidget()
        self.stack.addWidget(scene)
        self.stack.setCurrentWidget(scene)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self.scene_name = name
        self.footer.setText(footer)

    # --- scenes ----------------------------------------------------------------------------------------
    def show_title(self, s: TitleScene) -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addStretch(1)
        lay.addWidget(_label("“双随机、一公开”随机抽取", "title", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label(s.task_title, "big", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label(f"任务编号：{s.task_code}", "muted", Qt.AlignmentFlag.AlignHCenter))
        lay.addSpacing(20)
        lay.addWidget(_label("抽查事项：" + "；".join(s.items), "body", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label("检查部门：" + "、".join(s.departments), "body", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label(f"{s.when}　{s.place}", "muted", Qt.AlignmentFlag.AlignHCenter))
        if s.attempt_line:
            lay.addWidget(_label(s.attempt_line, "step", Qt.AlignmentFlag.AlignHCenter))
        lay.addStretch(2)
        self._show("title", scene, "抽取全过程公开进行，结果可由任何人离线复核")

    def show_selftest(self, lines: list[tuple[str, bool]]) -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("算法自检（RFC 3797 与 SJDRAW-1 标准测试向量）", "title"))
        lay.addWidget(_label("用公开的标准数据运行本机算法，结果必须与标准答案完全一致。", "muted"))
        for text, ok in lines:
            lay.addWidget(_label(("✔ " if ok else "✘ ") + text, "good" if ok else "bad"))
        lay.addStretch(1)
        passed = all(ok for _t, ok in lines)
        self._show("selftest", scene, "自检通过" if passed else "自检未通过，不得进行抽取")

    def show_pool(self, s: PoolScene) -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("第一步　抽取池与抽取规则（抽取前公布）", "step"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(40)
        row = 0
        grid.addWidget(_label("符合条件的检查对象", "muted"), row, 0)
        grid.addWidget(_label(f"{s.base_count:,} 户", "big"), row, 1)
        for name, count in s.exclusions:
            row += 1
            grid.addWidget(_label(f"　排除：{name}", "muted"), row, 0)
            grid.addWidget(_label(f"− {count:,}", "body"), row, 1)
        row += 1
        grid.addWidget(_label("抽取池", "muted"), row, 0)
        grid.addWidget(_label(f"{s.pool_size:,} 户", "big"), row, 1)
        strata = "\n".join(
            f"{label}：抽 {n:,} / 共 {big_n:,}（{rate}）" for label, big_n, n, rate in s.strata
        )
        row += 1
        grid.addWidget(_label("抽取数（分层）", "muted"), row, 0)
        grid.addWidget(_label(strata, "body"), row, 1)
        groups = "\n".join(f"{dept} {m} 名，每户 {k} 名" for dept, m, k in s.inspector_groups)
        row += 1
        grid.addWidget(_label("执法检查人员", "muted"), row, 0)
        grid.addWidget(_label(groups, "body"), row, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        lay.addLayout(grid)
        lay.addStretch(1)
        self._show("pool", scene, f"每名检查人员最多分配：{s.cap}")

    def show_fingerprints(self, fingerprints: dict[str, str]) -> None:
        """The four SHA-256 fingerprints of the inputs, large enough to be read aloud and compared."""
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("第一步（续）　数据指纹（SHA-256）", "step"))
        lay.addWidget(_label("名单或规则有任何改动，指纹都会完全不同。记录表上印有同样的指纹。", "muted"))
        names = {
            "objects": "检查对象名单",
            "inspectors": "检查人员名单",
            "conflicts": "回避关系",
            "params": "抽取规则",
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(30)
        grid.setVerticalSpacing(22)
        for i, (key, title) in enumerate(names.items()):
            grid.addWidget(_label(title, "body"), i, 0)
            grid.addWidget(_label(hex_blocks(fingerprints.get(key, "")), "hexmid"), i, 1)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        lay.addStretch(1)
        self._show("fingerprints", scene, "以上内容已打印在记录表上，抽取后可逐项核对")

    def show_commit(self, commit: str) -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("第二步　本机承诺值", "step"))
        lay.addWidget(
            _label(
                "计算机已生成一个秘密随机数，现公布它的指纹。监督人报数之后才揭晓这个随机数，"
                "届时任何人都可核对它与此指纹相符——计算机无法在看到报数后再改变它。",
                "body",
            )
        )
        lay.addStretch(1)
        lay.addWidget(_label(hex_blocks(commit), "hex", Qt.AlignmentFlag.AlignHCenter))
        lay.addStretch(2)
        self._show("commit", scene, "请监督人记下承诺值的前 8 位")

    def show_witnesses(self, witnesses: list[WitnessLine], hint: str = "") -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("第三步　监督人现场报数", "step"))
        lay.addWidget(
            _label(hint or "每位监督人报出一组非负整数（如掷骰子的点数），按报出顺序录入。", "muted")
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(40)
        for i, w in enumerate(witnesses):
            grid.addWidget(_label(f"{i + 1}. {w.name}", "big"), i, 0)
            grid.addWidget(_label(w.affiliation, "muted"), i, 1)
            grid.addWidget(_label(w.values or "……", "hex"), i, 2)
        lay.addLayout(grid)
        lay.addStretch(1)
        self._show("witnesses", scene, "报数全部录入后，揭晓计算机的随机数并开始抽取")

    def show_reveal(self, nonce: str, commit: str, matches: bool) -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("第四步　揭晓计算机随机数", "step"))
        lay.addWidget(_label("随机数", "muted"))
        lay.addWidget(_label(hex_blocks(nonce), "hex", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label("它的指纹（SHA-256）", "muted"))
        lay.addWidget(_label(hex_blocks(commit), "hex", Qt.AlignmentFlag.AlignHCenter))
        verdict = "✔ 与第二步公布的承诺值一致" if matches else "✘ 与承诺值不一致：本次抽取无效"
        lay.addWidget(_label(verdict, "good" if matches else "bad", Qt.AlignmentFlag.AlignHCenter))
        lay.addStretch(1)
        self._show("reveal", scene, "种子 = SHA-256（名单指纹 + 监督人报数 + 随机数），抽取结果只取决于它")

    # --- results, one by one -----------------------------------------------------------------------------
    def start_reveal(self, results: list[ResultLine], animated: bool = True) -> None:
        """Show results one at a time (or all at once when not animated); emits reveal_finished."""
        self._pending = list(results)
        self._shown = []
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("第五步　抽取结果", "step"))
        self._card = _label("", "card", Qt.AlignmentFlag.AlignHCenter)
        self._card_detail = _label("", "body", Qt.AlignmentFlag.AlignHCenter)
        self._progress = _label("", "muted", Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        lay.addWidget(self._card)
        lay.addWidget(self._card_detail)
        self._recent = _label("", "muted", Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        lay.addWidget(self._recent)
        lay.addWidget(self._progress)
        self._show("results", scene, "结果逐条公布")
        if animated and self._pending:
            self._reveal_next()
            self._reveal_timer.start(self.reveal_interval_ms)
        else:
            self.skip_reveal()

    def _reveal_next(self) -> None:
        if not self._pending:
            self._reveal_timer.stop()
            self.reveal_finished.emit()
            return
        line = self._pending.pop(0)
        self._shown.append(line)
        self._card.setText(f"第 {line.order} 号　{line.name}")
        self._card_detail.setText(
            f"{line.code}　{line.stratum}\n" + "　".join(line.inspectors) if line.inspectors else line.code
        )
        earlier = self._shown[-5:-1]
        self._recent.setText("\n".join(f"第 {r.order} 号　{r.name}" for r in reversed(earlier)))
        total = len(self._shown) + len(self._pending)
        self._progress.setText(f"已公布 {len(self._shown)} / {total}")
        effect = QGraphicsOpacityEffect(self._card)
        self._card.setGraphicsEffect(effect)
        self._animation = QPropertyAnimation(effect, b"opacity", self)
        self._animation.setDuration(700)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.start()
        if not self._pending:
            self._reveal_timer.stop()
            QTimer.singleShot(min(self.reveal_interval_ms, 1500), self.reveal_finished.emit)

    def skip_reveal(self) -> None:
        """Show every remaining result at once (the operator's 跳过动画)."""
        self._reveal_timer.stop()
        self._shown.extend(self._pending)
        self._pending = []
        self.reveal_finished.emit()

    def revealed_count(self) -> int:
        return len(self._shown)

    def show_final(self, results: list[ResultLine], seed: str, page: int = 0, per_page: int = 12) -> int:
        """The final table, a page at a time (the console pages it). Returns the number of pages."""
        pages = max(1, -(-len(results) // per_page))
        page = max(0, min(page, pages - 1))
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label(f"抽取结果（共 {len(results)} 户）　第 {page + 1}/{pages} 页", "step"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        for col, head in enumerate(("序号", "检查对象", "统一社会信用代码", "执法检查人员")):
            grid.addWidget(_label(head, "cellhead"), 0, col)
        # One line per object, so twelve rows always fit the screen: the inspectors by name (their 执法证号 were
        # shown as each object was revealed and are in the record), a long name shortened with "…" (in full
        # in the tooltip and on the printed 记录表).
        for r, line in enumerate(results[page * per_page : (page + 1) * per_page], start=1):
            grid.addWidget(_label(str(line.order), "cell"), r, 0)
            grid.addWidget(_ElidedLabel(line.name, "cell"), r, 1)
            grid.addWidget(_label(line.code, "cell"), r, 2)
            grid.addWidget(_ElidedLabel("、".join(line.inspector_names or line.inspectors), "cell"), r, 3)
        grid.setColumnStretch(1, 5)
        grid.setColumnStretch(3, 3)
        lay.addLayout(grid)
        lay.addStretch(1)
        lay.addWidget(_label("种子 " + seed, "hexsmall", Qt.AlignmentFlag.AlignHCenter))
        self._show("final", scene, "抽取记录已保存，可用 python -m app verify 或独立验证程序复核")
        return pages

    def show_replacement(
        self, order: int, name: str, removed: str, reason: str, chosen: str, witness: str
    ) -> None:
        scene = _Scene()
        lay = scene.layout_
        lay.addWidget(_label("递补抽取", "step"))
        lay.addWidget(_label(f"第 {order} 号　{name}", "card", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label(f"退出人员：{removed}　原因：{reason}", "body", Qt.AlignmentFlag.AlignHCenter))
        lay.addWidget(_label(f"监督人报数：{witness}", "muted", Qt.AlignmentFlag.AlignHCenter))
        lay.addStretch(1)
        lay.addWidget(_label(f"递补人员：{chosen}", "good", Qt.AlignmentFlag.AlignHCenter))
        lay.addStretch(1)
        self._show("replacement", scene, "递补结果同样记入抽取记录，可复核")
