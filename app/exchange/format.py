"""SJPKG-1: the 数据包 one department's PC hands to another (the 司法局's) on a USB stick.

One ``.sjpkg`` file, a zip (stored or deflated entries, no folders, no other names) holding:

``manifest.json``
    UTF-8 JSON object::

        {"format": "SJPKG-1", "version": 1,
         "program": {"name": "shuangsuiji", "version": "0.1.0"},
         "sender": {"department_code": "SJ", "department_name": "示范县市场监督管理局",
                    "bureau": "<单位名称 setting>", "county": "<县（区）名称 setting>",
                    "key_fingerprint": "3F2A 9C01 …"},
         "period": {"start": "2026-01-01", "end": "2026-06-30", "label": "2026年上半年"},
         "created_at": "2026-07-02T01:15:00+00:00", "created_by": "李经办",
         "counts": {"items": n, "plans": n, "plan_rows": n, "tasks": n, "draws": n, "entities": n,
                    "inspections": n, "publications": n, "records": n},
         "files": [{"name": "facts.json", "size": n, "sha256": "<hex>"},
                   {"name": "records/<draw_uid>.json", "size": n, "sha256": "<hex>"}, …]}

    ``files`` lists every entry of the zip except ``manifest.json`` and ``signature.json``, with its exact
    size and SHA-256 (lower-case hex).
``facts.json``
    The department's :class:`~app.reports.facts.Facts` for the period
    (:meth:`~app.reports.facts.Facts.to_json_dict` without this PC's database ids).
``records/<draw_uid>.json``
    For every draw in those facts (finished, not voided), its SJDRAW-1 record as it stands at export: the
    record stored when the draw finished with every 递补 round since replayed into ``replacements`` and
    ``final`` (:func:`app.tasks.current_record`; byte for byte the stored record when there was none). The
    file name is the record's ``draw_id``.
``signature.json``
    ``{"algorithm": "Ed25519", "signed_file": "manifest.json", "public_key": "<base64 of 32 bytes>",
    "fingerprint": "3F2A 9C01 …", "signature": "<base64>"}`` — the Ed25519 signature of the exact bytes of
    ``manifest.json`` under the sender installation's key (:mod:`app.exchange.signing`); the fingerprint is
    SHA-256 of the raw public key and must equal ``sender.key_fingerprint``.

A package verifies when the zip is safe to open, the signature holds, every listed file is present with its
size and hash and no other file is, the facts parse and belong to the sender and period of the manifest, and
every record verifies under SJDRAW-1 and drew the same objects the facts say (:mod:`app.exchange.reading`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from app.reports.errors import ReportError
from app.reports.facts import Facts
from app.reports.period import Period

__all__ = [
    "FACTS",
    "FORMAT",
    "MANIFEST",
    "SIGNATURE",
    "SUFFIX",
    "VERSION",
    "FileEntry",
    "Manifest",
    "ManifestError",
    "Sender",
    "facts_counts",
    "json_bytes",
    "record_name",
    "record_uid",
]

FORMAT = "SJPKG-1"
VERSION = 1
SUFFIX = ".sjpkg"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
FACTS = "facts.json"
_RECORD = re.compile(r"records/([A-Za-z0-9][A-Za-z0-9._-]{0,99})\.json")
_HEX64 = re.compile(r"[0-9a-f]{64}")
COUNT_KEYS = (
    "items",
    "plans",
    "plan_rows",
    "tasks",
    "draws",
    "entities",
    "inspections",
    "publications",
    "records",
)


class ManifestError(ValueError):
    """manifest.json or signature.json cannot be read; the message (Chinese) names the field."""


def record_uid(name: str) -> str | None:
    """The draw uid of a ``records/<draw_uid>.json`` entry name, or None for any other name."""
    match = _RECORD.fullmatch(name)
    if match is None or ".." in name:
        return None
    return match.group(1)


def record_name(draw_uid: str) -> str | None:
    """``records/<draw_uid>.json``, or None when the uid cannot be a file name."""
    name = f"records/{draw_uid}.json"
    return name if record_uid(name) == draw_uid else None


def json_bytes(value: Any) -> bytes:
    """JSON as the package writes it: UTF-8, keys sorted, Chinese as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def facts_counts(facts: Facts, records: int) -> dict[str, int]:
    """The ``counts`` of a manifest."""
    return {
        "items": len(facts.items),
        "plans": len(facts.plans),
        "plan_rows": sum(len(p.rows) for p in facts.plans),
        "tasks": len(facts.tasks),
        "draws": len(facts.draws),
        "entities": len(facts.entities),
        "inspections": len(facts.inspections),
        "publications": len(facts.publications),
        "records": records,
    }


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Sender:
    """Who sent the package: the department, its bureau and county settings, its key's fingerprint."""

    department_code: str
    department_name: str
    bureau: str
    county: str
    key_fingerprint: str


