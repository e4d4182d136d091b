"""Witnesses (监督人/见证人) and the numbers they call out in the room (SJDRAW-1 §3.2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.draw import Witness
from app.tasks.common import one_line
from app.tasks.errors import WitnessInputError

MAX_VALUES_TEXT = 200  # DrawWitness.values_text


@dataclass(frozen=True)
class WitnessInput:
    """One witness as entered: name, affiliation (人大代表, 政协委员, 纪检监察 …) and their numbers, in order."""

    name: str
    affiliation: str
    values: tuple[int, ...]

    def values_text(self) -> str:
        """The numbers as stored in ``DrawWitness.values_text``: ``3 1 4``."""
        return " ".join(str(v) for v in self.values)

    def to_json(self) -> dict[str, Any]:
        """``{"name", "affiliation", "values"}`` (DrawReplacement.witness, the record's meta)."""
        return {"name": self.name, "affiliation": self.affiliation, "values": list(self.values)}


WitnessLike = WitnessInput | tuple[str, str, Sequence[int]]
"""A :class:`WitnessInput` or a plain ``(name, affiliation, values)`` tuple."""


def parse_witness_values(text: str) -> tuple[int, ...]:
    """Numbers typed by the operator, separated by spaces, commas or 、 (e.g. ``3 1 4``, ``3,1,4``).

    Raises :class:`WitnessInputError` for anything that is not a non-negative integer.
    """
    parts = [p for p in re.split(r"[\s,，、;；]+", text.strip()) if p]
    values = []
    for part in parts:
        if not part.isascii() or not part.isdigit():
            raise WitnessInputError(f"随机数只能是非负整数：“{part}”")
        values.append(int(part))
    return tuple(values)


def clean_witnesses(entries: Sequence[WitnessLike]) -> list[WitnessInput]:
    """Validate witness entries: a name, non-negative integers only, at least one number in all.

    Raises :class:`WitnessInputError` with a Chinese message naming the witness.
    """
    cleaned: list[WitnessInput] = []
    for index, entry in enumerate(entries, start=1):
        values: Sequence[int]
        if isinstance(entry, WitnessInput):
            name, affiliation, values = entry.name, entry.affiliation, entry.values
        else:
            try:
                name, affiliation, values = entry
            except (TypeError, ValueError):
                raise WitnessInputError(f"第{index}位见证人的信息应为（姓名、身份、随机数）") from None
        name = one_line(str(name or ""))
        affiliation = one_line(str(affiliation or ""))
        if not name:
            raise WitnessInputError(f"第{index}位见证人的姓名不能为空")
        if len(name) > 50 or len(affiliation) > 100:
            raise WitnessInputError(f"见证人“{name[:50]}”的姓名或身份过长")
        if isinstance(values, str | bytes):
            raise WitnessInputError(f"见证人“{name}”的随机数应为整数列表")
        numbers = tuple(values)
        for value in numbers:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise WitnessInputError(f"见证人“{name}”输入的随机数只能是非负整数：{value!r}")
        witness = WitnessInput(name, affiliation, numbers)
        if len(witness.values_text()) > MAX_VALUES_TEXT:
            raise WitnessInputError(f"见证人“{name}”输入的数字过多（最多 {MAX_VALUES_TEXT} 个字符）")
        cleaned.append(witness)
    if not any(w.values for w in cleaned):
        raise WitnessInputError("至少需要一名见证人输入随机数")
    return cleaned


def engine_witnesses(entries: Sequence[WitnessInput]) -> list[Witness]:
    """The SJDRAW-1 witnesses (name and numbers; the affiliation goes into the record's meta)."""
    return [Witness(w.name, w.values) for w in entries]
