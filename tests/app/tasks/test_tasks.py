"""Creating tasks: from a filed plan row (计划内) and ad hoc (专项, 联合抽查), and refusing bad definitions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.tasks import (
    DrawStateError,
    Exclusions,
    NotFoundError,
    PoolFilter,
    StrataBasis,
    StrataSpec,
    TaskSpec,
    TaskSpecError,
    create_adhoc_task,
    create_task_from_plan_row,
    plan_row_spec,
    task_definition,
    update_task,
    void_draw,
)
from db.enums import DeptRole, TaskStatus
from db.models import InspectionItem, PlanRow, TaskDepartment
from tests.app.tasks.conftest import dept_id, item_id, plan_row_id, run_draw, sj_task, sql_all


def test_a_plan_row_task_inherits_item_departments_scope_ratio_and_month(
    session: Session, demo_db: Database
) -> None:
    row_id = plan_row_id(session, "LH-002")  # joint: 市场监管 leads, 应急 and 环保 join
    row = session.get(PlanRow, row_id)
    assert row is not None and row.planned_month
    task = create_task_from_plan_row(session, row_id)

    assert task.code == "RW-2026-0001"
    assert not task.is_unplanned and task.plan_row_id == row_id
    assert task.status == TaskStatus.PENDING_DRAW
    assert task.year == 2026
    # The planned month becomes its last day: the 执法证 must cover the whole month.
    assert task.planned_date is not None
    assert (task.planned_date.year, task.planned_date.month) == (2026, row.planned_month)
    assert (task.planned_date + dt.timedelta(days=1)).day == 1
    assert task.strata == {"basis": "全部", "rules": {"全部": row.ratio}}
    assert task.pool_filter == PoolFilter.from_json(row.scope_filter).to_json()
    assert task.pool_filter["industries"] == ["成品油零售"]

    definition = task_definition(session, task.id)
    assert definition.item_ids == (row.item_id,)
    partners = sql_all(
        demo_db,
        "SELECT d.name FROM plan_row_department p JOIN department d ON d.id = p.department_id "
        "WHERE p.plan_row_id = :r ORDER BY d.sort_order",
        r=row_id,
    )
    assert [d.name for d in definition.departments] == [
        "示范县市场监督管理局",
        *[name for (name,) in partners],
    ]
    assert [d.role for d in definition.departments] == [DeptRole.LEAD, DeptRole.PARTNER, DeptRole.PARTNER]
    assert task.is_joint
    assert all(d.inspectors_per_object == 2 for d in definition.departments)


def test_task_codes_count_up_within_a_year(session: Session) -> None:
    first = sj_task(session)
    second = sj_task(session)
    codes = [task_definition(session, t).code for t in (first, second)]
    assert codes == ["RW-2026-0001", "RW-2026-0002"]
    other_year = create_adhoc_task(
        session,
        TaskSpec(
            title="明年的任务",
            item_ids=[item_id(session, "SJ-001")],
            lead_department_id=dept_id(session, "SJ"),
            planned_date=dt.date(2027, 4, 1),
        ),
    )
    assert other_year.code == "RW-2027-0001" and other_year.year == 2027


def test_an_adhoc_joint_task_keeps_items_departments_filter_strata_and_k(session: Session) -> None:
    spec = TaskSpec(
        title="校园周边食品安全专项检查",
        item_ids=[item_id(session, "SJ-004"), item_id(session, "JY-001")],
        lead_department_id=dept_id(session, "SJ"),
        partner_department_ids=[dept_id(session, "JY")],
        inspectors_per_object={dept_id(session, "SJ"): 2, dept_id(session, "JY"): 1},
        pool_filter=PoolFilter(towns=("城关镇",), risk_levels=("高", "中"), abnormal_list=False),
        exclusions=Exclusions(already_inspected=False, annual_cap_limit=3),
        strata=StrataSpec.build(StrataBasis.RISK, {"高": "0.2", "中": "0.05", "低": 0}),
        cap="none",
        planned_date=dt.date(2026, 9, 10),
    )
    task = create_adhoc_task(session, spec)
    assert task.is_unplanned and task.is_joint and task.plan_row_id is None
    assert task.pool_filter == {"towns": ["城关镇"], "risk_levels": ["高", "中"], "abnormal_list": False}
    assert task.exclusions["already_inspected"] is False and task.exclusions["annual_cap_limit"] == 3
    assert task.strata == {"basis": "风险等级", "rules": {"高": "0.2", "中": "0.05", "低": "#0"}}
    assert task.cap == "none"
    links = session.scalars(select(TaskDepartment).where(TaskDepartment.task_id == task.id)).all()
    assert {(link.department_id, link.role, link.inspectors_per_object) for link in links} == {
        (dept_id(session, "SJ"), DeptRole.LEAD, 2),
        (dept_id(session, "JY"), DeptRole.PARTNER, 1),
    }
    definition = task_definition(session, task.id)
    assert definition.item_ids == (item_id(session, "SJ-004"), item_id(session, "JY-001"))
    assert [label.split()[0] for label in definition.items] == ["SJ-004", "JY-001"]
    assert definition.pool_filter.directed


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"item_ids": []}, "至少要有一个抽查事项"),
        ({"title": "  "}, "任务名称不能为空"),
        ({"cap": "0"}, "auto"),
        ({"inspectors_per_object": 0}, "1 到 20"),
        ({"pool_filter": PoolFilter(risk_levels=("极高",))}, "风险等级无效"),
        ({"exclusions": Exclusions(annual_cap_limit=0)}, "年度抽中次数上限"),
    ],
)
def test_bad_definitions_are_refused_with_a_chinese_reason(
    session: Session, change: dict[str, object], fragment: str
) -> None:
    spec = TaskSpec(
        title="测试", item_ids=[item_id(session, "SJ-001")], lead_department_id=dept_id(session, "SJ")
    )
    with pytest.raises(TaskSpecError) as caught:
        create_adhoc_task(session, dataclasses.replace(spec, **change))  # type: ignore[arg-type]
    assert fragment in caught.value.message_zh


@pytest.mark.parametrize(
    ("basis", "rules", "fragment"),
    [
        ("风险等级", {"高": "0.1", "中": "0.05"}, "缺少分层 低"),
        ("全部", {"全部": "5%"}, "不能写百分号"),
        ("全部", {"全部": "1.5"}, "不能大于 1"),
        ("信用分类", {"A": 1, "B": 1, "C": 1, "E": 1}, "缺少分层 D"),
        ("行业", {"全部": 1}, "分层依据无效"),
    ],
)
def test_strata_rules_must_cover_exactly_the_basis_labels(basis: str, rules: dict, fragment: str) -> None:
    with pytest.raises(TaskSpecError) as caught:
        StrataSpec.build(basis, rules)
    assert fragment in caught.value.message_zh


def test_unknown_and_archived_items_are_refused(session: Session) -> None:
    spec = TaskSpec(title="测试", item_ids=[999_999], lead_department_id=dept_id(session, "SJ"))
    with pytest.raises(NotFoundError):
        create_adhoc_task(session, spec)
    item = session.get(InspectionItem, item_id(session, "SJ-002"))
    assert item is not None
    item.archived = True
    session.commit()
    with pytest.raises(TaskSpecError, match="已归档"):
        create_adhoc_task(session, dataclasses.replace(spec, item_ids=[item.id]))


def test_a_plan_row_spec_can_be_adjusted_before_creating_the_task(session: Session) -> None:
    row_id = plan_row_id(session, "SJ-004")
    spec = dataclasses.replace(
        plan_row_spec(session, row_id), planned_date=dt.date(2026, 6, 15), title="上半年"
    )
    task = create_task_from_plan_row(session, row_id, spec)
    assert task.planned_date == dt.date(2026, 6, 15) and task.title == "上半年"
    assert not task.is_unplanned


def test_a_task_can_be_edited_until_a_draw_stands(session: Session) -> None:
    task_id = sj_task(session)
    spec = TaskSpec(
        title="改过的任务",
        item_ids=[item_id(session, "SJ-001"), item_id(session, "SJ-002")],
        lead_department_id=dept_id(session, "SJ"),
        strata=StrataSpec.single(3),
        year=2026,
    )
    update_task(session, task_id, spec)
    assert task_definition(session, task_id).item_ids == (
        item_id(session, "SJ-001"),
        item_id(session, "SJ-002"),
    )

    done = run_draw(session, task_id)
    with pytest.raises(DrawStateError, match="不能修改"):
        update_task(session, task_id, dataclasses.replace(spec, title="再改"))
    void_draw(session, done.draw_id, "抽查范围有误")
    update_task(session, task_id, dataclasses.replace(spec, title="再改"))
    assert task_definition(session, task_id).title == "再改"
