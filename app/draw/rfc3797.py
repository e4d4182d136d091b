"""RFC 3797 publicly verifiable selection (MD5), the ancestor of SJDRAW-1.

Kept so the self-test can show the product reproduces the RFC's own reference results, and so
watchers can see SJDRAW-1 has the same structure with SHA-256 in place of MD5.

Selection (RFC 3797 §5–§6): for i = 0, 1, …, hash ``BE16(i) ‖ key ‖ BE16(i)`` with MD5, read the
digest as a 128-bit big-endian integer, and take ``value mod remaining`` as the index into the
list of positions not yet selected (1-based positions of the pool).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


def key_string(sources: Sequence[Sequence[int]], *, sort_each: bool = True) -> str:
    """The key string: each source's numbers as decimal + ``.``, each source followed by ``/``.

    RFC 3797 sorts the numbers of a source that is a set (e.g. lottery balls); pass
    ``sort_each=False`` for sources whose order matters.
    """
    parts = []
    for numbers in sources:
        ordered = sorted(numbers) if sort_each else list(numbers)
        parts.append("".join(f"{n}." for n in ordered) + "/")
    return "".join(parts)


@dataclass(frozen=True)
class Selection:
    """The RFC 3797 result: picked 1-based pool positions in pick order, and each MD5 in hex."""

    picks: tuple[int, ...]
    md5_hex: tuple[str, ...]

    @property
    def first_md5(self) -> str:
        """The first MD5 value in upper-case hex, as the RFC prints it."""
        return self.md5_hex[0].upper() if self.md5_hex else ""


def select(key: str, pool_size: int, picks: int) -> Selection:
    """Select ``picks`` distinct positions of ``1..pool_size`` from the key string (RFC 3797)."""
    if not 0 <= picks <= pool_size or pool_size > 0xFFFF:
        raise ValueError("need 0 <= picks <= pool_size <= 65535")
    key_bytes = key.encode("ascii")
    remaining = list(range(1, pool_size + 1))
    chosen: list[int] = []
    digests: list[str] = []
    for i in range(picks):
        affix = i.to_bytes(2, "big")
        digest = hashlib.md5(affix + key_bytes + affix, usedforsecurity=False).digest()
        digests.append(digest.hex())
        chosen.append(remaining.pop(int.from_bytes(digest, "big") % len(remaining)))
    return Selection(tuple(chosen), tuple(digests))
