"""The labelled random stream (§4): u64, randbelow, select — definition, counters, uniformity."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.draw.stream import RandomStream, compute_seed, replacement_seed, witness_string

SEED = hashlib.sha256(b"test seed").digest()


def reference_u64(seed: bytes, label: str, j: int) -> int:
    """u64 exactly as §4 words it."""
    return int.from_bytes(
        hashlib.sha256(seed + label.encode() + b"\x00" + j.to_bytes(8, "big")).digest()[:8], "big"
    )


def test_u64_matches_the_definition() -> None:
    stream = RandomStream(SEED)
    for label in ("objects/高", "inspectors/9123/市场监管局", ""):
        for j in (0, 1, 255, 2**40):
            assert stream.u64(label, j) == reference_u64(SEED, label, j)


def test_randbelow_rejects_values_in_the_biased_tail() -> None:
    # n = 2^63 + 1: every x ≥ 2^63 + 1 is rejected, so about half of the draws need a retry.
    n = 2**63 + 1
    limit = 2**64 - (2**64 % n)
    stream = RandomStream(SEED)
    expected_counter = 0
    for _ in range(40):
        while True:
            x = reference_u64(SEED, "t", expected_counter)
            expected_counter += 1
            if x < limit:
                break
        assert stream.randbelow("t", n) == x % n
        assert stream.counter("t") == expected_counter
    assert expected_counter > 45  # some rejections did happen


def test_randbelow_of_one_consumes_a_value() -> None:
    stream = RandomStream(SEED)
    assert stream.randbelow("x", 1) == 0
    assert stream.counter("x") == 1
    with pytest.raises(ValueError):
        stream.randbelow("x", 0)


def test_each_label_has_its_own_counter() -> None:
    interleaved = RandomStream(SEED)
    a_then_b = [
        interleaved.randbelow("a", 1000),
        interleaved.randbelow("b", 1000),
        interleaved.randbelow("a", 1000),
    ]
    alone = RandomStream(SEED)
    assert [alone.randbelow("a", 1000), alone.randbelow("a", 1000)] == [a_then_b[0], a_then_b[2]]
    assert RandomStream(SEED).randbelow("b", 1000) == a_then_b[1]


def test_select_follows_rfc3797_structure() -> None:
    ids = ["c", "a", "b", "e", "d"]
    stream = RandomStream(SEED)
    reference = RandomStream(SEED)
    rem = sorted(ids)
    expected = [rem.pop(reference.randbelow("s", len(rem))) for _ in range(3)]
    assert stream.select("s", ids, 3) == expected
    with pytest.raises(ValueError):
        stream.select("s", ids, 6)


@given(st.sets(st.text(min_size=1, max_size=6), min_size=1, max_size=30), st.data())
def test_select_picks_distinct_members(ids: set[str], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(ids)))
    picked = RandomStream(SEED).select("p", ids, k)
    assert len(picked) == k == len(set(picked))
    assert set(picked) <= ids


def test_witness_string_and_seed_message() -> None:
    assert witness_string([[3, 1, 4], [1, 5, 9], [2, 6, 5]]) == "3.1.4./1.5.9./2.6.5./"
    assert witness_string([[], [10]]) == "/10./"
    seed = compute_seed("d", "o", "i", "c", "p", "1./", "00")
    message = (
        "SJDRAW-1\ndraw_id=d\nobjects_sha256=o\ninspectors_sha256=i\nconflicts_sha256=c\nparams_sha256=p\n"
    )
    message += "witness=1./\nnonce=00\n"
    assert seed == hashlib.sha256(message.encode()).hexdigest()
    replacement = "SJDRAW-1/replacement\nprev_seed=s\nround=2\nobject=o\nremoved=r\nwitness=4./\n"
    assert replacement_seed("s", 2, "o", "r", "4./") == hashlib.sha256(replacement.encode()).hexdigest()


# Chi-square critical values at p = 0.001 (a fair selector fails about once in a thousand seed sets;
# the seed set below is fixed, so the test is deterministic).
CHI2_CRITICAL_0_001 = {5: 20.515, 9: 27.877, 19: 43.820}


def chi_square(counts: list[int]) -> float:
    expected = sum(counts) / len(counts)
    return sum((c - expected) ** 2 / expected for c in counts)


def fixed_seeds(count: int) -> list[bytes]:
    return [hashlib.sha256(f"uniformity-{i}".encode()).digest() for i in range(count)]


def test_chi_square_detects_a_biased_selector() -> None:
    # The statistic has power: a modulo-biased picker (3-bit values mod 6) fails at this sample size.
    counts = [0] * 6
    for seed in fixed_seeds(6000):
        counts[seed[0] % 8 % 6] += 1
    assert chi_square(counts) > CHI2_CRITICAL_0_001[5]


def test_select_one_is_uniform() -> None:
    ids = [f"id{i}" for i in range(10)]
    counts = dict.fromkeys(ids, 0)
    for seed in fixed_seeds(5000):
        counts[RandomStream(seed).select("objects/全部", ids, 1)[0]] += 1
    assert chi_square(list(counts.values())) < CHI2_CRITICAL_0_001[9]


def test_select_ordered_pairs_are_uniform() -> None:
    ids = ["a", "b", "c", "d", "e"]
    counts: dict[tuple[str, ...], int] = {}
    for seed in fixed_seeds(6000):
        pair = tuple(RandomStream(seed).select("inspectors/x/*", ids, 2))
        counts[pair] = counts.get(pair, 0) + 1
    assert len(counts) == 20
    assert chi_square(list(counts.values())) < CHI2_CRITICAL_0_001[19]


def test_randbelow_six_is_uniform_across_calls() -> None:
    counts = [0] * 6
    for seed in fixed_seeds(600):
        stream = RandomStream(seed)
        for _ in range(10):
            counts[stream.randbelow("dice", 6)] += 1
    assert chi_square(counts) < CHI2_CRITICAL_0_001[5]
