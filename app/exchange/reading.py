"""Verifying a 数据包 without writing anything: :func:`inspect_package` (also what an import runs first).

Checks, in order (see :mod:`app.exchange.format` for the layout):

1. the file: readable, not absurdly large, a zip (its end-of-directory record read first, and the entry count
   checked, before :mod:`zipfile` lists anything — :func:`app.io.safety.check_zip_directory`);
2. the entries: only the names SJPKG-1 allows (no folders, absolute paths, ``..`` or backslashes, no
   duplicates, no encryption), and sizes and compression ratios that no honest package has (zip bombs);
3. ``signature.json``: Ed25519 over the exact bytes of ``manifest.json``, by the key whose fingerprint the
   manifest names;
4. ``manifest.json``: every listed file present with its size and SHA-256, no other file;
5. ``facts.json``: readable facts of the manifest's sender and period, with the counts the manifest states;
6. every ``records/<draw_uid>.json``: verifies under SJDRAW-1 (:func:`app.draw.verify.check_record`) and drew
   the same objects, in the same order, as the facts' draw of that uid; every draw in the facts has one.

Each failure is one Chinese sentence naming the file and, for records, the draw and its task.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.draw.errors import RecordError
from app.draw.record import load_record
from app.draw.verify import Outcome, check_record
from app.exchange.format import (
    FACTS,
    FORMAT,
    MANIFEST,
    SIGNATURE,
    Manifest,
    ManifestError,
    Signature,
    facts_counts,
    record_uid,
)
from app.exchange.signing import ALGORITHM, fingerprint_of, public_key_from_text, verify_signature
from app.io.errors import ImportFileError, SuspiciousFileError
from app.io.safety import MAX_ZIP_ENTRIES, check_zip_directory
from app.reports.errors import ReportError
from app.reports.facts import DrawFact, EntityFact, Facts
from app.reports.period import date_text

__all__ = ["MAX_PACKAGE_BYTES", "PackageReport", "inspect_package"]

Progress = Callable[[str, float], None]

_MIB = 1 << 20
MAX_PACKAGE_BYTES = 512 * _MIB
_LIMITS = {MANIFEST: 16 * _MIB, SIGNATURE: 64 * 1024, FACTS: 512 * _MIB}
_RECORD_LIMIT = 128 * _MIB  # a record of a 100,000-object draw is ~10 MB
_MAX_TOTAL = 1024 * _MIB
_MAX_RATIO = 200  # JSON deflates 5–20:1; a bomb 1000:1
_RATIO_FLOOR = _MIB
_SHOWN_DIFFERENCES = 3


class _Stop(Exception):
    """A problem after which nothing further can be checked."""


@dataclass
class PackageReport:
    """The outcome of :func:`inspect_package`. ``readable`` False: not a package file at all (exit 2);
    ``problems``: each check that failed (exit 1); neither: the package verifies (exit 0)."""

    path: Path
    size: int = 0
    sha256: str = ""  # of the whole file
    readable: bool = True
    problems: list[str] = field(default_factory=list)
    manifest: Manifest | None = None
    signature_valid: bool = False
    fingerprint: str = ""  # of the key that signed the manifest (when the signature holds)
    facts: Facts | None = None
    records_verified: int = 0
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)  # every entry, as read

    @property
    def valid(self) -> bool:
        return self.readable and not self.problems and self.manifest is not None and self.facts is not None

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else (2 if not self.readable else 1)

    @property
    def records(self) -> dict[str, bytes]:
        """``draw_uid`` → the record file's bytes."""
        out = {}
        for name, data in self.contents.items():
            uid = record_uid(name)
            if uid is not None:
                out[uid] = data
        return out

    def lines(self) -> list[str]:
        """The report as ``python -m app package show`` prints it."""
        out = [f"数据包：{self.path}" + (f"（{self.size / 1024:,.0f} KB）" if self.size else "")]
        if self.sha256:
            out.append(f"文件摘要（SHA-256）：{self.sha256}")
        m = self.manifest
        if m is not None:
            c = m.counts
            out += [
                f"格式：{m.format} 版本 {m.version}，导出程序版本 {m.program_version}",
                f"发送部门：{m.sender.department_name}（{m.sender.department_code}）；"
                f"单位：{m.sender.bureau}；县（区）：{m.sender.county}",
                f"统计期间：{m.period.span_text}",
                f"导出时间：{m.created_at.astimezone():%Y-%m-%d %H:%M}（{m.created_by or '未署名'}）",
                f"密钥指纹：{m.sender.key_fingerprint}",
                f"内容：抽查事项 {c['items']} 项，年度计划 {c['plans']} 份（{c['plan_rows']} 行），"
                f"抽查任务 {c['tasks']} 个，摇号记录 {c['records']} 份，抽中对象 {c['entities']} 户，"
                f"检查登记 {c['inspections']} 份，结果公示 {c['publications']} 次",
            ]
        if self.valid:
            out.append(
                f"核验通过：签名有效，全部 {len(self.contents)} 个文件与清单一致，统计数据可读取，"
                f"{self.records_verified} 份摇号记录均通过 SJDRAW-1 验证且与统计数据一致。"
            )
        elif not self.readable:
            out.append(f"无法读取：{self.problems[0] if self.problems else '文件不可用'}")
        else:
            out.append(f"核验不通过，发现 {len(self.problems)} 处问题：")
            out += [f"  {n}. {p}" for n, p in enumerate(self.problems, start=1)]
        return out


