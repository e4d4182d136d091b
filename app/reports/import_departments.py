"""The 部门 column of an imported table matched to this database's 部门名录: by code, name or 简称, with or
without the county prefix (示范县卫健委 → 卫健委), and a near miss (a misspelt or shortened known name) told apart
from a department not in the list (a department-like name: recorded as new).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.values import clean_text

_DEPT_SUFFIXES = (
    "局", "委", "会", "办", "室", "院", "中心", "队", "所", "站", "部", "厅", "处", "署", "馆", "社", "科", "组",
)  # fmt: skip


class _Departments:
    """This database's departments by code, name and 简称, for the 部门 column."""

    def __init__(self, session: Session) -> None:
        from app.settings import load_settings
        from db.models import Department

        rows = session.execute(
            select(
                Department.code, Department.name, Department.short_name, Department.archived,
                Department.is_market_regulation,
            ).order_by(Department.sort_order, Department.code)
        ).all()  # fmt: skip
        self.by_key: dict[str, tuple[str, str]] = {}
        self.archived: set[str] = set()
        self.market: set[str] = set()
        names = [clean_text(r.name) for r in rows]
        self.names = dict(zip(names, (r.code for r in rows), strict=True))
        self.prefix = _county_prefix(names)
        for r in rows:
            name = clean_text(r.name)
            for key in (r.code.strip().upper(), name, clean_text(r.short_name)):
                if key:
                    self.by_key.setdefault(key, (r.code, r.name))
            if self.prefix and name.startswith(self.prefix) and len(name) > len(self.prefix) + 1:
                self.by_key.setdefault(name[len(self.prefix) :], (r.code, r.name))
            if r.archived:
                self.archived.add(r.code)
            if r.is_market_regulation:
                self.market.add(r.code)
        own = load_settings(session).own_department.strip()
        self.own = {own} if own else set()
        if own and own in self.by_key:
            self.own.add(self.by_key[own][0])

    def find(self, text: str) -> tuple[str, str] | None:
        key = clean_text(text)
        hit = self.by_key.get(key) or self.by_key.get(key.upper())
        if hit is None:  # 卫健委（WJ） or WJ 卫健委
            for part in re.split(r"[（()）\s/／]+", key):
                if part and (part.upper() in self.by_key or part in self.by_key):
                    hit = self.by_key.get(part) or self.by_key.get(part.upper())
                    break
        return hit

    def similar(self, text: str) -> list[str]:
        """Known names this one may be a misspelling or shortening of, compared without the county prefix
        (示范县教育局 and 示范县司法局 are not alike; 卫健委 and 示范县卫生健康委员会 are)."""
        core = self.core(clean_text(text))
        found = []
        for name in self.names:
            known = self.core(name)
            shortened = len(core) >= 2 and (_subsequence(core, known) or _subsequence(known, core))
            if shortened or difflib.SequenceMatcher(None, core, known).ratio() >= 0.75:
                found.append(name)
        return found[:3]

    def core(self, name: str) -> str:
        """The name without the county prefix or its end (示范县卫健委, 县卫健委 → 卫健委)."""
        for k in range(len(self.prefix), 0, -1):
            if name.startswith(self.prefix[-k:]) and len(name) > k:
                return name[k:]
        return name


def _county_prefix(names: Sequence[str]) -> str:
    """``示范县`` when every department's name starts with the same county (or district, city) name."""
    if len(names) < 2:
        return ""
    first = names[0]
    length = 0
    while length < len(first) and all(len(n) > length and n[length] == first[length] for n in names):
        length += 1
    prefix = first[:length]
    for end in ("县", "区", "市", "旗"):
        cut = prefix.rfind(end)
        if cut >= 1:
            return prefix[: cut + 1]
    return ""


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _looks_like_department(name: str) -> bool:
    return len(name) >= 3 and name.endswith(_DEPT_SUFFIXES) and not re.search(r"\d{3,}", name)
