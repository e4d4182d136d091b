"""The draw in the room: prepare → commit → finish, stored verbatim and verifiable; voids, refusals, crashes."""

from __future__ import annotations

import hashlib
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.draw import Outcome, load_record, new_nonce, verify_record
from app.settings import load_settings
from app.tasks import (
    AlreadyDrawnError,
    DrawStateError,
    EmptyReasonError,
    InputsChangedError,
    NonceMismatchError,
    OpenAttemptError,
    StrataBasis,
    StrataSpec,
    TaskSpec,
    WitnessInputError,
    commit_draw,
    create_adhoc_task,
    create_task_from_plan_row,
    draw_assignments,
    draw_history,
    export_record,
    finish_draw,
    parse_witness_values,
    prepare_draw,
    void_draw,
)
from app.tasks import draws as draws_module
from db.enums import DrawStatus, TaskStatus
from db.models import Assignment, AssignmentInspector, Draw, DrawWitness, Entity, InspectionTask
from tests.app.tasks.conftest import WITNESSES, dept_id, item_id, plan_row_id, run_draw, sj_task, sql_one
from tests.cli import run_app


def _counts(database: Database) -> dict[str, int]:
    """Rows of every table a finished draw writes, read through a separate connection."""
    with database.sessions() as other:
        return {
            model.__tablename__: other.scalar(select(func.count()).select_from(model)) or 0
            for model in (Draw, DrawWitness, Assignment, AssignmentInspector)
        }


def _cli_verify(path: Path) -> subprocess.CompletedProcess[str]:
    return run_app("verify", path, timeout=120)


def _final_from_rows(session: Session, draw_id: int) -> list[dict[str, Any]]:
    """The ``final`` list rebuilt from Assignment rows, registry codes and 执法证号 (active inspectors only)."""
    result = []
    for obj in draw_assignments(session, draw_id):
        groups: dict[str, list[str]] = {}
        for person in obj.active_inspectors:
            groups.setdefault(person.group, []).append(person.cert_no)
        result.append(
            {
                "order": obj.order,
                "id": obj.uscc or obj.reg_no,
                "inspectors": [{"group": g, "ids": ids} for g, ids in sorted(groups.items())],
            }
        )
    return result


