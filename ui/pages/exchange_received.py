"""来自其他部门: the table models of the received 数据包 and of the draws one carries, a stored package's
file facts and draws, and the problems :func:`app.exchange.verify_received` found in one package."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from sqlalchemy.orm import Session

from app.exchange import ReceivedPackageRow
from app.reports import Facts
from db.models import ReceivedPackage
from ui.models.list_table import Column, ListTableModel

_Index = QModelIndex | QPersistentModelIndex
MUTED = QColor("#7a7a7a")


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


class _MaySupersede(Protocol):
    @property
    def current(self) -> bool: ...


Row = TypeVar("Row", bound=_MaySupersede)


class SupersedableModel(ListTableModel[Row]):
    """Rows a newer one may supersede (``current`` false): greyed, with the 状态 column's tooltip saying
    whether the row is used or only kept; :meth:`tooltip` gives the other columns' tooltips."""

    status_column = -1
    current_tip = ""
    superseded_tip = ""

    def tooltip(self, row: Row, column: int) -> str | None:
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            row = self.row_object(index.row())
            if role == Qt.ItemDataRole.ForegroundRole and not row.current:
                return QBrush(MUTED)
            if role == Qt.ItemDataRole.ToolTipRole:
                if index.column() == self.status_column:
                    return self.current_tip if row.current else self.superseded_tip
                tip = self.tooltip(row, index.column())
                if tip is not None:
                    return tip
        return super().data(index, role)


class ReceivedModel(SupersedableModel[ReceivedPackageRow]):
    """The received packages; a superseded one is greyed, the full fingerprint is the tooltip."""

    status_column = STATUS_COLUMN
    current_tip = "统计时使用"
    superseded_tip = "已被同一部门、同一统计期间较新导出的数据包取代，仅存档"

    def tooltip(self, row: ReceivedPackageRow, column: int) -> str | None:
        return row.fingerprint if column == FINGERPRINT_COLUMN else None


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
