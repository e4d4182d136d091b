"""The two statistics layouts a 报表导入 file is read against: the kinds of table (``progress``, ``non_market``,
``plan``) and their names, the column names the checks refer to (部门, 是否建立“两库一单”, 计划状态 …),
:class:`Shape` — one statistics table's leaf columns as :mod:`app.reports.tables` builds them, with the header
synonyms, which count may not exceed which and which rate follows from which counts — :data:`SHAPES`, and
:func:`title_kind`, the kind a title names. :class:`ReportFileError` is the file that cannot be used at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.io.errors import ImportFileError
from app.io.values import clean_text
from app.registry.fields import FieldSpec, RegistrySpec
from app.reports.import_values import bare_name
from app.reports.model import COUNT, RATE, Column
from app.reports.table_parts import headers_of
from app.reports.tables import NON_MARKET_SPEC, PROGRESS_SPEC

__all__ = [
    "BUILT",
    "DEPT",
    "IMPORT_KINDS",
    "JOINT",
    "KIND_NAMES",
    "ON_TIME",
    "PLAN_STATE",
    "SHAPES",
    "STAT_KINDS",
    "TOLERANCE",
    "ReportFileError",
    "Shape",
    "title_kind",
]

IMPORT_KINDS = ("progress", "non_market", "plan")
STAT_KINDS = ("progress", "non_market")
KIND_NAMES = {
    "progress": "随机抽查工作进展情况统计表",
    "non_market": "非市场监管领域推行“双随机、一公开”情况统计表",
    "plan": "行政执法检查计划表",
    "joint": "联合检查工作进展情况统计表",
}
DEPT = "部门"
BUILT = "是否建立“两库一单”"
PLAN_STATE = "计划状态"
JOINT = ("参与联合抽查", "参与联合抽查（个）")
ON_TIME = "按时公示对象数"
"""Figure derived on import: 按时公示率 × 公示对象数, rounded (the table prints the rate, the totals need it)."""
TOLERANCE = 0.005 + 1e-9  # a rate may be rounded to a whole percent


class ReportFileError(ImportFileError):
    """The file cannot be used as a statistics or plan table (the CLI exits 2)."""


@dataclass(frozen=True)
class Shape:
    """A statistics table's layout: its leaf columns (as :mod:`app.reports.tables` builds them) and a field spec
    for the header detection (one field per column, named by the column)."""

    kind: str
    columns: tuple[Column, ...]
    spec: RegistrySpec
    not_more: tuple[tuple[str, str], ...]  # (column, column it may not exceed)
    rates: tuple[tuple[str, str | None, str], ...]  # (rate column, numerator column or None, base column)

    @property
    def counts(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == COUNT)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(
            c.name for c in self.columns if c.kind not in (COUNT, RATE) and c.name not in ("序号", DEPT)
        )

    @property
    def required(self) -> tuple[str, ...]:
        return (DEPT, *self.counts)


_EXTRA_SYNONYMS: dict[str, tuple[str, ...]] = {
    DEPT: ("部门名称", "单位", "单位名称", "执法部门", "填报部门", "部门（单位）"),
    "已完成": ("已完成任务数", "完成任务数", "已完成任务"),
    "参与联合抽查": ("参与联合抽查任务数", "联合抽查任务数"),
    "参与联合抽查（个）": ("参与联合抽查任务数", "联合抽查任务数"),
    "公示率": ("结果公示率",),
    BUILT: ('是否建立"两库一单"', "是否建立两库一单", "是否建立‘两库一单’", "两库一单是否建立"),
}


def _spec(kind: str, columns: Sequence[Column]) -> RegistrySpec:
    fields = []
    for column in columns:
        if column.name == "序号":
            continue
        synonyms = {bare_name(column.name), *_EXTRA_SYNONYMS.get(column.name, ())} - {column.name}
        fields.append(FieldSpec(column.name, column.name, synonyms=tuple(sorted(synonyms))))
    return RegistrySpec(f"report_{kind}", KIND_NAMES[kind], tuple(fields))


def _shape(kind: str) -> Shape:
    _rows, _headers, columns = headers_of(PROGRESS_SPEC if kind == "progress" else NON_MARKET_SPEC)
    if kind == "progress":
        not_more = (
            ("已检查数", "抽取数"),
            ("公示对象数（户）", "已检查数"),
            ("发现问题数", "已检查数"),
            ("已处置数", "发现问题数"),
            ("已完成", "开展任务数"),
        )
        rates: tuple[tuple[str, str | None, str], ...] = (
            ("公示率", "公示对象数（户）", "已检查数"),
            ("按时公示率", None, "公示对象数（户）"),
        )
    else:
        not_more = (
            ("已检查对象数（户）", "抽取对象数（户）"),
            ("公示对象数（户）", "已检查对象数（户）"),
            ("发现问题数（户）", "已检查对象数（户）"),
            ("其中持有效执法证（人）", "执法检查人员（人）"),
            ("已完成任务数（个）", "开展任务数（个）"),
        )
        rates = (("公示率", "公示对象数（户）", "已检查对象数（户）"),)
    return Shape(kind, columns, _spec(kind, columns), not_more, rates)


SHAPES: dict[str, Shape] = {kind: _shape(kind) for kind in STAT_KINDS}


def title_kind(title: str) -> str | None:
    """The kind a title names: progress, non_market, joint, plan (also the 非市场监管领域 plan), or None."""
    text = clean_text(title).replace(" ", "")
    if "联合检查" in text and "进展" in text:
        return "joint"
    if "推行" in text and "情况" in text:
        return "non_market"
    if "进展情况" in text:
        return "progress"
    if "计划表" in text:
        return "plan"
    return None
