"""The facts of the hand-built county: what a period's collection holds, its JSON round trip, merging."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.reports import Facts, FactsFormatError, Period, ReportInputError, collect_facts, merge_facts
from app.reports.facts import FACTS_VERSION, task_span
from tests.app.reports.conftest import AS_OF, H1, County, facts_for

D = dt.date


def label(entity_key: str) -> str:
    """``e7`` for the county's seventh object (its code ends in its number)."""
    return f"e{int(entity_key.split('|')[0][-6:])}"


def codes_of(facts: Facts) -> list[str]:
    return [t.code for t in facts.tasks]


def test_departments_carry_registry_sizes_and_no_archived_department(h1: Facts) -> None:
    sizes = {d.code: (d.entity_count, d.inspector_count, d.certified_inspector_count) for d in h1.departments}
    # SJ: 6 live objects (the 13th is archived); 3 on duty, one 执法证 expired on 2026-06-30, one without.
    # HB: the transferred (调离) inspector is not counted.
    assert sizes == {"SJ": (6, 3, 1), "WJ": (3, 2, 2), "HB": (3, 1, 1), "JY": (0, 0, 0)}
    sj = h1.department_by_code["SJ"]
    assert (sj.name, sj.contact_person, sj.is_market_regulation) == ("示范县市场监督管理局", "张敏", True)
    assert not h1.department_by_code["WJ"].is_market_regulation


def test_items_are_the_live_items_with_stable_keys(h1: Facts) -> None:
    assert [(i.key, i.list_kind, i.partner_codes) for i in h1.items] == [
        ("HB/HB-001", "部门", ()),
        ("SJ/LH-001", "联合", ("WJ",)),
        ("SJ/SJ-001", "部门", ()),
        ("SJ/SJ-002", "部门", ()),
        ("WJ/WJ-001", "部门", ()),
    ]


def test_plans_by_year_with_their_rows(h1: Facts) -> None:
    assert [(p.department_code, p.year, p.status, len(p.rows)) for p in h1.plans] == [
        ("HB", 2026, "草稿", 1),
        ("SJ", 2026, "已审核备案", 3),
        ("WJ", 2026, "已报审", 1),
    ]
    sj = next(p for p in h1.plans if p.department_code == "SJ")
    assert sj.filed_on == D(2026, 3, 1)
    joint = sj.rows[2]
    assert (joint.key, joint.item_key, joint.joint_department_codes) == ("SJ/2026/3", "SJ/LH-001", ("WJ",))
    assert joint.joint_departments == "示范县卫生健康委员会" and joint.ratio_or_quantity == "5%"
    assert sj.rows[1].ratio_or_quantity == "3户"
    assert [p.year for p in facts_for_year(h1, 2025)] == []


def facts_for_year(facts: Facts, year: int) -> list[Any]:
    return [p for p in facts.plans if p.year == year]


def test_the_2025_plan_belongs_to_a_2025_period(session: Session) -> None:
    facts = facts_for(session, Period.year(2025))
    assert [(p.department_code, p.year) for p in facts.plans] == [("SJ", 2025)]


def test_tasks_in_the_first_half_year(h1: Facts) -> None:
    # T3 was drawn on 1 July (its voided attempt of 20 June does not count), T5 is planned for 31 December,
    # T6 (2025) was drawn, inspected and finished in 2025: none of them is in the period.
    assert codes_of(h1) == ["RW-2026-0001", "RW-2026-0002", "RW-2026-0004", "RW-2026-0006"]
    t2 = h1.task_by_key["SJ/RW-2026-0002"]
    assert [(d.code, d.role) for d in t2.departments] == [("SJ", "发起"), ("WJ", "配合")]
    assert (t2.is_joint, t2.is_unplanned, t2.plan_row_key, t2.item_keys) == (
        True,
        False,
        "SJ/2026/3",
        ("SJ/LH-001",),
    )
    t7 = h1.task_by_key["HB/RW-2026-0006"]
    assert [d.code for d in t7.departments] == ["HB", "SJ", "WJ"]  # lead first, then the county's order
    assert h1.span_of(t7) == (D(2026, 6, 1), D(2026, 12, 31))  # open: to the end of its year
    assert h1.span_of(h1.task_by_key["SJ/RW-2026-0001"]) == (D(2026, 3, 2), D(2026, 3, 15))


def test_draws_objects_inspections_and_publications(h1: Facts, county: County) -> None:
    draws = {d.task_key: d for d in h1.draws}
    assert set(draws) == {"SJ/RW-2026-0001", "SJ/RW-2026-0002", "WJ/RW-2026-0004", "HB/RW-2026-0006"}
    t1 = draws["SJ/RW-2026-0001"]
    assert t1.drawn_on == D(2026, 3, 2) and t1.draw_uid.startswith("SJD-20260302-")
    assert [h1.entity_by_key[e].name for e in t1.entity_keys] == [
        f"示范县第{n}号商贸有限公司" for n in (1, 2, 3)
    ]
    assert t1.entity_keys[0] == "91469000MA5T000001|示范县第1号商贸有限公司"
    # Only forms with a 检查日期: T7's blank draft of e12 is not collected; dated drafts are, unfiled.
    by_key = {(i.task_key, label(i.entity_key)): i for i in h1.inspections}
    assert len(h1.inspections) == 9
    assert ("HB/RW-2026-0006", "e12") not in by_key
    assert not by_key[("HB/RW-2026-0006", "e11")].filed and by_key[("HB/RW-2026-0006", "e10")].filed
    e2 = by_key[("SJ/RW-2026-0001", "e2")]
    assert e2.local_id == county.inspection[("T1", "e2")]
    assert [(f.problem, f.handling) for f in e2.findings] == [
        ("未在显著位置公示食品经营许可证", "当场责令改正")
    ]
    assert by_key[("SJ/RW-2026-0001", "e1")].findings == ()  # nothing written: not carried
    assert [(p.task_key, p.published_on, p.on_time) for p in h1.publications] == [
        ("SJ/RW-2026-0001", D(2026, 3, 20), True),
        ("SJ/RW-2026-0002", D(2026, 7, 15), False),
    ]


