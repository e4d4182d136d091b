"""Reading the 来自其他部门 area: the list for the GUI, received facts, and the county-wide facts.

Which copy wins in :func:`county_facts`: **a received package is authoritative for its sender's department.**
When a department is both in this database and the sender of a current package for the period, this
database's records of that department are left out and the package's are used (the sender's own PC is where
its work is done; a copy here is at best older). Every other department comes from this database. Where a
record appears both in this database's facts and in a package (a joint task the 司法局 co-runs with a
sender), the package's copy is used. Only packages of exactly the asked period (same first and last day) are
merged; packages of other periods stay in the list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exchange.format import FACTS, Manifest, ManifestError, Signature
from app.exchange.signing import fingerprint_of, public_key_from_text, verify_signature
from app.reports.collect import collect_facts
from app.reports.facts import Facts, merge_facts
from app.reports.period import Period
from app.settings import load_settings
from db.models import Department, ReceivedPackage, ReceivedRecord

__all__ = [
    "ReceivedPackageRow",
    "county_facts",
    "list_received",
    "received_facts",
    "received_record_text",
    "verify_received",
]


@dataclass(frozen=True)
class ReceivedPackageRow:
    """One received package as the 来自其他部门 list shows it."""

    id: int
    file_name: str
    sender_code: str
    sender_name: str
    bureau_name: str
    county_name: str
    period: Period
    created_at: dt.datetime
    created_by: str
    imported_at: dt.datetime
    imported_by: str
    fingerprint: str
    counts: dict[str, Any]
    superseded_by_id: int | None

    @property
    def current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def status_text(self) -> str:
        return "当前" if self.current else "已被较新的数据包取代"


def list_received(session: Session) -> list[ReceivedPackageRow]:
    """Every received package (current and superseded): by sender, newest period and export first."""
    rows = session.execute(
        select(
            ReceivedPackage.id,
            ReceivedPackage.file_name,
            ReceivedPackage.sender_code,
            ReceivedPackage.sender_name,
            ReceivedPackage.bureau_name,
            ReceivedPackage.county_name,
            ReceivedPackage.period_start,
            ReceivedPackage.period_end,
            ReceivedPackage.period_label,
            ReceivedPackage.created_at,
            ReceivedPackage.created_by,
            ReceivedPackage.imported_at,
            ReceivedPackage.imported_by,
            ReceivedPackage.key_fingerprint,
            ReceivedPackage.counts,
            ReceivedPackage.superseded_by_id,
        ).order_by(
            ReceivedPackage.sender_code,
            ReceivedPackage.period_start.desc(),
            ReceivedPackage.period_end.desc(),
            ReceivedPackage.created_at.desc(),
        )
    )
    return [
        ReceivedPackageRow(
            id=r.id,
            file_name=r.file_name,
            sender_code=r.sender_code,
            sender_name=r.sender_name,
            bureau_name=r.bureau_name,
            county_name=r.county_name,
            period=Period(r.period_start, r.period_end, r.period_label),
            created_at=r.created_at,
            created_by=r.created_by,
            imported_at=r.imported_at,
            imported_by=r.imported_by,
            fingerprint=r.key_fingerprint,
            counts=dict(r.counts or {}),
            superseded_by_id=r.superseded_by_id,
        )
        for r in rows
    ]


def _current(period: Period | None, senders: Iterable[str] | None) -> Any:
    query = select(ReceivedPackage.sender_code, ReceivedPackage.facts_json).where(
        ReceivedPackage.superseded_by_id.is_(None)
    )
    if period is not None:
        query = query.where(
            ReceivedPackage.period_start == period.start, ReceivedPackage.period_end == period.end
        )
    if senders is not None:
        query = query.where(ReceivedPackage.sender_code.in_(list(senders)))
    return query.order_by(ReceivedPackage.sender_code, ReceivedPackage.period_start, ReceivedPackage.id)


def received_facts(
    session: Session, period: Period | None = None, senders: Iterable[str] | None = None
) -> list[Facts]:
    """The facts of the current (not superseded) received packages — of ``period`` (same first and last day)
    and of the ``senders`` (department codes) when given — by sender code."""
    return [
        Facts.from_json_dict(json.loads(text)) for _code, text in session.execute(_current(period, senders))
    ]


def county_facts(session: Session, period: Period, *, as_of: dt.date | None = None) -> Facts:
    """This database's facts for ``period`` merged with every current received package of that period;
    a sender's package replaces this database's records of the sender's department (module docstring)."""
    received = [
        (code, Facts.from_json_dict(json.loads(text)))
        for code, text in session.execute(_current(period, None))
    ]
    senders = {code for code, _facts in received}
    own_ids = [
        department_id
        for department_id, code in session.execute(
            select(Department.id, Department.code).where(Department.archived.is_(False))
        )
        if code not in senders
    ]
    if own_ids:
        own = collect_facts(session, period, own_ids, as_of=as_of)
    else:
        own = Facts(period=period, as_of=as_of or dt.date.today(), source=load_settings(session).bureau_name)
    return merge_facts(own, *(facts for _code, facts in received))


