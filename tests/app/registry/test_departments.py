"""Departments as a settings table: add, rename, refuse duplicates and blanks, archive without losing links."""

from __future__ import annotations

import dataclasses

import pytest

from app.database import Database
from app.registry.departments import (
    DepartmentError,
    DepartmentRow,
    list_departments,
    save_department,
    set_department_archived,
)
from db.engine import transaction

NEW = DepartmentRow(None, "示范县水务局", "示水", "", False, "陈工", "0898-1234567")


def test_a_new_department_is_listed_with_its_counts(demo_db: Database) -> None:
    with transaction(demo_db.sessions) as session:
        new_id = save_department(session, NEW)
    with demo_db.sessions() as session:
        rows = list_departments(session)
    added = next(r for r in rows if r.id == new_id)
    assert (added.name, added.short_name, added.inspectors, added.code) == ("示范县水务局", "示水", 0, "D10")
    market = next(r for r in rows if r.name == "示范县市场监督管理局")
    assert market.inspectors == 24 and market.entities > 0 and market.items > 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": "  "}, "不能为空"),
        ({"name": "示范县教育局"}, "已有同名部门"),
        ({"short_name": "很" * 21}, "简称过长"),
    ],
)
def test_bad_departments_are_refused(demo_db: Database, change: dict[str, str], words: str) -> None:
    with pytest.raises(DepartmentError) as caught, transaction(demo_db.sessions) as session:
        save_department(session, dataclasses.replace(NEW, **change))
    assert words in caught.value.message_zh


def test_archiving_keeps_the_department_and_its_inspectors(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        health = next(r for r in list_departments(session) if r.name == "示范县卫生健康委员会")
    assert health.id is not None
    with transaction(demo_db.sessions) as session:
        set_department_archived(session, health.id, True)
    with demo_db.sessions() as session:
        live = [r.name for r in list_departments(session, include_archived=False)]
        everything = list_departments(session)
    assert "示范县卫生健康委员会" not in live
    archived = next(r for r in everything if r.id == health.id)
    assert archived.archived and archived.inspectors == health.inspectors
