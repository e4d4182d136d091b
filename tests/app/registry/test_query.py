"""Registry listing on the demo county: search, filters, sorting, archive — checked against direct SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text, update

from app.database import Database
from app.registry import query as rq
from app.registry.service import set_archived
from db.engine import transaction
from db.models import Entity, Inspector


def _sql_ids(database: Database, sql: str, **params: object) -> list[int]:
    with database.engine.connect() as conn:
        return [row[0] for row in conn.execute(text(sql), params)]


def _ids(database: Database, view: rq.RegistryView, **kwargs: object) -> list[int]:
    with database.sessions() as session:
        return rq.matching_ids(session, view, rq.RegistryQuery(**kwargs))  # type: ignore[arg-type]


def test_default_listing_is_every_live_entity_by_name(demo_db: Database) -> None:
    ids = _ids(demo_db, rq.ENTITIES, sort_key="name")
    assert ids == _sql_ids(demo_db, "SELECT id FROM entity WHERE archived = 0 ORDER BY name, id")


def test_two_character_chinese_search_finds_every_substring_hit(demo_db: Database) -> None:
    expected = _sql_ids(
        demo_db,
        "SELECT id FROM entity WHERE archived = 0 AND (name LIKE '%粮油%' OR address LIKE '%粮油%' "
        "OR legal_rep LIKE '%粮油%') ORDER BY name, id",
    )
    assert expected, "the demo county has 粮油 shops"
    assert _ids(demo_db, rq.ENTITIES, text="粮油", sort_key="name") == expected


def test_search_by_part_of_a_code_ignores_letter_case(demo_db: Database) -> None:
    code = _sql_ids(demo_db, "SELECT id FROM entity WHERE uscc IS NOT NULL ORDER BY id LIMIT 1")[0]
    with demo_db.engine.connect() as conn:
        uscc = conn.execute(text("SELECT uscc FROM entity WHERE id = :i"), {"i": code}).scalar_one()
    assert _ids(demo_db, rq.ENTITIES, text=uscc[6:14].lower()) == [code]


def test_several_words_must_all_match(demo_db: Database) -> None:
    both = _ids(demo_db, rq.ENTITIES, text="城关镇 小吃店")
    assert both
    assert set(both) <= set(_ids(demo_db, rq.ENTITIES, text="城关镇"))
    assert set(both) <= set(_ids(demo_db, rq.ENTITIES, text="小吃店"))


def test_search_follows_edits_made_after_the_import(demo_db: Database) -> None:
    with transaction(demo_db.sessions) as session:
        session.execute(update(Entity).where(Entity.id == 7).values(legal_rep="欧阳修文"))
    assert _ids(demo_db, rq.ENTITIES, text="欧阳修文") == [7]


def test_filters_combine_within_and_across_columns(demo_db: Database) -> None:
    got = _ids(
        demo_db,
        rq.ENTITIES,
        filters={"town": ("城关镇", "东湖镇"), "risk_level": ("高",)},
        sort_key="name",
    )
    expected = _sql_ids(
        demo_db,
        "SELECT id FROM entity WHERE archived = 0 AND town IN ('城关镇', '东湖镇') AND risk_level = '高' "
        "ORDER BY name, id",
    )
    assert got == expected and got


def test_flag_filter_and_department_filter(demo_db: Database) -> None:
    abnormal = _ids(demo_db, rq.ENTITIES, filters={"flags": ("经营异常名录",)})
    assert sorted(abnormal) == _sql_ids(demo_db, "SELECT id FROM entity WHERE abnormal_list = 1 ORDER BY id")
    health = _ids(demo_db, rq.ENTITIES, filters={"department": ("示范县卫生健康委员会",)})
    assert sorted(health) == _sql_ids(
        demo_db,
        "SELECT e.id FROM entity e JOIN department d ON d.id = e.department_id "
        "WHERE d.name = '示范县卫生健康委员会' ORDER BY e.id",
    )


def test_descending_sort_reverses_the_order(demo_db: Database) -> None:
    up = _ids(demo_db, rq.ENTITIES, sort_key="risk_level")
    down = _ids(demo_db, rq.ENTITIES, sort_key="risk_level", descending=True)
    assert down == list(reversed(up))


def test_archived_rows_leave_the_registry_and_come_back(demo_db: Database) -> None:
    with transaction(demo_db.sessions) as session:
        assert set_archived(session, "entities", [1, 2, 3], archived=True) == 3
        assert set_archived(session, "entities", [1, 2, 3], archived=True) == 0, "already archived"
    live = _ids(demo_db, rq.ENTITIES)
    assert not {1, 2, 3} & set(live)
    assert sorted(_ids(demo_db, rq.ENTITIES, archived=True)) == [1, 2, 3]
    with transaction(demo_db.sessions) as session:
        set_archived(session, "entities", [2], archived=False)
    assert sorted(_ids(demo_db, rq.ENTITIES, archived=True)) == [1, 3]


def test_fetch_rows_gives_the_display_values(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        entity = session.get(Entity, 5)
        assert entity is not None
        row = rq.fetch_rows(session, rq.ENTITIES, [5])[5]
        department = entity.department.name if entity.department else ""
    names = [c.key for c in rq.ENTITIES.columns]
    assert row[names.index("name")] == entity.name
    assert row[names.index("code")] == (entity.uscc or entity.reg_no)
    assert row[names.index("department")] == department != ""


def test_inspector_certificate_states(demo_db: Database) -> None:
    today = dt.date.today()
    with transaction(demo_db.sessions) as session:
        session.execute(
            update(Inspector).where(Inspector.id == 1).values(cert_valid_until=today - dt.timedelta(days=1))
        )
        session.execute(
            update(Inspector).where(Inspector.id == 2).values(cert_valid_until=today + dt.timedelta(days=30))
        )
        session.execute(update(Inspector).where(Inspector.id == 3).values(cert_no=None))
    expired = _ids(demo_db, rq.INSPECTORS, filters={"cert_state": ("已过期",)})
    soon = _ids(demo_db, rq.INSPECTORS, filters={"cert_state": ("将到期",)})
    none = _ids(demo_db, rq.INSPECTORS, filters={"cert_state": ("无执法证",)})
    assert 1 in expired and 2 in soon and none == [3]
    assert 2 not in expired and 1 not in soon


def test_inspectors_by_qualification_and_items_by_list(demo_db: Database) -> None:
    food = _ids(demo_db, rq.INSPECTORS, filters={"tag": ("食品安全",)})
    assert sorted(food) == _sql_ids(
        demo_db,
        "SELECT inspector_id FROM inspector_qualification WHERE tag = '食品安全' ORDER BY inspector_id",
    )
    joint = _ids(demo_db, rq.ITEMS, filters={"list_kind": ("联合",)})
    assert sorted(joint) == _sql_ids(
        demo_db, "SELECT id FROM inspection_item WHERE list_kind = '联合' ORDER BY id"
    )
    with demo_db.sessions() as session:
        assert rq.filter_values(session, rq.ITEMS, "list_kind") == ["部门", "联合"]
        assert "城关镇" in rq.filter_values(session, rq.ENTITIES, "town")
