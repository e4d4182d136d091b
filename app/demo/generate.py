"""Builds the demo county into an empty database: departments, entities, inspectors, items, a filed plan —
and, with ``year_of_work``, the year's tasks, draws, inspections and 公示 up to the demo's today
(:mod:`app.demo.work`).

Deterministic for a given entity count and year (and, for the year's work, the demo's today).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.audit import bulk, record_event
from app.demo import DEFAULT_ENTITIES, vocab
from app.demo.work import WorkSummary, add_year_of_work
from app.errors import UserFacingError
from app.plans.revisions import plan_snapshot, snapshot_digest
from app.plans.rows import item_base_count
from app.registry.codes import make_id_number, make_reg_no15, random_uscc
from app.settings import BureauSettings, save_settings
from db.enums import (
    CreditClass,
    DeptRole,
    EntityKind,
    InspectorStatus,
    ItemListKind,
    PlanStatus,
    RegStatus,
    RevisionKind,
    RiskLevel,
)
from db.models import (
    AnnualPlan,
    ChecklistRow,
    ConflictRelation,
    Department,
    Entity,
    InspectionItem,
    Inspector,
    InspectorQualification,
    ItemDepartment,
    PlanRevision,
    PlanRow,
    PlanRowDepartment,
)

# GB 32100 登记管理部门代码 + 机构类别代码 per entity kind.
_USCC_PREFIX = {
    EntityKind.ENTERPRISE: ("9", "1"),
    EntityKind.INDIVIDUAL: ("9", "2"),
    EntityKind.COOPERATIVE: ("9", "3"),
    EntityKind.SOCIAL_ORG: ("5", "2"),
    EntityKind.PUBLIC_INSTITUTION: ("1", "2"),
}
_CORP_FORMS = ("有限公司", "有限责任公司", "有限公司", "股份有限公司")
_STATUS_WEIGHTS = (
    (RegStatus.ACTIVE, 930),
    (RegStatus.SUSPENDED, 10),
    (RegStatus.CANCELLED, 30),
    (RegStatus.REVOKED, 20),
    (RegStatus.MOVED_OUT, 10),
)
_RISK_WEIGHTS = ((RiskLevel.HIGH, 10), (RiskLevel.MEDIUM, 50), (RiskLevel.LOW, 40))
_CREDIT_WEIGHTS = ((CreditClass.A, 40), (CreditClass.B, 45), (CreditClass.C, 10), (CreditClass.D, 5))

Progress = Callable[[str, float], None]


class DemoError(UserFacingError):
    """The demo cannot be built here; message_zh says why."""


@dataclass(frozen=True)
class DemoSummary:
    departments: int
    entities: int
    inspectors: int
    items: int
    plan_rows: int
    year: int
    work: WorkSummary | None = None
    """The year's tasks, draws, inspections and 公示 (None without ``year_of_work``)."""


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    values = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(values, weights)[0]


def _stamp(year: int) -> dt.datetime:
    """A fixed creation time so the demo is reproducible."""
    return dt.datetime(year, 1, 2, 1, 0, tzinfo=dt.UTC)


