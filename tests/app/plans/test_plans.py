"""年度抽查计划 services: drafting with validation, 报审 and 备案, and recorded 调整 after filing."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from app.database import Database
from app.plans import (
    AddRow,
    EditRow,
    PlanInputError,
    PlanStateError,
    RemoveRow,
    RowInput,
    add_row,
    adjust_plan,
    base_count,
    compare_revisions,
    create_plan,
    departments_without_plan,
    file_plan,
    items_for_department,
    list_plans,
    parse_ratio,
    plan_revisions,
    plan_rows,
    planned_count,
    remove_row,
    submit_plan,
    update_row,
)
from db.models import AnnualPlan, Department, PlanRevision
from tests.conftest import DEMO_YEAR

YEAR = DEMO_YEAR + 1


def _dept_and_item(db: Database) -> tuple[int, int, int]:
    """A department with items, another department (for 联合部门), and one of the first one's items."""
    with db.sessions() as s:
        depts = s.scalars(select(Department).order_by(Department.sort_order)).all()
        for d in depts:
            items = items_for_department(s, d.id)
            if items:
                other = next(x for x in depts if x.id != d.id)
                return d.id, other.id, items[0].id
    raise AssertionError("demo has no items")


def _row(item_id: int, **kw: object) -> RowInput:
    values: dict[str, object] = {
        "item_id": item_id,
        "scope_text": "辖区内全部经营者",
        "ratio": "0.05",
        "content": "经营资质、公示信息",
        "basis": "《某某条例》第十条",
        "planned_month": 4,
        "method": "现场检查",
    }
    values.update(kw)
    return RowInput(**values)  # type: ignore[arg-type]


def _draft(db: Database) -> tuple[int, int, int]:
    dept, other, item = _dept_and_item(db)
    with db.sessions() as s:
        plan_id = create_plan(s, dept, YEAR)
    return plan_id, other, item


def test_ratio_parsing_is_exact() -> None:
    assert parse_ratio("5%") == parse_ratio("0.05") == parse_ratio("５％")
    assert planned_count(1001, parse_ratio("0.03"), None) == 31  # 30.03 → 31, never float 30.029999…
    assert planned_count(200, parse_ratio("0.05"), None) == 10
    assert planned_count(200, None, 7) == 7
    with pytest.raises(PlanInputError, match="抽查比例"):
        parse_ratio("1.5")
    with pytest.raises(PlanInputError, match="抽查比例"):
        parse_ratio("abc")


def test_draft_rows_compute_base_and_planned_count(demo_db: Database) -> None:
    plan_id, other, item = _draft(demo_db)
    with demo_db.sessions() as s:
        base = base_count(s, item)
        assert base > 0
        row_id = add_row(s, plan_id, _row(item, ratio="3%", joint_department_ids=(other,), frequency_cap=1))
        add_row(s, plan_id, _row(item, ratio="", quantity=12, planned_month=9))
        rows = plan_rows(s, plan_id)
    assert [r.seq for r in rows] == [1, 2]
    assert rows[0].base_count == base and rows[0].ratio == "0.03"
    assert rows[0].planned_count == -(-base * 3 // 100)
    assert rows[0].ratio_or_quantity == "3%"
    assert rows[0].joint_department_ids == (other,)
    assert rows[1].planned_count == 12 and rows[1].ratio_or_quantity == "12户"
    with demo_db.sessions() as s:
        update_row(s, plan_id, row_id, _row(item, ratio="", quantity=5))
        remove_row(s, plan_id, rows[1].row_id)
        rows = plan_rows(s, plan_id)
        line = next(p for p in list_plans(s, YEAR) if p.plan_id == plan_id)
    assert [(r.seq, r.planned_count) for r in rows] == [(1, 5)]
    assert (line.status, line.rows, line.planned_objects) == ("草稿", 1, 5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scope_text": " "}, "检查对象范围不能为空"),
        ({"ratio": "", "quantity": None}, "抽查比例或抽查数量必须填写一项"),
        ({"quantity": 3}, "只能填写其中一项"),
        ({"ratio": "", "quantity": 0}, "抽查数量应为正整数"),
        ({"planned_month": 13}, "计划月份应为 1–12"),
        ({"planned_month": None}, "计划月份不能为空"),
        ({"content": ""}, "检查内容不能为空"),
        ({"basis": ""}, "检查依据不能为空"),
        ({"method": ""}, "检查方式不能为空"),
        ({"frequency_cap": 0}, "频次上限应为正整数"),
    ],
)
def test_row_validation_names_the_field(demo_db: Database, changes: dict[str, object], message: str) -> None:
    plan_id, _other, item = _draft(demo_db)
    with demo_db.sessions() as s, pytest.raises(PlanInputError, match=message):
        add_row(s, plan_id, _row(item, **changes))


