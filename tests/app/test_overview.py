"""首页 figures against direct SQL over the same database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from app.database import Database
from app.overview import load_overview


def _scalar(database: Database, sql: str) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def test_overview_counts_match_the_tables(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        overview = load_overview(session, today=dt.date(2026, 5, 10))
    c = overview.counts
    assert c.entities == _scalar(demo_db, "SELECT count(*) FROM entity WHERE archived = 0")
    assert c.entities_active == _scalar(demo_db, "SELECT count(*) FROM entity WHERE reg_status = '存续'")
    assert c.entities_abnormal == _scalar(
        demo_db, "SELECT count(*) FROM entity WHERE abnormal_list = 1 OR serious_illegal = 1"
    )
    assert c.inspectors_cert_expired == _scalar(
        demo_db, "SELECT count(*) FROM inspector WHERE status = '在岗' AND cert_valid_until < '2026-05-10'"
    )
    assert c.joint_items == _scalar(demo_db, "SELECT count(*) FROM inspection_item WHERE list_kind = '联合'")
    assert len(overview.plans) == _scalar(demo_db, "SELECT count(*) FROM annual_plan WHERE year = 2026")
    assert sum(p.planned_objects for p in overview.plans) == _scalar(
        demo_db, "SELECT sum(planned_count) FROM plan_row"
    )
    assert len(overview.this_month) == _scalar(
        demo_db, "SELECT count(*) FROM plan_row WHERE planned_month = 5"
    )


def test_a_year_without_plans_shows_none(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        overview = load_overview(session, today=dt.date(2030, 1, 1))
    assert overview.plans == [] and overview.this_month == []
