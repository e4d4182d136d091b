"""Recording what happened at an inspection into its draft 执法检查登记表 (草稿).

A draft may be saved half-filled; :func:`app.inspections.lifecycle.file_inspection` demands completeness.
Values are checked as they are saved: a bad value raises :class:`InspectionInputError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inspections.common import get_inspection, require_draft
from app.inspections.errors import InspectionInputError, InspectionNotFoundError, InspectorNotAssignedError
from app.tasks.common import unit_of_work
from db.enums import DrawStatus, FollowUp, InspectionMethod, InspectionResult
from db.models import AssignmentInspector, Draw, Inspection, InspectionInspector, Inspector

MAX_TEXT = 2000  # characters in one 发现问题 / 处置情况 / 说明 cell: more does not fit on the printed form


@dataclass(frozen=True)
class FindingInput:
    """发现问题 / 处置情况 for the checklist row ``seq`` (1-based, as printed on the form)."""

    seq: int
    problem: str = ""
    handling: str = ""


@dataclass(frozen=True)
class InspectionInput:
    """The clerk's entries for one form.

    Scalar fields replace what is stored (``""`` / None = not filled in yet). ``findings`` update the rows
    they name and leave the others as they are. ``inspector_ids`` replaces the inspectors present; None
    keeps the current list.
    """

    inspection_date: dt.date | None = None  # 检查日期
    method: str = ""  # 检查方式 (InspectionMethod)
    result: str = ""  # 检查结果 (InspectionResult, the national categories)
    follow_up: str = ""  # 后续处置 (FollowUp)
    follow_up_note: str = ""  # 后续处置说明 (e.g. to whom a case was transferred)
    findings: Sequence[FindingInput] = ()
    inspector_ids: Sequence[int] | None = None


def clean_text(value: str | None, field: str, max_length: int = MAX_TEXT) -> str:
    """Free text stripped and NFC-normalised; :class:`InspectionInputError` when longer than allowed."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if len(text) > max_length:
        raise InspectionInputError(f"{field}过长（{len(text)} 个字符，最多 {max_length} 个）")
    return text


def choice(value: str | None, field: str, allowed: type[StrEnum]) -> str:
    """``value`` as one of the enum's values, ``""`` for not chosen; else an error listing the choices."""
    text = (value or "").strip()
    if text and text not in {member.value for member in allowed}:
        options = "、".join(member.value for member in allowed)
        raise InspectionInputError(f"{field}“{text}”不是可选项，应为：{options}")
    return text


def draw_day(session: Session, inspection: Inspection) -> dt.date | None:
    """The local date the object was drawn (an inspection cannot be earlier)."""
    finished = session.scalar(
        select(Draw.finished_at).where(
            Draw.id == inspection.assignment.draw_id, Draw.status == DrawStatus.FINISHED.value
        )
    )
    return finished.astimezone().date() if finished else None


def check_date(session: Session, inspection: Inspection, day: dt.date | None, today: dt.date) -> None:
    """The 检查日期 lies between the draw and today."""
    if day is None:
        return
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise InspectionInputError(f"检查日期应为日期，当前为“{day}”")
    if day > today:
        raise InspectionInputError(f"检查日期 {day.isoformat()} 晚于今天（{today.isoformat()}）")
    drawn = draw_day(session, inspection)
    if drawn is not None and day < drawn:
        raise InspectionInputError(f"检查日期 {day.isoformat()} 早于摇号日期 {drawn.isoformat()}")


def _person(inspector: Inspector) -> str:
    return f"{inspector.name}（执法证号 {inspector.cert_no}）" if inspector.cert_no else inspector.name


def checked_inspectors(
    session: Session, inspection: Inspection, inspector_ids: Iterable[int], day: dt.date | None
) -> list[Inspector]:
    """The inspectors present, each drawn for this object or a recorded replacement (递补) still active,
    with a 执法证 valid on the 检查日期; else :class:`InspectorNotAssignedError` / an input error."""
    ids = list(dict.fromkeys(int(i) for i in inspector_ids))
    rows = {
        row.inspector_id: row
        for row in session.scalars(
            select(AssignmentInspector).where(AssignmentInspector.assignment_id == inspection.assignment_id)
        )
    }
    people = {p.id: p for p in session.scalars(select(Inspector).where(Inspector.id.in_(ids)))}
    result = []
    for inspector_id in ids:
        person = people.get(inspector_id)
        if person is None:
            raise InspectionNotFoundError(f"检查人员不存在（编号 {inspector_id}）")
        row = rows.get(inspector_id)
        if row is None:
            raise InspectorNotAssignedError(
                f"检查人员{_person(person)}不是本检查对象抽中或经递补登记的检查人员，不能登记为检查人员",
                inspector_id,
            )
        if not row.active:
            raise InspectorNotAssignedError(
                f"检查人员{_person(person)}已因递补退出本检查对象的检查，不能登记为检查人员", inspector_id
            )
        if day is not None and (person.cert_valid_until is None or person.cert_valid_until < day):
            until = person.cert_valid_until.isoformat() if person.cert_valid_until else "未登记"
            raise InspectionInputError(
                f"检查人员{_person(person)}的执法证有效期至 {until}，检查日期 {day.isoformat()} 时不是有效执法证"
            )
        result.append(person)
    return result


def record_inspection(
    session: Session, inspection_id: int, data: InspectionInput, *, today: dt.date | None = None
) -> Inspection:
    """Save the clerk's entries into a draft form (its own transaction); a filed form is refused with
    :class:`~app.inspections.errors.FiledInspectionError`. ``today`` bounds the 检查日期 (default: today)."""
    with unit_of_work(session):
        inspection = get_inspection(session, inspection_id)
        require_draft(inspection)
        check_date(session, inspection, data.inspection_date, today or dt.date.today())
        method = choice(data.method, "检查方式", InspectionMethod)
        result = choice(data.result, "检查结果", InspectionResult)
        follow_up = choice(data.follow_up, "后续处置", FollowUp)
        note = clean_text(data.follow_up_note, "后续处置说明")
        by_seq = {finding.seq: finding for finding in inspection.findings}
        updates = []
        for entry in data.findings:
            finding = by_seq.get(entry.seq)
            if finding is None:
                raise InspectionInputError(f"检查内容第 {entry.seq} 项不存在（本表共 {len(by_seq)} 项）")
            label = f"第 {entry.seq} 项检查内容的"
            updates.append(
                (
                    finding,
                    clean_text(entry.problem, label + "发现问题"),
                    clean_text(entry.handling, label + "处置情况"),
                )
            )
        current = [link.inspector_id for link in inspection.inspectors]
        wanted = current if data.inspector_ids is None else list(data.inspector_ids)
        present = checked_inspectors(session, inspection, wanted, data.inspection_date)

        inspection.inspection_date = data.inspection_date
        inspection.method, inspection.result, inspection.follow_up = method, result, follow_up
        inspection.follow_up_note = note
        for finding, problem, handling in updates:
            finding.problem, finding.handling = problem, handling
        if [p.id for p in present] != current:
            inspection.inspectors.clear()
            session.flush()  # delete before insert: (inspection, inspector) is unique
            inspection.inspectors.extend(InspectionInspector(inspector_id=p.id) for p in present)
        session.flush()
    return inspection
