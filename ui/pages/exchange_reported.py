"""报表导入: every stored row of the reported figures imported from other departments' Excel tables, and
the table model that lists them (a superseded row greyed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ReportedFigures
from ui.models.list_table import Column
from ui.pages.exchange_received import SupersedableModel, _local
from ui.widgets.report_import_dialog import SHORT_KIND

_Index = QModelIndex | QPersistentModelIndex


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


class ReportedModel(SupersedableModel[ReportedListRow]):
    """The reported figures; a superseded row is greyed, the 状态 tooltip says what that means."""

    status_column = REPORTED_STATUS_COLUMN
    current_tip = "“统计上报”页选择“全县汇总”时使用"
    superseded_tip = "同一部门、同一表格和统计期间有填报日期更新的文件，这一行仅存档"

    def tooltip(self, row: ReportedListRow, column: int) -> str | None:
        return f"填报单位：{row.unit}" if row.unit else None
