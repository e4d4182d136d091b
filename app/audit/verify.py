"""Checking the audit trail and the protected records (`python -m app audit verify`, the 审计日志 page).

Four checks, each naming what it found broken:

1. the chain: ids 1, 2, 3 … without gaps, each entry's ``prev_hmac`` equal to the previous ``hmac`` and each
   ``hmac`` recomputed under this installation's key; the head row names the last entry (so entries cut off
   the end show);
2. the protected records: each finished draw, 递补 round, filed plan version and filed form is compared with
   the digest sealed in the trail when it was written;
3. the protecting triggers are all present;
4. the 数据包 received from other departments: each against its sender's signature and manifest
   (:func:`app.exchange.verify_received`), so a county-wide table cannot rest on edited figures unnoticed.

It only reads: a database from an older version is refused (open it in the app once to upgrade it).
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.orm import Session

from app.audit import protected
from app.audit.chain import entry_mac, head_mac
from app.audit.keys import AuditKey, installation_key
from app.audit.recorder import SEAL_ACTION
from app.errors import UserFacingError
from db.base import utcnow
from db.models import AuditEntry, AuditHead
from db.protection import TRIGGERS

__all__ = ["Problem", "VerifyReport", "VerifyUnusable", "verify_connection", "verify_file"]


class VerifyUnusable(UserFacingError):
    """The database cannot be checked at all; message_zh says why."""


@dataclass(frozen=True)
class Problem:
    area: str  # 审计链 / 受保护记录 / 保护触发器 / 收到的数据包
    message: str
    entry_id: int | None = None


@dataclass
class VerifyReport:
    entries: int = 0
    protected: dict[str, int] = field(default_factory=dict)
    received: int = 0  # 数据包 from other departments checked
    problems: list[Problem] = field(default_factory=list)
    key_id: str = ""
    checked_at: str = ""

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def lines(self) -> list[str]:
        """The report as the command line prints it."""
        counts = "、".join(f"{kind} {n} 份" for kind, n in self.protected.items() if n) or "无"
        received = f"；收到的数据包 {self.received} 个" if self.received else ""
        out = [f"审计日志 {self.entries} 条；受保护记录：{counts}{received}；本机密钥指纹 {self.key_id}。"]
        if self.intact:
            out.append(
                "核验通过：审计链完整，受保护记录与封存时一致，保护触发器齐全"
                + ("，收到的数据包与发送方签名一致。" if self.received else "。")
            )
        else:
            out.append(f"核验不通过，发现 {len(self.problems)} 处问题：")
            out += [f"  {n}. 〔{p.area}〕{p.message}" for n, p in enumerate(self.problems, start=1)]
        return out


Progress = Callable[[str, float], None]


def _check_triggers(connection: Connection, report: VerifyReport) -> None:
    if connection.dialect.name != "sqlite":
        return
    present = {
        row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    }
    missing = [name for name in TRIGGERS if name not in present]
    if missing:
        report.problems.append(
            Problem(
                "保护触发器",
                f"{len(missing)} 个保护触发器已被删除（首个：{missing[0]}），数据库曾被绕过程序修改",
            )
        )


def _check_chain(
    connection: Connection, key: AuditKey, report: VerifyReport, progress: Progress | None
) -> dict[tuple[str, str], str]:
    table = AuditEntry.__table__
    total = connection.execute(select(text("count(*)")).select_from(table)).scalar_one()
    seals: dict[tuple[str, str], str] = {}
    expected_id = 1
    last_hmac = ""
    broken: Problem | None = None
    foreign: set[str] = set()
    result = connection.execution_options(yield_per=2000).execute(select(table).order_by(table.c.id))
    for n, row in enumerate(result.mappings(), start=1):
        if progress is not None and n % 2000 == 0:
            progress("核验审计链", n / max(total, 1))
        report.entries += 1
        if row["action"] == SEAL_ACTION and isinstance(row["after"], dict):
            seals[(row["object_type"], row["object_id"])] = str(row["after"].get("digest"))
        if broken is not None:
            continue
        where = f"第 {row['id']} 条审计记录（{_when(row['at'])}，{row['username']}，{row['action']}）"
        if row["id"] != expected_id:
            broken = Problem(
                "审计链",
                f"审计记录缺失：第 {expected_id} 条到第 {row['id'] - 1} 条不见了（被删除）",
                expected_id,
            )
        elif row["prev_hmac"] != last_hmac:
            broken = Problem("审计链", f"{where}与前一条记录衔接不上（前面的记录被删除或改动）", row["id"])
        elif row["key_id"] != key.key_id:
            foreign.add(row["key_id"])
            broken = Problem(
                "审计链",
                f"{where}由另一台安装的密钥（指纹 {row['key_id'] or '无'}）签名，本机无法核验；"
                "请在原安装的电脑上核验",
                row["id"],
            )
        elif not hmac.compare_digest(entry_mac(key.secret, dict(row)), row["hmac"]):
            broken = Problem("审计链", f"{where}的内容被改动", row["id"])
        expected_id = row["id"] + 1
        last_hmac = row["hmac"]
    if broken is not None:
        report.problems.append(broken)
        return seals
    head = (
        connection.execute(select(AuditHead.__table__).where(AuditHead.__table__.c.id == 1))
        .mappings()
        .first()
    )
    last_id = expected_id - 1
    if head is None:
        report.problems.append(Problem("审计链", "审计链头记录缺失"))
    elif head["last_id"] != last_id or head["last_hmac"] != last_hmac:
        if head["last_id"] > last_id:
            message = f"审计日志末尾的记录被删除：应有 {head['last_id']} 条，现只有 {last_id} 条"
        else:
            message = (
                f"审计链头与日志不符（链头 {head['last_id']} 条，日志 {last_id} 条），日志被绕过程序改动"
            )
        report.problems.append(Problem("审计链", message, last_id + 1))
    elif last_id and not hmac.compare_digest(head_mac(key.secret, last_id, last_hmac), head["head_mac"]):
        report.problems.append(Problem("审计链", "审计链头被改动"))
    return seals


def _when(value: object) -> str:
    """The entry's time as the clerk's PC shows it (the 审计日志 page uses local time too)."""
    if isinstance(value, dt.datetime):
        return f"{value.astimezone():%Y-%m-%d %H:%M:%S}"
    return str(value)


def _check_protected(
    connection: Connection, seals: dict[tuple[str, str], str], report: VerifyReport, progress: Progress | None
) -> None:
    report.protected = dict.fromkeys(protected.KINDS, 0)
    refs = list(protected.protected_refs(connection))
    seen: set[tuple[str, str]] = set()
    for n, (kind, row_id) in enumerate(refs, start=1):
        if progress is not None and n % 50 == 0:
            progress("核验受保护记录", n / len(refs))
        report.protected[kind] += 1
        ref = (kind, str(row_id))
        seen.add(ref)
        sealed = seals.get(ref)
        if sealed is None:
            name = protected.describe(connection, kind, row_id)
            report.problems.append(Problem("受保护记录", f"{name}没有封存记录，是绕过程序写入或改成现状的"))
            continue
        if protected.digest(connection, kind, row_id) != sealed:
            name = protected.describe(connection, kind, row_id)
            report.problems.append(Problem("受保护记录", f"{name}的内容与封存时不一致，已被改动"))
    for kind, row_id_text in sorted(set(seals) - seen):
        if kind not in protected.KINDS:
            continue
        row_id = int(row_id_text)
        if protected.digest(connection, kind, row_id) is None:
            report.problems.append(Problem("受保护记录", f"{kind} #{row_id} 已封存，现已被删除"))
        else:  # still there but no longer counted as protected, e.g. a finished draw set back to 已准备
            name = protected.describe(connection, kind, row_id)
            report.problems.append(Problem("受保护记录", f"{name}已封存，但状态被改回可编辑"))


def _check_received(connection: Connection, report: VerifyReport) -> None:
    from app.exchange.received import verify_received
    from db.models import ReceivedPackage

    with Session(bind=connection) as session:
        report.received = session.scalar(select(func.count()).select_from(ReceivedPackage)) or 0
        if report.received:
            report.problems += [Problem("收到的数据包", problem) for problem in verify_received(session)]


def verify_connection(
    connection: Connection, key: AuditKey | None = None, progress: Progress | None = None
) -> VerifyReport:
    """Check the database behind ``connection``; every problem found is in the report."""
    key = key or installation_key()
    report = VerifyReport(key_id=key.key_id, checked_at=utcnow().isoformat(timespec="seconds"))
    _check_triggers(connection, report)
    seals = _check_chain(connection, key, report, progress)
    _check_protected(connection, seals, report, progress)
    _check_received(connection, report)
    return report


def verify_engine(engine: Engine, progress: Progress | None = None) -> VerifyReport:
    with engine.connect() as connection:
        return verify_connection(connection, progress=progress)


def verify_file(path: str | Path) -> VerifyReport:
    """Check a database file without changing it; VerifyUnusable when it cannot be checked."""
    from db.engine import make_engine
    from db.migrate import current_revision, head_revision

    location = Path(path).expanduser()
    if not location.is_file():
        raise VerifyUnusable(f"数据库文件不存在：{location}")
    with location.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise VerifyUnusable(f"该文件不是本程序的数据库（不是 SQLite 文件）：{location}")
    engine = make_engine(location)
    try:
        try:
            revision = current_revision(engine)
        except Exception as exc:  # noqa: BLE001 — a damaged file
            raise VerifyUnusable(f"无法读取数据库 {location}：{exc}") from exc
        if revision is None:
            raise VerifyUnusable(f"该文件不是本程序的数据库：{location}")
        if revision != head_revision():
            raise VerifyUnusable(
                f"数据库版本为 {revision}，与本程序（{head_revision()}）不同；请先用本程序打开一次完成升级，再核验"
            )
        return verify_engine(engine)
    finally:
        engine.dispose()