def test_a_joint_plan_task_is_drawn_stored_and_verifiable(
    session: Session, demo_db: Database, tmp_path: Path
) -> None:
    task = create_task_from_plan_row(session, plan_row_id(session, "LH-001"))  # 市场监管 + 卫健
    handle = prepare_draw(session, task.id, "张晓明", "示范县政府第三会议室")
    draw = session.get(Draw, handle.draw_id)
    assert draw is not None and draw.status == DrawStatus.PREPARED and draw.attempt_no == 1
    assert draw.pool_summary["hashes"] == handle.hashes
    assert draw.pool_summary["pool"]["sample_size"] == handle.preview.pool.sample_size > 0

    sealed = commit_draw(session, handle.draw_id)
    session.refresh(draw)
    assert draw.status == DrawStatus.COMMITTED and draw.commit_hex == hashlib.sha256(sealed.nonce).hexdigest()
    stored_text = " ".join(str(v) for v in (draw.pool_summary, draw.record_json, draw.seed_hex))
    assert sealed.nonce.hex() not in stored_text and not draw.record_json, "only the commitment is stored"

    done = finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)
    session.refresh(draw)
    assert draw.status == DrawStatus.FINISHED and draw.finished_at is not None
    assert draw.record_json and hashlib.sha256(draw.record_json.encode()).hexdigest() == draw.record_sha256
    record = load_record(draw.record_json)
    assert verify_record(record).outcome is Outcome.VERIFIED
    assert record == done.record and draw.seed_hex == record["seed"] and record["nonce"] == sealed.nonce.hex()
    assert sql_one(demo_db, "SELECT status FROM inspection_task WHERE id = :i", i=task.id) == "已抽取"

    # Every drawn object got 2 inspectors from each department, and the rows say exactly what the record says.
    assert all(
        [len(g["ids"]) for g in entry["inspectors"]] == [2, 2] and len(entry["inspectors"]) == 2
        for entry in record["final"]
    )
    assert _final_from_rows(session, done.draw_id) == record["final"]
    witnesses = session.scalars(
        select(DrawWitness).where(DrawWitness.draw_id == draw.id).order_by(DrawWitness.seq)
    )
    assert [(w.name, w.affiliation, w.values_text) for w in witnesses] == [
        ("李建国", "人大代表", "3 1 4 1 5"),
        ("王秀英", "纪检监察", "2 7 1 8"),
    ]
    meta = record["meta"]
    assert meta["task_code"] == task.code and meta["task_title"] == task.title
    assert meta["bureau_name"] == load_settings(session).bureau_name
    assert meta["attempt"] == 1 and meta["attempt_note"] == "第1次抽取"
    assert meta["place"] == "示范县政府第三会议室" and meta["operator"] == "张晓明"
    assert [d["name"] for d in meta["departments"]] == ["示范县市场监督管理局", "示范县卫生健康委员会"]
    assert meta["items"][0]["code"] == "LH-001"
    assert meta["witnesses"][0] == {"name": "李建国", "affiliation": "人大代表"}
    assert meta["pool"]["pool_size"] == len(record["objects"])

    path = export_record(session, done.draw_id, tmp_path)
    assert path.name == f"{task.code}-第1次-{draw.draw_uid}.json"
    result = _cli_verify(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "验证通过" in result.stdout

    (line,) = draw_history(session, task.id)
    assert (line.status, line.attempt_no, line.sample_size) == (DrawStatus.FINISHED, 1, len(record["final"]))
    with pytest.raises(AlreadyDrawnError):
        prepare_draw(session, task.id, "张晓明", "会议室")


def test_a_void_is_carried_into_the_next_attempt(session: Session, tmp_path: Path) -> None:
    task_id = sj_task(session, "SJ-001")
    first = run_draw(session, task_id)
    with pytest.raises(EmptyReasonError):
        void_draw(session, first.draw_id, "   ")
    attempt = void_draw(session, first.draw_id, "抽取时监督人未全部到场")
    assert attempt.status == DrawStatus.VOIDED and attempt.void_reason == "抽取时监督人未全部到场"
    assert session.get(InspectionTask, task_id).status == TaskStatus.PENDING_DRAW  # type: ignore[union-attr]
    assert session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.draw_id == first.draw_id)
    )

    handle = prepare_draw(session, task_id, "张晓明", "会议室")
    assert handle.attempt_note == "第2次抽取；第1次作废，原因：抽取时监督人未全部到场"
    sealed = commit_draw(session, handle.draw_id)
    second = finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)
    assert second.attempt_no == 2
    assert second.record["meta"]["attempt_note"] == "第2次抽取；第1次作废，原因：抽取时监督人未全部到场"
    assert second.record["meta"]["voided_attempts"][0]["draw_id"] == first.draw_uid
    history = draw_history(session, task_id)
    assert [(h.attempt_no, h.status, h.void_reason) for h in history] == [
        (1, DrawStatus.VOIDED, "抽取时监督人未全部到场"),
        (2, DrawStatus.FINISHED, ""),
    ]
    with pytest.raises(DrawStateError):
        void_draw(session, first.draw_id, "再作废一次")
    exported = load_record(export_record(session, first.draw_id, tmp_path).read_text(encoding="utf-8"))
    assert exported["meta"]["voided"]["reason"] == "抽取时监督人未全部到场"
    assert verify_record(exported).outcome is Outcome.VERIFIED


