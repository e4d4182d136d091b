"""Reading an imported workbook's sheets (报表导入): the file's SHA-256, which table a sheet is (by its title,
else by the layout its header matches best), its header columns (found by
:func:`app.io.header.resolve_layout`), its 统计期间 and 填报单位/填报日期/联系人 line, and its rows — data, 合计,
填表说明, footers — read into a :class:`~app.reports.import_preview.SheetRead`, each data row checked by
:mod:`app.reports.import_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from app.io.errors import RegistryIOError
from app.io.header import Layout, resolve_layout
from app.io.readers import Table
from app.io.rows import RowIssue
from app.io.values import clean_text, is_blank
from app.reports.errors import ReportInputError
from app.reports.import_checks import (
    _check_not_more,
    _check_totals,
    _department,
    _read_counts,
    _read_rates,
    _read_texts,
    _Row,
)
from app.reports.import_departments import _Departments
from app.reports.import_layouts import DEPT, KIND_NAMES, SHAPES, ReportFileError, Shape, title_kind
from app.reports.import_preview import ReportedLine, SheetRead
from app.reports.import_values import Info, bare_name, cell_text, info_parts, period_in_text
from app.reports.period import Period

_HEADER_ROWS_SEEN = 40
_NOTES = re.compile(r"^(?:填表说明|说明|注)[：:]?")
_FOOTER = re.compile(r"^(?:制表|填表|填报|审核|审批|负责人|联系人|单位负责人)[人单位日期时间]*[：:]")
_TOTALS = ("合计", "总计")
_INFO_LABEL = re.compile(r"^(?:填报|填表|报送|联系人|联系电话|统计期间)")


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
