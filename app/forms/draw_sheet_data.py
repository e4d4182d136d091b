"""What the 随机抽取情况记录表 (draw sheet) prints, as plain data (no reportlab, no record parsing).

:mod:`app.forms.draw_sheet_record` fills it from a SJDRAW-1 record; :mod:`app.forms.draw_sheet` prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.errors import UserFacingError

ALL_INSPECTORS_LABEL = "全部检查人员"


class DrawSheetError(UserFacingError, ValueError):
    """The draw sheet cannot be made from this record; ``message_zh`` tells the clerk why."""


@dataclass(frozen=True)
class VoidedAttempt:
    """An earlier attempt of the same draw that was declared void (作废), and why."""

    attempt: int
    reason: str
    at: str = ""


@dataclass(frozen=True)
class PoolExclusion:
    """Objects taken out of the registry before the draw (注销/吊销, 本年度已检查…) and how many."""

    reason: str
    count: int
    enabled: bool = True
    """False for an exclusion rule the task did not apply (printed as 未启用)."""


@dataclass(frozen=True)
class StratumLine:
    """One stratum (分层): its rule as written (``0.05`` or ``#10``), pool size N and sample size n."""

    label: str
    rule: str
    pool_size: int
    sample_size: int

    @property
    def rule_text(self) -> str:
        """The rule in words: ``按比例 5%`` or ``定量 10 个``."""
        if self.rule.startswith("#"):
            return f"定量 {self.rule[1:]} 个"
        return f"按比例 {_percent(Fraction(self.rule))}"

    @property
    def inclusion_rate(self) -> str:
        """n / N as a percentage (the chance each object in the stratum had of being drawn)."""
        return "—" if self.pool_size == 0 else _percent(Fraction(self.sample_size, self.pool_size))


@dataclass(frozen=True)
class InspectorPoolLine:
    """One department's inspector pool: eligible inspectors m, inspectors per object k, resolved cap."""

    department: str
    eligible: int
    per_object: int
    cap: int | None


@dataclass(frozen=True)
class InspectorRef:
    """An inspector as printed: name and 执法证号."""

    name: str
    cert_no: str
    replacement: bool = False
    """True when this inspector came in by a replacement round (递补)."""


@dataclass(frozen=True)
class Assignment:
    """The inspectors one department sends to one drawn object."""

    department: str
    inspectors: tuple[InspectorRef, ...]


@dataclass(frozen=True)
class ResultRow:
    """One drawn object in draw order (抽中顺序号) with its final inspectors."""

    order: int
    name: str
    code: str
    stratum: str
    assignments: tuple[Assignment, ...]


@dataclass(frozen=True)
class WitnessLine:
    """A witness (监督人/见证人): name, affiliation and the numbers they called out, in order."""

    name: str
    values: tuple[int, ...]
    affiliation: str = ""

    @property
    def typed(self) -> str:
        """The numbers as typed in, separated by spaces."""
        return " ".join(str(v) for v in self.values)


@dataclass(frozen=True)
class ReplacementLine:
    """One replacement round (递补)."""

    round: int
    object_name: str
    object_code: str
    department: str
    removed: InspectorRef
    reason: str
    witnesses: tuple[WitnessLine, ...]
    chosen: InspectorRef


@dataclass(frozen=True)
class Fingerprints:
    """The four input hashes printed before the commitment (§8)."""

    objects: str
    inspectors: str
    conflicts: str
    params: str


@dataclass(frozen=True)
class DrawSheetData:
    """Everything printed on one 随机抽取情况记录表."""

    bureau_name: str
    draw_id: str
    fingerprints: Fingerprints
    commit: str
    nonce: str
    seed: str
    results: Sequence[ResultRow]
    record_file_name: str
    record_sha256: str
    task_code: str = ""
    task_title: str = ""
    task_kind: str = ""
    """年度计划内 or 计划外（专项）."""
    items: tuple[str, ...] = ()
    lead_department: str = ""
    partner_departments: tuple[str, ...] = ()
    drawn_at: str = ""
    place: str = ""
    operator: str = ""
    inspection_date: str = ""
    attempt: int = 1
    voided: tuple[VoidedAttempt, ...] = ()
    """Earlier attempts of the same task that were voided."""
    void_note: str = ""
    """Set when this draw itself was declared void; printed prominently under the title."""
    registry_size: int | None = None
    """Objects in the registry before any condition (名录库)."""
    pool_filters: tuple[str, ...] = ()
    """Conditions of a targeted (定向) draw, as text."""
    pool_base: int | None = None
    """Objects meeting the conditions (基数), before exclusions."""
    exclusions: tuple[PoolExclusion, ...] = ()
    pool_size: int = 0
    strata: tuple[StratumLine, ...] = ()
    inspector_pools: tuple[InspectorPoolLine, ...] = ()
    cap_rule: str = ""
    conflicts_count: int = 0
    params_text: str = ""
    witnesses: tuple[WitnessLine, ...] = ()
    witness_string: str = ""
    replacements: tuple[ReplacementLine, ...] = ()
    verification: str = ""
    """The result of re-verifying the record when the sheet was made (empty if not checked)."""
    departments: tuple[str, ...] = ()
    """Result-table columns, one per department (group) in assignment order."""

    @property
    def attempt_text(self) -> str:
        """``第2次抽取；第1次作废，原因：…`` or ``第1次抽取``."""
        parts = [f"第{self.attempt}次抽取"]
        parts += [
            f"第{v.attempt}次作废，原因：{v.reason}" + (f"（{v.at}）" if v.at else "") for v in self.voided
        ]
        return "；".join(parts)


def _percent(value: Fraction) -> str:
    text = f"{float(value * 100):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
