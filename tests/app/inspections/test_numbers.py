"""文书编号 and 档案号: sequential per department and year, no gaps when a filing is rolled back."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inspections import (
    DOC_SERIES,
    DocumentNumberError,
    InspectionInputError,
    assign_doc_no,
    file_inspection,
    record_inspection,
)
from app.inspections import lifecycle as lifecycle_module
from app.inspections.numbers import next_serial
from app.settings import load_settings, save_settings
from db.models import Assignment, DocumentCounter, Inspection, InspectionTask
from tests.app.inspections.conftest import TODAY, complete_input, started_task
from tests.app.tasks.conftest import dept_id


def _file_all(session: Session, ids: list[int]) -> list[str]:
    numbers = []
    for inspection_id in ids:
        record_inspection(session, inspection_id, complete_input(session, inspection_id))
        numbers.append(file_inspection(session, inspection_id).numbers.doc_no)
    return numbers


def _counter(session: Session, department_id: int, year: int = TODAY.year) -> int | None:
    session.expire_all()
    return session.scalar(
        select(DocumentCounter.next_value).where(
            DocumentCounter.series == DOC_SERIES,
            DocumentCounter.year == year,
            DocumentCounter.department_id == department_id,
        )
    )


def test_doc_numbers_run_per_department_in_filing_order(session: Session) -> None:
    _sj_task, sj_ids = started_task(session, "SJ-001", count=3)
    _wj_task, wj_ids = started_task(session, "WJ-001", count=2, dept="WJ")
    year = TODAY.year

    # Filing order, not draw order, sets the serial: file the SJ forms back to front, the WJ ones between.
    sj_numbers = _file_all(session, sj_ids[::-1][:2])
    wj_numbers = _file_all(session, wj_ids)
    sj_numbers += _file_all(session, sj_ids[:1])

    assert sj_numbers == [f"〔{year}〕示市监检字第{n:04d}号" for n in (1, 2, 3)]
    assert wj_numbers == [f"〔{year}〕示卫健检字第{n:04d}号" for n in (1, 2)]
    assert _counter(session, dept_id(session, "SJ")) == 4
    assert _counter(session, dept_id(session, "WJ")) == 3


def test_the_archive_number_names_year_department_task_and_draw_order(session: Session) -> None:
    task_id, ids = started_task(session, "SJ-001", count=2)
    _file_all(session, ids)
    task = session.get(InspectionTask, task_id)
    assert task is not None
    rows = session.execute(
        select(Assignment.order_no, Inspection.archive_no)
        .join(Inspection, Inspection.assignment_id == Assignment.id)
        .where(Inspection.task_id == task_id)
        .order_by(Assignment.order_no)
    ).all()
    assert [archive for _order, archive in rows] == [
        f"{task.year}-示市监-{task.code}-{order:03d}" for order, _archive in rows
    ]


def test_each_year_has_its_own_series(session: Session) -> None:
    sj = dept_id(session, "SJ")
    assert [next_serial(session, DOC_SERIES, 2025, sj) for _ in range(3)] == [1, 2, 3]
    assert [next_serial(session, DOC_SERIES, 2026, sj) for _ in range(2)] == [1, 2]
    assert next_serial(session, DOC_SERIES, 2025, sj) == 4
    session.commit()
    assert (_counter(session, sj, 2025), _counter(session, sj, 2026)) == (5, 3)


def test_a_rolled_back_transaction_gives_its_number_back(session: Session) -> None:
    sj = dept_id(session, "SJ")
    assert next_serial(session, DOC_SERIES, 2030, sj) == 1
    session.commit()
    assert next_serial(session, DOC_SERIES, 2030, sj) == 2
    assert next_serial(session, DOC_SERIES, 2030, sj) == 3
    session.rollback()
    assert next_serial(session, DOC_SERIES, 2030, sj) == 2


def test_a_filing_that_fails_after_numbering_leaves_no_gap(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _task, ids = started_task(session, "SJ-001", count=2)
    for inspection_id in ids:
        record_inspection(session, inspection_id, complete_input(session, inspection_id))

    def power_cut(*_args: object) -> bool:
        raise OSError("断电")

    monkeypatch.setattr(lifecycle_module, "complete_task_if_done", power_cut)
    with pytest.raises(OSError):
        file_inspection(session, ids[0])
    monkeypatch.undo()

    session.expire_all()
    inspection = session.get(Inspection, ids[0])
    assert inspection is not None and inspection.status == "草稿" and inspection.doc_no is None
    assert _counter(session, dept_id(session, "SJ")) is None
    assert file_inspection(session, ids[1]).numbers.doc_no.endswith("第0001号")
    assert file_inspection(session, ids[0]).numbers.doc_no.endswith("第0002号")


def test_numbers_follow_the_pattern_setting_and_need_the_inspection_date(session: Session) -> None:
    _task, ids = started_task(session, "SJ-001", count=2)
    with pytest.raises(InspectionInputError) as caught:
        assign_doc_no(session, ids[0])
    assert "检查日期" in caught.value.message_zh

    save_settings(
        session,
        dataclasses.replace(load_settings(session), doc_no_pattern="{dept_short}检〔{year}〕{seq:03d}号"),
    )
    session.commit()
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    numbers = assign_doc_no(session, ids[0])
    assert numbers.doc_no == f"示市监检〔{TODAY.year}〕001号"
    assert file_inspection(session, ids[0]).numbers == numbers, "filing keeps the number given before"


def test_a_pattern_without_a_serial_is_refused_before_two_forms_share_a_number(session: Session) -> None:
    _task, ids = started_task(session, "SJ-001", count=2)
    save_settings(
        session, dataclasses.replace(load_settings(session), doc_no_pattern="〔{year}〕{dept_short}检字号")
    )
    session.commit()
    _file_all(session, ids[:1])
    record_inspection(session, ids[1], complete_input(session, ids[1]))
    with pytest.raises(DocumentNumberError) as caught:
        file_inspection(session, ids[1])
    assert "已被其他登记表使用" in caught.value.message_zh
    assert _counter(session, dept_id(session, "SJ")) == 2, "the refused filing took no number"