def inspect_package(path: str | Path, progress: Progress | None = None) -> PackageReport:
    """Verify the package at ``path`` (reads only; never raises for a bad file — see :class:`PackageReport`)."""
    report = PackageReport(Path(path))
    tell = progress or (lambda _stage, _fraction: None)
    try:
        tell("检查文件", 0.0)
        _read_entries(report)
        tell("核验签名", 0.2)
        signature = _check_signature(report)
        _check_files(report)
        tell("读取统计数据", 0.3)
        _check_facts(report)
        _check_records(report, lambda f: tell("验证摇号记录", 0.35 + 0.65 * f))
        if signature is not None and report.signature_valid:
            report.fingerprint = signature.fingerprint
    except _Stop:
        pass
    tell("完成", 1.0)
    return report


# ---- 1, 2: the file and its entries ------------------------------------------------------------------------


def _unreadable(report: PackageReport, message: str) -> _Stop:
    report.readable = False
    report.problems.append(message)
    return _Stop()


def _refuse(report: PackageReport, message: str) -> _Stop:
    report.problems.append(message)
    return _Stop()


def _read_entries(report: PackageReport) -> None:
    path = report.path
    name = path.name
    try:
        report.size = path.stat().st_size
        if not path.is_file():
            raise _unreadable(report, f"{name} 不是文件")
    except OSError as exc:
        raise _unreadable(report, f"无法读取文件 {path}：{exc.strerror or exc}") from None
    if report.size > MAX_PACKAGE_BYTES:
        raise _refuse(
            report,
            f"{name} 太大（{report.size / _MIB:,.0f} MB），超过数据包的上限 {MAX_PACKAGE_BYTES // _MIB} MB，"
            "可能不是本程序导出的数据包",
        )
    try:
        check_zip_directory(path)
    except SuspiciousFileError:
        raise _refuse(
            report,
            f"{name} 内含的文件数量远超正常数据包（上限 {MAX_ZIP_ENTRIES:,} 个），可能是恶意构造的文件",
        ) from None
    except ImportFileError:
        raise _unreadable(report, f"{name} 不是数据包（不是有效的 zip 文件，或文件已损坏、不完整）") from None
    try:
        with path.open("rb") as fh:
            digest = hashlib.sha256()
            for chunk in iter(lambda: fh.read(_MIB), b""):
                digest.update(chunk)
            report.sha256 = digest.hexdigest()
            fh.seek(0)
            with zipfile.ZipFile(fh) as archive:
                infos = archive.infolist()
                _check_names(report, infos)
                _check_sizes(report, infos)
                for info in infos:
                    try:
                        with archive.open(info) as member:
                            report.contents[info.filename] = member.read(info.file_size + 1)
                    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
                        report.problems.append(f"数据包中的文件 {info.filename} 已损坏（解压或校验失败）")
    except _Stop:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _unreadable(report, f"{name} 不是数据包（不是有效的 zip 文件，或文件已损坏、不完整）") from None


def _name_problem(name: str) -> str | None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return f"数据包含有绝对路径的文件名“{name}”，已拒绝（可能是恶意构造的文件）"
    if ".." in parts:
        return f"数据包含有指向数据包以外位置的文件名“{name}”，已拒绝（可能是恶意构造的文件）"
    if "\\" in name or name.endswith("/"):
        return f"数据包含有不允许的文件名或文件夹“{name}”"
    if name not in (MANIFEST, SIGNATURE, FACTS) and record_uid(name) is None:
        return f"数据包含有 {FORMAT} 格式之外的文件“{name}”"
    return None


