"""The forms of a task printed from the database: what was drawn, recorded and filed is what is printed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.inspections import (
    FindingInput,
    file_inspection,
    inspection_detail,
    inspection_form_data,
    record_inspection,
    task_form_data,
    write_task_forms,
)
from db.models import Inspection
from tests.app.forms.pdf_tools import page_count, pdf_text, squeeze
from tests.app.inspections.conftest import TODAY, complete_input, started_task


def test_form_data_follows_the_draw_and_the_record(session: Session) -> None:
    task_id, ids = started_task(session, "SJ-001", count=3)
    entry = complete_input(
        session,
        ids[1],
        result="发现问题已责令改正",
        follow_up="责令改正",
        findings=(FindingInput(1, "年报逾期", "责令补报"),),
    )
    record_inspection(session, ids[1], entry)
    filed = file_inspection(session, ids[1])

    forms = task_form_data(session, task_id)

    assert [f.order for f in forms] == [1, 2, 3]
    for form, inspection_id in zip(forms, ids, strict=True):
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        assert (form.entity_name, form.address, form.phone) == (
            inspection.entity.name,
            inspection.entity.address,
            inspection.entity.phone,
        )
        detail = inspection_detail(session, inspection_id)
        assert [p.name for p in form.inspectors] == [i.name for i in detail.inspectors if i.present]
        assert all(p.cert_no for p in form.inspectors)
        assert [f.content for f in form.findings] == [f.content for f in detail.findings]
    assert forms[1].doc_no == filed.numbers.doc_no and forms[1].archive_no == filed.numbers.archive_no
    assert forms[1].findings[0].problem == "年报逾期" and forms[1].inspection_date == TODAY
    assert forms[0].doc_no == "" and forms[0].result == ""
    assert forms[0].basis == "《企业信息公示暂行条例》第十四条"
    assert inspection_form_data(session, ids[2]) == forms[2]


def test_a_whole_task_prints_into_one_pdf(session: Session, tmp_path: Path) -> None:
    task_id, ids = started_task(session, "SJ-001", count=3)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    filed = file_inspection(session, ids[0])

    blank = write_task_forms(session, task_id, tmp_path / "blank.pdf", blank=True)
    filled = write_task_forms(session, task_id, tmp_path / "filled.pdf", blank=False)

    forms = task_form_data(session, task_id)
    blank_text, filled_text = squeeze(pdf_text(blank)), squeeze(pdf_text(filled))
    for form in forms:
        assert squeeze(form.entity_name) in blank_text and squeeze(form.entity_name) in filled_text
    assert blank_text.count("执法检查登记表") == 3 and page_count(blank) >= 3
    assert filed.numbers.doc_no in filled_text and filed.numbers.archive_no in filled_text
