"""Pieces shared by the table builders: the chosen departments, the 填报单位/联系人 defaults, header rows from
leaves and groups, the period note."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from app.reports.errors import ReportInputError
from app.reports.facts import DepartmentFact, Facts
from app.reports.model import TEXT, Column, HeaderCell
from app.reports.period import date_text

__all__ = ["DEPT_COLUMN", "DEPT_PDF_MM", "Group", "chosen", "headers_of", "period_note", "unit_and_contact"]

Group = tuple[str, tuple[Column, ...]]
DEPT_COLUMN = Column("部门", 22, TEXT, "left")
DEPT_PDF_MM = 26.0


def chosen(facts: Facts, codes: Collection[str] | None, *, non_market: bool = False) -> list[DepartmentFact]:
    """The departments of a table, in the county's order; unknown codes refused."""
    if codes is None:
        picked = list(facts.departments)
    else:
        unknown = [c for c in codes if c not in facts.department_by_code]
        if unknown:
            raise ReportInputError(f"统计数据中没有这些部门：{'、'.join(unknown)}")
        picked = [d for d in facts.departments if d.code in set(codes)]
    if non_market:
        picked = [d for d in picked if not d.is_market_regulation]
    return picked


def unit_and_contact(facts: Facts, departments: Sequence[DepartmentFact]) -> tuple[str, str]:
    """填报单位 and 联系人 defaults: the department's own when the table is one department's."""
    if len(departments) == 1:
        dept = departments[0]
        contact = dept.contact_person
        if contact and dept.contact_phone:
            contact = f"{contact}（{dept.contact_phone}）"
        return dept.name, contact
    return facts.source, ""


def headers_of(spec: Sequence[Column | Group]) -> tuple[int, tuple[HeaderCell, ...], tuple[Column, ...]]:
    """Header rows from leaves and groups of leaves: one row when there is no group, else two (a leaf
    outside a group spans both rows)."""
    rows = 2 if any(isinstance(s, tuple) for s in spec) else 1
    headers: list[HeaderCell] = []
    columns: list[Column] = []
    for part in spec:
        if isinstance(part, Column):
            headers.append(HeaderCell(part.name, 0, len(columns), rowspan=rows))
            columns.append(part)
        else:
            title, leaves = part
            headers.append(HeaderCell(title, 0, len(columns), colspan=len(leaves)))
            for leaf in leaves:
                headers.append(HeaderCell(leaf.name, 1, len(columns)))
                columns.append(leaf)
    return rows, tuple(headers), tuple(columns)


def period_note(facts: Facts) -> str:
    return f"统计期间：{facts.period.span_text}；数据截至{date_text(facts.as_of)}。"
