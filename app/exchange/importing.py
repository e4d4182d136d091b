"""Importing a 数据包 into the read-only 来自其他部门 area, all or nothing.

Rules, in the order they are applied (each refusal writes nothing):

1. the same file again (same SHA-256 as a package stored here, which was verified when it came) is a
   duplicate: recognised and reported ("该数据包已于…导入"), nothing written, not an error;
2. the package must verify (:func:`app.exchange.reading.inspect_package`);
3. a package of this installation's own department (本机所属部门, the ``own_department`` setting, by name or
   by its code) is refused: that department's data is this database;
4. the sender (by department code) must sign with a key accepted for it before: the first package of a
   sender makes its key known; a package signed by any other key is refused (both fingerprints are shown)
   unless the clerk confirms the change (``accept_new_key``, e.g. the sender's PC was reinstalled), which
   adds the new key to the sender's accepted keys;
5. packages of one sender and one period (same start and end date) supersede each other by their export
   time: the newer is current, the older is kept and marked ``superseded_by_id`` (a late-arriving older
   package is stored already superseded).

Each import is one audit entry (导入 数据包) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record_event
from app.auth.roles import Permission, require
from app.exchange.errors import (
    KeyChangedError,
    OwnDepartmentError,
    PackageInvalidError,
    PackageUnreadableError,
    SenderCodeClashError,
)
from app.exchange.format import FACTS, MANIFEST, SIGNATURE, Manifest, Signature
from app.exchange.reading import PackageReport, inspect_package
from app.hashing import file_sha256
from app.reports.period import Period
from app.settings import load_settings
from db.base import utcnow
from db.models import Department, ReceivedPackage, ReceivedRecord, SenderKey

__all__ = ["DUPLICATE", "IMPORTED", "ImportOutcome", "import_package"]

Progress = Callable[[str, float], None]
IMPORTED = "imported"
DUPLICATE = "duplicate"


def _file_sha256(path: str | Path) -> str:
    """SHA-256 of the whole file ("" when it cannot be read: :func:`inspect_package` then says why)."""
    try:
        return file_sha256(path)
    except OSError:
        return ""


def local_time(moment: dt.datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class ImportOutcome:
    """An imported package, or a duplicate recognised (``status`` DUPLICATE; nothing was written)."""

    status: str
    package_id: int
    message: str  # one sentence for the clerk
    sender_code: str
    sender_name: str
    period: Period
    fingerprint: str
    records: int
    superseded_id: int | None = None  # the earlier package this one replaced as current
    superseded_by_id: int | None = None  # set when a newer package of the same sender and period was here
    new_key_accepted: bool = False

    @property
    def duplicate(self) -> bool:
        return self.status == DUPLICATE


def _refuse_invalid(report: PackageReport) -> PackageInvalidError:
    first = report.problems[0] if report.problems else "内容不完整"
    more = f"（共 {len(report.problems)} 处问题）" if len(report.problems) > 1 else ""
    return PackageInvalidError(
        f"数据包“{report.path.name}”未通过核验，已拒绝导入，未写入任何数据：{first}{more}", report.problems
    )


def _check_not_own(session: Session, manifest: Manifest) -> None:
    own = load_settings(session).own_department.strip()
    if not own:
        return
    own_code = session.scalar(select(Department.code).where(Department.name == own))
    sender = manifest.sender
    if sender.department_name == own or (own_code is not None and sender.department_code == own_code):
        raise OwnDepartmentError(
            f"该数据包来自本机所属部门“{own}”（{sender.department_code}），本部门的数据就在本机数据库中，"
            "不能再作为其他部门的数据导入。"
        )


def _key_row(
    session: Session,
    manifest: Manifest,
    signature: Signature,
    accept_new_key: bool,
    who: str,
    now: dt.datetime,
) -> tuple[SenderKey | None, str]:
    """The key row to add (None when the key is already accepted) and the fingerprint it replaces."""
    sender = manifest.sender
    known = session.scalars(
        select(SenderKey).where(SenderKey.sender_code == sender.department_code).order_by(SenderKey.id)
    ).all()
    if any(k.fingerprint == signature.fingerprint for k in known):
        return None, ""
    replaced = known[-1].fingerprint if known else ""
    if known and known[-1].sender_name != sender.department_name:
        raise SenderCodeClashError(
            f"部门编号“{sender.department_code}”在本机属于“{known[-1].sender_name}”，本数据包却来自"
            f"“{sender.department_name}”，签名密钥也不同：这是两个部门用了同一个部门编号。已拒绝导入，未写入任何"
            "数据。请与发送部门约定各自的编号：发送部门在“系统设置 → 部门”中编辑本部门、修改部门编号后重新导出。"
        )
    if known and not accept_new_key:
        raise KeyChangedError(
            f"发送部门“{sender.department_name}”（{sender.department_code}）的签名密钥与以前不同，已拒绝导入，"
            f"未写入任何数据。以前的密钥指纹：{replaced}；本数据包的密钥指纹：{signature.fingerprint}。"
            "如对方电脑重装过程序，请打电话与对方核对新指纹，确认无误后选择“接受新密钥”再导入。",
            replaced,
            signature.fingerprint,
        )
    row = SenderKey(
        sender_code=sender.department_code,
        sender_name=sender.department_name,
        fingerprint=signature.fingerprint,
        public_key=signature.public_key,
        first_seen_at=now,
        accepted_by=who,
        replaced_fingerprint=replaced,
    )
    return row, replaced


def import_package(
    session: Session,
    path: str | Path,
    *,
    accept_new_key: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ImportOutcome:
    """Verify the package at ``path`` and store it in the 来自其他部门 area (the rules are in the module
    docstring). Raises :class:`PackageUnreadableError` (not a package file), :class:`PackageInvalidError`,
    :class:`OwnDepartmentError` or :class:`KeyChangedError` (refused, nothing written)."""
    actor = require(session, Permission.EXCHANGE, "导入其他部门的数据包")
    # The same bytes as a package already verified and stored: recognised without verifying again.
    existing = session.scalar(
        select(ReceivedPackage).where(ReceivedPackage.file_sha256 == _file_sha256(path))
    )
    if existing is not None:
        return ImportOutcome(
            DUPLICATE,
            existing.id,
            f"该数据包已于 {local_time(existing.imported_at)} 导入（{existing.imported_by or '未署名'}），"
            "本次未重复导入。",
            existing.sender_code,
            existing.sender_name,
            Period(existing.period_start, existing.period_end, existing.period_label),
            existing.key_fingerprint,
            int(existing.counts.get("records", 0)),
            superseded_by_id=existing.superseded_by_id,
        )
    report = inspect_package(path, progress)
    if not report.readable:
        raise PackageUnreadableError(report.problems[0] if report.problems else f"无法读取 {path}")
    if not report.valid:
        raise _refuse_invalid(report)
    manifest, facts = report.manifest, report.facts
    assert manifest is not None and facts is not None
    sender = manifest.sender
    signature = Signature.parse(report.contents[SIGNATURE])
    try:
        _check_not_own(session, manifest)
        moment = now or utcnow()
        key_row, replaced = _key_row(session, manifest, signature, accept_new_key, actor.label, moment)
        current = session.scalar(
            select(ReceivedPackage).where(
                ReceivedPackage.sender_code == sender.department_code,
                ReceivedPackage.period_start == manifest.period.start,
                ReceivedPackage.period_end == manifest.period.end,
                ReceivedPackage.superseded_by_id.is_(None),
            )
        )
        older = current is not None and manifest.created_at < current.created_at
        package = ReceivedPackage(
            file_sha256=report.sha256,
            file_name=report.path.name,
            file_size=report.size,
            sender_code=sender.department_code,
            sender_name=sender.department_name,
            bureau_name=sender.bureau,
            county_name=sender.county,
            key_fingerprint=signature.fingerprint,
            period_start=manifest.period.start,
            period_end=manifest.period.end,
            period_label=manifest.period.label,
            created_at=manifest.created_at,
            created_by=manifest.created_by,
            program_version=manifest.program_version,
            imported_at=moment,
            imported_by=actor.label,
            counts=dict(manifest.counts),
            manifest_json=report.contents[MANIFEST].decode("utf-8"),
            signature_json=report.contents[SIGNATURE].decode("utf-8"),
            facts_json=report.contents[FACTS].decode("utf-8"),
            superseded_by_id=current.id if older and current is not None else None,
        )
        session.add(package)
        if key_row is not None:
            session.add(key_row)
        session.flush()
        session.add_all(
            ReceivedRecord(
                package_id=package.id,
                draw_uid=uid,
                record_json=data.decode("utf-8"),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            for uid, data in sorted(report.records.items())
        )
        if current is not None and not older:
            current.superseded_by_id = package.id
        message = _summary(manifest, report, current, older, replaced if key_row is not None else "")
        record_event(
            session,
            "导入",
            "数据包",
            package.id,
            message,
            after={
                "file": report.path.name,
                "sha256": report.sha256,
                "sender": sender.department_code,
                "period": manifest.period.to_json_dict(),
                "created_at": manifest.created_at.isoformat(),
                "fingerprint": signature.fingerprint,
                "records": len(report.records),
                "superseded": current.id if current is not None and not older else None,
                "superseded_by": current.id if current is not None and older else None,
                "new_key_replaces": replaced or None,
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportOutcome(
        IMPORTED,
        package.id,
        message,
        sender.department_code,
        sender.department_name,
        manifest.period,
        signature.fingerprint,
        len(report.records),
        superseded_id=current.id if current is not None and not older else None,
        superseded_by_id=package.superseded_by_id,
        new_key_accepted=bool(replaced) and key_row is not None,
    )


def _summary(
    manifest: Manifest, report: PackageReport, current: ReceivedPackage | None, older: bool, replaced: str
) -> str:
    sender = manifest.sender
    text = (
        f"导入{sender.department_name}（{sender.department_code}）的数据包“{report.path.name}”："
        f"{manifest.period.span_text}，摇号记录 {len(report.records)} 份均已通过 SJDRAW-1 验证"
    )
    if current is not None and not older:
        text += f"；取代 {local_time(current.created_at)} 导出的上一份数据包"
    elif current is not None:
        text += (
            f"；该数据包早于已导入的 {local_time(current.created_at)} 导出的数据包，仅存档，不作为当前数据"
        )
    if replaced:
        text += f"；已确认发送部门更换签名密钥（原指纹 {replaced}，新指纹 {manifest.sender.key_fingerprint}）"
    return text + "。"