@dataclass(frozen=True)
class Manifest:
    program_version: str
    sender: Sender
    period: Period
    created_at: dt.datetime
    created_by: str
    counts: dict[str, int]
    files: tuple[FileEntry, ...]
    format: str = FORMAT
    version: int = VERSION

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "version": self.version,
            "program": {"name": "shuangsuiji", "version": self.program_version},
            "sender": {
                "department_code": self.sender.department_code,
                "department_name": self.sender.department_name,
                "bureau": self.sender.bureau,
                "county": self.sender.county,
                "key_fingerprint": self.sender.key_fingerprint,
            },
            "period": self.period.to_json_dict(),
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "counts": dict(self.counts),
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in self.files],
        }

    @property
    def record_files(self) -> tuple[FileEntry, ...]:
        return tuple(f for f in self.files if f.name != FACTS)

    @classmethod
    def parse(cls, data: bytes) -> Manifest:
        """Read manifest.json; :class:`ManifestError` names the first thing wrong."""
        raw = _json_object(data, MANIFEST)
        if raw.get("format") != FORMAT:
            raise ManifestError(
                f"{MANIFEST} 的格式标识为 {raw.get('format')!r}，不是本程序的数据包（{FORMAT}）"
            )
        if raw.get("version") != VERSION:
            raise ManifestError(
                f"数据包版本（{raw.get('version')!r}）不受本程序支持（支持版本 {VERSION}），"
                "请将两台电脑的程序升级到同一版本"
            )
        program = _object(raw, "program")
        sender = _object(raw, "sender")
        try:
            period = Period.from_json_dict(_object(raw, "period"))
        except ReportError as exc:
            raise ManifestError(f"{MANIFEST} 中的统计期间无法读取：{exc.message_zh}") from None
        created_text = _text(raw, "created_at")
        try:
            created_at = dt.datetime.fromisoformat(created_text)
        except ValueError:
            raise ManifestError(f"{MANIFEST} 中的 created_at 不是时间（{created_text!r}）") from None
        if created_at.tzinfo is None:
            raise ManifestError(f"{MANIFEST} 中的 created_at 缺少时区（{created_text!r}）")
        counts = _object(raw, "counts")
        files = raw.get("files")
        if not isinstance(files, list):
            raise ManifestError(f"{MANIFEST} 中缺少文件清单（files）")
        entries = [_file_entry(item, n) for n, item in enumerate(files, start=1)]
        names = [e.name for e in entries]
        if len(set(names)) != len(names):
            raise ManifestError(f"{MANIFEST} 的文件清单中有重复的文件名")
        if FACTS not in names:
            raise ManifestError(f"{MANIFEST} 的文件清单中没有 {FACTS}")
        return cls(
            program_version=_text(program, "version", "program.version"),
            sender=Sender(
                department_code=_text(sender, "department_code", "sender.department_code", required=True),
                department_name=_text(sender, "department_name", "sender.department_name", required=True),
                bureau=_text(sender, "bureau", "sender.bureau"),
                county=_text(sender, "county", "sender.county"),
                key_fingerprint=_text(sender, "key_fingerprint", "sender.key_fingerprint", required=True),
            ),
            period=period,
            created_at=created_at.astimezone(dt.UTC),
            created_by=_text(raw, "created_by"),
            counts={key: _count(counts, key) for key in COUNT_KEYS},
            files=tuple(entries),
        )


def _json_object(data: bytes, name: str) -> dict[str, Any]:
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ManifestError(f"{name} 不是有效的 JSON 文件") from None
    if not isinstance(raw, dict):
        raise ManifestError(f"{name} 应为 JSON 对象")
    return raw


def _object(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise ManifestError(f"{MANIFEST} 中缺少 {key}")
    return value


def _text(raw: dict[str, Any], key: str, where: str = "", *, required: bool = False) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ManifestError(f"{MANIFEST} 中的 {where or key} 缺失或不是文字")
    return value


def _count(raw: dict[str, Any], key: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ManifestError(f"{MANIFEST} 中的 counts.{key} 缺失或不是非负整数")
    return value


def _file_entry(item: object, n: int) -> FileEntry:
    if not isinstance(item, dict):
        raise ManifestError(f"{MANIFEST} 文件清单第 {n} 项应为对象")
    name, size, digest = item.get("name"), item.get("size"), item.get("sha256")
    if not isinstance(name, str) or (name != FACTS and record_uid(name) is None):
        raise ManifestError(f"{MANIFEST} 文件清单第 {n} 项的文件名不允许：{name!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ManifestError(f"{MANIFEST} 文件清单中 {name} 的大小无效")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise ManifestError(f"{MANIFEST} 文件清单中 {name} 的摘要无效")
    return FileEntry(name, size, digest)


@dataclass(frozen=True)
class Signature:
    algorithm: str
    public_key: str
    fingerprint: str
    signature: str

    def to_json_dict(self) -> dict[str, str]:
        return {
            "algorithm": self.algorithm,
            "signed_file": MANIFEST,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "signature": self.signature,
        }

    @classmethod
    def parse(cls, data: bytes) -> Signature:
        raw = _json_object(data, SIGNATURE)
        values = {}
        for key in ("algorithm", "public_key", "fingerprint", "signature"):
            value = raw.get(key)
            if not isinstance(value, str) or not value:
                raise ManifestError(f"{SIGNATURE} 中缺少 {key}")
            values[key] = value
        if raw.get("signed_file", MANIFEST) != MANIFEST:
            raise ManifestError(f"{SIGNATURE} 签名的不是 {MANIFEST}")
        return cls(**values)
