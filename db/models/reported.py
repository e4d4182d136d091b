"""报表导入: statistics figures a department that does not run this program reported in a filled xlsx table.

One row per department, table and period of an imported file, kept read-only (triggers in
db/protection.py refuse UPDATE and DELETE); the one change allowed is setting ``superseded_by_id`` once, when
a newer file for the same department, table and period is imported (the older row stays, marked). The
figures are kept as read from the file (counts, the rates as given, the texts), keyed by the column names of
the statistics table (:mod:`app.reports.tables`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONText


class ReportedFigures(Base):
    """One department's row of an imported 进展情况 / 非市场监管推行情况 table."""

    __tablename__ = "reported_figures"
    __table_args__ = (
        UniqueConstraint("file_sha256", "sheet_name", "source_row"),
        Index("ix_reported_figures_kind_period", "kind", "period_start", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # progress / non_market (app.reports.tables kinds)
    department_code: Mapped[str] = mapped_column(String(32), default="")  # "" = not in the registry
    department_name: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(100))
    figures: Mapped[dict[str, Any]] = mapped_column(JSONText)  # column name → value as read
    source_row: Mapped[int] = mapped_column()  # the Excel row number
    sheet_name: Mapped[str] = mapped_column(String(100), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)  # a re-import is a duplicate
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_size: Mapped[int] = mapped_column(default=0)
    unit: Mapped[str] = mapped_column(String(200), default="")  # 填报单位 as written
    filled_on: Mapped[dt.date | None] = mapped_column(Date)  # 填报日期 as written (decides "newer")
    contact: Mapped[str] = mapped_column(String(100), default="")  # 联系人 as written
    imported_at: Mapped[dt.datetime] = mapped_column()
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("reported_figures.id"))
