"""The params text (抽取参数) of SJDRAW-1 §2: strata, groups and cap.

```
algorithm=SJDRAW-1
strata=高:0.05,中:#10
groups=市场监管局:2,卫生健康局:1      (or  *:2)
cap=auto | none | <integer>
```

Rates are read exactly (``fractions.Fraction`` of the decimal text, never a float).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.draw.errors import ParamsError

ALGORITHM = "SJDRAW-1"
ALL_INSPECTORS = "*"
"""Group name meaning one undivided pool of every inspector."""

_RATE = re.compile(r"[0-9]+(\.[0-9]+)?")
_INTEGER = re.compile(r"[0-9]+")
_KEYS = ("algorithm", "strata", "groups", "cap")


@dataclass(frozen=True)
class StratumRule:
    """How many objects to draw from one stratum (分层): an exact rate or a fixed count."""

    label: str
    spelled: str
    """The value as written after the colon: ``"0.05"`` or ``"#10"``."""

    @property
    def count(self) -> int | None:
        """The fixed count for ``#count``, else None."""
        return int(self.spelled[1:]) if self.spelled.startswith("#") else None

    @property
    def rate(self) -> Fraction | None:
        """The exact rate for a decimal rate, else None."""
        return None if self.spelled.startswith("#") else Fraction(self.spelled)

    def sample_size(self, pool_size: int) -> int:
        """``min(N, ceil(rate × N))`` for a rate, ``min(N, count)`` for ``#count``."""
        count = self.count
        if count is not None:
            return min(pool_size, count)
        rate = self.rate
        assert rate is not None
        return min(pool_size, -((-rate.numerator * pool_size) // rate.denominator))

    @classmethod
    def by_rate(cls, label: str, rate: str) -> StratumRule:
        """A stratum drawn at an exact decimal rate such as ``"0.05"`` (validated)."""
        return _parse_stratum(f"{label}:{rate}")

    @classmethod
    def by_count(cls, label: str, count: int) -> StratumRule:
        """A stratum drawn by a fixed count (validated)."""
        return _parse_stratum(f"{label}:#{count}")


@dataclass(frozen=True)
class DrawParams:
    """Parsed params: strata rules (as written), groups with k, and the cap."""

    strata: tuple[StratumRule, ...]
    groups: tuple[tuple[str, int], ...]
    cap: str | int
    """``"auto"``, ``"none"`` or a positive integer."""

    @property
    def undivided(self) -> bool:
        """True for ``groups=*:k`` (one pool of all inspectors)."""
        return self.groups[0][0] == ALL_INSPECTORS

    def strata_sorted(self) -> list[StratumRule]:
        """Strata in draw order: sorted by label bytes (§5)."""
        return sorted(self.strata, key=lambda rule: rule.label)

    def groups_sorted(self) -> list[tuple[str, int]]:
        """Groups in assignment order: sorted by name bytes (§6)."""
        return sorted(self.groups)

    def cap_for(self, k: int, drawn: int, members: int) -> int | None:
        """The cap of one group: ``ceil(k × n / m)`` for auto, None for ``none`` (or an empty group)."""
        if self.cap == "none":
            return None
        if isinstance(self.cap, int):
            return self.cap
        if members == 0:
            return None
        return -((-k * drawn) // members)


def _check_label(label: str, what: str, item: str) -> None:
    if not label:
        raise ParamsError(f"抽取参数中{what}名称为空：“{item}”")


def _parse_stratum(item: str) -> StratumRule:
    label, colon, spelled = item.rpartition(":")
    if not colon:
        raise ParamsError(f"分层规则应写成“名称:比例”或“名称:#数量”：“{item}”")
    _check_label(label, "分层", item)
    if "," in label:
        raise ParamsError(f"分层名称不能含有逗号：“{label}”")
    if spelled.startswith("#"):
        if not _INTEGER.fullmatch(spelled[1:]):
            raise ParamsError(f"分层“{label}”的抽取数量应为非负整数：“{spelled}”")
    else:
        if not _RATE.fullmatch(spelled):
            raise ParamsError(f"分层“{label}”的抽取比例应为小数（如 0.05），不能写百分号或分数：“{spelled}”")
        if Fraction(spelled) > 1:
            raise ParamsError(f"分层“{label}”的抽取比例不能大于 1：“{spelled}”")
    return StratumRule(label, spelled)


def _parse_group(item: str) -> tuple[str, int]:
    name, colon, k_text = item.rpartition(":")
    if not colon:
        raise ParamsError(f"检查人员分组应写成“部门:人数”：“{item}”")
    _check_label(name, "部门", item)
    if not _INTEGER.fullmatch(k_text) or int(k_text) < 1:
        raise ParamsError(f"部门“{name}”每个对象的检查人员数应为正整数：“{k_text}”")
    return name, int(k_text)


def _parse_cap(value: str) -> str | int:
    if value in ("auto", "none"):
        return value
    if _INTEGER.fullmatch(value) and int(value) >= 1:
        return int(value)
    raise ParamsError(f"cap（每名检查人员最多分配的对象数）应为 auto、none 或正整数：“{value}”")


def parse_params(text: str) -> DrawParams:
    """Parse and validate a params text; raise :class:`ParamsError` (Chinese message) if it is invalid."""
    if not isinstance(text, str):
        raise ParamsError("抽取参数不是文本")
    if not unicodedata.is_normalized("NFC", text):
        raise ParamsError("抽取参数不是 Unicode NFC 规范形式")
    if "\t" in text or "\r" in text:
        raise ParamsError("抽取参数含有制表符或回车符")
    if not text.endswith("\n"):
        raise ParamsError("抽取参数每一行（包括最后一行）都应以换行符结束")
    lines = text[:-1].split("\n")
    if len(lines) != len(_KEYS):
        raise ParamsError(f"抽取参数应恰好有4行（algorithm、strata、groups、cap），实际有{len(lines)}行")
    values: list[str] = []
    for line, key in zip(lines, _KEYS, strict=True):
        found, equals, value = line.partition("=")
        if found != key or not equals:
            raise ParamsError(f"抽取参数该行应以“{key}=”开头：“{line}”")
        values.append(value)
    algorithm, strata_text, groups_text, cap_text = values
    if algorithm != ALGORITHM:
        raise ParamsError(f"不支持的摇号算法：“{algorithm}”（应为 {ALGORITHM}）")
    if not strata_text:
        raise ParamsError("抽取参数没有列出任何分层")
    strata = tuple(_parse_stratum(item) for item in strata_text.split(","))
    labels = [rule.label for rule in strata]
    if len(set(labels)) != len(labels):
        raise ParamsError("抽取参数中分层名称重复")
    if not groups_text:
        raise ParamsError("抽取参数没有列出检查人员分组")
    groups = tuple(_parse_group(item) for item in groups_text.split(","))
    names = [name for name, _ in groups]
    if len(set(names)) != len(names):
        raise ParamsError("抽取参数中部门名称重复")
    if ALL_INSPECTORS in names and len(names) > 1:
        raise ParamsError("“*”（全部检查人员）不能与具体部门同时使用")
    return DrawParams(strata, groups, _parse_cap(cap_text))


def format_params(
    strata: Sequence[StratumRule], groups: Sequence[tuple[str, int]], cap: str | int = "auto"
) -> str:
    """Build the params text from its parts (in the order given) and check it parses."""
    text = (
        f"algorithm={ALGORITHM}\n"
        f"strata={','.join(f'{rule.label}:{rule.spelled}' for rule in strata)}\n"
        f"groups={','.join(f'{name}:{k}' for name, k in groups)}\n"
        f"cap={cap}\n"
    )
    text = unicodedata.normalize("NFC", text)
    parse_params(text)
    return text
