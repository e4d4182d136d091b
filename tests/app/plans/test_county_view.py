"""全县联合视图: the demo county's plan rows grouped into joint visits; assertions computed from the data."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.database import Database
from app.plans import RowInput, add_row, create_plan, list_plans, plan_rows
from app.plans.county import JointRow, can_share_visit, county_joint_view
from db.models import InspectionItem
from tests.conftest import DEMO_YEAR


def _all_rows(db: Database, year: int) -> list[tuple[int, int, int, int, frozenset[str], frozenset[str]]]:
    """(department, row id, month, item, kinds, industries) for every row of the year, straight from the plans."""
    out = []
    with db.sessions() as s:
        for line in list_plans(s, year):
            for r in plan_rows(s, line.plan_id):
                item = s.get(InspectionItem, r.item_id)
                assert item is not None and r.planned_month is not None
                kinds, industries = frozenset(item.target_kinds), frozenset(item.target_industries)
                out.append((line.department_id, r.row_id, r.planned_month, r.item_id, kinds, industries))
    return out


def test_demo_groups_partition_compatible_rows(demo_db: Database) -> None:
    with demo_db.sessions() as s:
        view = county_joint_view(s, DEMO_YEAR)
    data = _all_rows(demo_db, DEMO_YEAR)
    assert view.rows == len(data)
    grouped = [r for v in view.visits for r in v.rows]
    assert len(grouped) == len({r.row_id for r in grouped})  # each row in at most one visit
    assert view.visits_saved == sum(len(v.rows) - 1 for v in view.visits) == len(grouped) - len(view.visits)
    group_of = {r.row_id: i for i, v in enumerate(view.visits) for r in v.rows}
    # every pair of same-month rows whose items share an industry (and kinds overlap) ends up in one visit
    for a, b in itertools.combinations(data, 2):
        kinds_ok = not a[4] or not b[4] or a[4] & b[4]
        if a[2] == b[2] and a[5] & b[5] and kinds_ok:
            assert a[1] in group_of and group_of[a[1]] == group_of.get(b[1])
    for visit in view.visits:
        assert len(visit.rows) >= 2 and {r.month for r in visit.rows} == {visit.month}
        assert visit.departments == tuple(dict.fromkeys(r.department for r in visit.rows))
        assert visit.items == tuple(r.item for r in visit.rows)
        # connected: each row can share a visit with another row of the group
        for row in visit.rows:
            assert any(can_share_visit(row, other) for other in visit.rows if other is not row)
    # rows left alone have no partner at all
    alone = [r for r in data if r[1] not in group_of]
    for a, b in itertools.combinations(alone, 2):
        assert not (a[2] == b[2] and a[5] & b[5] and (not a[4] or not b[4] or a[4] & b[4]))


def test_cross_department_rows_in_same_month_become_one_visit(demo_db: Database) -> None:
    """Two departments' items sharing an industry (e.g. 住宿 between 市场监管 and 卫健), planned for one month."""
    year = DEMO_YEAR + 1
    with demo_db.sessions() as s:
        items = s.scalars(select(InspectionItem).where(InspectionItem.archived.is_(False))).all()
        pair = next(
            (a, b)
            for a, b in itertools.combinations(items, 2)
            if a.department_id
            and b.department_id
            and a.department_id != b.department_id
            and set(a.target_industries) & set(b.target_industries)
            and set(a.target_kinds) & set(b.target_kinds)
        )
        for item in pair:
            assert item.department_id is not None
            plan_id = create_plan(s, item.department_id, year)
            row = RowInput(
                item_id=item.id,
                scope_text="辖区内",
                ratio="5%",
                content="内容",
                basis="依据",
                planned_month=6,
                method="现场检查",
            )
            add_row(s, plan_id, row)
            add_row(s, plan_id, RowInput(**{**row.__dict__, "planned_month": 7}))
        view = county_joint_view(s, year)
    june = [v for v in view.visits if v.month == 6]
    assert len(june) == 1 and {r.item_id for r in june[0].rows} == {pair[0].id, pair[1].id}
    assert len(june[0].departments) == 2 and june[0].visits_saved == 1
    shared = set(pair[0].target_industries) & set(pair[1].target_industries)
    assert set(june[0].shared_industries) == shared
    assert view.visits_saved == 2  # the July rows are a second visit


def test_joint_department_link_needs_overlapping_objects() -> None:
    def row(dept: int, kinds: set[str], industries: set[str], joint: set[int] = set()) -> JointRow:  # noqa: B006
        return JointRow(
            1,
            dept,
            1,
            dept,
            "部门",
            dept,
            "事项",
            5,
            1,
            frozenset(kinds),
            frozenset(industries),
            frozenset(joint),
        )

    assert can_share_visit(row(1, {"企业"}, {"农资经营"}, {2}), row(2, {"企业"}, set()))
    assert not can_share_visit(row(1, {"企业"}, {"农资经营"}, {2}), row(2, {"企业"}, {"娱乐场所"}))
    assert not can_share_visit(row(1, {"企业"}, {"A"}), row(2, {"产品"}, {"A"}))
    assert not can_share_visit(row(1, {"企业"}, set()), row(2, {"企业"}, set()))
