"""报表导入: a filled statistics table or plan table from a department that does not run this program (it
filled the 司法局's tables in Excel and sent the xlsx), mapped and validated like the registry imports.

    preview = preview_report_import(session, "卫健委-进展情况.xlsx")        # reads and checks, writes nothing
    for message in preview.messages():                                     # "第6行 已检查数（12）大于抽取数（10）"
        print(message)
    if preview.can_apply:
        summary = apply_report_import(session, preview)                     # all or nothing, then commits

What is read — the layouts :mod:`app.reports.xlsx` writes, and what clerks do to them:

* 《市直部门XX年度随机抽查工作进展情况统计表》 (``progress``) and 《XX年度市直部门非市场监管领域推行“双随机、一公开”
  情况统计表》 (``non_market``): title, 统计期间 line, 填报单位/填报日期/联系人 line, two merged header rows, one
  row per department, an optional 合计 row, the 填表说明. The kind comes from the title (else from the header),
  the period from the 统计期间 line (else the title; or given). Header cells are found by their texts with
  :func:`app.io.header.resolve_layout` (line breaks and spaces ignored, units optional); blank rows and columns,
  a renamed sheet, numbers stored as text (``12``, ``１２户``), rates as ``96.5%``, ``0.965`` or ``96.5`` are
  read. A workbook with several tables (:func:`app.reports.xlsx.write_tables_xlsx`) gives every statistics
  sheet of it.
* a plan table (``plan``): one department's 《XX年度行政执法检查计划表》 goes to :mod:`app.plans.importer` as that
  department's new 草稿 plan; the county-wide one (a 部门 column) is split by department and each part goes
  through the same importer, all departments or none.

Checks of every statistics row, each problem a :class:`~app.io.rows.RowIssue` naming the Excel row and the
column: the department is in this database's 部门 list (by name, 简称 or code; a name without the county
prefix is accepted) or clearly a new one (a department-like name not resembling a known one: a warning);
counts are non-negative integers (a blank count is read as 0, with a warning); 已检查数 ≤ 抽取数, 公示对象数 ≤
已检查数, 发现问题数 ≤ 已检查数, 已处置数 ≤ 发现问题数, 已完成 ≤ 开展任务数, 持证人数 ≤ 检查人员数; rates agree
with their counts within rounding (half a percentage point; otherwise a warning); the 合计 row, when present,
equals the column sums (参与联合抽查 counts a joint task once, so its total lies between the largest row and
the sum). Figures of this installation's own department (本机所属部门) are refused.

Storing (:class:`db.models.ReportedFigures`, read-only): one row per department; the same file again (same
SHA-256) is recognised and nothing is written; a file for a department, table and period that already has
figures supersedes them (the older row is kept, marked) unless its 填报日期 is earlier, in which case it is
kept already superseded. One audit entry per import. :mod:`app.reports.reported` puts the current figures
into the county-wide tables.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.errors import ImportFileError, ImportRefusedError, RegistryIOError
from app.io.header import Layout, resolve_layout
from app.io.preview import ImportCounts
from app.io.readers import Table, open_tables
from app.io.rows import RowIssue, Severity
from app.io.values import clean_text, is_blank, parse_bool
from app.registry.fields import FieldSpec, RegistrySpec
from app.reports.errors import ReportInputError
from app.reports.import_values import (
    Info,
    bare_name,
    cell_text,
    info_parts,
    parse_count,
    parse_rate,
    period_in_text,
)
from app.reports.model import COUNT, RATE, Column
from app.reports.period import Period
from app.reports.table_parts import headers_of
from app.reports.tables import NO_PLAN, NON_MARKET_SPEC, PROGRESS_SPEC
from db.enums import PlanStatus

__all__ = [
    "IMPORT_KINDS",
    "ON_TIME",
    "PlanPart",
    "ReportFileError",
    "ReportImportPreview",
    "ReportImportSummary",
    "ReportedLine",
    "SheetRead",
    "apply_report_import",
    "preview_report_import",
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
_HEADER_ROWS_SEEN = 40
_NOTES = re.compile(r"^(?:填表说明|说明|注)[：:]?")
_FOOTER = re.compile(r"^(?:制表|填表|填报|审核|审批|负责人|联系人|单位负责人)[人单位日期时间]*[：:]")
_TOTALS = ("合计", "总计")
_INFO_LABEL = re.compile(r"^(?:填报|填表|报送|联系人|联系电话|统计期间)")
_DEPT_SUFFIXES = (
    "局", "委", "会", "办", "室", "院", "中心", "队", "所", "站", "部", "厅", "处", "署", "馆", "社", "科", "组",
)  # fmt: skip
_PLAN_STATES = {s.value for s in PlanStatus} | {NO_PLAN}
_PLAN_ALIASES = {
    "已备案": PlanStatus.FILED.value,
    "备案": PlanStatus.FILED.value,
    "已审核": PlanStatus.FILED.value,
    "审核备案": PlanStatus.FILED.value,
    "报审": PlanStatus.SUBMITTED.value,
    "已上报": PlanStatus.SUBMITTED.value,
    "已报送": PlanStatus.SUBMITTED.value,
    "无": NO_PLAN,
    "未编制": NO_PLAN,
    "没有": NO_PLAN,
}

Progress = Callable[[str, float], None]


class ReportFileError(ImportFileError):
    """The file cannot be used as a statistics or plan table (the CLI exits 2)."""


# --- the two statistics layouts ---------------------------------------------------------------------------


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


# --- what a preview holds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportedLine:
    """One department's accepted row: what will be stored."""

    row: int
    department_code: str  # "" = a department not in this database's list
    department_name: str
    figures: dict[str, Any]

    @property
    def new_department(self) -> bool:
        return not self.department_code