def _check_names(report: PackageReport, infos: list[zipfile.ZipInfo]) -> None:
    seen: set[str] = set()
    for info in infos:
        problem = _name_problem(info.filename)
        if problem is not None:
            raise _refuse(report, problem)
        if info.filename in seen:
            raise _refuse(report, f"数据包中的文件“{info.filename}”出现了不止一次，已拒绝")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise _refuse(report, f"数据包中的文件“{info.filename}”已加密，本程序导出的数据包不加密")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(report, f"数据包中的文件“{info.filename}”使用了本程序不使用的压缩方式")


def _check_sizes(report: PackageReport, infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        limit = _LIMITS.get(info.filename, _RECORD_LIMIT)
        ratio = info.file_size // max(1, info.compress_size)
        if info.file_size > limit or (info.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO):
            raise _refuse(
                report,
                f"数据包中的文件“{info.filename}”解压后达 {info.file_size / _MIB:,.0f} MB（压缩比 {ratio:,}:1），"
                "远超正常数据包，可能是恶意构造的“压缩炸弹”，已拒绝读取",
            )
        total += info.file_size
    if total > _MAX_TOTAL:
        raise _refuse(
            report,
            f"数据包解压后共 {total / _MIB:,.0f} MB，超过上限 {_MAX_TOTAL // _MIB} MB，已拒绝读取",
        )


# ---- 3, 4: signature and manifest --------------------------------------------------------------------------


def _check_signature(report: PackageReport) -> Signature | None:
    for required in (MANIFEST, SIGNATURE):
        if required not in report.contents:
            raise _refuse(report, f"数据包缺少 {required}，不是完整的 {FORMAT} 数据包")
    manifest_bytes = report.contents[MANIFEST]
    signature: Signature | None
    try:
        signature = Signature.parse(report.contents[SIGNATURE])
    except ManifestError as exc:
        report.problems.append(f"签名文件无法读取：{exc}")
        signature = None
    try:
        manifest = Manifest.parse(manifest_bytes)
    except ManifestError as exc:
        raise _refuse(report, f"数据包清单无法读取：{exc}") from None
    report.manifest = manifest
    if signature is None:
        return None
    public = public_key_from_text(signature.public_key)
    if signature.algorithm != ALGORITHM or public is None:
        report.problems.append(f"{SIGNATURE} 的签名算法或公钥无效（应为 {ALGORITHM}）")
        return signature
    if fingerprint_of(public) != signature.fingerprint:
        report.problems.append(f"{SIGNATURE} 中的密钥指纹与公钥不符")
    elif signature.fingerprint != manifest.sender.key_fingerprint:
        report.problems.append(
            f"签名所用密钥（指纹 {signature.fingerprint}）不是清单中发送部门的密钥"
            f"（指纹 {manifest.sender.key_fingerprint}）"
        )
    elif not verify_signature(public, signature.signature, manifest_bytes):
        report.problems.append(
            f"签名无效：{MANIFEST} 与签名不符，数据包清单在导出后被改动（或签名被替换），已拒绝"
        )
    else:
        report.signature_valid = True
    return signature


def _check_files(report: PackageReport) -> None:
    manifest = report.manifest
    assert manifest is not None
    listed = {entry.name for entry in manifest.files}
    present = set(report.contents) - {MANIFEST, SIGNATURE}
    for name in sorted(listed - present):
        report.problems.append(f"数据包缺少文件 {name}（清单中列出，但数据包中没有）")
    for name in sorted(present - listed):
        report.problems.append(f"数据包中多出文件 {name}（清单中没有列出）")
    for entry in manifest.files:
        data = report.contents.get(entry.name)
        if data is None:
            continue
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            report.problems.append(
                f"文件 {entry.name} 的内容与清单记录的大小或 SHA-256 摘要不符，数据包在导出后被改动"
            )


# ---- 5, 6: facts and records -------------------------------------------------------------------------------


def _check_facts(report: PackageReport) -> None:
    import json

    manifest = report.manifest
    assert manifest is not None
    data = report.contents.get(FACTS)
    if data is None:
        raise _Stop()  # already named as missing
    try:
        facts = Facts.from_json_dict(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(report, f"{FACTS} 不是有效的 JSON 文件") from None
    except ReportError as exc:
        raise _refuse(report, f"{FACTS} 无法读取：{exc.message_zh}") from None
    report.facts = facts
    if (facts.period.start, facts.period.end) != (manifest.period.start, manifest.period.end):
        report.problems.append(
            f"{FACTS} 的统计期间（{date_text(facts.period.start)}至{date_text(facts.period.end)}）"
            f"与清单中的统计期间（{manifest.period.span_text}）不符"
        )
    codes = [d.code for d in facts.departments]
    if codes != [manifest.sender.department_code]:
        report.problems.append(
            f"{FACTS} 中的部门（{'、'.join(codes) or '无'}）与发送部门"
            f"（{manifest.sender.department_code}）不符"
        )
    expected = facts_counts(facts, len(manifest.record_files))
    if expected != manifest.counts:
        report.problems.append(f"清单中的数量与 {FACTS} 的内容不符")


def _check_records(report: PackageReport, progress: Callable[[float], None]) -> None:
    manifest, facts = report.manifest, report.facts
    assert manifest is not None and facts is not None
    records = report.records
    draws = {d.draw_uid: d for d in facts.draws}
    for uid in sorted(set(draws) - set(records)):
        report.problems.append(f"{FACTS} 中任务 {draws[uid].task_key} 的摇号（{uid}）没有摇号记录文件")
    for uid in sorted(set(records) - set(draws)):
        report.problems.append(f"摇号记录 records/{uid}.json 不属于 {FACTS} 中的任何一次摇号")
    verified = 0
    for n, (uid, data) in enumerate(sorted(records.items()), start=1):
        draw = draws.get(uid)
        where = f"摇号记录 records/{uid}.json" + (f"（任务 {draw.task_key}）" if draw else "")
        if _check_record(report, where, uid, data, draw, facts):
            verified += 1
        progress(n / len(records))
    report.records_verified = verified


def _check_record(
    report: PackageReport, where: str, uid: str, data: bytes, draw: DrawFact | None, facts: Facts
) -> bool:
    try:
        record = load_record(data)
    except RecordError as exc:
        report.problems.append(f"{where}无法读取：{exc.message}")
        return False
    result, _recomputed = check_record(record)
    if result.outcome is Outcome.MALFORMED:
        report.problems.append(f"{where}不是有效的 SJDRAW-1 记录：{result.problem}")
        return False
    ok = True
    if result.outcome is Outcome.NOT_VERIFIED:
        shown = "；".join(d.line() for d in result.differences[:_SHOWN_DIFFERENCES])
        more = f" 等 {len(result.differences)} 处" if len(result.differences) > _SHOWN_DIFFERENCES else ""
        report.problems.append(f"{where}未通过 SJDRAW-1 验证：{shown}{more}")
        ok = False
    if record.get("draw_id") != uid:
        report.problems.append(f"{where}中的摇号编号（{record.get('draw_id')!r}）与文件名不符")
        ok = False
    if draw is not None:
        mismatch = _objects_mismatch(record, draw, facts)
        if mismatch:
            report.problems.append(f"{where}抽中的对象与 {FACTS} 不一致：{mismatch}")
            ok = False
    return ok


def _folded(name: str) -> str:
    return " ".join(name.split()) if any(c in name for c in "\t\r\n") else name


def _same_object(record_id: str, record_name: str, entity: EntityFact) -> bool:
    """The record's object row names the entity: same name (as SJDRAW-1 folds it) and its 统一社会信用代码
    (else 注册号) as id — or the ``ENTITY-<n>`` id the draw falls back to for a missing or shared code."""
    code = entity.uscc or entity.reg_no
    same_id = record_id == code or record_id.startswith("ENTITY-")
    return same_id and record_name == _folded(entity.name)


def _objects_mismatch(record: dict[str, Any], draw: DrawFact, facts: Facts) -> str:
    names = {str(row[0]): str(row[2]) for row in record["objects"] if isinstance(row, list) and len(row) == 3}
    drawn = [entry.get("id") for entry in record["draw"] if isinstance(entry, dict)]
    if len(drawn) != len(draw.entity_keys):
        return f"记录抽中 {len(drawn)} 户，统计数据为 {len(draw.entity_keys)} 户"
    for order, (record_id, key) in enumerate(zip(drawn, draw.entity_keys, strict=True), start=1):
        entity = facts.entity_by_key.get(key)
        if entity is None:
            return f"第 {order} 个抽中对象在统计数据中没有对象信息"
        record_id = str(record_id)
        if not _same_object(record_id, names.get(record_id, ""), entity):
            return f"第 {order} 个抽中对象在记录中为 {record_id}，统计数据中为 {key}"
    return ""
