"""Importing a 《XX年度行政执法检查计划表》 in the official layout (as :mod:`app.forms.plan_table` writes it,
or another department's file of the same layout) as a new 草稿 plan.

The file is read with :func:`app.io.readers.open_tables`; the header row is found by its column titles with
:func:`app.io.header.resolve_layout` (title rows and the 填报单位 line above it are skipped). Each row becomes
a :class:`~app.plans.rows.RowInput`; every problem is a Chinese message naming the Excel row. Nothing is
written unless every row is valid, and then the plan and all its rows are written in one transaction.

    preview = read_plan_table(session, Path("计划表.xlsx"), department_id)
    if preview.ok:
        plan_id = import_plan_table(session, Path("计划表.xlsx"), department_id, 2027)

The county-wide layout (:mod:`app.reports.plan_tables`: a 部门 column after 序号, a 合计 row) is read too:
:func:`plan_table_departments` lists each row's department, and ``read_plan_table`` for one department keeps
only that department's rows (a blank 部门 cell continues the department above, as a merged cell does). A 合计
row is skipped. :func:`add_imported_plan` writes a checked preview inside the caller's transaction, so several
departments' plans can be written all or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.faults import crash_point
from app.io.errors import RegistryIOError
from app.io.header import resolve_layout
from app.io.readers import open_tables
from app.io.values import clean_multiline, clean_text, excel_number_text, is_blank
from app.plans.errors import PlanError, PlanInputError
from app.plans.rows import RowInput, clean_row
from app.plans.service import _add, _transaction, new_draft_plan
from app.registry.fields import FieldSpec, RegistrySpec
from db.models import Department, InspectionItem

__all__ = [
    "PLAN_TABLE_SPEC",
    "ImportedRow",
    "PlanImportPreview",
    "add_imported_plan",
    "import_plan_table",
    "plan_table_departments",
    "read_plan_table",
]

PLAN_TABLE_SPEC = RegistrySpec(
    "plan_rows",
    "年度抽查计划表",
    (
        FieldSpec("item", "抽查事项", required=True, synonyms=("抽查事项名称", "事项名称")),
        FieldSpec("item_code", "事项编号", synonyms=("抽查事项编号", "编号")),
        FieldSpec("scope_text", "检查对象范围", required=True, synonyms=("检查对象",)),
        FieldSpec("base_count", "检查对象基数", synonyms=("基数",)),
        FieldSpec("ratio_or_quantity", "抽查比例或数量", required=True, synonyms=("抽查比例", "抽查数量")),
        FieldSpec("planned_count", "计划抽查数"),
        FieldSpec("content", "检查内容", required=True),
        FieldSpec("basis", "检查依据", required=True),
        FieldSpec("planned_month", "计划月份", required=True, synonyms=("月份", "计划时间")),
        FieldSpec("method", "检查方式", required=True),
        FieldSpec("joint", "联合部门", synonyms=("联合检查部门",)),
        FieldSpec("frequency_cap", "频次上限", synonyms=("抽查频次",)),
        FieldSpec("remarks", "备注"),
        FieldSpec("department", "部门", synonyms=("部门名称", "执法部门", "检查部门")),
    ),
)

_QUANTITY = re.compile(r"^(\d+)\s*(户|家|个|次)?$")
_MONTH = re.compile(r"^(\d{1,2})\s*月?(份)?$")
_FREQUENCY = re.compile(r"^(?:每年)?\s*(\d+)\s*次?$")
_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_TOTALS = ("合计", "总计")


@dataclass(frozen=True)
class ImportedRow:
    """One data row of the file: its Excel row number, the 抽查事项 as written, the input it maps to (None
    when it has errors) and the Chinese errors."""

    line: int
    item: str
    values: RowInput | None
    errors: tuple[str, ...]


@dataclass(frozen=True)
class PlanImportPreview:
    """What an import would write, row by row, with file-level and per-row errors."""

    sheet: str
    rows: tuple[ImportedRow, ...]
    file_errors: tuple[str, ...] = ()

    @property
    def errors(self) -> list[str]:
        """All errors, file-level first, then ``第N行：…`` for each row."""
        out = list(self.file_errors)
        for row in self.rows:
            out += [f"第{row.line}行：{e}" for e in row.errors]
        return out

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def inputs(self) -> list[RowInput]:
        return [r.values for r in self.rows if r.values is not None]


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float):
        return excel_number_text(value)
    return clean_text(str(value))


def _nfkc(value: Any) -> str:
    return unicodedata.normalize("NFKC", _text(value)).strip()


def parse_ratio_or_quantity(value: Any) -> tuple[str, int | None]:
    """抽查比例或数量 → (ratio text, quantity): ``5%``/``0.05`` give a ratio, ``10户``/``10`` a quantity."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if 0 < value < 1:
            return repr(float(value)), None
        if value == int(value) and value >= 1:
            return "", int(value)
    text = _nfkc(value)
    if not text:
        raise PlanInputError("抽查比例或数量不能为空")
    match = _QUANTITY.match(text)
    if match:
        return "", int(match.group(1))
    if text.endswith("%") or "." in text:
        return text, None
    raise PlanInputError(f"抽查比例或数量“{text}”无法识别（例如 5%、0.05 或 10户）")