def test_a_nonce_that_does_not_match_the_commitment_is_refused(session: Session, demo_db: Database) -> None:
    task_id = sj_task(session)
    handle = prepare_draw(session, task_id, "张晓明", "会议室")
    sealed = commit_draw(session, handle.draw_id)
    before = _counts(demo_db)
    with pytest.raises(NonceMismatchError) as caught:
        finish_draw(session, handle.draw_id, new_nonce(), WITNESSES, prepared=handle)
    assert "承诺值不符" in caught.value.message_zh
    assert _counts(demo_db) == before
    assert session.get(Draw, handle.draw_id).status == DrawStatus.COMMITTED  # type: ignore[union-attr]
    finish_draw(session, handle.draw_id, sealed.nonce.hex(), WITNESSES)  # the right one, as hex, no handle


def test_a_crash_between_commit_and_reveal_leaves_an_attempt_that_can_only_be_voided(
    demo_db: Database,
) -> None:
    with demo_db.sessions() as session:
        task_id = sj_task(session)
        handle = prepare_draw(session, task_id, "张晓明", "会议室")
        commit_draw(session, handle.draw_id)  # … and the program dies: the nonce is gone with the process
    with demo_db.sessions() as session:
        draw = session.get(Draw, handle.draw_id)
        assert draw is not None and draw.status == DrawStatus.COMMITTED and draw.record_json == ""
        with pytest.raises(OpenAttemptError):
            prepare_draw(session, task_id, "张晓明", "会议室")
        with pytest.raises(NonceMismatchError):
            finish_draw(session, handle.draw_id, new_nonce(), WITNESSES)
        with pytest.raises(EmptyReasonError):
            void_draw(session, handle.draw_id, "")
        void_draw(session, handle.draw_id, "程序异常退出，未能揭示 nonce")
        again = run_draw(session, task_id)
        assert (
            again.record["meta"]["attempt_note"] == "第2次抽取；第1次作废，原因：程序异常退出，未能揭示 nonce"
        )


def test_nothing_is_half_written_when_finishing_fails(
    session: Session, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    task_id = sj_task(session, "SJ-002")
    handle = prepare_draw(session, task_id, "张晓明", "会议室")
    sealed = commit_draw(session, handle.draw_id)
    before = _counts(demo_db)
    real_store = draws_module.store_assignments

    def store_then_fail(*args: Any, **kwargs: Any) -> None:
        real_store(*args, **kwargs)
        assert session.scalar(select(func.count()).select_from(Assignment)), "rows were written …"
        raise OSError("磁盘已满")

    monkeypatch.setattr(draws_module, "store_assignments", store_then_fail)
    with pytest.raises(OSError):
        finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)
    assert _counts(demo_db) == before, "… and all rolled back"
    with demo_db.sessions() as other:
        draw = other.get(Draw, handle.draw_id)
        assert draw is not None and draw.status == DrawStatus.COMMITTED and not draw.record_json
        assert other.get(InspectionTask, task_id).status == TaskStatus.PENDING_DRAW  # type: ignore[union-attr]
    monkeypatch.undo()
    done = finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)
    assert verify_record(done.record).outcome is Outcome.VERIFIED


@pytest.mark.parametrize(
    ("witnesses", "fragment"),
    [
        ([("李建国", "人大代表", (3, -1))], "非负整数"),
        ([("李建国", "人大代表", (True, 2))], "非负整数"),
        ([("李建国", "人大代表", (3.0,))], "非负整数"),
        ([("李建国", "人大代表", "314")], "整数列表"),
        ([("", "人大代表", (3,))], "姓名不能为空"),
        ([("李建国", "人大代表", ())], "至少需要一名见证人输入随机数"),
        ([], "至少需要一名见证人输入随机数"),
    ],
)
def test_bad_witness_numbers_are_refused_and_nothing_is_written(
    session: Session, demo_db: Database, witnesses: list[Any], fragment: str
) -> None:
    task_id = sj_task(session)
    handle = prepare_draw(session, task_id, "张晓明", "会议室")
    sealed = commit_draw(session, handle.draw_id)
    before = _counts(demo_db)
    with pytest.raises(WitnessInputError) as caught:
        finish_draw(session, handle.draw_id, sealed.nonce, witnesses, prepared=handle)
    assert fragment in caught.value.message_zh
    assert _counts(demo_db) == before


