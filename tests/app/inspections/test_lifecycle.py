"""A task's inspections on the demo county: forms from the finished draw, recorded, filed, the task finished."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.inspections import (
    FiledInspectionError,
    FindingInput,
    IncompleteInspectionError,
    InspectionInput,
    InspectionInputError,
    InspectionStateError,
    InspectorNotAssignedError,
    assign_doc_no,
    file_inspection,
    inspection_detail,
    record_inspection,
    start_inspections,
    task_inspections,
)
from app.tasks import WitnessInput, draw_assignments, replace_inspector
from db.enums import InspectionStatus, TaskStatus
from db.models import (
    ChecklistRow,
    Draw,
    Inspection,
    InspectionFinding,
    InspectionInspector,
    InspectionItem,
    InspectionTask,
    Inspector,
)
from tests.app.inspections.conftest import TODAY, complete_input, drawn_task, started_task
from tests.app.tasks.conftest import dept_id, sj_task
from tests.tamper import drop_protection, edit

FRESH = WitnessInput("陈志强", "政协委员", (9, 2, 6))


def _draw_id(session: Session, task_id: int) -> int:
    return session.scalars(select(Draw.id).where(Draw.task_id == task_id, Draw.status == "已完成")).one()


def test_starting_makes_one_draft_per_drawn_object_with_the_checklist_and_assigned_inspectors(
    session: Session,
) -> None:
    task_id = drawn_task(session, "SJ-001", count=4)
    drawn = draw_assignments(session, _draw_id(session, task_id))

    started = start_inspections(session, task_id)

    assert started.created == 4 and len(started.inspection_ids) == 4
    checklist = session.scalars(
        select(ChecklistRow.content)
        .join(InspectionItem)
        .where(InspectionItem.code == "SJ-001")
        .order_by(ChecklistRow.seq)
    ).all()
    for inspection_id, obj in zip(started.inspection_ids, drawn, strict=True):
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        assert inspection.entity_id == obj.entity_id and inspection.status == InspectionStatus.DRAFT.value
        assert [f.content for f in inspection.findings] == list(checklist)
        assert [f.seq for f in inspection.findings] == [1, 2, 3, 4]
        assert {i.inspector_id for i in inspection.inspectors} == {
            p.inspector_id for p in obj.active_inspectors
        }
        assert inspection.doc_no is None and inspection.archive_no is None
    assert session.get(InspectionTask, task_id).status == TaskStatus.INSPECTING.value  # type: ignore[union-attr]

    again = start_inspections(session, task_id)
    assert again.created == 0 and again.inspection_ids == started.inspection_ids
    assert session.scalar(select(func.count()).select_from(InspectionFinding)) == 16


def test_starting_before_the_draw_is_refused(session: Session) -> None:
    task_id = sj_task(session, "SJ-001", "0.01")
    code = session.get(InspectionTask, task_id).code  # type: ignore[union-attr]
    with pytest.raises(InspectionStateError) as caught:
        start_inspections(session, task_id)
    assert code in caught.value.message_zh and "摇号" in caught.value.message_zh
    assert session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_a_replacement_made_before_starting_is_on_the_form_and_the_withdrawn_inspector_is_not(
    session: Session,
) -> None:
    task_id = drawn_task(session)
    draw_id = _draw_id(session, task_id)
    target = draw_assignments(session, draw_id)[0]
    leaving = target.inspectors[0]
    outcome = replace_inspector(session, draw_id, target.entity_id, leaving.inspector_id, "回避", FRESH)

    first = start_inspections(session, task_id).inspection_ids[0]

    present = {i.inspector_id for i in inspection_detail(session, first).inspectors if i.present}
    assert outcome.chosen_inspector_id in present and leaving.inspector_id not in present


def test_recording_saves_the_entries(session: Session) -> None:
    _task, ids = started_task(session)
    entry = complete_input(
        session,
        ids[0],
        result="发现问题已责令改正",
        follow_up="责令改正",
        follow_up_note="限期十日内改正",
        findings=(FindingInput(2, "公示电话为空号", "当场责令更正"),),
    )

    record_inspection(session, ids[0], entry)

    detail = inspection_detail(session, ids[0])
    assert (detail.inspection_date, detail.method, detail.result, detail.follow_up) == (
        TODAY,
        "实地核查",
        "发现问题已责令改正",
        "责令改正",
    )
    assert detail.follow_up_note == "限期十日内改正"
    assert [(f.problem, f.handling) for f in detail.findings] == [
        ("", ""),
        ("公示电话为空号", "当场责令更正"),
        ("", ""),
        ("", ""),
    ]
    assert detail.to_input().findings[1] == FindingInput(2, "公示电话为空号", "当场责令更正")


def test_an_inspector_not_assigned_to_the_object_is_refused_by_name(session: Session) -> None:
    _task, ids = started_task(session)
    detail = inspection_detail(session, ids[0])
    assigned = {i.inspector_id for i in detail.inspectors}
    stranger = session.scalars(
        select(Inspector)
        .where(Inspector.department_id == dept_id(session, "SJ"), Inspector.id.not_in(assigned))
        .order_by(Inspector.id)
    ).first()
    assert stranger is not None

    with pytest.raises(InspectorNotAssignedError) as caught:
        record_inspection(
            session, ids[0], complete_input(session, ids[0], inspector_ids=(*assigned, stranger.id))
        )

    assert stranger.name in caught.value.message_zh and caught.value.inspector_id == stranger.id
    assert inspection_detail(session, ids[0]).inspection_date is None, (
        "nothing of the refused entry was saved"
    )


def test_a_recorded_replacement_is_accepted_and_the_inspector_who_withdrew_is_refused(
    session: Session,
) -> None:
    task_id, ids = started_task(session)
    draw_id = _draw_id(session, task_id)
    target = draw_assignments(session, draw_id)[0]
    leaving = target.inspectors[0]
    outcome = replace_inspector(session, draw_id, target.entity_id, leaving.inspector_id, "生病", FRESH)
    others = [p.inspector_id for p in target.inspectors[1:]]
    person = session.get(Inspector, leaving.inspector_id)
    assert person is not None

    with pytest.raises(InspectorNotAssignedError) as caught:
        record_inspection(
            session, ids[0], complete_input(session, ids[0], inspector_ids=[leaving.inspector_id])
        )
    assert person.name in caught.value.message_zh and "递补" in caught.value.message_zh

    record_inspection(
        session, ids[0], complete_input(session, ids[0], inspector_ids=[*others, outcome.chosen_inspector_id])
    )
    present = set(
        session.scalars(
            select(InspectionInspector.inspector_id).where(InspectionInspector.inspection_id == ids[0])
        )
    )
    assert present == {*others, outcome.chosen_inspector_id}
    file_inspection(session, ids[0])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "电话询问"}, "检查方式"),
        ({"result": "良好"}, "检查结果"),
        ({"follow_up": "罚款"}, "后续处置"),
        ({"inspection_date": TODAY + dt.timedelta(days=1)}, "检查日期"),
        ({"inspection_date": dt.date(2020, 1, 1)}, "检查日期"),
        ({"findings": (FindingInput(99, "无", ""),)}, "检查内容第 99 项"),
        ({"findings": (FindingInput(1, "问" * 2001, ""),)}, "第 1 项检查内容的发现问题"),
        ({"follow_up_note": "长" * 2001}, "后续处置说明"),
    ],
)
def test_bad_values_are_refused_with_a_message_naming_the_field(
    session: Session, change: dict[str, object], field: str
) -> None:
    _task, ids = started_task(session, count=1)
    with pytest.raises(InspectionInputError) as caught:
        record_inspection(session, ids[0], complete_input(session, ids[0], **change))
    assert field in caught.value.message_zh


def test_filing_an_incomplete_form_lists_every_missing_field_and_changes_nothing(session: Session) -> None:
    _task, ids = started_task(session, count=1)

    with pytest.raises(IncompleteInspectionError) as caught:
        file_inspection(session, ids[0])

    text = caught.value.message_zh
    for field in ("检查日期", "检查方式", "检查结果", "后续处置"):
        assert field in text
    assert len(caught.value.problems) == 4
    inspection = session.get(Inspection, ids[0])
    assert inspection is not None and inspection.status == "草稿" and inspection.doc_no is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"findings": (FindingInput(1, "年报漏报", "责令补报"),)}, "检查结果为“未发现问题”，但第 1 项"),
        ({"result": "发现问题已责令改正", "follow_up": "责令改正"}, "没有一项检查内容填写了发现问题"),
        (
            {
                "result": "发现问题已责令改正",
                "follow_up": "责令改正",
                "findings": (FindingInput(3, "出资不实", ""),),
            },
            "第 3 项检查内容发现了问题，但未填写处置情况",
        ),
        (
            {"result": "发现问题待后续处理", "findings": (FindingInput(1, "无照经营嫌疑", "移交执法队"),)},
            "后续处置不能是“无需处置”",
        ),
        ({"follow_up": "移送"}, "写明接收部门"),
        ({"inspector_ids": ()}, "检查人员不足 2 名"),
    ],
)
def test_a_contradictory_or_short_form_is_not_filed(
    session: Session, change: dict[str, object], expected: str
) -> None:
    _task, ids = started_task(session, count=1)
    record_inspection(session, ids[0], complete_input(session, ids[0], **change))
    with pytest.raises(IncompleteInspectionError) as caught:
        file_inspection(session, ids[0])
    assert expected in caught.value.message_zh


def test_a_filed_form_is_never_edited(session: Session) -> None:
    _task, ids = started_task(session, count=2)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    filed = file_inspection(session, ids[0])
    before = inspection_detail(session, ids[0])

    with pytest.raises(FiledInspectionError) as caught:
        record_inspection(session, ids[0], complete_input(session, ids[0], method="书面检查"))
    assert "已归档" in caught.value.message_zh and filed.numbers.doc_no in caught.value.message_zh
    with pytest.raises(FiledInspectionError):
        file_inspection(session, ids[0])

    assert inspection_detail(session, ids[0]) == before
    assert assign_doc_no(session, ids[0]) == filed.numbers
    assert before.filed and before.status == InspectionStatus.FILED.value


def test_the_task_is_finished_when_its_last_form_is_filed(session: Session) -> None:
    task_id, ids = started_task(session, count=3)
    draw = session.get(Draw, _draw_id(session, task_id))
    assert draw is not None and draw.finished_at is not None
    # Drawn ten days ago, so the inspections can spread out: a finished draw is protected, so the test
    # back-dates it the way only someone with a SQLite editor could.
    path = session.get_bind().url.database
    assert path
    drop_protection(path)
    earlier = (draw.finished_at - dt.timedelta(days=10)).replace(tzinfo=None).isoformat(sep=" ")
    edit(path, "UPDATE draw SET finished_at = ? WHERE id = ?", earlier, draw.id)
    session.expire_all()
    days = [TODAY - dt.timedelta(days=n) for n in (5, 2, 7)]
    for inspection_id, day in zip(ids, days, strict=True):
        record_inspection(session, inspection_id, complete_input(session, inspection_id, day=day))

    outcomes = [file_inspection(session, inspection_id) for inspection_id in ids]

    assert [o.task_completed for o in outcomes] == [False, False, True]
    task = session.get(InspectionTask, task_id)
    assert task is not None
    assert task.status == TaskStatus.COMPLETED.value
    assert (task.start_date, task.end_date) == (min(days), max(days))
    listing = task_inspections(session, task_id)
    assert [row.status for row in listing] == ["已归档"] * 3
    assert [row.doc_no for row in listing] == [o.numbers.doc_no for o in outcomes]
    assert all(row.due_on is not None and row.due_on > row.inspection_date for row in listing)  # type: ignore[operator]


def test_a_draft_past_its_deadline_is_flagged_overdue(session: Session) -> None:
    task_id, ids = started_task(session, count=1)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    (row,) = task_inspections(session, task_id, today=TODAY + dt.timedelta(days=30))
    assert row.overdue and row.due_on is not None
    (row,) = task_inspections(session, task_id, today=TODAY)
    assert not row.overdue


def test_saving_the_dialog_back_unchanged_keeps_the_form(session: Session) -> None:
    _task, ids = started_task(session, count=1)
    record_inspection(session, ids[0], complete_input(session, ids[0]))
    detail = inspection_detail(session, ids[0])
    record_inspection(session, ids[0], detail.to_input())
    assert inspection_detail(session, ids[0]) == detail
    changed = dataclasses.replace(detail.to_input(), method="书面检查")
    assert isinstance(changed, InspectionInput)
    record_inspection(session, ids[0], changed)
    assert inspection_detail(session, ids[0]).method == "书面检查"
