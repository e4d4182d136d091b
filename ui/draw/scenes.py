"""What the projection window shows, as plain data the operator console fills from app/ services."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TitleScene:
    bureau: str
    task_title: str
    task_code: str
    items: list[str]
    departments: list[str]
    place: str
    when: str
    attempt_line: str = ""  # e.g. 第2次抽取；第1次作废，原因：…


@dataclass(frozen=True)
class PoolScene:
    """Everything fixed before the commitment (DRAW_SPEC §8)."""

    base_count: int
    exclusions: list[tuple[str, int]]
    pool_size: int
    strata: list[tuple[str, int, int, str]]  # label, N, n, inclusion rate text
    inspector_groups: list[tuple[str, int, int]]  # department, eligible inspectors, k per object
    fingerprints: dict[str, str]  # objects / inspectors / conflicts / params → sha256 hex
    cap: str = "auto"


@dataclass(frozen=True)
class WitnessLine:
    name: str
    affiliation: str
    values: str  # as typed, e.g. "3 1 4"


@dataclass(frozen=True)
class ResultLine:
    order: int
    name: str
    code: str
    stratum: str
    inspectors: list[str] = field(default_factory=list)  # "张三（469099010001）" per inspector, group first
    inspector_names: list[str] = field(default_factory=list)  # "张三": the final table's narrower column


def hex_blocks(value: str, per_line: int = 8) -> str:
    """A 64-digit hash in blocks of four, eight blocks a line, so it can be read aloud and compared."""
    blocks = [value[i : i + 4] for i in range(0, len(value), 4)]
    lines = [" ".join(blocks[i : i + per_line]) for i in range(0, len(blocks), per_line)]
    return "\n".join(lines)