def received_record_text(session: Session, draw_uid: str) -> str | None:
    """The SJDRAW-1 record of a received draw (from the current package that has it), for 查看/核验."""
    return session.scalar(
        select(ReceivedRecord.record_json)
        .join(ReceivedPackage, ReceivedPackage.id == ReceivedRecord.package_id)
        .where(ReceivedRecord.draw_uid == draw_uid)
        .order_by(ReceivedPackage.superseded_by_id.is_not(None), ReceivedPackage.id.desc())
        .limit(1)
    )


def verify_received(session: Session) -> list[str]:
    """Check the stored packages again (as a SQLite editor could have changed them with the triggers
    dropped): each manifest against its signature and key, the facts and every record against the manifest.
    Returns one sentence per problem; empty when all is intact."""
    problems: list[str] = []
    for package in session.scalars(select(ReceivedPackage).order_by(ReceivedPackage.id)):
        where = f"收到的数据包 #{package.id}（{package.sender_name}，{package.period_label}）"
        manifest_bytes = package.manifest_json.encode("utf-8")
        try:
            signature = Signature.parse(package.signature_json.encode("utf-8"))
            manifest = Manifest.parse(manifest_bytes)
        except ManifestError as exc:
            problems.append(f"{where}的清单或签名无法读取：{exc}")
            continue
        public = public_key_from_text(signature.public_key)
        if (
            public is None
            or fingerprint_of(public) != package.key_fingerprint
            or manifest.sender.key_fingerprint != package.key_fingerprint
            or not verify_signature(public, signature.signature, manifest_bytes)
        ):
            problems.append(f"{where}的清单与签名不符")
            continue
        expected = {entry.name: entry.sha256 for entry in manifest.files}
        if hashlib.sha256(package.facts_json.encode("utf-8")).hexdigest() != expected.get(FACTS):
            problems.append(f"{where}的统计数据（{FACTS}）已被改动")
        stored = {
            f"records/{uid}.json": (digest, text)
            for uid, digest, text in session.execute(
                select(ReceivedRecord.draw_uid, ReceivedRecord.sha256, ReceivedRecord.record_json).where(
                    ReceivedRecord.package_id == package.id
                )
            )
        }
        for entry in manifest.record_files:
            found = stored.pop(entry.name, None)
            if found is None:
                problems.append(f"{where}缺少摇号记录 {entry.name}")
            elif hashlib.sha256(found[1].encode("utf-8")).hexdigest() != entry.sha256:
                problems.append(f"{where}的摇号记录 {entry.name} 已被改动")
        problems += [f"{where}多出摇号记录 {name}" for name in sorted(stored)]
    return problems
