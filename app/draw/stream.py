"""Seed, witness string and the labelled random stream of SJDRAW-1 §3, §4 and §7."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

_TWO_64 = 1 << 64


def witness_string(values_per_witness: Iterable[Sequence[int]]) -> str:
    """Encode witness entropy: each value as decimal + ``.``, each witness's list + ``/`` (§3.2)."""
    return "".join("".join(f"{value}." for value in values) + "/" for values in values_per_witness)


def seed_message(
    draw_id: str,
    objects_sha256: str,
    inspectors_sha256: str,
    conflicts_sha256: str,
    params_sha256: str,
    witness: str,
    nonce_hex: str,
) -> str:
    """The text whose SHA-256 is the seed (§3.4)."""
    return (
        "SJDRAW-1\n"
        f"draw_id={draw_id}\n"
        f"objects_sha256={objects_sha256}\n"
        f"inspectors_sha256={inspectors_sha256}\n"
        f"conflicts_sha256={conflicts_sha256}\n"
        f"params_sha256={params_sha256}\n"
        f"witness={witness}\n"
        f"nonce={nonce_hex}\n"
    )


def compute_seed(
    draw_id: str,
    objects_sha256: str,
    inspectors_sha256: str,
    conflicts_sha256: str,
    params_sha256: str,
    witness: str,
    nonce_hex: str,
) -> str:
    """``seed = H(m)`` as lowercase hex (§3.4)."""
    message = seed_message(
        draw_id, objects_sha256, inspectors_sha256, conflicts_sha256, params_sha256, witness, nonce_hex
    )
    return hashlib.sha256(message.encode("utf-8")).hexdigest()


def replacement_seed(prev_seed: str, round_no: int, object_id: str, removed_id: str, witness: str) -> str:
    """``seed_r`` of replacement round ``round_no`` as lowercase hex (§7)."""
    message = (
        "SJDRAW-1/replacement\n"
        f"prev_seed={prev_seed}\n"
        f"round={round_no}\n"
        f"object={object_id}\n"
        f"removed={removed_id}\n"
        f"witness={witness}\n"
    )
    return hashlib.sha256(message.encode("utf-8")).hexdigest()


class RandomStream:
    """Deterministic draws from a seed, one counter per label (§4).

    ``u64(label, j)`` is the first 8 bytes (big-endian) of ``H(seed ‖ label ‖ 0x00 ‖ BE64(j))``;
    every label has its own counter that starts at 0 and is never reset.
    """

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise ValueError("seed must be 32 bytes")
        self._seed = seed
        self._counters: dict[str, int] = {}

    @classmethod
    def from_hex(cls, seed_hex: str) -> RandomStream:
        """A stream on a seed given as 64 hex digits."""
        return cls(bytes.fromhex(seed_hex))

    def _u64(self, prefix: bytes, j: int) -> int:
        return int.from_bytes(hashlib.sha256(prefix + j.to_bytes(8, "big")).digest()[:8], "big")

    def u64(self, label: str, j: int) -> int:
        """The j-th 64-bit value of ``label`` (does not touch the counter)."""
        return self._u64(self._seed + label.encode("utf-8") + b"\x00", j)

    def counter(self, label: str) -> int:
        """How many values of ``label`` have been consumed so far."""
        return self._counters.get(label, 0)

    def randbelow(self, label: str, n: int) -> int:
        """A uniform integer in ``[0, n)`` by rejection sampling on ``u64`` (consumes ≥ 1 value)."""
        if n < 1:
            raise ValueError("randbelow needs n >= 1")
        limit = _TWO_64 - (_TWO_64 % n)
        prefix = self._seed + label.encode("utf-8") + b"\x00"
        c = self._counters.get(label, 0)
        while True:
            x = self._u64(prefix, c)
            c += 1
            if x < limit:
                self._counters[label] = c
                return x % n

    def select(self, label: str, ids: Iterable[str], k: int) -> list[str]:
        """Pick ``k`` of ``ids`` (sorted by bytes first) in pick order (§4, RFC 3797's structure)."""
        rem = sorted(ids)
        if not 0 <= k <= len(rem):
            raise ValueError(f"cannot select {k} of {len(rem)}")
        # list.pop is a memmove: 5,000 pops from 100,000 ids take ~40 ms, so no cleverer structure.
        return [rem.pop(self.randbelow(label, len(rem))) for _ in range(k)]