def parse_month(value: Any) -> int:
    """计划月份: ``3月``, ``3`` or ``03`` → 3."""
    text = _nfkc(value)
    if not text:
        raise PlanInputError("计划月份不能为空")
    match = _MONTH.match(text)
    month = int(match.group(1)) if match else 0
    if not 1 <= month <= 12:
        raise PlanInputError(f"计划月份“{text}”应为 1–12 月")
    return month


def parse_frequency(value: Any) -> int | None:
    """频次上限: ``每年1次``, ``1次`` or ``1`` → 1; blank → None."""
    text = _nfkc(value)
    if not text:
        return None
    match = _FREQUENCY.match(text)
    if match is None or int(match.group(1)) < 1:
        raise PlanInputError(f"频次上限“{text}”无法识别（例如 每年1次）")
    return int(match.group(1))


class _Lookups:
    """Items and departments by name, loaded once per file."""

    def __init__(self, session: Session, department_id: int) -> None:
        self.department_id = department_id
        items = session.scalars(select(InspectionItem).where(InspectionItem.archived.is_(False))).all()
        self.items: dict[str, list[InspectionItem]] = {}
        for item in items:
            self.items.setdefault(clean_text(item.name), []).append(item)
        self.departments: dict[str, int] = {}
        for dept in session.scalars(select(Department).where(Department.archived.is_(False))).all():
            for name in (dept.name, dept.short_name):
                if name:
                    self.departments.setdefault(clean_text(name), dept.id)

    def item(self, name: str, code: str) -> int:
        if not name:
            raise PlanInputError("抽查事项不能为空")
        found = self.items.get(name, [])
        if code:
            found = [i for i in found if i.code.strip().upper() == code.strip().upper()]
        if len(found) > 1:
            own = [i for i in found if i.department_id == self.department_id]
            found = own or found
        if not found:
            suffix = f"（编号 {code}）" if code else ""
            raise PlanInputError(f"抽查事项“{name}”{suffix}在抽查事项清单中不存在")
        if len(found) > 1:
            raise PlanInputError(f"抽查事项“{name}”在清单中有多个同名事项，请在文件中填写事项编号")
        return found[0].id

    def joint(self, value: Any) -> tuple[int, ...]:
        out: list[int] = []
        for name in _SEPARATORS.split(_text(value)):
            if not name:
                continue
            dept_id = self.departments.get(name)
            if dept_id is None:
                raise PlanInputError(f"联合部门“{name}”不存在")
            if dept_id not in out:
                out.append(dept_id)
        return tuple(out)


def _row(session: Session, lookups: _Lookups, cells: dict[str, Any]) -> tuple[RowInput | None, list[str]]:
    errors: list[str] = []

    def attempt(function: Any, *args: Any) -> Any:
        try:
            return function(*args)
        except PlanError as error:
            errors.append(error.message_zh)
            return None

    item_id = attempt(lookups.item, _text(cells.get("item")), _text(cells.get("item_code")))
    amount = attempt(parse_ratio_or_quantity, cells.get("ratio_or_quantity"))
    month = attempt(parse_month, cells.get("planned_month"))
    joint = attempt(lookups.joint, cells.get("joint"))
    frequency = attempt(parse_frequency, cells.get("frequency_cap"))
    if errors:
        return None, errors
    values = RowInput(
        item_id=item_id,
        scope_text=clean_multiline(str(cells.get("scope_text") or "")),
        ratio=amount[0],
        quantity=amount[1],
        content=clean_multiline(str(cells.get("content") or "")),
        basis=clean_multiline(str(cells.get("basis") or "")),
        planned_month=month,
        method=_text(cells.get("method")),
        joint_department_ids=joint,
        frequency_cap=frequency,
        remarks=clean_multiline(str(cells.get("remarks") or "")),
    )
    try:
        clean_row(session, values, own_department_id=lookups.department_id)
    except PlanError as error:
        return None, [error.message_zh]
    return values, []