@dataclass
class SheetRead:
    """One statistics sheet of the file, read and checked."""

    sheet: str
    kind: str
    period: Period
    info: Info
    header_rows: tuple[int, ...]  # 1-based
    mapping: dict[str, str]  # header label → column
    lines: list[ReportedLine] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    totals_row: int | None = None
    skipped: int = 0  # totals, notes, footers

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")


@dataclass(frozen=True)
class PlanPart:
    """One department's part of a plan table: its rows as :func:`app.plans.importer.read_plan_table` read them."""

    department_id: int
    department_name: str
    preview: Any  # app.plans.importer.PlanImportPreview


@dataclass
class ReportImportPreview:
    """Everything an import would write; nothing has been written. Pass it to :func:`apply_report_import`."""

    path: Path
    file_name: str
    file_sha256: str
    file_size: int
    kind: str  # progress / non_market / statistics (both) / plan
    sheets: list[SheetRead] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why)
    plan_year: int | None = None
    plan_parts: list[PlanPart] = field(default_factory=list)
    plan_issues: list[RowIssue] = field(default_factory=list)
    duplicate: str = ""  # the sentence saying when the same file was imported, "" when new
    replacing: int = 0  # rows that will supersede figures imported before (counted as updated)
    kept_old: int = 0  # rows older (填报日期) than the figures already current: stored superseded (skipped)

    @property
    def issues(self) -> list[tuple[str, RowIssue]]:
        """(sheet, issue) of every problem, errors first within a row."""
        out = [(s.sheet, i) for s in self.sheets for i in s.issues]
        out += [("", i) for i in self.plan_issues]
        return out

    @property
    def errors(self) -> int:
        return sum(1 for _s, i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    @property
    def can_apply(self) -> bool:
        return self.errors == 0 and not self.duplicate and bool(self.lines or self.plan_parts)

    @property
    def lines(self) -> list[tuple[SheetRead, ReportedLine]]:
        return [(s, line) for s in self.sheets for line in s.lines]

    @property
    def plan_rows(self) -> int:
        return sum(len(p.preview.rows) for p in self.plan_parts)

    @property
    def counts(self) -> ImportCounts:
        """What would be written (a refused or duplicate file writes nothing: imported 0)."""
        skipped = sum(s.skipped for s in self.sheets)
        if self.duplicate:
            return ImportCounts(0, 0, skipped + len(self.lines) + self.plan_rows, self.warnings, self.errors)
        new = len(self.lines) - self.replacing - self.kept_old + self.plan_rows
        return ImportCounts(new, self.replacing, skipped + self.kept_old, self.warnings, self.errors)

    def messages(self, limit: int | None = None) -> list[str]:
        """The problems as the clerk reads them: ``[错误] 第6行 已检查数（12）大于抽取数（10）`` (the sheet is
        named when the file has several)."""
        several = len(self.sheets) > 1
        out = []
        for sheet, issue in self.issues:
            where = f"工作表“{sheet}”" if several and sheet else ""
            out.append(f"[{issue.severity_zh}] {where}{issue.message}")
        return out if limit is None else out[:limit]


@dataclass(frozen=True)
class ReportImportSummary:
    """What :func:`apply_report_import` wrote."""

    file_name: str
    counts: ImportCounts
    figure_ids: tuple[int, ...] = ()
    superseded: int = 0  # earlier figures this file replaced as current
    stored_superseded: int = 0  # rows of this file kept already superseded (an older 填报日期)
    plan_ids: tuple[int, ...] = ()
    message: str = ""


# --- departments -----------------------------------------------------------------------------------------------


class _Departments:
    """This database's departments by code, name and 简称, for the 部门 column."""

    def __init__(self, session: Session) -> None:
        from app.settings import load_settings
        from db.models import Department

        rows = session.execute(
            select(
                Department.code, Department.name, Department.short_name, Department.archived,
                Department.is_market_regulation,
            ).order_by(Department.sort_order, Department.code)
        ).all()  # fmt: skip
        self.by_key: dict[str, tuple[str, str]] = {}
        self.archived: set[str] = set()
        self.market: set[str] = set()
        names = [clean_text(r.name) for r in rows]
        self.names = dict(zip(names, (r.code for r in rows), strict=True))
        self.prefix = _county_prefix(names)
        for r in rows:
            name = clean_text(r.name)
            for key in (r.code.strip().upper(), name, clean_text(r.short_name)):
                if key:
                    self.by_key.setdefault(key, (r.code, r.name))
            if self.prefix and name.startswith(self.prefix) and len(name) > len(self.prefix) + 1:
                self.by_key.setdefault(name[len(self.prefix) :], (r.code, r.name))
            if r.archived:
                self.archived.add(r.code)
            if r.is_market_regulation:
                self.market.add(r.code)
        own = load_settings(session).own_department.strip()
        self.own = {own} if own else set()
        if own and own in self.by_key:
            self.own.add(self.by_key[own][0])

    def find(self, text: str) -> tuple[str, str] | None:
        key = clean_text(text)
        hit = self.by_key.get(key) or self.by_key.get(key.upper())
        if hit is None:  # 卫健委（WJ） or WJ 卫健委
            for part in re.split(r"[（()）\s/／]+", key):
                if part and (part.upper() in self.by_key or part in self.by_key):
                    hit = self.by_key.get(part) or self.by_key.get(part.upper())
                    break
        return hit

    def similar(self, text: str) -> list[str]:
        """Known names this one may be a misspelling or shortening of, compared without the county prefix
        (示范县教育局 and 示范县司法局 are not alike; 卫健委 and 示范县卫生健康委员会 are)."""
        core = self.core(clean_text(text))
        found = []
        for name in self.names:
            known = self.core(name)
            shortened = len(core) >= 2 and (_subsequence(core, known) or _subsequence(known, core))
            if shortened or difflib.SequenceMatcher(None, core, known).ratio() >= 0.75:
                found.append(name)
        return found[:3]

    def core(self, name: str) -> str:
        """The name without the county prefix or its end (示范县卫健委, 县卫健委 → 卫健委)."""
        for k in range(len(self.prefix), 0, -1):
            if name.startswith(self.prefix[-k:]) and len(name) > k:
                return name[k:]
        return name


def _county_prefix(names: Sequence[str]) -> str:
    """``示范县`` when every department's name starts with the same county (or district, city) name."""
    if len(names) < 2:
        return ""
    first = names[0]
    length = 0
    while length < len(first) and all(len(n) > length and n[length] == first[length] for n in names):
        length += 1
    prefix = first[:length]
    for end in ("县", "区", "市", "旗"):
        cut = prefix.rfind(end)
        if cut >= 1:
            return prefix[: cut + 1]
    return ""


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _looks_like_department(name: str) -> bool:
    return len(name) >= 3 and name.endswith(_DEPT_SUFFIXES) and not re.search(r"\d{3,}", name)


# --- reading -------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _texts_above(table: Table, before: int) -> list[str]:
    """The texts of the cells above the header (title, 统计期间, 填报单位 …), row by row."""
    out = []
    for row in table.head(before):
        out += [t for t in (cell_text(c) for c in row) if t]
    return out


def _title_of(texts: Sequence[str]) -> str:
    for text in texts:
        if title_kind(text) is not None:
            return text
    return next((t for t in texts if "表" in t and "填报" not in t), "")


def _head_texts(table: Table) -> list[str]:
    """The texts above the first row that looks like a header (three or more cells), among the first 12."""
    out: list[str] = []
    for row in table.head(12):
        texts = [t for t in (cell_text(c) for c in row) if t]
        if len(texts) >= 3 and not any(_INFO_LABEL.match(t) for t in texts):
            break
        out += texts
    return out


def _shown(table: Table, row: int, col: int) -> str:
    """The text shown at (row, col), following a merged range to its top-left cell."""
    for r0, c0, r1, c1 in table.merges:
        if r0 <= row <= r1 and c0 <= col <= c1:
            row, col = r0, c0
            break
    rows = table.head(row + 1)
    if row >= len(rows) or col >= len(rows[row]):
        return ""
    return cell_text(rows[row][col])


def _columns(table: Table, shape: Shape) -> tuple[Layout, dict[str, int]]:
    """The header of a statistics sheet and column → index. The header row is found by
    :func:`resolve_layout`; a column it leaves unnamed (a header cell unmerged by the clerk, its text left in
    the group row above) is named from the row above."""
    _table, layout = resolve_layout(None, shape.spec, [table])
    index: dict[str, int] = {c.field: c.index for c in layout.columns if c.field}
    top = layout.header_rows[0]
    if top > 0:
        for column in layout.columns:
            if column.field:
                continue
            match = shape.spec.match_header(_shown(table, top - 1, column.index))
            if match is not None and match.name not in index:
                index[match.name] = column.index
    return layout, index


def _layout_score(table: Table, shape: Shape) -> int:
    try:
        _layout, index = _columns(table, shape)
    except RegistryIOError:
        return 0
    return sum(1 for name in shape.required if name in index)


def _sheet_kind(table: Table) -> tuple[str | None, str]:
    """(kind, title) of a sheet: by its title, else by which layout its header matches best."""
    texts = _head_texts(table)
    title = _title_of(texts)
    kind = title_kind(title) if title else None
    if kind is not None:
        return kind, title
    scores = {k: _layout_score(table, shape) for k, shape in SHAPES.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= len(SHAPES[best].required) // 2 + 1:
        return best, title
    from app.plans.importer import PLAN_TABLE_SPEC

    try:
        _table, layout = resolve_layout(None, PLAN_TABLE_SPEC, [table])
    except RegistryIOError:
        return None, title
    mapped = {c.field for c in layout.columns if c.field}
    return ("plan" if {"item", "content", "planned_month"} <= mapped else None), title


def _period_of(
    table: Table, header_top: int, given: Period | None, issues: list[RowIssue]
) -> tuple[Period, Info]:
    texts = _texts_above(table, header_top)
    info = info_parts(texts)
    line = next((t for t in texts if "统计期间" in t or "统计时段" in t), "")
    title = _title_of(texts)
    try:
        in_line = period_in_text(line.split("：", 1)[-1]) if line else None
        in_title = period_in_text(title) if title else None
    except ReportInputError as exc:
        raise ReportFileError(f"{exc.message_zh}。") from None
    found = in_line or in_title
    if in_line and in_title and not set(in_title.years) & set(in_line.years):
        issues.append(
            RowIssue(
                0,
                "统计期间",
                "warning",
                f"标题中的年度（{in_title.label}）与统计期间（{in_line.label}）不一致，按统计期间导入",
            )
        )
    if given is not None:
        if found is not None and (found.start, found.end) != (given.start, given.end):
            raise ReportFileError(
                f"文件写明的统计期间是{found.span_text}，与指定的{given.span_text}不一致。"
                "请核对文件，或不指定期间按文件导入。"
            )
        return given, info
    if found is None:
        raise ReportFileError(
            "无法从标题或“统计期间”一行确定统计期间。请在文件中写明（如“统计期间：2026年上半年”），"
            "或用 --year、--half、--quarter、--from/--to 指定。"
        )
    return found, info


def _row_kind(cells: list[Any], dept_col: int) -> str:
    """notes / totals / footer / data for a row below the header."""
    texts = [cell_text(c) for c in cells[: max(dept_col + 1, 2)]]
    first = next((t for t in (cell_text(c) for c in cells) if t), "")
    compact = first.replace(" ", "")
    if _NOTES.match(compact) and ("填表说明" in compact or len(compact) > 8 or compact in ("说明", "注")):
        return "notes"
    if any(t.replace(" ", "").startswith(_TOTALS) for t in texts if t):
        return "totals"
    if _FOOTER.match(compact):
        return "footer"
    if compact.startswith("（") and compact.endswith("）") and "无" in compact:
        return "footer"  # （本期无数据）
    return "data"


@dataclass
class _Row:
    """A data row while being checked."""

    number: int
    department: str
    counts: dict[str, int | None] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # rates, texts and 按时公示对象数
    issues: list[RowIssue] = field(default_factory=list)

    def add(self, column: str, severity: Severity, text: str) -> None:
        self.issues.append(RowIssue(self.number, bare_name(column), severity, text))

    @property
    def has_error(self) -> bool:
        return any(i.severity == "error" for i in self.issues)


def _read_counts(row: _Row, shape: Shape, values: dict[str, Any]) -> None:
    blanks = []
    for name in shape.counts:
        value, why = parse_count(values.get(name))
        if why:
            row.add(name, "error", f"{bare_name(name)}{why}")
        elif value is None:
            blanks.append(name)
        row.counts[name] = value
    if len(blanks) == len(shape.counts):
        row.issues = [i for i in row.issues if i.severity == "error"]
        row.add(DEPT, "error", f"“{row.department}”一行的各项数字均为空（本期没有的请填 0）")
        return
    for name in blanks:
        row.counts[name] = 0
        row.add(name, "warning", f"{bare_name(name)}未填写，按 0 计")


# Counted by different dates (抽取 by the draw day, 已检查 by the inspection day), so a period can hold more
# inspections than draws: objects drawn before it and inspected in it. Only a warning.
_ACROSS_PERIODS = {("已检查数", "抽取数"), ("已检查对象数（户）", "抽取对象数（户）")}


def _check_not_more(row: _Row, shape: Shape) -> None:
    for name, limit in shape.not_more:
        value, most = row.counts.get(name), row.counts.get(limit)
        if value is not None and most is not None and value > most:
            text = f"{bare_name(name)}（{value}）大于{bare_name(limit)}（{most}）"
            if (name, limit) in _ACROSS_PERIODS:
                row.add(name, "warning", text + "：如有本期以前抽取、本期检查的对象，属正常，请核对")
            else:
                row.add(name, "error", text)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _read_rates(row: _Row, shape: Shape, values: dict[str, Any]) -> None:
    figures = row.figures
    for name, numerator, base in shape.rates:
        raw = values.get(name)
        candidates, why = parse_rate(raw)
        if why:
            row.add(name, "error", f"{name}{why}")
            figures[name] = None
            continue
        n = row.counts.get(base)
        given = candidates[0] if candidates else None
        if numerator is not None:
            k = row.counts.get(numerator)
            if n is None or k is None:
                figures[name] = given
                continue
            expected = k / n if n else None
            if expected is None:
                if given:
                    row.add(
                        name, "warning", f"{bare_name(base)}为 0，{name}应为空（—），不是 {cell_text(raw)}"
                    )
                figures[name] = None
                continue
            if candidates is None:
                row.add(name, "warning", f"{name}未填写，按计算值 {_pct(expected)} 记录")
                figures[name] = expected
                continue
            close = [c for c in candidates if abs(c - expected) <= TOLERANCE]
            if not close:
                row.add(
                    name,
                    "warning",
                    f"{name}填写为 {_pct(given or 0.0)}，按{bare_name(numerator)}÷{bare_name(base)}应为 "
                    f"{_pct(expected)}（统计表按数字重新计算）",
                )
            figures[name] = close[0] if close else given
            continue
        # 按时公示率: no count column of its own; the number of objects it stands for is derived.
        figures[name] = given
        if n is None:
            continue
        if not n:
            if given:
                row.add(name, "warning", f"{bare_name(base)}为 0，{name}应为空（—），不是 {cell_text(raw)}")
            figures[name], figures[ON_TIME] = None, 0
            continue
        if candidates is None:
            row.add(name, "warning", f"{name}未填写，合计的{name}不计入本行")
            figures[ON_TIME] = None
            continue
        fits = [(c, round(c * n)) for c in candidates if abs(round(c * n) / n - c) <= TOLERANCE]
        if not fits:
            row.add(
                name,
                "warning",
                f"{name}填写为 {_pct(given or 0.0)}，与{bare_name(base)}（{n}）对不上"
                f"（{n}户中按时公示的户数不可能得出这个比率）",
            )
            figures[ON_TIME] = min(n, round((given or 0.0) * n))
        else:
            figures[name], figures[ON_TIME] = fits[0]


def _plan_state(text: str) -> tuple[str, str]:
    """(计划状态 as stored, problem)."""
    parts = [p for p in re.split(r"[／/、，,;；\s]+", text) if p]
    out = []
    for part in parts:
        state = _PLAN_ALIASES.get(part, part)
        if state not in _PLAN_STATES:
            known = "、".join([NO_PLAN, *(s.value for s in PlanStatus)])
            return "", f"计划状态“{text}”无法识别（应为{known}之一）"
        out.append(state)
    return "／".join(dict.fromkeys(out)), ""


def _read_texts(row: _Row, shape: Shape, values: dict[str, Any]) -> None:
    figures = row.figures
    if PLAN_STATE in values:
        text = cell_text(values.get(PLAN_STATE))
        if text:
            state, why = _plan_state(text)
            if why:
                row.add(PLAN_STATE, "error", why)
            figures[PLAN_STATE] = state
            planned = row.counts.get("计划任务数（个）")
            if state == NO_PLAN and planned:
                row.add(PLAN_STATE, "warning", f"计划状态为“未制定”，但计划任务数为 {planned}")
        else:
            figures[PLAN_STATE] = ""
    if BUILT in shape.texts:  # the column may be missing: then it follows from the three counts
        counts = row.counts
        built = all(
            counts.get(c) for c in ("抽查事项清单（项）", "检查对象名录库（户）", "执法检查人员（人）")
        )
        raw = values.get(BUILT)
        said = parse_bool(cell_text(raw)) if not is_blank(raw) else None
        if not is_blank(raw) and said is None:
            row.add(BUILT, "error", f"是否建立“两库一单”应为是或否，实为“{cell_text(raw)}”")
        elif said is not None and said != built:
            row.add(
                BUILT,
                "warning",
                f"是否建立“两库一单”填写为“{'是' if said else '否'}”，但事项清单、名录库、检查人员"
                f"{'均不为 0' if built else '有为 0 的'}",
            )
        figures[BUILT] = "是" if (said if said is not None else built) else "否"


def _department(row: _Row, departments: _Departments, shape: Shape) -> tuple[str, str]:
    """(code, name) of the row's department; problems added to the row."""
    text = row.department
    hit = departments.find(text)
    if hit is not None:
        code, name = hit
        if code in departments.own or name in departments.own:
            row.add(DEPT, "error", f"“{text}”是本机所属部门，其数据就在本机数据库中，不能作为报表导入")
        elif code in departments.archived:
            row.add(DEPT, "warning", f"部门“{name}”已撤并（归档），其数字不会列入县级统计表")
        elif shape.kind == "non_market" and code in departments.market:
            row.add(DEPT, "warning", f"部门“{name}”标记为市场监管领域，其数字不会列入非市场监管领域统计表")
        return code, name
    similar = departments.similar(text)
    if similar:
        row.add(
            DEPT,
            "error",
            f"部门“{text}”不在本库的部门名录中，与“{'”“'.join(similar)}”相近。请填写部门名录中的名称或部门代码",
        )
    elif not _looks_like_department(text):
        row.add(DEPT, "error", f"“{text}”不像部门名称，本库的部门名录中也没有（请填写部门名称或部门代码）")
    else:
        row.add(DEPT, "warning", f"部门“{text}”不在本库的部门名录中，将作为新部门记录其数字")
    return "", text


def _check_totals(
    sheet: SheetRead, shape: Shape, number: int, values: dict[str, Any], rows: list[_Row]
) -> None:
    good = [r for r in rows if r.department]
    for name in shape.counts:
        total, why = parse_count(values.get(name))
        if why:
            sheet.issues.append(RowIssue(number, bare_name(name), "error", f"合计行{bare_name(name)}{why}"))
            continue
        if total is None:
            continue
        parts = [r.counts.get(name) or 0 for r in good]
        summed = sum(parts)
        if name in JOINT:  # a joint task shared by two departments is one task in the total
            if not (max(parts, default=0) <= total <= summed):
                sheet.issues.append(
                    RowIssue(
                        number,
                        bare_name(name),
                        "error",
                        f"合计行{bare_name(name)}为 {total}，应在各行最大值（{max(parts, default=0)}）与各行之和"
                        f"（{summed}）之间（同一联合任务只计一次）",
                    )
                )
        elif total != summed:
            sheet.issues.append(
                RowIssue(
                    number,
                    bare_name(name),
                    "error",
                    f"合计行{bare_name(name)}为 {total}，各行之和为 {summed}",
                )
            )
    for name, expected_of in ((BUILT, "是"), (PLAN_STATE, PlanStatus.FILED.value)):
        if name not in values:
            continue
        total, why = parse_count(values.get(name))
        if total is None:
            continue
        expected = sum(1 for r in good if r.figures.get(name) == expected_of)
        what = "已建立“两库一单”的部门数" if name == BUILT else "计划已审核备案的部门数"
        if total != expected:
            sheet.issues.append(
                RowIssue(
                    number,
                    bare_name(name),
                    "error",
                    f"合计行“{bare_name(name)}”为 {total}，{what}为 {expected}",
                )
            )
    for name, numerator, base in shape.rates:
        candidates, _why = parse_rate(values.get(name))
        if not candidates:
            continue
        n = sum(r.counts.get(base) or 0 for r in good)
        if numerator is None:
            known = [r for r in good if r.figures.get(ON_TIME) is not None]
            n = sum(r.counts.get(base) or 0 for r in known)
            k = sum(r.figures[ON_TIME] for r in known)
        else:
            k = sum(r.counts.get(numerator) or 0 for r in good)
        if n and not any(abs(c - k / n) <= TOLERANCE for c in candidates):
            sheet.issues.append(
                RowIssue(
                    number,
                    name,
                    "warning",
                    f"合计行{name}填写为 {_pct(candidates[0])}，按各行合计应为 {_pct(k / n)}（统计表按数字重新计算）",
                )
            )


def _read_sheet(table: Table, shape: Shape, given: Period | None, departments: _Departments) -> SheetRead:
    layout, index = _columns(table, shape)
    missing = [bare_name(name) for name in shape.required if name not in index]
    if missing:
        seen = "、".join(c.header for c in layout.columns if not c.header.startswith("（第")) or "（无）"
        raise ReportFileError(
            f"工作表“{table.name}”缺少{KIND_NAMES[shape.kind]}的列：{'、'.join(missing)}。文件中的列有：{seen}。"
        )
    header_issues: list[RowIssue] = []
    period, info = _period_of(table, layout.header_rows[0], given, header_issues)
    sheet = SheetRead(
        table.name,
        shape.kind,
        period,
        info,
        tuple(r + 1 for r in layout.header_rows),
        {c.header: c.field for c in layout.columns if c.field},
        issues=header_issues,
    )
    dept_col = index[DEPT]
    rows: list[_Row] = []
    seen_at: dict[tuple[str, str], int] = {}
    ended = ""  # "totals" or "notes" once the body has ended
    for i, cells in table.rows_from(layout.data_start):
        number = i + 1
        values = {name: cells[c] if c < len(cells) else "" for name, c in index.items()}
        if all(is_blank(c) for c in cells):
            continue
        what = _row_kind(cells, dept_col)
        if ended == "notes" or what == "notes":
            ended = "notes"
            continue
        if what == "totals":
            if sheet.totals_row is not None:
                sheet.issues.append(
                    RowIssue(number, "", "error", f"有两个合计行（第{sheet.totals_row}行和本行）")
                )
                continue
            sheet.totals_row = number
            sheet.skipped += 1
            _check_totals(sheet, shape, number, values, rows)
            ended = "totals"
            continue
        department = cell_text(values.get(DEPT))
        if what == "footer" or (
            not department and not any(not is_blank(values.get(n)) for n in shape.counts)
        ):
            sheet.skipped += 1  # a footer, （本期无数据）, or text beside the table
            continue
        if ended == "totals":
            sheet.issues.append(
                RowIssue(
                    number, "", "error", "这一行在合计行之后：合计行应是最后一行，请把数据行移到合计行之前"
                )
            )
            continue
        row = _Row(number, department)
        if not department:
            row.add(DEPT, "error", "部门不能为空")
        _read_counts(row, shape, values)
        if not row.has_error:
            _check_not_more(row, shape)
        _read_rates(row, shape, values)
        _read_texts(row, shape, values)
        code, name = ("", "")
        if department:
            code, name = _department(row, departments, shape)
            key = (code, "") if code else ("", clean_text(name))
            if key in seen_at:
                row.add(DEPT, "error", f"部门“{department}”在第{seen_at[key]}行已填报过")
            else:
                seen_at[key] = number
        rows.append(row)
        sheet.issues += row.issues
        if not row.has_error:
            figures = {**row.figures, **row.counts}
            sheet.lines.append(ReportedLine(number, code, name, dict(sorted(figures.items()))))
    if not rows:
        sheet.issues.append(RowIssue(0, "", "error", f"工作表“{table.name}”中没有填报任何部门的数字"))
    sheet.issues.sort(key=lambda i: (i.row, i.severity != "error"))
    return sheet


# --- the plan tables -----------------------------------------------------------------------------------------


def _plan_preview(
    session: Session,
    preview: ReportImportPreview,
    table: Table,
    title: str,
    year: int | None,
    department: str | None,
) -> None:
    from app.plans.importer import plan_table_departments, read_plan_table
    from db.models import AnnualPlan, Department

    texts = _head_texts(table)
    if year is None:
        match = re.search(r"(\d{4})\s*年", clean_text(title))
        found = period_in_text(title) if title else None
        year = int(match.group(1)) if match else (found.start.year if found else None)
    if year is None:
        raise ReportFileError("无法从标题确定计划年度，请用 --year 指定。")
    preview.plan_year = year
    path = preview.path
    try:
        listed = plan_table_departments(session, path, sheet=table.name)
    except RegistryIOError as exc:
        raise ReportFileError(exc.message_zh) from None
    departments = {
        d.id: d for d in session.scalars(select(Department).where(Department.archived.is_(False))).all()
    }
    ids: list[int] = []
    if listed:
        if department:
            raise ReportFileError(
                "该计划表有“部门”列（全县计划表），各行按部门导入，不能再用 --department 指定部门。"
            )
        for line, text, dept_id in listed:
            if dept_id is None:
                problem = "部门不能为空" if not text else f"部门“{text}”在本库的部门名录中不存在"
                preview.plan_issues.append(RowIssue(line, DEPT, "error", problem))
            elif dept_id not in ids:
                ids.append(dept_id)
    else:
        by = _Departments(session)
        chosen = department or info_parts(texts).unit
        hit = by.find(chosen) if chosen else None
        if hit is None:
            said = f"填报单位“{chosen}”不是本库部门名录中的部门" if chosen else "文件中没有填报单位"
            raise ReportFileError(f"无法确定该计划表属于哪个部门（{said}），请用 --department 指定部门代码。")
        ids = [next(d.id for d in departments.values() if d.code == hit[0])]
    for dept_id in ids:
        dept = departments[dept_id]
        part = read_plan_table(session, path, dept_id, sheet=table.name)
        preview.plan_parts.append(PlanPart(dept_id, dept.name, part))
        for error in part.file_errors:
            preview.plan_issues.append(RowIssue(0, "", "error", f"{dept.name}：{error}"))
        for row in part.rows:
            preview.plan_issues += [RowIssue(row.line, "", "error", e) for e in row.errors]
        exists = session.scalar(
            select(AnnualPlan.id).where(AnnualPlan.department_id == dept_id, AnnualPlan.year == year)
        )
        if exists is not None:
            preview.plan_issues.append(
                RowIssue(
                    0, "", "error", f"{dept.name}已有{year}年度抽查计划，不能导入（请在计划页面修改或调整）"
                )
            )
    preview.plan_issues.sort(key=lambda i: i.row)


# --- preview and apply -----------------------------------------------------------------------------------------


def _duplicate(session: Session, sha256: str) -> str:
    from app.exchange.importing import local_time
    from db.models import ReportedFigures

    found = session.execute(
        select(ReportedFigures.imported_at, ReportedFigures.imported_by)
        .where(ReportedFigures.file_sha256 == sha256)
        .limit(1)
    ).first()
    if found is None:
        return ""
    return f"该文件已于 {local_time(found.imported_at)} 导入（{found.imported_by or '未署名'}），本次未重复导入。"


def preview_report_import(
    session: Session,
    path: str | Path,
    *,
    kind: str | None = None,
    period: Period | None = None,
    plan_year: int | None = None,
    department: str | None = None,
    progress: Progress | None = None,
) -> ReportImportPreview:
    """Read ``path`` and say what an import would store, row by row; writes nothing.

    ``kind`` (progress / non_market / plan) and ``period`` (statistics) or ``plan_year`` (plans) override what
    the file says (a stated period that differs is refused); ``department`` (code or name) names the department
    of a one-department plan table whose 填报单位 does not. Raises :class:`ImportFileError` subclasses for a file
    that cannot be used (unreadable, hostile, no recognisable table, no period, missing columns).
    """
    report = progress or (lambda _stage, _fraction: None)
    if kind is not None and kind not in IMPORT_KINDS:
        raise ReportFileError(
            f"表格类型“{kind}”无效，应为 progress（进展情况）、non_market（非市场监管推行情况）或 plan（计划表）。"
        )
    file_path = Path(path)
    report("读取文件", 0.0)
    tables = open_tables(file_path)  # the hostile-file checks of app.io.safety run here
    preview = ReportImportPreview(
        file_path, file_path.name, _sha256(file_path), file_path.stat().st_size, kind or "statistics"
    )
    found: list[tuple[Table, str, str]] = []
    for table in tables:
        sheet_kind, title = _sheet_kind(table)
        if sheet_kind is None:
            preview.skipped_sheets.append((table.name, "不是可导入的统计表或计划表"))
        elif sheet_kind == "joint":
            preview.skipped_sheets.append((table.name, "联合检查工作进展情况统计表按任务列出，不导入"))
        else:
            found.append((table, sheet_kind, title))
    wanted = [f for f in found if f[1] == kind] if kind else [f for f in found if f[1] in STAT_KINDS]
    if kind is None and not wanted:
        wanted = [f for f in found if f[1] == "plan"]
    if wanted and wanted[0][1] == "plan":  # one plan table: the whole plan before its 非市场监管领域 part
        wanted = sorted(wanted, key=lambda f: "非市场" in f[2])[:1]
    for table, sheet_kind, _title in found:
        if all(table is not w[0] for w in wanted):
            preview.skipped_sheets.append((table.name, f"{KIND_NAMES[sheet_kind]}，本次未导入"))
    if not wanted:
        what = KIND_NAMES[kind] if kind else "统计表或计划表"
        raise ReportFileError(
            f"{file_path.name} 中没有找到{what}（按标题和表头识别）。"
            "请确认文件是司法局下发的统计表或计划表的格式，或用 --kind 指定表格类型。"
        )
    report("核对数字", 0.3)
    if wanted[0][1] == "plan":
        preview.kind = "plan"
        _plan_preview(session, preview, wanted[0][0], wanted[0][2], plan_year, department)
    else:
        departments = _Departments(session)
        for table, sheet_kind, _title in wanted:
            preview.sheets.append(_read_sheet(table, SHAPES[sheet_kind], period, departments))
        kinds = {s.kind for s in preview.sheets}
        preview.kind = kinds.pop() if len(kinds) == 1 else "statistics"
        preview.duplicate = _duplicate(session, preview.file_sha256)
        for sheet, line in preview.lines:
            current = _current_of(session, sheet, line)
            if current is not None:
                if _is_older(sheet, current):
                    preview.kept_old += 1
                else:
                    preview.replacing += 1
    report("完成", 1.0)
    return preview


def _current_of(session: Session, sheet: SheetRead, line: ReportedLine) -> Any:
    from db.models import ReportedFigures

    query = select(ReportedFigures).where(
        ReportedFigures.kind == sheet.kind,
        ReportedFigures.period_start == sheet.period.start,
        ReportedFigures.period_end == sheet.period.end,
        ReportedFigures.superseded_by_id.is_(None),
    )
    if line.department_code:
        query = query.where(ReportedFigures.department_code == line.department_code)
    else:
        query = query.where(
            ReportedFigures.department_code == "", ReportedFigures.department_name == line.department_name
        )
    return session.scalars(query.order_by(ReportedFigures.id.desc())).first()


def _is_older(sheet: SheetRead, current: Any) -> bool:
    """Whether the file's 填报日期 is earlier than that of the figures already current (both known)."""
    return (
        current.filled_on is not None
        and sheet.info.filled_on is not None
        and sheet.info.filled_on < current.filled_on
    )


def apply_report_import(
    session: Session, preview: ReportImportPreview, *, now: dt.datetime | None = None
) -> ReportImportSummary:
    """Write what ``preview`` found, all or nothing, and commit (one audit entry). A duplicate file writes
    nothing and returns a summary saying so. Raises :class:`ImportRefusedError` (nothing written) when any row
    has an error, and :class:`~app.auth.roles.PermissionDenied` without the 数据交换 permission."""
    from app.audit import record_event
    from app.auth.roles import Permission, require
    from db.base import utcnow
    from db.models import ReportedFigures

    if preview.duplicate:
        return ReportImportSummary(preview.file_name, preview.counts, message=preview.duplicate)
    if not preview.can_apply:
        raise ImportRefusedError(
            f"文件中有 {preview.errors} 个错误，导入已拒绝，未写入任何数据。请修改后重新导入。"
            if preview.errors
            else "文件中没有可导入的数据，未写入任何数据。"
        )
    if preview.kind == "plan":
        return _apply_plans(session, preview)
    actor = require(session, Permission.EXCHANGE, "导入其他部门的统计表")
    try:
        again = _duplicate(session, preview.file_sha256)
        if again:
            session.rollback()
            return ReportImportSummary(preview.file_name, preview.counts, message=again)
        moment = now or utcnow()
        ids: list[int] = []
        replaced: list[int] = []
        kept_old = 0
        for sheet, line in preview.lines:
            current = _current_of(session, sheet, line)
            older = current is not None and _is_older(sheet, current)
            row = ReportedFigures(
                kind=sheet.kind,
                department_code=line.department_code,
                department_name=line.department_name[:100],
                period_start=sheet.period.start,
                period_end=sheet.period.end,
                period_label=sheet.period.label,
                figures=line.figures,
                source_row=line.row,
                sheet_name=sheet.sheet[:100],
                file_sha256=preview.file_sha256,
                file_name=preview.file_name[:255],
                file_size=preview.file_size,
                unit=sheet.info.unit,
                filled_on=sheet.info.filled_on,
                contact=sheet.info.contact,
                imported_at=moment,
                imported_by=actor.label,
                superseded_by_id=current.id if older and current is not None else None,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
            if current is not None and not older:
                current.superseded_by_id = row.id
                replaced.append(current.id)
            kept_old += older
        counts = ImportCounts(
            imported=len(ids) - kept_old - len(replaced),
            updated=len(replaced),
            skipped=sum(s.skipped for s in preview.sheets) + kept_old,
            warnings=preview.warnings,
            errors=0,
        )
        message = _summary_text(preview, len(replaced), kept_old)
        record_event(
            session,
            "导入",
            "报表导入",
            ids[0],
            message,
            after={
                "file": preview.file_name,
                "sha256": preview.file_sha256,
                "sheets": [
                    {
                        "sheet": s.sheet,
                        "kind": s.kind,
                        "period": s.period.to_json_dict(),
                        "rows": len(s.lines),
                    }
                    for s in preview.sheets
                ],
                "departments": [line.department_code or line.department_name for _s, line in preview.lines],
                "ids": ids,
                "superseded": replaced,
                "stored_superseded": kept_old,
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ReportImportSummary(
        preview.file_name, counts, tuple(ids), len(replaced), kept_old, message=message
    )


def _summary_text(preview: ReportImportPreview, replaced: int, kept_old: int) -> str:
    parts = []
    for sheet in preview.sheets:
        names = "、".join(line.department_name for line in sheet.lines)
        parts.append(f"{KIND_NAMES[sheet.kind]}（{sheet.period.label}）{len(sheet.lines)} 个部门：{names}")
    text = f"从“{preview.file_name}”导入报表数字：" + "；".join(parts)
    if replaced:
        text += f"；取代此前导入的 {replaced} 行"
    if kept_old:
        text += f"；其中 {kept_old} 行的填报日期早于已导入的文件，仅存档，不作为当前数字"
    return text + "。"


def _apply_plans(session: Session, preview: ReportImportPreview) -> ReportImportSummary:
    from app.audit import record_event
    from app.plans.importer import add_imported_plan

    assert preview.plan_year is not None
    year = preview.plan_year
    try:
        plan_ids = [add_imported_plan(session, p.department_id, year, p.preview) for p in preview.plan_parts]
        names = "、".join(f"{p.department_name}（{len(p.preview.rows)} 行）" for p in preview.plan_parts)
        message = f"从“{preview.file_name}”导入{year}年度抽查计划（草稿）：{names}。"
        record_event(
            session,
            "导入",
            "年度抽查计划",
            plan_ids[0],
            message,
            after={
                "file": preview.file_name,
                "sha256": preview.file_sha256,
                "year": year,
                "plans": dict(zip([p.department_name for p in preview.plan_parts], plan_ids, strict=True)),
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    counts = ImportCounts(preview.plan_rows, 0, 0, preview.warnings, 0)
    return ReportImportSummary(preview.file_name, counts, plan_ids=tuple(plan_ids), message=message)