def test_witness_numbers_typed_as_text() -> None:
    assert parse_witness_values(" 3 1,4，1、5 ") == (3, 1, 4, 1, 5)
    for bad in ("3 -1", "3.5", "三", "１"):
        with pytest.raises(WitnessInputError):
            parse_witness_values(bad)


def test_steps_out_of_order_are_refused(session: Session) -> None:
    task_id = sj_task(session)
    handle = prepare_draw(session, task_id, "张晓明", "会议室")
    with pytest.raises(DrawStateError, match="已准备"):
        finish_draw(session, handle.draw_id, new_nonce(), WITNESSES)
    commit_draw(session, handle.draw_id)
    with pytest.raises(DrawStateError):
        commit_draw(session, handle.draw_id)
    void_draw(session, handle.draw_id, "重新准备")
    with pytest.raises(DrawStateError):
        commit_draw(session, handle.draw_id)


def test_inputs_changed_after_prepare_are_caught_at_finish(session: Session) -> None:
    task_id = sj_task(session, "SJ-003")
    handle = prepare_draw(session, task_id, "张晓明", "会议室")
    sealed = commit_draw(session, handle.draw_id)
    entity = session.get(Entity, next(iter(handle.preview.entity_ids.values())))
    assert entity is not None
    entity.name = entity.name + "（已更名）"
    session.commit()
    with pytest.raises(InputsChangedError):
        finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES)  # rebuilt from the database
    # With the handle the printed inputs are used as they were; the record still matches the commitment.
    done = finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)
    assert done.record["objects_sha256"] == handle.hashes["objects_sha256"]


def test_a_finished_draw_cannot_be_voided_once_inspections_started(session: Session) -> None:
    task_id = sj_task(session)
    done = run_draw(session, task_id, with_handle=False)
    assert verify_record(done.record).outcome is Outcome.VERIFIED
    task = session.get(InspectionTask, task_id)
    assert task is not None
    task.status = TaskStatus.INSPECTING.value
    session.commit()
    with pytest.raises(DrawStateError, match="检查中"):
        void_draw(session, done.draw_id, "想重新抽")


def test_an_adhoc_joint_task_with_risk_strata_draws_k_from_every_department(session: Session) -> None:
    sj, wj = dept_id(session, "SJ"), dept_id(session, "WJ")
    spec = TaskSpec(
        title="餐饮住宿场所联合检查（专项）",
        item_ids=[item_id(session, "SJ-005"), item_id(session, "WJ-001")],
        lead_department_id=sj,
        partner_department_ids=[wj],
        inspectors_per_object={sj: 2, wj: 1},
        strata=StrataSpec.build(StrataBasis.RISK, {"高": "0.5", "中": "0.1", "低": 2}),
        year=2026,
    )
    task = create_adhoc_task(session, spec)
    done = run_draw(session, task.id)
    assert verify_record(done.record).outcome is Outcome.VERIFIED
    assert done.record["params_text"].splitlines()[1:3] == [
        "strata=高:0.5,中:0.1,低:#2",
        "groups=示范县市场监督管理局:2,示范县卫生健康委员会:1",
    ]
    strata = done.record["meta"]["pool"]["strata"]
    expected = {s["label"]: s["sample_size"] for s in strata if s["sample_size"]}
    assert set(expected) == {"高", "中", "低"}
    drawn = Counter(obj.stratum for obj in draw_assignments(session, done.draw_id))
    assert drawn == expected
    for obj in draw_assignments(session, done.draw_id):
        sizes = Counter(person.group for person in obj.active_inspectors)
        assert sizes == {"示范县市场监督管理局": 2, "示范县卫生健康委员会": 1}
