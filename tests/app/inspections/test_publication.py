"""公示: rows without personal data, recorded only for a finished task, with its working-day deadline."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inspections import (
    PUBLICATION_HEADERS,
    PublicationError,
    file_inspection,
    publication_rows,
    publication_title,
    publish_task,
    record_inspection,
)
from app.inspections.publication import public_code, public_name
from app.registry.codes import make_id_number
from app.workdays import load_work_calendar
from db.enums import EntityKind, TaskStatus
from db.models import (
    Entity,
    Inspection,
    InspectionInspector,
    InspectionTask,
    Inspector,
    Publication,
)
from tests.app.inspections.conftest import TODAY, complete_input, started_task

ITEM_NAME = "个体工商户公示信息的抽查"  # SJ-002 of the demo list


def _finished(session: Session, item_code: str = "SJ-002", count: int = 4) -> tuple[int, list[int]]:
    task_id, ids = started_task(session, item_code, count=count)
    for inspection_id in ids:
        record_inspection(session, inspection_id, complete_input(session, inspection_id))
        file_inspection(session, inspection_id)
    return task_id, ids


def test_rows_of_individual_businesses_carry_no_id_number_phone_or_personal_name(session: Session) -> None:
    task_id, ids = _finished(session, "SJ-002", count=6)
    entities = [session.get(Inspection, i).entity for i in ids]  # type: ignore[union-attr]
    assert all(e.kind == EntityKind.INDIVIDUAL.value and e.id_number and e.phone for e in entities)
    people = session.scalars(
        select(Inspector).join(InspectionInspector).where(InspectionInspector.inspection_id.in_(ids))
    ).all()

    rows = publication_rows(session, task_id)

    assert len(rows) == 6
    text = "\n".join("|".join(row.cells()) for row in rows)
    for entity in entities:
        assert entity.id_number not in text and entity.id_number[-8:] not in text
        assert entity.phone not in text
        assert entity.legal_rep not in text
    for person in people:
        assert person.name not in text and (person.cert_no or "#") not in text and person.phone not in text
    first = rows[0]
    assert first.items == ITEM_NAME
    assert first.inspection_date == TODAY and first.result == "未发现问题"
    assert first.authority == "示范县市场监督管理局"
    assert [r.code for r in rows] == [public_code(e) for e in entities]
    assert PUBLICATION_HEADERS == (
        "对象名称",
        "统一社会信用代码",
        "抽查事项",
        "检查日期",
        "检查结果",
        "检查机关",
    )


def test_an_operators_name_inside_the_business_name_is_masked() -> None:
    shop = Entity(name="示范县城关镇王建国小吃店", kind=EntityKind.INDIVIDUAL.value, legal_rep="王建国")
    assert public_name(shop) == "示范县城关镇王**小吃店"
    company = Entity(name="示范县王建国科技有限公司", kind=EntityKind.ENTERPRISE.value, legal_rep="王建国")
    assert public_name(company) == "示范县王建国科技有限公司", "a company's registered name is public"
    typed = Entity(name="李四烧烤 13876543210", kind=EntityKind.INDIVIDUAL.value, legal_rep="")
    assert "13876543210" not in public_name(typed)


def test_a_code_that_is_really_an_id_number_is_masked() -> None:
    id_number = make_id_number("469006", dt.date(1990, 1, 1), 123)
    keyed_by_id = Entity(
        name="某某摊点", kind=EntityKind.INDIVIDUAL.value, reg_no=id_number, id_number=id_number
    )
    assert public_code(keyed_by_id) == id_number[:6] + "********" + id_number[-4:]
    normal = Entity(name="某公司", kind=EntityKind.ENTERPRISE.value, uscc="91469006MA5T8RXX2K")
    assert public_code(normal) == "91469006MA5T8RXX2K"


def test_drafts_are_not_published(session: Session) -> None:
    task_id, ids = started_task(session, "SJ-001", count=2)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    file_inspection(session, ids[0])
    assert len(publication_rows(session, task_id)) == 1


def test_publishing_is_refused_until_the_task_is_finished_then_recorded_once(
    session: Session, tmp_path: Path
) -> None:
    task_id, ids = started_task(session, "SJ-001", count=2)
    with pytest.raises(PublicationError) as caught:
        publish_task(session, task_id, TODAY, "门户网站")
    assert "检查中" in caught.value.message_zh
    for inspection_id in ids:
        record_inspection(session, inspection_id, complete_input(session, inspection_id))
        file_inspection(session, inspection_id)
    with pytest.raises(PublicationError):
        publish_task(session, task_id, TODAY, "  ")
    with pytest.raises(PublicationError):
        publish_task(session, task_id, TODAY + dt.timedelta(days=1), "门户网站")
    published = tmp_path / "公示.xlsx"
    published.write_bytes(b"exported file")

    info = publish_task(session, task_id, TODAY, "国家企业信用信息公示系统", published_file=published)

    task = session.get(InspectionTask, task_id)
    assert task is not None and task.status == TaskStatus.PUBLISHED.value
    row = session.scalars(select(Publication).where(Publication.task_id == task_id)).one()
    assert (row.published_on, row.channel, row.file_name) == (TODAY, "国家企业信用信息公示系统", "公示.xlsx")
    assert row.file_sha256 == hashlib.sha256(b"exported file").hexdigest()
    assert (
        row.deadline == load_work_calendar(session).add_workdays(TODAY, 7) and info.deadline == row.deadline
    )
    assert not info.overdue
    with pytest.raises(PublicationError) as again:
        publish_task(session, task_id, TODAY, "门户网站")
    assert "已公示" in again.value.message_zh
    assert "抽查结果公示" in publication_title(session, task_id)