def build_demo(
    session: Session,
    *,
    entities: int = DEFAULT_ENTITIES,
    year: int | None = None,
    progress: Progress | None = None,
    year_of_work: bool = False,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo county. The caller commits (one transaction).

    ``year_of_work``: then also replay the year's work up to ``today`` (default: the real today, at most
    31 December of ``year``) through the task and inspection services (:func:`app.demo.work.add_year_of_work`).
    Those services commit step by step, so the county itself is committed before the work starts.

    Raises DemoError if the database already holds registry data (the demo never mixes with real data).
    """
    if entities < 0 or entities > 1_000_000:
        raise DemoError(f"演示对象数量应在 0 到 1000000 之间，当前为 {entities}。")
    if session.scalar(select(func.count()).select_from(Entity)) or session.scalar(
        select(func.count()).select_from(Department)
    ):
        raise DemoError("该数据库已有数据，演示数据只能写入空数据库。")
    year = year or dt.date.today().year
    outer = progress or (lambda _msg, _frac: None)
    share = 0.4 if year_of_work else 1.0

    def report(stage: str, fraction: float) -> None:
        outer("名录与年度计划已生成" if year_of_work and stage == "完成" else stage, share * fraction)

    rng = random.Random(f"shuangsuiji-demo/{entities}/{year}")
    c = vocab.county()

    with bulk(session):  # one audit entry for the whole build (the plan versions are still sealed)
        save_settings(session, BureauSettings(bureau_name=c["bureau_name"], county_name=c["county"]))
        summary = _build(session, rng, entities, year, report)
    record_event(
        session,
        "生成演示数据",
        "演示数据",
        "",
        f"生成演示县“{c['county']}”：{summary.departments} 个部门、{summary.entities} 个检查对象、"
        f"{summary.inspectors} 名执法检查人员、{summary.items} 个抽查事项、{summary.plan_rows} 条年度计划（{year}年度）",
    )
    if not year_of_work:
        return summary
    work = add_year_of_work(
        session, year=year, today=today, progress=lambda stage, f: outer(stage, share + (1 - share) * f)
    )
    return dataclasses.replace(summary, work=work)


def _build(session: Session, rng: random.Random, entities: int, year: int, report: Progress) -> DemoSummary:
    report("部门", 0.0)
    depts = _departments(session, year)
    report("抽查事项", 0.05)
    items = _items(session, depts, year)
    report("执法检查人员", 0.1)
    inspectors = _inspectors(session, rng, depts, year)
    report("检查对象", 0.15)
    n_entities = _entities(session, rng, depts, entities, year, lambda f: report("检查对象", 0.15 + 0.75 * f))
    _conflicts(session, rng, inspectors, n_entities, year)
    report("年度抽查计划", 0.92)
    plan_rows = _plans(session, depts, items, year)
    report("完成", 1.0)
    return DemoSummary(len(depts), n_entities, len(inspectors), len(items), plan_rows, year)


def _departments(session: Session, year: int) -> dict[str, Department]:
    depts: dict[str, Department] = {}
    for order, d in enumerate(vocab.county()["departments"], start=1):
        dept = Department(
            code=d["code"],
            name=d["name"],
            short_name=d["short"],
            is_market_regulation=d["market"],
            contact_person="",
            sort_order=order,
            created_at=_stamp(year),
            updated_at=_stamp(year),
        )
        session.add(dept)
        depts[d["code"]] = dept
    session.flush()
    return depts


def _items(session: Session, depts: dict[str, Department], year: int) -> list[InspectionItem]:
    result: list[InspectionItem] = []
    for d in vocab.items():
        joint = bool(d.get("joint"))
        item = InspectionItem(
            code=d["code"],
            list_kind=ItemListKind.JOINT if joint else ItemListKind.DEPARTMENT,
            department_id=depts[d["dept"]].id,
            domain=d.get("domain", ""),
            category=d["category"],
            name=d["name"],
            target_desc=d["target"],
            target_kinds=d["kinds"],
            target_industries=d["industries"],
            item_class=d["class"],
            methods=d["methods"],
            subject=depts[d["dept"]].name,
            basis=d["basis"],
            ratio_text=d["ratio"],
            frequency_text=d["freq"],
            inspector_requirement=d["req"],
            required_qualifications=d["quals"],
            key_points=d["points"],
            compiler=depts[d["dept"]].name,
            source="演示数据",
            created_at=_stamp(year),
            updated_at=_stamp(year),
        )
        item.checklist = [ChecklistRow(seq=i, content=text) for i, text in enumerate(d["checklist"], start=1)]
        if joint:
            item.departments = [ItemDepartment(department_id=depts[d["dept"]].id, role=DeptRole.LEAD)] + [
                ItemDepartment(department_id=depts[p].id, role=DeptRole.PARTNER) for p in d["partners"]
            ]
        session.add(item)
        result.append(item)
    session.flush()
    return result


def _inspectors(
    session: Session, rng: random.Random, depts: dict[str, Department], year: int
) -> list[Inspector]:
    c = vocab.county()
    result: list[Inspector] = []
    serial = 0
    for d_index, d in enumerate(c["departments"], start=1):
        dept = depts[d["code"]]
        tags: list[str] = d["tags"]
        for n in range(1, d["inspectors"] + 1):
            serial += 1
            # A few expired 执法证 (valid until last year) so eligibility checks have something to refuse.
            expired = serial % 19 == 0
            valid_until = (
                dt.date(year - 1, rng.randint(1, 12), 28)
                if expired
                else dt.date(year + rng.randint(1, 4), rng.randint(1, 12), 28)
            )
            status = InspectorStatus.ON_DUTY
            if serial % 31 == 0:
                status = InspectorStatus.TRANSFERRED
            elif serial % 37 == 0:
                status = InspectorStatus.SUSPENDED
            birth = dt.date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
            inspector = Inspector(
                code=f"{d['code']}{n:03d}",
                name=vocab.person_name(rng),
                gender=rng.choice(("男", "女")),
                department_id=dept.id,
                title=rng.choice(("科员", "副主任科员", "主任科员", "副科长", "科长", "执法队员")),
                cert_no=f"{c['region_code']}{d_index:02d}{n:04d}",
                cert_issuer=f"{c['province']}人民政府",
                cert_valid_until=valid_until,
                town=rng.choice(c["towns"]),
                is_expert=serial % 9 == 0,
                status=status,
                phone=vocab.mobile_phone(rng),
                id_number=make_id_number(c["region_code"], birth, rng.randint(1, 999)),
                created_at=_stamp(year),
                updated_at=_stamp(year),
            )
            own = rng.sample(tags, k=min(len(tags), rng.randint(1, 3)))
            inspector.qualifications = [InspectorQualification(tag=t) for t in sorted(own)]
            session.add(inspector)
            result.append(inspector)
    session.flush()
    return result


def _entity_rows(
    rng: random.Random, depts: dict[str, Department], count: int, year: int
) -> list[dict[str, Any]]:
    """Plain dicts for a bulk insert (fast enough for 100,000 rows in seconds)."""
    c = vocab.county()
    region = c["region_code"]
    county_name = c["county"]
    towns: list[str] = c["towns"]
    roads: list[str] = c["roads"]
    inds = vocab.industries()
    # Weighted (industry, kind) pairs, from the per-industry kind weights.
    pairs = [(ind, kind) for ind in inds for kind in ind.kinds]
    weights = [ind.kinds[kind] for ind in inds for kind in ind.kinds]
    used_codes: set[str] = set()
    used_names: set[str] = set()
    stamp = _stamp(year)
    rows: list[dict[str, Any]] = []
    for serial in range(1, count + 1):
        ind, kind_text = rng.choices(pairs, weights)[0]
        kind = EntityKind(kind_text)
        town = rng.choice(towns)
        name = _entity_name(rng, kind, ind, county_name, town, serial)
        if name in used_names:
            name = (
                f"{name[:-2]}{serial}{name[-2:]}" if kind != EntityKind.INDIVIDUAL else f"{name}（{serial}）"
            )
        used_names.add(name)
        uscc: str | None = None
        reg_no: str | None = None
        if kind in _USCC_PREFIX:
            # A few old 个体工商户 still carry only a 15-digit 注册号.
            if kind == EntityKind.INDIVIDUAL and rng.random() < 0.03:
                reg_no = make_reg_no15(f"{region}{rng.randint(0, 99_999_999):08d}")
            else:
                while True:
                    uscc = random_uscc(rng, region, _USCC_PREFIX[kind])
                    if uscc not in used_codes:
                        used_codes.add(uscc)
                        break
        else:
            reg_no = f"{ind.dept_code}-{kind_text}-{serial:06d}"
        legal_rep = vocab.person_name(rng) if kind not in (EntityKind.PRODUCT, EntityKind.BEHAVIOUR) else ""
        birth = dt.date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
        status = _weighted(rng, _STATUS_WEIGHTS)
        rows.append(
            {
                "uscc": uscc,
                "reg_no": reg_no,
                "name": name,
                "kind": kind.value,
                "industry": ind.name,
                "town": town,
                "address": f"{county_name}{town}{rng.choice(roads)}{rng.randint(1, 388)}号",
                "legal_rep": legal_rep,
                "phone": vocab.mobile_phone(rng) if legal_rep else "",
                "id_number": make_id_number(region, birth, rng.randint(1, 999))
                if kind == EntityKind.INDIVIDUAL
                else "",
                "reg_status": status.value,
                "established_on": dt.date(
                    rng.randint(1998, year - 1), rng.randint(1, 12), rng.randint(1, 28)
                ),
                "risk_level": _weighted(rng, _RISK_WEIGHTS).value,
                "credit_class": _weighted(rng, _CREDIT_WEIGHTS).value,
                "abnormal_list": rng.random() < 0.04,
                "serious_illegal": rng.random() < 0.005,
                "department_id": depts[ind.dept_code].id,
                "needs_code_fix": False,
                "remarks": "",
                "source": "演示数据",
                "archived": False,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return rows


def _entity_name(
    rng: random.Random, kind: EntityKind, ind: vocab.Industry, county_name: str, town: str, serial: int
) -> str:
    if kind == EntityKind.ENTERPRISE:
        word = ind.corp_word or "商贸"
        return f"{county_name}{vocab.brand(rng)}{word}{rng.choice(_CORP_FORMS)}"
    if kind == EntityKind.INDIVIDUAL:
        owner = vocab.person_name(rng)
        style = rng.random()
        if style < 0.4:
            return f"{county_name}{town}{owner[0]}记{rng.choice(ind.words)}"
        if style < 0.7:
            return f"{county_name}{vocab.brand(rng)}{rng.choice(ind.words)}"
        return f"{county_name}{town}{owner}{rng.choice(ind.words)}"
    if kind == EntityKind.COOPERATIVE:
        return (
            f"{county_name}{town}{vocab.brand(rng)}{rng.choice(('种植', '养殖', '果蔬', '农机'))}专业合作社"
        )
    if kind == EntityKind.SOCIAL_ORG:
        return f"{county_name}{vocab.brand(rng)}{rng.choice(vocab.county()['social_org_suffix'])}"
    if kind == EntityKind.PUBLIC_INSTITUTION:
        return f"{county_name}{town}{rng.choice(vocab.county()['public_inst_suffix'])}"
    if kind == EntityKind.PRODUCT:
        return f"{rng.choice(ind.words)}（{county_name}第{serial}批次）"
    if kind == EntityKind.PROJECT:
        return f"{county_name}{town}{rng.choice(ind.words)}"
    return f"{county_name}{town}{rng.choice(ind.words)}（{vocab.brand(rng)}）"


def _entities(
    session: Session,
    rng: random.Random,
    depts: dict[str, Department],
    count: int,
    year: int,
    progress: Callable[[float], None],
) -> int:
    rows = _entity_rows(rng, depts, count, year)
    chunk = 5_000
    for start in range(0, len(rows), chunk):
        session.execute(insert(Entity), rows[start : start + chunk])
        progress(min(1.0, (start + chunk) / max(1, len(rows))))
    return len(rows)


def _conflicts(
    session: Session, rng: random.Random, inspectors: list[Inspector], n_entities: int, year: int
) -> None:
    """A handful of 回避关系 (an inspector related to an entity's owner)."""
    if n_entities == 0:
        return
    ids = session.scalars(select(Entity.id).order_by(Entity.id)).all()
    pairs: set[tuple[int, int]] = set()
    for inspector in inspectors[:: max(1, len(inspectors) // 12)]:
        pairs.add((inspector.id, rng.choice(ids)))
    for inspector_id, entity_id in sorted(pairs):
        session.add(
            ConflictRelation(
                inspector_id=inspector_id,
                entity_id=entity_id,
                reason=rng.choice(("近亲属经营", "曾在该单位任职", "本人申请回避")),
                created_at=_stamp(year),
                updated_at=_stamp(year),
            )
        )
    session.flush()


def _plans(session: Session, depts: dict[str, Department], items: list[InspectionItem], year: int) -> int:
    """One plan per department, every row from its own and joint-led items; filed (已审核备案) on 1 March."""
    filed_at = dt.datetime(year, 3, 1, 2, 0, tzinfo=dt.UTC)
    total_rows = 0
    for dept in depts.values():
        own = [i for i in items if i.department_id == dept.id]
        if not own:
            continue
        plan = AnnualPlan(
            department_id=dept.id,
            year=year,
            title=f"{dept.name}{year}年度行政执法检查计划表",
            status=PlanStatus.FILED,
            submitted_at=dt.datetime(year, 2, 20, 2, 0, tzinfo=dt.UTC),
            filed_at=filed_at,
            current_revision=2,
            created_at=_stamp(year),
            updated_at=filed_at,
        )
        for seq, item in enumerate(own, start=1):
            base = item_base_count(session, item)
            ratio = _ratio_from_text(item.ratio_text)
            planned = (
                int((Decimal(base) * ratio).to_integral_value(ROUND_CEILING)) if ratio else min(base, 10)
            )
            row = PlanRow(
                seq=seq,
                item_id=item.id,
                scope_text=item.target_desc,
                scope_filter={"kinds": item.target_kinds, "industries": item.target_industries},
                base_count=base,
                ratio=str(ratio) if ratio else "",
                quantity=None if ratio else planned,
                planned_count=planned,
                content=item.key_points,
                basis=item.basis,
                planned_month=3 + (seq * 2 + dept.sort_order) % 9,
                method=item.methods,
                frequency_cap=1,
                created_at=_stamp(year),
                updated_at=filed_at,
            )
            row.joint_departments = [
                PlanRowDepartment(department_id=link.department_id)
                for link in item.departments
                if link.role == DeptRole.PARTNER
            ]
            plan.rows.append(row)
            total_rows += 1
        session.add(plan)
        session.flush()
        # Each version is the plan as it stood: 已报审 at submission, 已审核备案 once filed.
        for no, kind, status, at in (
            (1, RevisionKind.SUBMIT, PlanStatus.SUBMITTED, plan.submitted_at),
            (2, RevisionKind.FILE, PlanStatus.FILED, filed_at),
        ):
            assert at is not None
            plan.status = status
            plan.updated_at = filed_at  # fixed, so the demo stays reproducible (no onupdate clock time)
            snapshot = plan_snapshot(session, plan)
            session.add(
                PlanRevision(
                    plan_id=plan.id,
                    revision_no=no,
                    kind=kind,
                    snapshot=snapshot,
                    snapshot_sha256=snapshot_digest(snapshot),
                    reason="演示数据：年初报审" if no == 1 else "演示数据：司法局审核备案",
                    changed_by_name="演示数据",
                    changed_at=at,
                )
            )
    session.flush()
    return total_rows


def _ratio_from_text(text: str) -> Decimal | None:
    """'不低于5%' → Decimal('0.05'); '100%' → 1; None when the list gives no percentage."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    if "%" not in text or not digits:
        return None
    return (Decimal(digits) / 100).normalize()
