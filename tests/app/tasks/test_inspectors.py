"""Inspector eligibility per department (在岗, valid 执法证 on the inspection date, qualification, archived),
回避关系 as SJDRAW-1 conflicts, and infeasible draws explained and refused before any commitment."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.tasks import (
    InfeasibleTaskDrawError,
    PoolFilter,
    StrataSpec,
    TaskSpec,
    create_adhoc_task,
    prepare_draw,
    preview_draw,
)
from db.models import ConflictRelation, Draw, Inspector
from tests.app.tasks.conftest import dept_id, item_id, sj_task, sql_all

PLANNED = dt.date(2026, 6, 30)


def _inspector(session: Session, code: str) -> Inspector:
    return session.scalars(select(Inspector).where(Inspector.code == code)).one()


def test_who_is_left_out_and_why(session: Session, demo_db: Database) -> None:
    task_id = sj_task(session, "SJ-004", planned_date=PLANNED)  # requires 食品安全
    expiring = _inspector(session, "SJ008")
    expiring.cert_valid_until = PLANNED - dt.timedelta(days=1)
    on_the_day = _inspector(session, "SJ017")
    on_the_day.cert_valid_until = PLANNED
    _inspector(session, "SJ010").status = "调离"
    _inspector(session, "SJ011").archived = True
    _inspector(session, "SJ015").cert_no = None
    session.commit()

    sj = preview_draw(session, task_id).departments[0]

    people = sql_all(
        demo_db,
        "SELECT i.id, i.name, i.status, i.archived, i.cert_no, i.cert_valid_until, "
        "EXISTS (SELECT 1 FROM inspector_qualification q WHERE q.inspector_id = i.id AND q.tag = '食品安全') "
        "AS food FROM inspector i WHERE i.department_id = :d",
        d=dept_id(session, "SJ"),
    )
    archived = [p for p in people if p.archived]
    rest = [p for p in people if not p.archived]
    off_duty = [p for p in rest if p.status != "在岗"]
    rest = [p for p in rest if p.status == "在岗"]
    no_cert = [p for p in rest if not p.cert_no or p.cert_valid_until is None]
    rest = [p for p in rest if p.cert_no and p.cert_valid_until is not None]
    expired = [p for p in rest if dt.date.fromisoformat(p.cert_valid_until) < PLANNED]
    rest = [p for p in rest if dt.date.fromisoformat(p.cert_valid_until) >= PLANNED]
    unqualified = [p for p in rest if not p.food]
    eligible = [p for p in rest if p.food]

    left_out = {r.key: sorted(r.names) for r in sj.left_out}
    assert left_out == {
        "archived": sorted(p.name for p in archived),
        "not_on_duty": sorted(p.name for p in off_duty),
        "no_cert": sorted(p.name for p in no_cert),
        "cert_expired": sorted(p.name for p in expired),
        "unqualified": sorted(p.name for p in unqualified),
    }
    assert {i.inspector_id for i in sj.eligible} == {p.id for p in eligible}
    assert sj.registered == len(people)
    assert expiring.name in left_out["cert_expired"]
    assert on_the_day.id in {i.inspector_id for i in sj.eligible}, "valid on the planned date itself"
    assert _inspector(session, "SJ010").name in left_out["not_on_duty"]
    assert _inspector(session, "SJ011").name in left_out["archived"]
    assert _inspector(session, "SJ015").name in left_out["no_cert"]
    # SJDRAW-1 rows: 执法证号 as id, the department name as the group.
    rows = preview_draw(session, task_id).prepared.inspectors
    certs = session.scalars(select(Inspector.cert_no).where(Inspector.id.in_([p.id for p in eligible])))
    assert {row[0] for row in rows} == set(certs)
    assert {row[1] for row in rows} == {"示范县市场监督管理局"}


def test_without_a_planned_date_the_certificate_must_be_valid_on_the_day_of_the_draw(
    session: Session,
) -> None:
    task_id = sj_task(session, "SJ-001")  # no qualification needed
    person = _inspector(session, "SJ002")
    person.cert_valid_until = dt.date.today() - dt.timedelta(days=1)
    session.commit()
    sj = preview_draw(session, task_id).departments[0]
    assert person.name in next(r.names for r in sj.left_out if r.key == "cert_expired")
    assert sj.left_out[-1].count == 0, "SJ-001 requires no qualification"


def test_conflicts_cover_only_eligible_inspectors_and_pool_objects(session: Session) -> None:
    task_id = sj_task(session, "SJ-001", planned_date=PLANNED)
    preview = preview_draw(session, task_id)
    pool_ids = list(preview.entity_ids.items())
    person = preview.departments[0].eligible[0]
    away = _inspector(session, "WJ002")  # an inspector of a department not in the task
    session.add_all(
        [
            ConflictRelation(inspector_id=person.inspector_id, entity_id=pool_ids[0][1], reason="近亲属经营"),
            ConflictRelation(
                inspector_id=person.inspector_id, entity_id=pool_ids[1][1], reason="已解除", archived=True
            ),
            ConflictRelation(inspector_id=away.id, entity_id=pool_ids[2][1], reason="不参加本任务"),
        ]
    )
    session.commit()
    conflicts = preview_draw(session, task_id).prepared.conflicts
    assert (person.record_id, pool_ids[0][0]) in conflicts
    assert (person.record_id, pool_ids[1][0]) not in conflicts
    assert all(inspector != away.cert_no for inspector, _object in conflicts)
    eligible = {i.record_id for i in preview.departments[0].eligible}
    assert all(inspector in eligible and obj in preview.entity_ids for inspector, obj in conflicts)


def _draw_rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Draw)) or 0


def test_a_department_without_enough_qualified_inspectors_is_explained_and_refused(session: Session) -> None:
    spec = TaskSpec(
        title="校园周边食品安全联合检查",
        item_ids=[item_id(session, "SJ-004")],  # requires 食品安全, which no 教育局 inspector holds
        lead_department_id=dept_id(session, "SJ"),
        partner_department_ids=[dept_id(session, "JY")],
        strata=StrataSpec.single("0.05"),
        planned_date=PLANNED,
    )
    task = create_adhoc_task(session, spec)
    preview = preview_draw(session, task.id)
    assert not preview.feasible
    jy = preview.departments[1]
    assert jy.group == "示范县教育局" and not jy.eligible
    assert preview.problems[0].startswith("示范县教育局合格检查人员仅 0 名，每个对象需要 2 名")
    # 教育局: 5 on the list; 1 停用, 1 执法证 expired, the other 3 lack 食品安全.
    assert preview.problems[0].endswith(
        "（在册 5 名，不计：不在岗（调离、停用） 1 名、执法证在检查日期 2026-06-30 前已到期 1 名、"
        "不具备所需资格（食品安全之一） 3 名）"
    )
    with pytest.raises(InfeasibleTaskDrawError) as caught:
        prepare_draw(session, task.id, "张晓明", "会议室")
    assert "示范县教育局合格检查人员仅 0 名" in caught.value.message_zh
    assert _draw_rows(session) == 0, "refused before any attempt or commitment is written"


def test_an_object_short_of_free_inspectors_is_named(session: Session) -> None:
    task_id = sj_task(
        session, "SJ-004", rate="1", pool_filter=PoolFilter(towns=("白沙乡",)), planned_date=PLANNED
    )
    preview = preview_draw(session, task_id)
    team = preview.departments[0].eligible
    object_id, entity_id = next(iter(preview.entity_ids.items()))
    session.add_all(ConflictRelation(inspector_id=i.inspector_id, entity_id=entity_id) for i in team[:-1])
    session.commit()
    preview = preview_draw(session, task_id)
    assert not preview.feasible
    (problem,) = preview.problems
    assert object_id in problem and "须回避，仅剩 1 名，每个对象需要 2 名" in problem
    with pytest.raises(InfeasibleTaskDrawError):
        prepare_draw(session, task_id, "张晓明", "会议室")
    assert _draw_rows(session) == 0


def test_an_empty_pool_is_refused(session: Session) -> None:
    task_id = sj_task(session, "SJ-001", pool_filter=PoolFilter(towns=("不存在的镇",)))
    preview = preview_draw(session, task_id)
    assert preview.pool.pool_size == 0
    assert preview.problems == ("经定向筛选和排除后没有可抽取的检查对象",)
    with pytest.raises(InfeasibleTaskDrawError):
        prepare_draw(session, task_id, "张晓明", "会议室")
