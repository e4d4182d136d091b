"""Step 3 of the import wizard: what the import would do — six figures, a verdict, the row issues.

开始导入 is enabled only when the file has no error: an import is all-or-nothing, and the page says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ui.io.issue_model import (
    COL_FIELD,
    COL_ROW,
    COL_SEVERITY,
    SHOW_ALL,
    SHOW_ERRORS,
    SHOW_WARNINGS,
    IssueTableModel,
)
from ui.widgets.hint import hint_label
from ui.widgets.lazy_table import lazy_table_view

if TYPE_CHECKING:
    from app.io import ImportPreview
    from ui.io.import_wizard import ImportWizard

ALERT_COLOUR = "#b3261e"
FIGURES = (
    ("new", "新增"),
    ("updated", "更新"),
    ("unchanged", "不变"),
    ("skipped", "跳过"),
    ("warnings", "警告"),
    ("errors", "错误"),
)


class FigureCard(QFrame):
    """A caption over a big number (styled like the 首页 cards)."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("statCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.setMinimumWidth(130)
        self.caption = QLabel(caption)
        self.caption.setObjectName("statCaption")
        self.figure = QLabel("—")
        self.figure.setObjectName("statFigure")
        layout.addWidget(self.caption)
        layout.addWidget(self.figure)

    def show_value(self, value: int | None, alert: bool = False) -> None:
        self.figure.setText("—" if value is None else f"{value:,}")
        self.figure.setStyleSheet(f"color: {ALERT_COLOUR};" if alert else "")


def figures_of(preview: ImportPreview) -> dict[str, int]:
    """The six figures: 跳过 counts blank, title, footer and duplicate rows only (不变 is apart)."""
    c = preview.counts
    return {
        "new": c.imported,
        "updated": c.updated,
        "unchanged": c.unchanged,
        "skipped": c.skipped - c.unchanged,
        "warnings": c.warnings,
        "errors": c.errors,
    }


def verdict_of(preview: ImportPreview) -> tuple[str, bool]:
    """The sentence under the figures and whether it is an alert."""
    c = preview.counts
    if c.errors:
        return (
            f"文件中有 {c.errors:,} 个错误，不能导入。\n导入是“全部或不导入”：在文件改好之前，不会写入任何数据。"
            "请点“导出问题清单”，按行号在原文件中修改并保存，再点“重新检查”。",
            True,
        )
    if c.imported == 0 and c.updated == 0:
        return "文件与名录完全一致，没有需要写入的变化。", False
    text = f"可以导入：将新增 {c.imported:,} 条、更新 {c.updated:,} 条。点“开始导入”写入名录。"
    if c.warnings:
        text += f"有 {c.warnings:,} 条警告，不影响导入，建议导入前看一下。"
    return text, False


class ResultPage(QWizardPage):
    """Figures, verdict and the issue table of the current preview; the commit page of the wizard."""

    def __init__(self, importer: ImportWizard) -> None:
        super().__init__()
        self.importer = importer
        self.setTitle("第 3 步：检查结果")
        self.setSubTitle("下面是按当前文件和列对应关系导入后将发生的变化。此时还没有写入任何数据。")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "开始导入(&I)")
        layout = QVBoxLayout(self)

        cards = QHBoxLayout()
        self.cards: dict[str, FigureCard] = {}
        for key, caption in FIGURES:
            card = FigureCard(caption)
            self.cards[key] = card
            cards.addWidget(card)
        layout.addLayout(cards)

        self.verdict = hint_label()
        layout.addWidget(self.verdict)
        layout.addSpacing(6)

        bar = QHBoxLayout()
        self.issue_count = QLabel()
        bar.addWidget(self.issue_count)
        self.filter_box = QComboBox()
        self.filter_box.setAccessibleName("显示哪些问题")
        for text, which in (("全部问题", SHOW_ALL), ("只看错误", SHOW_ERRORS), ("只看警告", SHOW_WARNINGS)):
            self.filter_box.addItem(text, which)
        self.filter_box.currentIndexChanged.connect(self._on_filter)
        bar.addWidget(self.filter_box)
        bar.addStretch(1)
        self.recheck_button = QPushButton("重新检查(&R)")
        self.recheck_button.setToolTip("在 Excel 中改好并保存原文件后，按同样的列对应关系再检查一次")
        self.recheck_button.clicked.connect(self.importer.recheck)
        bar.addWidget(self.recheck_button)
        self.report_button = QPushButton("导出问题清单(&E)…")
        self.report_button.setToolTip("把全部错误和警告（行号、字段、说明）保存为 Excel 文件")
        self.report_button.clicked.connect(lambda: self.importer.export_issue_report())
        bar.addWidget(self.report_button)
        layout.addLayout(bar)

        self.model = IssueTableModel()
        widths = {COL_ROW: 70, COL_FIELD: 170, COL_SEVERITY: 80}
        self.table = lazy_table_view(self.model, [widths[c] for c in sorted(widths)])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        importer.preview_changed.connect(self.show_preview)

    # --- showing a preview ---------------------------------------------------------------------------
    def show_preview(self) -> None:
        """Fill the figures, the verdict and the issue table from the wizard's current preview."""
        preview = self.importer.preview
        if preview is None:
            for card in self.cards.values():
                card.show_value(None)
            self._set_verdict(f"无法检查文件：{self.importer.read_error}", alert=True)
            self.model.set_issues([])
        else:
            for key, value in figures_of(preview).items():
                self.cards[key].show_value(value, alert=key == "errors" and value > 0)
            self._set_verdict(*verdict_of(preview))
            self.model.set_issues(preview.issues)
        self._update_issue_count()
        self.report_button.setEnabled(preview is not None and bool(preview.issues))
        self.completeChanged.emit()

    def _set_verdict(self, text: str, alert: bool) -> None:
        self.verdict.setText(text)
        self.verdict.setProperty("alert", alert)
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    def _on_filter(self, _index: int) -> None:
        self.model.set_filter(self.filter_box.currentData())
        self._update_issue_count()

    def _update_issue_count(self) -> None:
        preview = self.importer.preview
        total = len(preview.issues) if preview is not None else 0
        shown = self.model.total()
        if total == 0:
            text = "没有发现问题。"
        elif shown == total:
            text = f"问题清单（共 {total:,} 条）："
        else:
            text = f"问题清单（共 {total:,} 条，当前显示 {shown:,} 条）："
        self.issue_count.setText(text)

    # --- QWizardPage ---------------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.show_preview()

    def isComplete(self) -> bool:
        preview = self.importer.preview
        return preview is not None and preview.can_apply

    def validatePage(self) -> bool:
        """开始导入: write everything in one transaction; stay here if it failed."""
        return self.importer.apply()
