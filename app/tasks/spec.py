"""How a task defines its pool: 定向 filter, exclusions (排除), strata (分层) — and their JSON in the task row.

These are plain frozen values; :mod:`app.tasks.tasks` stores them in ``InspectionTask.pool_filter``,
``.exclusions`` and ``.strata`` and reads them back with the ``from_json`` constructors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.draw import ParamsError, StratumRule
from app.tasks.errors import TaskSpecError
from db.enums import CreditClass, EntityKind, RiskLevel


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


@dataclass(frozen=True)
class PoolFilter:
    """定向 filter over the entity registry; every empty field means "any", all empty = 不定向.

    ``abnormal_list`` / ``serious_illegal``: True = only objects on the 经营异常名录 / 严重违法失信名单,
    False = only objects not on it, None = either.
    """

    kinds: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    risk_levels: tuple[str, ...] = ()
    credit_classes: tuple[str, ...] = ()
    department_ids: tuple[int, ...] = ()  # 监管部门 of the entity
    abnormal_list: bool | None = None
    serious_illegal: bool | None = None

    @property
    def directed(self) -> bool:
        """True for a 定向 task (some filter set), False for 不定向."""
        return bool(self.to_json())

    def validated(self) -> PoolFilter:
        """Self, or :class:`TaskSpecError` for a value outside the closed vocabularies."""
        for values, allowed, what in (
            (self.kinds, {k.value for k in EntityKind}, "检查对象类型"),
            (self.risk_levels, {r.value for r in RiskLevel}, "风险等级"),
            (self.credit_classes, {c.value for c in CreditClass}, "信用分类"),
        ):
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise TaskSpecError(f"定向条件中的{what}无效：{'、'.join(unknown)}")
        return self

    def to_json(self) -> dict[str, Any]:
        """Only the fields that are set; ``{}`` is 不定向."""
        data: dict[str, Any] = {}
        for key in ("kinds", "industries", "towns", "risk_levels", "credit_classes", "department_ids"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        for key in ("abnormal_list", "serious_illegal"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PoolFilter:
        """Read ``InspectionTask.pool_filter`` or a plan row's ``scope_filter`` (unknown keys ignored)."""
        data = data or {}
        return cls(
            kinds=_texts(data.get("kinds")),
            industries=_texts(data.get("industries")),
            towns=_texts(data.get("towns")),
            risk_levels=_texts(data.get("risk_levels")),
            credit_classes=_texts(data.get("credit_classes")),
            department_ids=tuple(int(v) for v in data.get("department_ids") or ()),
            abnormal_list=data.get("abnormal_list"),
            serious_illegal=data.get("serious_illegal"),
        )

    def describe(self, department_names: Mapping[int, str] | None = None) -> list[str]:
        """Chinese lines for the printout, e.g. ``检查对象类型：企业、个体工商户``; ``["不定向（全部检查对象）"]``."""
        names = department_names or {}
        lines = [
            f"{label}：{'、'.join(values)}"
            for label, values in (
                ("检查对象类型", self.kinds),
                ("行业", self.industries),
                ("乡镇/片区", self.towns),
                ("风险等级", self.risk_levels),
                ("信用分类", self.credit_classes),
                ("监管部门", tuple(names.get(i, f"部门{i}") for i in self.department_ids)),
            )
            if values
        ]
        for label, flag in (("经营异常名录", self.abnormal_list), ("严重违法失信名单", self.serious_illegal)):
            if flag is not None:
                lines.append(f"{label}：{'仅列入的' if flag else '仅未列入的'}")
        return lines or ["不定向（全部检查对象）"]


