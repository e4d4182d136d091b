"""The object pool: every exclusion counted as direct SQL says, strata sizes, ids for SJDRAW-1."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.database import Database
from app.tasks import (
    Exclusions,
    PoolError,
    PoolFilter,
    StrataBasis,
    StrataSpec,
    annual_cap_setting,
    create_task_from_plan_row,
    preview_draw,
    set_annual_cap_setting,
    task_definition,
    void_draw,
)
from app.tasks.pool import build_pool, exact_rate, percent_text, resolve_context
from db.models import Entity, PlanRow
from tests.app.tasks.conftest import item_id, plan_row_id, run_draw, sj_task, sql_all

FOOD = ("企业", "个体工商户"), ("食品销售",)  # SJ-004's 检查对象


def _drawn(database: Database, *, year: int, item: int | None = None) -> list[int]:
    """Entity ids in finished draws of ``year`` (of tasks covering ``item``), one per assignment."""
    sql = (
        "SELECT a.entity_id FROM assignment a JOIN draw d ON d.id = a.draw_id "
        "JOIN inspection_task t ON t.id = d.task_id WHERE d.status = '已完成' AND t.year = :year"
    )
    if item is not None:
        sql += " AND EXISTS (SELECT 1 FROM task_item ti WHERE ti.task_id = t.id AND ti.item_id = :item)"
    return [row[0] for row in sql_all(database, sql, year=year, item=item)]


def test_each_exclusion_is_counted_as_direct_sql_says(session: Session, demo_db: Database) -> None:
    food = item_id(session, "SJ-004")
    # Earlier draws of the year: the same item, another item over the same shops, a voided one, last year's.
    run_draw(session, sj_task(session, "SJ-004", "0.3"))
    run_draw(session, sj_task(session, "SJ-013", "0.5"))
    voided = run_draw(session, sj_task(session, "SJ-004", "0.5"))
    void_draw(session, voided.draw_id, "监督人未到场")
    run_draw(session, sj_task(session, "SJ-004", "0.5", year=2025))
    # Registry changes: some shops 注销/吊销, some archived.
    town = "白沙乡"
    shops = [
        row[0]
        for row in sql_all(
            demo_db,
            "SELECT id FROM entity WHERE town = :t AND reg_status = '存续' AND industry = '食品销售' ORDER BY id",
            t=town,
        )
    ]
    session.execute(update(Entity).where(Entity.id.in_(shops[:3])).values(reg_status="注销"))
    session.execute(update(Entity).where(Entity.id.in_(shops[3:5])).values(reg_status="吊销"))
    session.execute(update(Entity).where(Entity.id.in_(shops[5:9])).values(archived=True))
    session.commit()

    task_id = sj_task(
        session, "SJ-004", pool_filter=PoolFilter(towns=(town,)), exclusions=Exclusions(annual_cap_limit=1)
    )
    preview = preview_draw(session, task_id)

    rows = sql_all(
        demo_db, "SELECT id, reg_status, kind, industry FROM entity WHERE archived = 0 AND town = :t", t=town
    )
    inspected = set(_drawn(demo_db, year=2026, item=food))
    times = Counter(_drawn(demo_db, year=2026))
    left = [r for r in rows if r.reg_status == "存续"]
    deregistered = len(rows) - len(left)
    in_scope = [r for r in left if r.kind in FOOD[0] and r.industry in FOOD[1]]
    outside = len(left) - len(in_scope)
    fresh = [r for r in in_scope if r.id not in inspected]
    final = [r for r in fresh if times[r.id] < 1]

    counts = {e.key: e.count for e in preview.pool.exclusions}
    assert preview.pool.base_count == len(rows)
    assert counts == {
        "deregistered": deregistered,
        "outside_item": outside,
        "already_inspected": len(in_scope) - len(fresh),
        "annual_cap": len(fresh) - len(final),
    }
    assert all(counts.values()), "every exclusion removes someone in this scenario"
    assert preview.pool.pool_size == len(final)
    assert set(preview.entity_ids.values()) == {r.id for r in final}
    assert preview.pool.registry_size == len(sql_all(demo_db, "SELECT id FROM entity WHERE archived = 0"))
    # Objects drawn only in the voided draw or in last year's draw stay in the pool.
    only_elsewhere = set(_drawn_any_status(demo_db)) - set(times)
    assert only_elsewhere & {r.id for r in final}


def _drawn_any_status(database: Database) -> list[int]:
    return [row[0] for row in sql_all(database, "SELECT entity_id FROM assignment")]


def test_switched_off_exclusions_remove_nobody(session: Session, demo_db: Database) -> None:
    run_draw(session, sj_task(session, "SJ-004", "0.3"))
    off = Exclusions(deregistered=False, outside_item=False, already_inspected=False, annual_cap=False)
    task_id = sj_task(session, "SJ-004", pool_filter=PoolFilter(kinds=("企业",)), exclusions=off)
    pool = preview_draw(session, task_id).pool
    assert [(e.enabled, e.count) for e in pool.exclusions] == [(False, 0)] * 4
    expected = sql_all(demo_db, "SELECT count(*) FROM entity WHERE archived = 0 AND kind = '企业'")[0][0]
    assert pool.base_count == pool.pool_size == expected


def test_directed_filters_match_direct_sql(session: Session, demo_db: Database) -> None:
    filters = PoolFilter(
        kinds=("个体工商户",), towns=("城关镇", "西岭镇"), risk_levels=("高", "中"), credit_classes=("B", "C")
    )
    task_id = sj_task(session, "SJ-002", pool_filter=filters)
    pool = preview_draw(session, task_id).pool
    expected = sql_all(
        demo_db,
        "SELECT count(*) FROM entity WHERE archived = 0 AND kind = '个体工商户' AND town IN ('城关镇', '西岭镇') "
        "AND risk_level IN ('高', '中') AND credit_class IN ('B', 'C')",
    )[0][0]
    assert pool.base_count == expected > 0
    flagged = sj_task(session, "SJ-001", pool_filter=PoolFilter(abnormal_list=True))
    expected = sql_all(demo_db, "SELECT count(*) FROM entity WHERE archived = 0 AND abnormal_list = 1")[0][0]
    assert preview_draw(session, flagged).pool.base_count == expected > 0


def test_risk_strata_sizes_and_inclusion_rates(session: Session, demo_db: Database) -> None:
    rules: dict[str, str | int] = {"高": "0.2", "中": "0.05", "低": 3}
    task_id = sj_task(session, "SJ-002", strata=StrataSpec.build(StrataBasis.RISK, rules))
    preview = preview_draw(session, task_id)
    per_risk = dict(
        sql_all(
            demo_db,
            "SELECT risk_level, count(*) FROM entity WHERE archived = 0 AND reg_status = '存续' "
            "AND kind = '个体工商户' GROUP BY risk_level",
        )
    )
    summary = {s.label: s for s in preview.pool.strata}
    assert [s.label for s in preview.pool.strata] == ["高", "中", "低"]
    for label, rate in (("高", Fraction("0.2")), ("中", Fraction("0.05"))):
        n_pool = per_risk[label]
        assert (summary[label].pool_size, summary[label].sample_size) == (n_pool, math.ceil(rate * n_pool))
    assert (summary["低"].pool_size, summary["低"].sample_size) == (per_risk["低"], 3)
    assert preview.pool.sample_size == sum(s.sample_size for s in preview.pool.strata)
    assert {row[1] for row in preview.prepared.objects} == {"高", "中", "低"}
    assert preview.pool.inclusion_rate == exact_rate(preview.pool.sample_size, preview.pool.pool_size)


def test_exact_rates_and_percentages() -> None:
    assert exact_rate(25, 500) == Decimal("0.05")
    assert exact_rate(1, 8) == Decimal("0.125")
    assert exact_rate(1, 3) == Decimal("0.333333333333")
    assert exact_rate(0, 0) == Decimal(0)
    assert percent_text(exact_rate(25, 481)) == "5.20%"
    assert percent_text(Decimal("0.05")) == "5.00%"


def test_object_ids_are_the_credit_code_else_registry_code_else_entity_id(session: Session) -> None:
    task_id = sj_task(session, "SJ-002", exclusions=Exclusions(outside_item=False))
    shops = (
        session.query(Entity).filter(Entity.archived.is_(False), Entity.reg_status == "存续").limit(4).all()
    )
    a, b, c, d = shops
    a.uscc, a.reg_no = None, "469006600187440"
    b.uscc, b.reg_no = None, None
    c.uscc = d.uscc = None
    c.reg_no = d.reg_no = "469006600000001"  # entered twice: ids must not depend on row order
    session.commit()
    preview = preview_draw(session, task_id)
    ids = {entity_id: object_id for object_id, entity_id in preview.entity_ids.items()}
    assert ids[a.id] == "469006600187440"
    assert ids[b.id] == f"ENTITY-{b.id}"
    assert (ids[c.id], ids[d.id]) == (f"ENTITY-{c.id}", f"ENTITY-{d.id}")
    live = (
        session.query(Entity)
        .filter(Entity.uscc.is_not(None), Entity.archived.is_(False), Entity.reg_status == "存续")
        .first()
    )
    assert live is not None and ids[live.id] == live.uscc
    names = {row[0]: row[2] for row in preview.prepared.objects}
    assert names[ids[a.id]] == a.name


def test_an_object_without_a_valid_risk_level_stops_risk_strata(session: Session) -> None:
    task_id = sj_task(
        session, "SJ-001", strata=StrataSpec.build(StrataBasis.RISK, {"高": 1, "中": 1, "低": 1})
    )
    entity = session.query(Entity).filter(Entity.kind == "企业", Entity.reg_status == "存续").first()
    assert entity is not None
    entity.risk_level = ""
    session.commit()
    with pytest.raises(PoolError) as caught:
        preview_draw(session, task_id)
    assert "风险等级不是 高/中/低" in caught.value.message_zh and entity.name in caught.value.message_zh


def test_the_annual_cap_comes_from_task_then_plan_row_then_setting(session: Session) -> None:
    row_id = plan_row_id(session, "SJ-001")
    planned = create_task_from_plan_row(session, row_id)
    row = session.get(PlanRow, row_id)
    assert row is not None and row.frequency_cap == 1
    definition = task_definition(session, planned.id)
    assert resolve_context(session, definition).annual_cap_limit == 1
    row.frequency_cap = None
    session.commit()
    assert resolve_context(session, definition).annual_cap_limit == annual_cap_setting(session) == 2
    set_annual_cap_setting(session, 4)
    assert resolve_context(session, definition).annual_cap_limit == 4
    own = task_definition(session, sj_task(session, exclusions=Exclusions(annual_cap_limit=3)))
    assert resolve_context(session, own).annual_cap_limit == 3
    off = task_definition(session, sj_task(session, exclusions=Exclusions(annual_cap=False)))
    assert resolve_context(session, off).annual_cap_limit is None


def test_pool_building_reads_only_the_live_registry(session: Session, demo_db: Database) -> None:
    task_id = sj_task(session, "SJ-003", exclusions=Exclusions(outside_item=False, deregistered=False))
    definition = task_definition(session, task_id)
    before = build_pool(session, definition, resolve_context(session, definition))
    session.execute(update(Entity).where(Entity.id <= 100).values(archived=True))
    session.commit()
    after = build_pool(session, definition, resolve_context(session, definition))
    assert before.summary.base_count - after.summary.base_count == 100
    assert not any(entity_id <= 100 for entity_id in after.entity_ids.values())
