"""Step 4 of the import wizard: what was written (the registry page has already refreshed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from ui.io.result_page import FigureCard
from ui.io.wording import registry_name, summary_text
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from ui.io.import_wizard import ImportWizard

DONE_FIGURES = (("imported", "新增"), ("updated", "更新"), ("unchanged", "无变化"))


class DonePage(QWizardPage):
    """The summary of the applied import, with the issue report still at hand for the warnings."""

    def __init__(self, importer: ImportWizard) -> None:
        super().__init__()
        self.importer = importer
        self.setTitle("导入完成")
        self.setSubTitle(f"数据已写入“{registry_name(importer.kind)}”。")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        cards = QHBoxLayout()
        self.cards: dict[str, FigureCard] = {}
        for key, caption in DONE_FIGURES:
            card = FigureCard(caption)
            self.cards[key] = card
            cards.addWidget(card)
        cards.addStretch(1)
        layout.addLayout(cards)
        layout.addSpacing(8)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.warning_label = hint_label()
        layout.addWidget(self.warning_label)
        row = QHBoxLayout()
        self.report_button = QPushButton("导出问题清单(&E)…")
        self.report_button.clicked.connect(lambda: self.importer.export_issue_report())
        row.addWidget(self.report_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def initializePage(self) -> None:
        summary = self.importer.summary
        if summary is None:
            return
        counts = summary.counts
        for key, _caption in DONE_FIGURES:
            self.cards[key].show_value(getattr(counts, key))
        self.summary_label.setText(summary_text(summary))
        if counts.warnings:
            self.warning_label.setText(
                f"导入时有 {counts.warnings:,} 条警告，它们没有阻止导入；可导出问题清单逐条核对。"
            )
        else:
            self.warning_label.setText("没有警告。点“完成”关闭向导。")
        self.report_button.setVisible(counts.warnings > 0)