@dataclass(frozen=True)
class Exclusions:
    """Which exclusions (排除) apply before the draw; each is on unless switched off.

    ``annual_cap_limit``: the most times one object may be drawn in a year (any task); None = the plan
    row's 频次上限, or for a task without one the setting ``tasks.annual_cap_per_object``.
    """

    deregistered: bool = True  # 注销/吊销/迁出/歇业 (anything but 存续)
    outside_item: bool = True  # not a 检查对象 of the task's items
    already_inspected: bool = True  # drawn for the same item this year
    annual_cap: bool = True  # drawn the most times allowed this year
    annual_cap_limit: int | None = None

    def validated(self) -> Exclusions:
        """Self, or :class:`TaskSpecError` for a limit below 1."""
        if self.annual_cap_limit is not None and self.annual_cap_limit < 1:
            raise TaskSpecError(f"年度抽中次数上限应为正整数，当前为 {self.annual_cap_limit}")
        return self

    def to_json(self) -> dict[str, Any]:
        """The ``InspectionTask.exclusions`` JSON."""
        return {
            "deregistered": self.deregistered,
            "outside_item": self.outside_item,
            "already_inspected": self.already_inspected,
            "annual_cap": self.annual_cap,
            "annual_cap_limit": self.annual_cap_limit,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Exclusions:
        """Read ``InspectionTask.exclusions``; a missing switch is on (the safe default)."""
        data = data or {}
        limit = data.get("annual_cap_limit")
        return cls(
            deregistered=bool(data.get("deregistered", True)),
            outside_item=bool(data.get("outside_item", True)),
            already_inspected=bool(data.get("already_inspected", True)),
            annual_cap=bool(data.get("annual_cap", True)),
            annual_cap_limit=None if limit is None else int(limit),
        )


class StrataBasis(StrEnum):
    """What objects are stratified by (分层依据)."""

    ALL = "全部"  # one stratum labelled 全部
    RISK = "风险等级"  # 高/中/低
    CREDIT = "信用分类"  # A/B/C/D

    @property
    def labels(self) -> tuple[str, ...]:
        """The stratum labels of this basis, in their natural order."""
        if self is StrataBasis.RISK:
            return tuple(r.value for r in RiskLevel)
        if self is StrataBasis.CREDIT:
            return tuple(c.value for c in CreditClass)
        return ("全部",)


RateOrCount = str | Decimal | int
"""A rate as exact decimal text or Decimal (``"0.05"``), or an int count of objects."""


def _spelled(label: str, value: RateOrCount) -> str:
    """The SJDRAW-1 spelling of one stratum rule: ``0.05`` or ``#10`` (validated)."""
    try:
        if isinstance(value, bool):
            raise TaskSpecError(f"分层“{label}”的抽取比例或数量无效：{value!r}")
        if isinstance(value, int):
            if value < 0:
                raise TaskSpecError(f"分层“{label}”的抽取数量不能为负数：{value}")
            return StratumRule.by_count(label, value).spelled
        text = value if isinstance(value, str) else format(value, "f")
        if text.startswith("#"):
            return StratumRule.by_count(label, int(text[1:])).spelled
        return StratumRule.by_rate(label, text.strip()).spelled
    except ParamsError as exc:
        raise TaskSpecError(exc.message) from None
    except ValueError:
        raise TaskSpecError(f"分层“{label}”的抽取数量应为非负整数：{value!r}") from None


@dataclass(frozen=True)
class StrataSpec:
    """分层 rules: the basis and, for every label of it, a rate (``"0.05"``) or a count (``"#10"``)."""

    basis: StrataBasis
    rules: tuple[tuple[str, str], ...]
    """``(label, spelled)`` in the basis's natural order; spelled as in SJDRAW-1 params."""

    @classmethod
    def build(cls, basis: StrataBasis | str, rules: Mapping[str, RateOrCount]) -> StrataSpec:
        """Validate rules for exactly the labels of ``basis`` (e.g. 高/中/低) and build the spec."""
        try:
            basis = StrataBasis(basis)
        except ValueError:
            raise TaskSpecError(f"分层依据无效：{basis!r}（可选：全部、风险等级、信用分类）") from None
        missing = [label for label in basis.labels if label not in rules]
        extra = [label for label in rules if label not in basis.labels]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"缺少分层 {'、'.join(missing)} 的比例或数量")
            if extra:
                parts.append(f"“{basis.value}”没有分层 {'、'.join(extra)}")
            raise TaskSpecError("；".join(parts))
        return cls(basis, tuple((label, _spelled(label, rules[label])) for label in basis.labels))

    @classmethod
    def single(cls, value: RateOrCount) -> StrataSpec:
        """One stratum 全部 at a rate (``"0.05"``) or a count (int)."""
        return cls.build(StrataBasis.ALL, {"全部": value})

    def rule_objects(self) -> list[StratumRule]:
        """The rules as :class:`app.draw.StratumRule` for the params text."""
        return [StratumRule(label, spelled) for label, spelled in self.rules]

    def to_json(self) -> dict[str, Any]:
        """The ``InspectionTask.strata`` JSON: ``{"basis": "风险等级", "rules": {"高": "0.1", …}}``."""
        return {"basis": self.basis.value, "rules": dict(self.rules)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> StrataSpec:
        """Read ``InspectionTask.strata`` (validated again)."""
        if not data or "basis" not in data:
            raise TaskSpecError("任务没有设定分层抽取规则（比例或数量）")
        return cls.build(data["basis"], dict(data.get("rules") or {}))

    def describe(self) -> str:
        """E.g. ``按风险等级分层：高 0.1，中 0.05，低 #3`` or ``不分层：比例 0.05``."""
        if self.basis is StrataBasis.ALL:
            spelled = self.rules[0][1]
            return f"不分层：{_spelled_zh(spelled)}"
        return f"按{self.basis.value}分层：" + "，".join(f"{lb} {_spelled_zh(sp)}" for lb, sp in self.rules)


def _spelled_zh(spelled: str) -> str:
    return f"抽取 {spelled[1:]} 个" if spelled.startswith("#") else f"比例 {spelled}"


def parse_cap(value: str | int) -> str:
    """The SJDRAW-1 cap as stored (``auto`` / ``none`` / a positive integer), or :class:`TaskSpecError`."""
    text = str(value).strip().lower()
    if text in ("auto", "none"):
        return text
    if text.isdigit() and int(text) >= 1:
        return str(int(text))
    raise TaskSpecError(f"每名检查人员最多分配的对象数应为 auto（自动）、none（不限）或正整数：{value!r}")


@dataclass(frozen=True)
class TaskSpec:
    """Everything that defines a task (ad hoc 专项/计划外, or the editable part of a plan-row task).

    ``inspectors_per_object`` is one k for every department, or a mapping department id → k
    (a department not in the mapping gets 2). 联合抽查: ``partner_department_ids`` non-empty.
    """

    title: str
    item_ids: Sequence[int]
    lead_department_id: int
    partner_department_ids: Sequence[int] = ()
    inspectors_per_object: int | Mapping[int, int] = 2
    pool_filter: PoolFilter = field(default_factory=PoolFilter)
    exclusions: Exclusions = field(default_factory=Exclusions)
    strata: StrataSpec = field(default_factory=lambda: StrataSpec.single("0.05"))
    cap: str | int = "auto"
    planned_date: dt.date | None = None
    year: int | None = None
    """Task year (本年度 for the exclusions); default: the planned date's year, else this year."""
    remarks: str = ""

    def k_for(self, department_id: int) -> int:
        """Inspectors per object from ``department_id``."""
        if isinstance(self.inspectors_per_object, int):
            return self.inspectors_per_object
        return int(self.inspectors_per_object.get(department_id, 2))
