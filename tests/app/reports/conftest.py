"""A small county written by hand through the ORM, where every figure of every table is known.

Dates are chosen around the first half of 2026 (1 January – 30 June) so that records sit on, and one day
outside, the period's ends. The figures each test expects are worked out in tests/app/reports/test_tables.py.

Departments (sort order): SJ 市场监管 (market), WJ 卫健, HB 生态环境, JY 教育 (no data at all), ZZ archived.

Tasks:
  T1 RW-2026-0001  SJ, plan row SJ/2026/1, drawn 3-02 (e1 e2 e3), inspected 3-10/3-12/3-15 (e2 corrected,
                   e3 pending → 立案查处), ended 3-15, published 3-20 (deadline 3-24: on time)
  T2 RW-2026-0002  SJ + WJ joint, drawn 5-06 (e4 e5), inspected 5-20, 6-30 (e5 未按规定公示, 无需处置),
                   ended 6-30, published 7-15 (deadline 7-09: late)
  T3 RW-2026-0003  SJ unplanned: a voided draw 6-20, the finished draw 7-01 (e6 e2); e6 filed 7-05, e2 draft
  T4 RW-2026-0004  WJ, drawn 4-01 (e7 e8); e7 filed 4-10, e8 a dated draft
  T5 RW-2026-0005  HB unplanned, planned 12-31, not drawn
  T6 RW-2025-0001  WJ 2025: drawn 2025-12-20 (e9), inspected 2025-12-31, published 2026-01-06
  T7 RW-2026-0006  HB + SJ + WJ joint, drawn 6-01 (e10 e11 e12); e10 filed 6-10 (已关闭停业), e11 dated draft,
                   e12 blank draft
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.database import Database, open_database
from app.reports import Facts, Period, collect_facts
from db.engine import transaction
from db.enums import (
    DeptRole,
    DrawStatus,
    FollowUp,
    InspectionResult,
    InspectionStatus,
    InspectorStatus,
    ItemListKind,
    PlanStatus,
    TaskStatus,
)
from db.models import (
    AnnualPlan,
    Assignment,
    Department,
    Draw,
    Entity,
    Inspection,
    InspectionFinding,
    InspectionItem,
    InspectionTask,
    Inspector,
    ItemDepartment,
    PlanRow,
    PlanRowDepartment,
    Publication,
    TaskDepartment,
    TaskItem,
)

AS_OF = dt.date(2026, 7, 20)
H1 = Period.half(2026, 1)
D = dt.date


def noon(day: dt.date) -> dt.datetime:
    """Local noon of a day, as an aware datetime: its local date is ``day`` in any time zone."""
    return dt.datetime.combine(day, dt.time(12, 0)).astimezone()


@dataclass
class County:
    path: Path
    dept: dict[str, int]
    task: dict[str, int]
    inspection: dict[tuple[str, str], int]  # (task, entity label) → id


def _build(session: Session) -> tuple[dict[str, int], dict[str, int], dict[tuple[str, str], int]]:
    depts = {}
    for order, (code, name, market, person, phone, archived) in enumerate(
        [
            ("SJ", "示范县市场监督管理局", True, "张敏", "0898-1234567", False),
            ("WJ", "示范县卫生健康委员会", False, "李华", "", False),
            ("HB", "示范县生态环境局", False, "", "", False),
            ("JY", "示范县教育局", False, "", "", False),
            ("ZZ", "示范县已撤并局", False, "", "", True),
        ],
        start=1,
    ):
        dept = Department(
            code=code,
            name=name,
            short_name=code,
            is_market_regulation=market,
            contact_person=person,
            contact_phone=phone,
            sort_order=order,
            archived=archived,
        )
        session.add(dept)
        depts[code] = dept
    session.flush()

    def item(
        code: str, name: str, dept: str, kind: str = ItemListKind.DEPARTMENT, archived: bool = False
    ) -> int:
        row = InspectionItem(
            code=code, list_kind=kind, department_id=depts[dept].id, name=name, archived=archived
        )
        session.add(row)
        session.flush()
        return row.id

    items = {
        "SJ-001": item("SJ-001", "食品经营者的监督检查", "SJ"),
        "SJ-002": item("SJ-002", "特种设备使用单位的监督检查", "SJ"),
        "SJ-003": item("SJ-003", "已归档的事项", "SJ", archived=True),
        "WJ-001": item("WJ-001", "公共场所卫生监督检查", "WJ"),
        "HB-001": item("HB-001", "排污单位的监督检查", "HB"),
        "LH-001": item("LH-001", "餐饮服务单位食品安全与卫生联合检查", "SJ", ItemListKind.JOINT),
    }
    session.add_all(
        [
            ItemDepartment(item_id=items["LH-001"], department_id=depts["SJ"].id, role=DeptRole.LEAD),
            ItemDepartment(item_id=items["LH-001"], department_id=depts["WJ"].id, role=DeptRole.PARTNER),
        ]
    )

    entities = {}
    for n, dept in enumerate(["SJ"] * 6 + ["WJ"] * 3 + ["HB"] * 3 + ["SJ"], start=1):
        entity = Entity(
            uscc=f"91469000MA5T{n:06d}",
            name=f"示范县第{n}号商贸有限公司",
            kind="企业",
            department_id=depts[dept].id,
            archived=n == 13,
        )
        session.add(entity)
        entities[f"e{n}"] = entity
    session.flush()

    for code, dept, status, cert, valid in [
        ("I1", "SJ", InspectorStatus.ON_DUTY, "SJ001", D(2027, 12, 31)),
        ("I2", "SJ", InspectorStatus.ON_DUTY, "SJ002", D(2026, 6, 30)),  # expired by AS_OF
        ("I3", "SJ", InspectorStatus.ON_DUTY, None, None),
        ("I4", "WJ", InspectorStatus.ON_DUTY, "WJ001", D(2028, 1, 1)),
        ("I5", "WJ", InspectorStatus.ON_DUTY, "WJ002", D(2028, 1, 1)),
        ("I6", "HB", InspectorStatus.ON_DUTY, "HB001", D(2028, 1, 1)),
        ("I7", "HB", InspectorStatus.TRANSFERRED, "HB002", D(2028, 1, 1)),
    ]:
        session.add(
            Inspector(
                code=code,
                name=f"检查员{code}",
                department_id=depts[dept].id,
                status=status,
                cert_no=cert,
                cert_valid_until=valid,
            )
        )

    plan_rows: dict[str, int] = {}

    def plan(
        dept: str, year: int, status: str, rows: list[tuple[str, int | None, str, int, int, int]]
    ) -> None:
        filed = noon(D(year, 3, 1)) if status == PlanStatus.FILED else None
        p = AnnualPlan(
            department_id=depts[dept].id, year=year, title=f"{dept}{year}", status=status, filed_at=filed
        )
        for seq, (code, quantity, ratio, planned, month, base) in enumerate(rows, start=1):
            row = PlanRow(
                seq=seq,
                item_id=items[code],
                scope_text="辖区内相关对象",
                base_count=base,
                ratio=ratio,
                quantity=quantity,
                planned_count=planned,
                content="检查内容",
                basis="检查依据",
                planned_month=month,
                method="现场检查",
                frequency_cap=1,
            )
            if code == "LH-001":
                row.joint_departments = [PlanRowDepartment(department_id=depts["WJ"].id)]
            p.rows.append(row)
        session.add(p)
        session.flush()
        for row in p.rows:
            plan_rows[f"{dept}/{year}/{row.seq}"] = row.id

    plan(
        "SJ",
        2026,
        PlanStatus.FILED,
        [
            ("SJ-001", None, "0.05", 5, 3, 100),
            ("SJ-002", 3, "", 3, 8, 30),
            ("LH-001", None, "0.05", 2, 5, 40),
        ],
    )
    plan("SJ", 2025, PlanStatus.FILED, [("SJ-001", None, "0.07", 7, 6, 100)])
    plan("WJ", 2026, PlanStatus.SUBMITTED, [("WJ-001", 2, "", 2, 4, 20)])
    plan("HB", 2026, PlanStatus.DRAFT, [("HB-001", 4, "", 4, 11, 50)])

    tasks: dict[str, InspectionTask] = {}

    def task(
        name: str,
        code: str,
        year: int,
        lead: str,
        partners: list[str],
        item_codes: list[str],
        status: str,
        *,
        plan_row: str | None = None,
        planned: dt.date | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> InspectionTask:
        t = InspectionTask(
            code=code,
            title=f"{name} {code}",
            year=year,
            department_id=depts[lead].id,
            plan_row_id=plan_rows[plan_row] if plan_row else None,
            is_unplanned=plan_row is None,
            is_joint=bool(partners),
            status=status,
            planned_date=planned,
            start_date=start,
            end_date=end,
        )
        t.items = [TaskItem(item_id=items[c]) for c in item_codes]
        t.departments = [TaskDepartment(department_id=depts[lead].id, role=DeptRole.LEAD)] + [
            TaskDepartment(department_id=depts[p].id, role=DeptRole.PARTNER) for p in partners
        ]
        session.add(t)
        session.flush()
        tasks[name] = t
        return t

    inspections: dict[tuple[str, str], int] = {}

    def draw(name: str, attempt: int, day: dt.date, objects: list[str], *, voided: bool = False) -> list[int]:
        t = tasks[name]
        d = Draw(
            task_id=t.id,
            attempt_no=attempt,
            draw_uid=f"SJD-{day:%Y%m%d}-{t.id:04d}{attempt:04d}",
            status=DrawStatus.VOIDED if voided else DrawStatus.FINISHED,
            prepared_at=noon(day),
            finished_at=noon(day),
            voided_at=noon(day) if voided else None,
            void_reason="现场停电，重新抽取" if voided else "",
        )
        session.add(d)
        session.flush()
        ids = []
        for order, label in enumerate(objects, start=1):
            a = Assignment(draw_id=d.id, task_id=t.id, order_no=order, entity_id=entities[label].id)
            session.add(a)
            session.flush()
            ids.append(a.id)
        return ids

    def inspect(
        name: str,
        assignment_id: int,
        label: str,
        day: dt.date | None,
        result: str = InspectionResult.NO_PROBLEM,
        follow_up: str = FollowUp.NONE,
        *,
        filed: bool = True,
        problem: str = "",
        handling: str = "",
    ) -> None:
        t = tasks[name]
        i = Inspection(
            assignment_id=assignment_id,
            task_id=t.id,
            entity_id=entities[label].id,
            inspection_date=day,
            method="实地核查" if day else "",
            result=result if day else "",
            follow_up=follow_up if day else "",
            status=InspectionStatus.DRAFT,
            doc_no=None,
        )
        i.findings = [InspectionFinding(seq=1, content="许可资质", problem=problem, handling=handling)]
        session.add(i)
        session.flush()
        if filed:
            i.status = InspectionStatus.FILED
            i.doc_no = f"〔{day:%Y}〕示检字第{i.id:04d}号" if day else None
            i.filed_at = noon(day) if day else None
            session.flush()
        inspections[(name, label)] = i.id

    def publish(name: str, day: dt.date, deadline: dt.date) -> None:
        session.add(
            Publication(
                task_id=tasks[name].id,
                published_on=day,
                deadline=deadline,
                channel="门户网站",
                created_at=noon(day),
            )
        )

    task("T1", "RW-2026-0001", 2026, "SJ", [], ["SJ-001"], TaskStatus.PUBLISHED, plan_row="SJ/2026/1",
         planned=D(2026, 3, 31), start=D(2026, 3, 10), end=D(2026, 3, 15))  # fmt: skip
    a = draw("T1", 1, D(2026, 3, 2), ["e1", "e2", "e3"])
    inspect("T1", a[0], "e1", D(2026, 3, 10))
    inspect("T1", a[1], "e2", D(2026, 3, 12), InspectionResult.CORRECTED, FollowUp.ORDER_CORRECTION,
            problem="未在显著位置公示食品经营许可证", handling="当场责令改正")  # fmt: skip
    inspect("T1", a[2], "e3", D(2026, 3, 15), InspectionResult.PENDING_FOLLOW_UP, FollowUp.CASE_FILED,
            problem="超出许可范围经营", handling="已立案调查")  # fmt: skip
    publish("T1", D(2026, 3, 20), D(2026, 3, 24))

    task("T2", "RW-2026-0002", 2026, "SJ", ["WJ"], ["LH-001"], TaskStatus.PUBLISHED, plan_row="SJ/2026/3",
         planned=D(2026, 5, 31), start=D(2026, 5, 20), end=D(2026, 6, 30))  # fmt: skip
    a = draw("T2", 1, D(2026, 5, 6), ["e4", "e5"])
    inspect("T2", a[0], "e4", D(2026, 5, 20))
    inspect("T2", a[1], "e5", D(2026, 6, 30), InspectionResult.NOT_DISCLOSED, FollowUp.NONE)
    publish("T2", D(2026, 7, 15), D(2026, 7, 9))

    task("T3", "RW-2026-0003", 2026, "SJ", [], ["SJ-002"], TaskStatus.INSPECTING, planned=D(2026, 7, 31))
    draw("T3", 1, D(2026, 6, 20), ["e1", "e6"], voided=True)
    a = draw("T3", 2, D(2026, 7, 1), ["e6", "e2"])
    inspect("T3", a[0], "e6", D(2026, 7, 5))
    inspect("T3", a[1], "e2", D(2026, 7, 6), filed=False)

    task("T4", "RW-2026-0004", 2026, "WJ", [], ["WJ-001"], TaskStatus.INSPECTING, plan_row="WJ/2026/1",
         planned=D(2026, 4, 30))  # fmt: skip
    a = draw("T4", 1, D(2026, 4, 1), ["e7", "e8"])
    inspect("T4", a[0], "e7", D(2026, 4, 10))
    inspect("T4", a[1], "e8", D(2026, 4, 11), filed=False)

    task("T5", "RW-2026-0005", 2026, "HB", [], ["HB-001"], TaskStatus.PENDING_DRAW, planned=D(2026, 12, 31))

    task("T6", "RW-2025-0001", 2025, "WJ", [], ["WJ-001"], TaskStatus.PUBLISHED,
         start=D(2025, 12, 31), end=D(2025, 12, 31))  # fmt: skip
    a = draw("T6", 1, D(2025, 12, 20), ["e9"])
    inspect("T6", a[0], "e9", D(2025, 12, 31))
    publish("T6", D(2026, 1, 6), D(2026, 1, 12))

    task("T7", "RW-2026-0006", 2026, "HB", ["WJ", "SJ"], ["HB-001"], TaskStatus.INSPECTING,
         planned=D(2026, 6, 30))  # fmt: skip
    a = draw("T7", 1, D(2026, 6, 1), ["e10", "e11", "e12"])
    inspect("T7", a[0], "e10", D(2026, 6, 10), InspectionResult.CLOSED)
    inspect("T7", a[1], "e11", D(2026, 6, 12), filed=False)
    inspect("T7", a[2], "e12", None, filed=False)
    session.flush()
    return {c: d.id for c, d in depts.items()}, {n: t.id for n, t in tasks.items()}, inspections


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    """The hand-built county, written once; the report tests only read it."""
    path = tmp_path_factory.mktemp("reports") / "county.db"
    database = open_database(path)
    with transaction(database.sessions) as session:
        dept, task, inspection = _build(session)
    database.close()
    return County(path, dept, task, inspection)


@pytest.fixture
def county_db(county: County) -> Iterator[Database]:
    database = open_database(county.path)
    yield database
    database.close()


@pytest.fixture
def session(county_db: Database) -> Iterator[Session]:
    with county_db.sessions() as s:
        yield s


def facts_for(session: Session, period: Period = H1, codes: list[str] | None = None) -> Facts:
    ids = None
    if codes is not None:
        ids = [session.query(Department.id).filter_by(code=c).scalar() for c in codes]
    return collect_facts(session, period, ids, as_of=AS_OF)


@pytest.fixture
def h1(session: Session) -> Facts:
    """The county's facts for the first half of 2026, as of 20 July 2026."""
    return facts_for(session)
