"""全县联合视图: the year's plan rows of all departments grouped into proposed joint visits (一次多查).

Two rows can be done in one visit when they are planned for the same 计划月份, their items' 主体类型 overlap
(an empty list means any), and either they share a 行业, or one row names the other row's department as
联合部门 and their 行业 overlap (an empty list means any). Groups are the connected sets of such rows; each saves ``rows − 1`` visits.

    view = county_joint_view(session, 2026)
    for visit in view.visits:
        print(visit.month, visit.departments, visit.items, visit.visits_saved)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AnnualPlan, Department, InspectionItem, PlanRow

__all__ = ["CountyView", "JointRow", "JointVisit", "can_share_visit", "county_joint_view"]


@dataclass(frozen=True)
class JointRow:
    """One plan row as the county view sees it."""

    plan_id: int
    row_id: int
    seq: int
    department_id: int
    department: str
    item_id: int
    item: str
    month: int
    planned_count: int
    kinds: frozenset[str]
    industries: frozenset[str]
    joint_department_ids: frozenset[int]


@dataclass(frozen=True)
class JointVisit:
    """A proposed joint visit: rows of one month whose objects overlap or which are linked by 联合部门."""

    month: int
    rows: tuple[JointRow, ...]
    shared_industries: tuple[str, ...]  # industries appearing in more than one row of the group

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.department for r in self.rows))

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(r.item for r in self.rows)

    @property
    def months(self) -> tuple[int, ...]:
        return (self.month,)

    @property
    def visits_saved(self) -> int:
        return len(self.rows) - 1


@dataclass(frozen=True)
class CountyView:
    year: int
    rows: int  # plan rows of the year with a 计划月份
    visits: tuple[JointVisit, ...]

    @property
    def visits_saved(self) -> int:
        return sum(v.visits_saved for v in self.visits)


def _overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def can_share_visit(a: JointRow, b: JointRow) -> bool:
    """Whether two rows may be done in one visit (same month; shared objects or linked by 联合部门)."""
    if a.month != b.month:
        return False
    if not _overlap(a.kinds, b.kinds):
        return False
    if b.department_id in a.joint_department_ids or a.department_id in b.joint_department_ids:
        return _overlap(a.industries, b.industries)
    return bool(a.industries & b.industries)


def _rows(session: Session, year: int) -> list[JointRow]:
    result = session.execute(
        select(PlanRow, AnnualPlan.department_id, Department.name, Department.sort_order, InspectionItem)
        .join(AnnualPlan, AnnualPlan.id == PlanRow.plan_id)
        .join(Department, Department.id == AnnualPlan.department_id)
        .join(InspectionItem, InspectionItem.id == PlanRow.item_id)
        .where(AnnualPlan.year == year, PlanRow.planned_month.is_not(None))
        .order_by(PlanRow.planned_month, Department.sort_order, Department.id, PlanRow.seq)
    ).all()
    return [
        JointRow(
            plan_id=row.plan_id,
            row_id=row.id,
            seq=row.seq,
            department_id=dept_id,
            department=dept_name,
            item_id=item.id,
            item=item.name,
            month=int(row.planned_month or 0),
            planned_count=int(row.planned_count or 0),
            kinds=frozenset(item.target_kinds or ()),
            industries=frozenset(item.target_industries or ()),
            joint_department_ids=frozenset(j.department_id for j in row.joint_departments),
        )
        for row, dept_id, dept_name, _order, item in result
    ]


def county_joint_view(session: Session, year: int) -> CountyView:
    """All departments' plan rows of ``year`` grouped into joint visits (groups of two rows or more),
    by month, then by number of rows (largest first)."""
    rows = _rows(session, year)
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            if can_share_visit(a, rows[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[JointRow]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(root(i), []).append(row)
    visits: list[JointVisit] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        seen: dict[str, int] = {}
        for member in members:
            for industry in sorted(member.industries):
                seen[industry] = seen.get(industry, 0) + 1
        shared = tuple(k for k, n in seen.items() if n > 1)
        visits.append(JointVisit(members[0].month, tuple(members), shared))
    visits.sort(key=lambda v: (v.month, -len(v.rows), v.rows[0].department, v.rows[0].seq))
    return CountyView(year, len(rows), tuple(visits))
