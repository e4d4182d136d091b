"""Detail panel: the selected record's values, one labelled line per column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.registry.query import RegistryView


class RecordDetail(QWidget):
    def __init__(self, view: RegistryView) -> None:
        super().__init__()
        self.view = view
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 0, 0, 0)
        self.title = QLabel("详细信息")
        self.title.setObjectName("sectionTitle")
        outer.addWidget(self.title)
        self.empty = QLabel("选择一条记录查看详细信息。\n可按住 Ctrl 或 Shift 多选。")
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.empty)
        body = QWidget()
        self.form = QFormLayout(body)
        # Label above value: the panel is narrow and values (addresses, 依据) are long.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.labels: dict[str, QLabel] = {}
        for column in view.columns:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(f"{column.title}：", value)
            self.labels[column.key] = value
        self.extra = QVBoxLayout()
        self.extra_title = QLabel()
        self.extra_title.setObjectName("sectionTitle")
        self.extra_body = QLabel()
        self.extra_body.setWordWrap(True)
        self.extra_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.extra.addWidget(self.extra_title)
        self.extra.addWidget(self.extra_body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addWidget(body)
        holder_layout.addLayout(self.extra)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)
        self.values_area = scroll
        outer.addWidget(scroll, 1)
        self.filler = QWidget()
        outer.addWidget(self.filler, 1)
        self.show_values(None)

    def show_values(self, values: tuple[Any, ...] | None) -> None:
        self.empty.setVisible(values is None)
        self.values_area.setVisible(values is not None)
        self.filler.setVisible(values is None)
        if values is None:
            return
        for column, value in zip(self.view.columns, values, strict=True):
            self.labels[column.key].setText("" if value is None else str(value))

    def show_extra(self, title: str, lines: list[str], empty: str) -> None:
        """A section under the values, e.g. an entity's 抽查记录."""
        self.extra_title.setText(title)
        self.extra_body.setText("\n".join(lines) if lines else empty)
