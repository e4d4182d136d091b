"""Departments as a settings table: add, rename, refuse duplicates and blanks, archive without losing links."""

from __future__ import annotations

import dataclasses
import re

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
    assert (added.name, added.short_name, added.inspectors) == ("示范县水务局", "示水", 0)
    assert re.fullmatch(r"D[0-9A-F]{6}", added.code)
    market = next(r for r in rows if r.name == "示范县市场监督管理局")
    assert market.inspectors == 24 and market.entities > 0 and market.items > 0


def test_a_department_gets_the_same_code_on_every_pc_and_another_department_another(
    demo_db: Database, empty_db: Database
) -> None:
    """The 司法局 tells 数据包 senders apart by 部门编号: two PCs that add 示范县水务局 agree on its code; a
    running number would have given every PC's first department of its own the same one."""
    codes = {}
    for database, names in ((demo_db, ["示范县水务局"]), (empty_db, ["示范县 水务局", "示范县林业局"])):
        for name in names:
            with transaction(database.sessions) as session:
                new_id = save_department(session, dataclasses.replace(NEW, name=name))
            with database.sessions() as session:
                codes[name] = next(r.code for r in list_departments(session) if r.id == new_id)
    assert codes["示范县水务局"] == codes["示范县 水务局"] != codes["示范县林业局"]


def test_a_code_can_be_set_but_not_to_one_in_use_or_malformed(demo_db: Database) -> None:
    with transaction(demo_db.sessions) as session:
        new_id = save_department(session, dataclasses.replace(NEW, code=" sw-1 "))
    with demo_db.sessions() as session:
        added = next(r for r in list_departments(session) if r.id == new_id)
    assert added.code == "SW-1"
    for code, words in (
        ("SJ", "已由“示范县市场监督管理局”使用"),
        ("水务", "只能由字母、数字"),
        ("X" * 31, "最多 30 位"),
    ):
        with pytest.raises(DepartmentError) as caught, transaction(demo_db.sessions) as session:
            save_department(session, dataclasses.replace(added, code=code))
        assert words in caught.value.message_zh
    with transaction(demo_db.sessions) as session:  # left blank when editing: the code stays
        save_department(session, dataclasses.replace(added, code="", contact_person="李工"))
    with demo_db.sessions() as session:
        assert next(r for r in list_departments(session) if r.id == new_id).code == "SW-1"


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