def test_a_second_half_year_holds_the_july_draw_and_not_the_finished_tasks(session: Session) -> None:
    facts = facts_for(session, Period.half(2026, 2))
    assert codes_of(facts) == ["RW-2026-0003", "RW-2026-0004", "RW-2026-0005", "RW-2026-0006"]
    t3 = facts.draw_by_task["SJ/RW-2026-0003"]
    assert t3.attempt_no == 2 and t3.drawn_on == D(2026, 7, 1)  # the voided first attempt is left out


def test_a_2025_task_inspected_in_the_period_comes_with_its_inspections(session: Session) -> None:
    facts = facts_for(session, Period.between(D(2025, 12, 31), D(2025, 12, 31)))
    assert codes_of(facts) == ["RW-2025-0001"]
    assert [i.inspection_date for i in facts.inspections] == [D(2025, 12, 31)]


def test_chosen_departments_get_the_tasks_they_lead_or_partner(session: Session) -> None:
    facts = facts_for(session, codes=["WJ"])
    assert [d.code for d in facts.departments] == ["WJ"]
    assert codes_of(facts) == ["RW-2026-0002", "RW-2026-0004", "RW-2026-0006"]
    assert [p.department_code for p in facts.plans] == ["WJ"]
    assert {i.key for i in facts.items} == {"WJ/WJ-001", "SJ/LH-001"}


def test_unknown_or_no_departments_are_refused(session: Session) -> None:
    with pytest.raises(ReportInputError, match="部门不存在（编号 999）"):
        collect_facts(session, H1, [999])
    with pytest.raises(ReportInputError, match="请至少选择一个部门"):
        collect_facts(session, H1, [])


def test_task_span_rules(h1: Facts) -> None:
    task = h1.task_by_key["SJ/RW-2026-0001"]
    pending = dataclasses.replace(task, status="待抽取", start_date=None, end_date=None)
    assert task_span(pending, None) == (D(2026, 3, 31), D(2026, 12, 31))  # planned date, open to year end
    bare = dataclasses.replace(pending, planned_date=None)
    assert task_span(bare, None) == (D(2026, 1, 1), D(2026, 12, 31))
    assert task_span(task, D(2026, 3, 12)) == (D(2026, 3, 10), D(2026, 3, 15))  # earlier of draw and start


# --- JSON ------------------------------------------------------------------------------------------------


def test_json_round_trip_is_exact(h1: Facts) -> None:
    text = json.dumps(h1.to_json_dict(), ensure_ascii=False)
    data = json.loads(text)
    assert data["format"] == "shuangsuiji-report-facts" and data["version"] == FACTS_VERSION
    assert data["period"] == {"start": "2026-01-01", "end": "2026-06-30", "label": "2026年上半年"}
    assert data["as_of"] == "2026-07-20"
    again = Facts.from_json_dict(data)
    assert again == h1
    assert again.tasks[0].departments[0] == h1.tasks[0].departments[0]


def test_received_facts_carry_no_local_ids(h1: Facts) -> None:
    received = h1.as_received()
    data = received.to_json_dict()
    assert "local_id" not in json.dumps(h1.to_json_dict(local_ids=False))
    assert all(t.local_id is None for t in received.tasks) and all(
        i.local_id is None for i in received.inspections
    )
    assert all(p.local_id is None and all(r.local_id is None for r in p.rows) for p in received.plans)
    assert received != h1 and Facts.from_json_dict(data) == received
    assert received.tasks[0].key == h1.tasks[0].key


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "不是本程序的统计数据"),
        (lambda d: d.update(version=FACTS_VERSION + 1), "不受本程序支持"),
        (lambda d: d["tasks"][0].update(year="2026"), "facts.tasks[0].year 应为整数"),
        (lambda d: d["inspections"][0].update(inspection_date="2026-02-30"), "不是日期"),
        (lambda d: d["draws"][0].pop("draw_uid"), "缺少 facts.draws[0].draw_uid"),
        (lambda d: d["departments"][0].update(is_market_regulation=1), "应为是/否"),
        (lambda d: d.update(tasks={}), "facts.tasks 应为列表"),
    ],
)
def test_damaged_or_foreign_facts_are_refused(h1: Facts, change: Any, message: str) -> None:
    data = h1.to_json_dict()
    change(data)
    with pytest.raises(FactsFormatError) as caught:
        Facts.from_json_dict(data)
    assert message in caught.value.message_zh
    with pytest.raises(FactsFormatError, match="应为 JSON 对象"):
        Facts.from_json_dict([])


def test_merging_departments_facts_gives_the_county(session: Session, h1: Facts) -> None:
    parts = [facts_for(session, codes=c).as_received() for c in (["SJ"], ["WJ"], ["HB", "JY"])]
    merged = merge_facts(*parts)
    # A joint task reported by its lead and by partners is kept once.
    assert codes_of(merged) == codes_of(h1)
    assert merged == h1.as_received()
    assert merge_facts(*parts, *parts) == merged  # a package received twice changes nothing


def test_facts_of_different_periods_do_not_merge(session: Session, h1: Facts) -> None:
    other = collect_facts(session, Period.year(2026), as_of=AS_OF)
    with pytest.raises(FactsFormatError, match="统计期间不一致"):
        merge_facts(h1, other)
