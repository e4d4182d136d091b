"""The demo county's vocabulary, read from resources/demo (names, towns, departments, items)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.paths import resources_dir


@dataclass(frozen=True)
class Industry:
    name: str
    dept_code: str
    kinds: dict[str, int]  # EntityKind value → relative weight
    words: tuple[str, ...]  # shop-name endings (小吃店, 超市 …)
    corp_word: str  # business word in company names (餐饮管理, 商贸 …)


@cache
def county() -> dict[str, Any]:
    """The county description (towns, departments, industries, name characters)."""
    with (resources_dir() / "demo" / "county.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def items() -> list[dict[str, Any]]:
    """The demo 随机抽查事项清单 with checklists, including joint items."""
    with (resources_dir() / "demo" / "items.json").open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


def industries() -> list[Industry]:
    return [
        Industry(d["name"], d["dept"], dict(d["kinds"]), tuple(d["words"]), d["corp"])
        for d in county()["industries"]
    ]


def person_name(rng: random.Random) -> str:
    """A plausible Chinese personal name (one-character surname, one or two given characters)."""
    c = county()
    given = "".join(rng.choice(c["given_chars"]) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(c["surnames"]) + given


def brand(rng: random.Random) -> str:
    """A two-character 字号 such as 鑫源 or 宏达."""
    chars = county()["brand_chars"]
    return rng.choice(chars) + rng.choice(chars)


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + "".join(rng.choice("0123456789") for _ in range(9))
