"""Writing a department's 数据包 for a period (SJPKG-1, see :mod:`app.exchange.format`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.audit import record_event
from app.auth.roles import Permission, require
from app.draw import dump_record
from app.exchange.errors import ExportFileError, ExportRefusedError
from app.exchange.format import (
    FACTS,
    MANIFEST,
    SIGNATURE,
    FileEntry,
    Manifest,
    Sender,
    Signature,
    facts_counts,
    json_bytes,
    record_name,
)
from app.exchange.signing import ALGORITHM, SigningKey, installation_signing_key
from app.reports.collect import collect_facts
from app.reports.period import Period
from app.settings import load_settings
from app.tasks import RecordIntegrityError, current_record
from db.base import utcnow
from db.enums import DrawStatus
from db.models import Department, Draw

__all__ = ["PackageSummary", "export_package", "write_package"]

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class PackageSummary:
    """What was written."""

    path: Path
    size: int  # bytes
    sha256: str  # of the whole file (how the receiver recognises it again)
    department_code: str
    department_name: str
    period: Period
    counts: dict[str, int]
    fingerprint: str

    def lines(self) -> list[str]:
        c = self.counts
        return [
            f"已导出数据包：{self.path}（{self.size / 1024:,.0f} KB）",
            f"发送部门：{self.department_name}（{self.department_code}）；统计期间：{self.period.span_text}",
            f"内容：抽查任务 {c['tasks']} 个，摇号记录 {c['records']} 份，抽中对象 {c['entities']} 户，"
            f"检查登记 {c['inspections']} 份，结果公示 {c['publications']} 次，年度计划 {c['plans']} 份",
            f"本机签名密钥指纹：{self.fingerprint}",
        ]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_package(
    path: Path, manifest: Manifest, files: dict[str, bytes], key: SigningKey
) -> tuple[int, str]:
    """Write the zip atomically (a temporary file in the same folder, then a rename); returns (size, sha256).
    ``files`` are the entries listed in ``manifest.files``; the manifest is signed with ``key``."""
    manifest_bytes = json_bytes(manifest.to_json_dict())
    signature = Signature(ALGORITHM, key.public_text, key.fingerprint, key.sign(manifest_bytes))
    stamp = manifest.created_at.astimezone().timetuple()[:6]
    entries = [(MANIFEST, manifest_bytes), (SIGNATURE, json_bytes(signature.to_json_dict()))]
    entries += [(entry.name, files[entry.name]) for entry in manifest.files]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for name, data in entries:
                    info = zipfile.ZipInfo(name, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, data)
            fh.flush()
            os.fsync(fh.fileno())
            with contextlib.suppress(OSError):  # mkstemp makes it owner-only; a package is meant to be copied
                os.chmod(temporary, 0o644)
            fh.seek(0)
            digest = hashlib.sha256()
            size = 0
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return size, digest.hexdigest()


def export_package(
    session: Session,
    department_id: int,
    period: Period,
    path: str | Path,
    progress: Progress | None = None,
    *,
    now: dt.datetime | None = None,
) -> PackageSummary:
    """Write the 数据包 of one department for ``period`` to ``path`` and record the export in the audit trail.

    Raises :class:`ExportRefusedError` for an unknown department, a draw whose record is missing or cannot be
    named, or a file that cannot be written; :class:`~app.auth.roles.PermissionDenied` for a 监督员."""
    actor = require(session, Permission.EXCHANGE, "导出数据包")
    report = progress or (lambda _stage, _fraction: None)
    target = Path(path)
    department = session.get(Department, department_id)
    if department is None:
        raise ExportRefusedError(f"部门不存在（编号 {department_id}）")
    report("汇总统计数据", 0.0)
    facts = collect_facts(session, period, [department_id])
    report("读取摇号记录", 0.4)
    files: dict[str, bytes] = {FACTS: json_bytes(facts.to_json_dict(local_ids=False))}
    uids = [d.draw_uid for d in facts.draws]
    stored: dict[str, tuple[int, str]] = {}
    for start in range(0, len(uids), 900):
        chunk = uids[start : start + 900]
        rows = session.execute(
            select(Draw.draw_uid, Draw.id, Draw.record_json).where(
                Draw.draw_uid.in_(chunk), Draw.status == DrawStatus.FINISHED.value
            )
        )
        stored.update((uid, (draw_id, text or "")) for uid, draw_id, text in rows)
    for fact in facts.draws:
        name = record_name(fact.draw_uid)
        if name is None:
            raise ExportRefusedError(f"摇号编号“{fact.draw_uid}”含有不能用作文件名的字符，无法导出")
        draw_id, text = stored.get(fact.draw_uid, (0, ""))
        if not text.strip():
            raise ExportRefusedError(
                f"抽查任务 {fact.task_key} 的摇号（{fact.draw_uid}）没有保存摇号记录，无法导出可核验的数据包"
            )
        try:  # the record as it stands now: with its 递补 rounds, which the receiver verifies too
            files[name] = dump_record(current_record(session, draw_id)).encode("utf-8")
        except RecordIntegrityError as exc:
            raise ExportRefusedError(
                f"抽查任务 {fact.task_key} 的摇号记录（{fact.draw_uid}）与数据库中的递补记录不一致，"
                f"无法导出：{exc.message_zh}"
            ) from exc
    key = installation_signing_key()
    settings = load_settings(session)
    manifest = Manifest(
        program_version=__version__,
        sender=Sender(
            department_code=department.code,
            department_name=department.name,
            bureau=settings.bureau_name,
            county=settings.county_name,
            key_fingerprint=key.fingerprint,
        ),
        period=period,
        created_at=(now or utcnow()).astimezone(dt.UTC),
        created_by=actor.display_name,
        counts=facts_counts(facts, len(files) - 1),
        files=tuple(FileEntry(name, len(data), _sha256(data)) for name, data in files.items()),
    )
    report("写入数据包", 0.7)
    try:
        size, digest = write_package(target, manifest, files, key)
    except OSError as exc:
        raise ExportFileError(f"无法写入文件 {target}：{exc.strerror or exc}") from exc
    record_event(
        session,
        "导出",
        "数据包",
        "",
        f"导出数据包“{target.name}”：{department.name}，{period.span_text}，"
        f"摇号记录 {len(files) - 1} 份（密钥指纹 {key.fingerprint[:19]}…）",
        after={
            "file": str(target),
            "sha256": digest,
            "department": department.code,
            "period": period.to_json_dict(),
            "counts": manifest.counts,
            "fingerprint": key.fingerprint,
        },
    )
    session.commit()  # the export's audit entry (an export is read-only otherwise)
    report("完成", 1.0)
    return PackageSummary(
        path=target,
        size=size,
        sha256=digest,
        department_code=department.code,
        department_name=department.name,
        period=period,
        counts=manifest.counts,
        fingerprint=key.fingerprint,
    )