def test_duplicate_plan_refused(demo_db: Database) -> None:
    dept, _other, _item = _dept_and_item(demo_db)
    with demo_db.sessions() as s:
        assert all(c.id != dept for c in departments_without_plan(s, DEMO_YEAR))
        with pytest.raises(PlanStateError, match="不能重复新建"):
            create_plan(s, dept, DEMO_YEAR)
        create_plan(s, dept, YEAR)
        assert all(c.id != dept for c in departments_without_plan(s, YEAR))


def test_submit_file_and_adjust_keep_history(demo_db: Database) -> None:
    plan_id, _other, item = _draft(demo_db)
    with demo_db.sessions() as s:
        with pytest.raises(PlanInputError, match="没有任何抽查事项行"):
            submit_plan(s, plan_id, "张三")
        row_id = add_row(s, plan_id, _row(item))
        with pytest.raises(PlanStateError, match="只有已报审"):
            file_plan(s, plan_id, "李四")
        assert submit_plan(s, plan_id, "张三", "年初报审") == 1
        with pytest.raises(PlanStateError, match="请使用“调整”"):
            update_row(s, plan_id, row_id, _row(item, planned_month=6))
        assert file_plan(s, plan_id, "李四", "司法局审核通过") == 2
        with pytest.raises(PlanStateError, match="请使用“调整”"):
            add_row(s, plan_id, _row(item))
        with pytest.raises(PlanStateError, match="请使用“调整”"):
            remove_row(s, plan_id, row_id)
        with pytest.raises(PlanInputError, match="调整原因不能为空"):
            adjust_plan(s, plan_id, [EditRow(row_id, _row(item, planned_month=6))], " ", "王五")
        filed = s.scalars(
            select(PlanRevision).where(PlanRevision.revision_no == 2, PlanRevision.plan_id == plan_id)
        ).one()
        filed_digest, filed_snapshot = filed.snapshot_sha256, dict(filed.snapshot)

        no = adjust_plan(
            s,
            plan_id,
            [EditRow(row_id, _row(item, planned_month=6)), AddRow(_row(item, ratio="", quantity=3))],
            "上级部署专项整治，提前检查",
            "王五",
        )
        assert no == 3
        plan = s.get(AnnualPlan, plan_id)
        assert plan is not None and plan.status == "已审核备案" and plan.current_revision == 3

    with demo_db.sessions() as s:
        revisions = plan_revisions(s, plan_id)
    assert [(r.revision_no, r.kind, r.changed_by) for r in revisions] == [
        (1, "报审", "张三"),
        (2, "备案", "李四"),
        (3, "调整", "王五"),
    ]
    assert revisions[2].reason == "上级部署专项整治，提前检查"
    assert revisions[1].sha256 == filed_digest and revisions[1].snapshot == filed_snapshot
    assert revisions[1].snapshot["rows"][0]["planned_month"] == 4
    assert revisions[2].snapshot["rows"][0]["planned_month"] == 6

    diff = compare_revisions(revisions[1].snapshot, revisions[2].snapshot)
    assert len(diff.added) == 1 and not diff.removed
    (changed,) = diff.changed
    assert [(c.label, c.before, c.after) for c in changed.changes] == [("计划月份", 4, 6)]

    with demo_db.sessions() as s:
        adjust_plan(s, plan_id, [RemoveRow(row_id)], "该事项本年度不再开展", "王五")
        latest = plan_revisions(s, plan_id)[-1]
    diff = compare_revisions(revisions[2].snapshot, latest.snapshot)
    assert len(diff.removed) == 1 and not diff.changed


def test_adjust_refused_on_draft_and_without_change(demo_db: Database) -> None:
    plan_id, _other, item = _draft(demo_db)
    with demo_db.sessions() as s:
        row_id = add_row(s, plan_id, _row(item))
        with pytest.raises(PlanStateError, match="无需调整"):
            adjust_plan(s, plan_id, [EditRow(row_id, _row(item, planned_month=6))], "原因", "王五")
        submit_plan(s, plan_id, "张三")
        with pytest.raises(PlanInputError, match="没有改变"):
            adjust_plan(s, plan_id, [EditRow(row_id, _row(item))], "原因", "王五")
        assert len(plan_revisions(s, plan_id)) == 1


def test_demo_plans_are_listed_as_filed(demo_db: Database) -> None:
    with demo_db.sessions() as s:
        lines = list_plans(s, DEMO_YEAR)
        assert len(lines) == 9 and {p.status for p in lines} == {"已审核备案"}
        first = lines[0]
        revisions = plan_revisions(s, first.plan_id)
        assert [r.kind for r in revisions] == ["报审", "备案"]
        row = plan_rows(s, first.plan_id)[0]
        changed = dataclasses.replace(row.as_input(), remarks="补充说明")
        adjust_plan(s, first.plan_id, [EditRow(row.row_id, changed)], "补充备注", "王五")
        latest = plan_revisions(s, first.plan_id)[-1]
    diff = compare_revisions(revisions[-1].snapshot, latest.snapshot)
    assert any("备注" in [c.label for c in r.changes] for r in diff.changed)
