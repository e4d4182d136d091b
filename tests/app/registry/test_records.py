"""新增/编辑/批量修改 of registry records: the importer's validation, duplicates named, nothing half-saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.database import Database
from app.registry.codes import make_uscc
from app.registry.records import RecordInvalid, bulk_update, record_values, save_record
from db.engine import transaction
from db.models import Entity, Inspector

GOOD_USCC = make_uscc("9", "1", "469099", "MA0TEXT1")


def _entity(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "uscc": GOOD_USCC,
        "name": "示范县测试粮油店",
        "kind": "企业",
        "address": "示范县城关镇人民路1号",
        "risk_level": "高",
        "department": "示范县市场监督管理局",
    }
    values.update(changes)
    return values


def test_a_new_entity_is_saved_with_its_department_and_found_by_search(demo_db: Database) -> None:
    with transaction(demo_db.sessions) as session:
        new_id, warnings = save_record(session, "entities", None, _entity())
    assert warnings == []
    with demo_db.sessions() as session:
        entity = session.get(Entity, new_id)
        assert entity is not None and entity.department is not None
        assert (entity.uscc, entity.risk_level, entity.department.name) == (
            GOOD_USCC,
            "高",
            "示范县市场监督管理局",
        )
    with demo_db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT id FROM entity_search WHERE instr(text, '测试粮油')")).scalar()
            == new_id
        )


def test_a_duplicate_code_is_refused_naming_the_existing_record(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        existing = session.scalars(select(Entity).where(Entity.uscc.is_not(None))).first()
        assert existing is not None
        code, name = existing.uscc, existing.name
    before = _count(demo_db)
    with pytest.raises(RecordInvalid) as caught, transaction(demo_db.sessions) as session:
        save_record(session, "entities", None, _entity(uscc=code))
    assert name in caught.value.message_zh and "不能重复" in caught.value.message_zh
    assert _count(demo_db) == before


def test_bad_fields_are_named_and_warnings_need_consent(demo_db: Database) -> None:
    with pytest.raises(RecordInvalid) as caught, transaction(demo_db.sessions) as session:
        save_record(session, "entities", None, _entity(name="", risk_level="很高", department="不存在的局"))
    fields = {i.field for i in caught.value.issues if i.severity == "error"}
    assert {"name", "risk_level", "department"} <= fields
    wrong_check = GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1")
    with pytest.raises(RecordInvalid) as warned, transaction(demo_db.sessions) as session:
        save_record(session, "entities", None, _entity(uscc=wrong_check))
    assert [i.severity for i in warned.value.issues] == ["warning"], "a failed check digit is only a warning"
    with transaction(demo_db.sessions) as session:
        new_id, warnings = save_record(
            session, "entities", None, _entity(uscc=wrong_check), accept_warnings=True
        )
    assert warnings and new_id


def test_editing_keeps_the_masked_id_number_and_changes_the_rest(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        entity_id = session.scalar(select(Entity.id).where(Entity.id_number != "").limit(1))
        assert entity_id is not None
        original = session.get(Entity, entity_id).id_number  # type: ignore[union-attr]
        values = record_values(session, "entities", entity_id)
    assert "*" in values["id_number"] and original not in values["id_number"]
    values["legal_rep"] = "欧阳新"
    with transaction(demo_db.sessions) as session:
        save_record(session, "entities", entity_id, values, accept_warnings=True)
    with demo_db.sessions() as session:
        entity = session.get(Entity, entity_id)
        assert entity is not None and entity.legal_rep == "欧阳新" and entity.id_number == original


def test_inspector_qualifications_and_generated_code(demo_db: Database) -> None:
    values = {"name": "新同志", "department": "示范县卫生健康委员会", "qualifications": "公共卫生、职业卫生"}
    with transaction(demo_db.sessions) as session:
        new_id, _ = save_record(session, "inspectors", None, values)
    with demo_db.sessions() as session:
        inspector = session.get(Inspector, new_id)
        assert inspector is not None
        assert inspector.code.startswith("RY") and sorted(q.tag for q in inspector.qualifications) == [
            "公共卫生",
            "职业卫生",
        ]


def test_bulk_update_sets_risk_for_many_rows_and_refuses_bad_values(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        ids = list(session.scalars(select(Entity.id).order_by(Entity.id).limit(300)))
        already_high = (
            session.scalar(select(func.count()).where(Entity.id.in_(ids), Entity.risk_level == "高")) or 0
        )
    with transaction(demo_db.sessions) as session:
        changed = bulk_update(session, "entities", ids, "risk_level", "高风险")
    assert changed == 300 - already_high
    with demo_db.sessions() as session:
        assert (
            session.scalar(select(func.count()).where(Entity.id.in_(ids), Entity.risk_level == "高")) == 300
        )
    with pytest.raises(RecordInvalid), transaction(demo_db.sessions) as session:
        bulk_update(session, "entities", ids, "risk_level", "特别高")
    with pytest.raises(RecordInvalid), transaction(demo_db.sessions) as session:
        bulk_update(session, "entities", ids, "uscc", "x")


def _count(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM entity")).scalar_one())
