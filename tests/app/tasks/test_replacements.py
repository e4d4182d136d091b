"""递补 (SJDRAW-1 §7): stored as rows, the finished record never rewritten, the replayed record verifiable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.draw import Outcome, verify_record
from app.tasks import (
    DrawStateError,
    EmptyReasonError,
    FinishedDraw,
    RecordIntegrityError,
    ReplacementRefusedError,
    WitnessInput,
    current_record,
    draw_assignments,
    export_record,
    replace_inspector,
    void_draw,
)
from db.models import AssignmentInspector, Draw, DrawReplacement, Inspector
from tests.app.tasks.conftest import run_draw, sj_task
from tests.cli import run_app
from tests.tamper import drop_protection, edit

FRESH = WitnessInput("陈志强", "政协委员", (9, 2, 6))


def _drawn(session: Session) -> FinishedDraw:
    return run_draw(session, sj_task(session, "SJ-001", "0.05"))


def test_a_replacement_round_is_stored_and_the_replayed_record_verifies(
    session: Session, tmp_path: Path
) -> None:
    done = _drawn(session)
    stored_text = session.get(Draw, done.draw_id).record_json  # type: ignore[union-attr]
    target = draw_assignments(session, done.draw_id)[0]
    leaving = target.inspectors[0]

    outcome = replace_inspector(
        session, done.draw_id, target.entity_id, leaving.inspector_id, "近亲属经营", FRESH
    )

    assert outcome.round_no == 1 and outcome.chosen_inspector_id != leaving.inspector_id
    assert session.get(Draw, done.draw_id).record_json == stored_text, "the finished record is immutable"  # type: ignore[union-attr]
    row = session.scalars(select(DrawReplacement).where(DrawReplacement.draw_id == done.draw_id)).one()
    assert (row.entity_id, row.removed_inspector_id, row.chosen_inspector_id, row.reason) == (
        target.entity_id,
        leaving.inspector_id,
        outcome.chosen_inspector_id,
        "近亲属经营",
    )
    assert row.witness == [{"name": "陈志强", "affiliation": "政协委员", "values": [9, 2, 6]}]

    people = {p.inspector_id: p for p in draw_assignments(session, done.draw_id)[0].inspectors}
    assert not people[leaving.inspector_id].active
    newcomer = people[outcome.chosen_inspector_id]
    assert newcomer.active and newcomer.replacement_round == 1 and newcomer.group == leaving.group

    record = current_record(session, done.draw_id)
    assert verify_record(record).outcome is Outcome.VERIFIED
    chosen = session.get(Inspector, outcome.chosen_inspector_id)
    assert chosen is not None
    (step,) = record["replacements"]
    assert (step["removed"], step["chosen"], step["seed"]) == (leaving.cert_no, chosen.cert_no, row.seed_hex)
    final_ids = record["final"][0]["inspectors"][0]["ids"]
    assert chosen.cert_no in final_ids and leaving.cert_no not in final_ids

    path = export_record(session, done.draw_id, tmp_path)
    result = run_app("verify", path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert chosen.cert_no and chosen.cert_no in path.read_text(encoding="utf-8")


def test_rounds_chain_and_the_same_object_never_gets_a_withdrawn_inspector_back(session: Session) -> None:
    done = _drawn(session)
    target = draw_assignments(session, done.draw_id)[0]
    first = replace_inspector(
        session, done.draw_id, target.entity_id, target.inspectors[0].inspector_id, "病假", FRESH
    )
    second = replace_inspector(
        session,
        done.draw_id,
        target.entity_id,
        first.chosen_inspector_id,
        "回避",
        ("陈志强", "政协委员", (1,)),
    )
    assert second.round_no == 2
    assert second.chosen_inspector_id not in (target.inspectors[0].inspector_id, first.chosen_inspector_id)
    record = current_record(session, done.draw_id)
    assert [r["round"] for r in record["replacements"]] == [1, 2]
    assert verify_record(record).outcome is Outcome.VERIFIED


def test_replacements_refused_for_bad_requests(session: Session) -> None:
    done = _drawn(session)
    objects = draw_assignments(session, done.draw_id)
    target, other = objects[0], objects[1]
    stranger = next(
        p for p in other.inspectors if p.inspector_id not in {i.inspector_id for i in target.inspectors}
    )
    with pytest.raises(EmptyReasonError):
        replace_inspector(
            session, done.draw_id, target.entity_id, target.inspectors[0].inspector_id, " ", FRESH
        )
    with pytest.raises(ReplacementRefusedError, match="未被分配"):
        replace_inspector(session, done.draw_id, target.entity_id, stranger.inspector_id, "病假", FRESH)
    with pytest.raises(ReplacementRefusedError, match="不在本次抽中"):
        replace_inspector(session, done.draw_id, 999_999, target.inspectors[0].inspector_id, "病假", FRESH)
    assert not session.scalars(select(DrawReplacement)).all()
    void_draw(session, done.draw_id, "作废后不能递补")
    with pytest.raises(DrawStateError):
        replace_inspector(
            session, done.draw_id, target.entity_id, target.inspectors[0].inspector_id, "病假", FRESH
        )


def test_a_tampered_replacement_row_or_record_is_detected(session: Session) -> None:
    done = _drawn(session)
    target = draw_assignments(session, done.draw_id)[0]
    outcome = replace_inspector(
        session, done.draw_id, target.entity_id, target.inspectors[0].inspector_id, "病假", FRESH
    )
    row = session.scalars(select(DrawReplacement)).one()
    someone_else = session.scalars(
        select(Inspector.id).where(
            Inspector.id.not_in([outcome.chosen_inspector_id, target.inspectors[0].inspector_id])
        )
    ).first()
    row.chosen_inspector_id = someone_else  # type: ignore[assignment]
    with pytest.raises(IntegrityError, match="递补记录不能修改"):
        session.commit()  # the database itself refuses
    session.rollback()
    path = session.get_bind().url.database
    assert path
    drop_protection(path)  # someone with a SQLite editor
    edit(path, "UPDATE draw_replacement SET chosen_inspector_id = ? WHERE id = ?", someone_else, row.id)
    session.expire_all()
    with pytest.raises(RecordIntegrityError, match="第1轮递补"):
        current_record(session, done.draw_id)
    edit(
        path,
        "UPDATE draw_replacement SET chosen_inspector_id = ? WHERE id = ?",
        outcome.chosen_inspector_id,
        row.id,
    )
    edit(
        path,
        "UPDATE draw SET record_json = replace(record_json, '\"order\": 1', '\"order\": 2') WHERE id = ?",
        done.draw_id,
    )
    session.expire_all()
    with pytest.raises(RecordIntegrityError, match="SHA-256"):
        current_record(session, done.draw_id)


def test_the_newcomer_row_is_not_cap_relaxed_and_original_rows_keep_draw_order(session: Session) -> None:
    done = _drawn(session)
    target = draw_assignments(session, done.draw_id)[0]
    before = [p.inspector_id for p in target.inspectors]
    replace_inspector(session, done.draw_id, target.entity_id, before[1], "公出", FRESH)
    draw = session.get(Draw, done.draw_id)
    assert draw is not None
    first = draw.assignments[0]
    assert first.entity_id == target.entity_id
    rows = session.scalars(
        select(AssignmentInspector)
        .where(AssignmentInspector.assignment_id == first.id)
        .order_by(AssignmentInspector.id)
    ).all()
    assert [r.inspector_id for r in rows[:2]] == before
    assert [r.active for r in rows] == [True, False, True]
    assert rows[2].replacement_round == 1 and not rows[2].cap_relaxed