def _department_ids(session: Session) -> dict[str, int]:
    """Department ids by name, 简称 and code (upper case), for the 部门 column."""
    found: dict[str, int] = {}
    for dept in session.scalars(select(Department).where(Department.archived.is_(False))).all():
        for key in (clean_text(dept.name), clean_text(dept.short_name), dept.code.strip().upper()):
            if key:
                found.setdefault(key, dept.id)
    return found


def _is_totals(cells: list[Any]) -> bool:
    """The 合计 row of the county-wide layout (合计 in its first non-blank cell)."""
    for cell in cells:
        if not is_blank(cell):
            return isinstance(cell, str) and clean_text(cell).replace(" ", "").startswith(_TOTALS)
    return False


def _data_rows(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, dict[str, Any], str]], bool]:
    """(sheet name, [(Excel row, mapped cells, 部门 as written)], whether there is a 部门 column) of the plan
    rows; a blank 部门 cell takes the department of the row above. Raises :class:`RegistryIOError` when the
    file is no plan table."""
    tables = open_tables(Path(path))
    table, layout = resolve_layout(None, PLAN_TABLE_SPEC, tables, sheet=sheet)
    fields = [(c.index, c.field) for c in layout.columns if c.field]
    has_department = any(field == "department" for _i, field in fields)
    out: list[tuple[int, dict[str, Any], str]] = []
    department = ""
    for index, cells in table.rows_from(layout.data_start):
        values = {field: cells[i] if i < len(cells) else "" for i, field in fields}
        if all(is_blank(v) for v in values.values()) or _is_totals(cells):
            continue
        department = _text(values.pop("department", "")) or department
        out.append((index + 1, values, department))
    return table.name, out, has_department


def plan_table_departments(
    session: Session, path: Path, *, sheet: str | None = None
) -> list[tuple[int, str, int | None]]:
    """(Excel row, 部门 as written, department id or None when unknown) of every plan row of a file in the
    county-wide layout; empty when the file has no 部门 column. Raises :class:`RegistryIOError`."""
    _name, rows, has_department = _data_rows(path, sheet)
    if not has_department:
        return []
    ids = _department_ids(session)
    return [(line, text, ids.get(text) or ids.get(text.upper())) for line, _values, text in rows]


def read_plan_table(
    session: Session, path: Path, department_id: int, *, sheet: str | None = None
) -> PlanImportPreview:
    """Read a plan table file and check every row for ``department_id``'s plan; writes nothing. In the
    county-wide layout only the rows whose 部门 is this department are read."""
    try:
        name, data, _has_department = _data_rows(path, sheet)
    except RegistryIOError as error:
        return PlanImportPreview("", (), (error.message_zh,))
    if session.get(Department, department_id) is None:
        return PlanImportPreview(name, (), (f"部门不存在（编号 {department_id}）",))
    lookups = _Lookups(session, department_id)
    ids = _department_ids(session)
    rows: list[ImportedRow] = []
    for line, values, department in data:
        if department and (ids.get(department) or ids.get(department.upper())) != department_id:
            continue  # another department's row of a county-wide table
        values_in, errors = _row(session, lookups, values)
        rows.append(ImportedRow(line, _text(values.get("item")), values_in, tuple(errors)))
    file_errors = () if rows else ("文件中没有计划行",)
    return PlanImportPreview(name, tuple(rows), file_errors)


def add_imported_plan(session: Session, department_id: int, year: int, preview: PlanImportPreview) -> int:
    """Write a checked preview as the department's 草稿 plan of ``year`` inside the caller's transaction
    (no commit); :class:`PlanStateError` when it already has one. Returns the plan id."""
    plan = new_draft_plan(session, department_id, year, refusal="不能导入")
    for values in preview.inputs:
        _add(session, plan, values)
    return plan.id


def import_plan_table(session: Session, path: Path, department_id: int, year: int) -> int:
    """Create a 草稿 plan for the department and year from the file, all rows or nothing, in one
    transaction. Raises :class:`PlanInputError` listing the errors (with row numbers) when any row is
    invalid, :class:`PlanStateError` when the department already has a plan for the year. Returns the id."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise PlanInputError(f"计划年度应为 2000–2100 的整数，当前为 {year!r}")
    preview = read_plan_table(session, path, department_id)
    if not preview.ok:
        errors = preview.errors
        more = f"等 {len(errors)} 处问题" if len(errors) > 5 else ""
        raise PlanInputError("计划表有误，未导入：" + "；".join(errors[:5]) + more)
    with _transaction(session):
        plan_id = add_imported_plan(session, department_id, year, preview)
        crash_point("plan.import.before_commit")  # the plan and all its rows written, not committed
        return plan_id
