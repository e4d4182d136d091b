"""RFC 3797 (MD5) selection reproduces the RFC's reference vectors."""

from __future__ import annotations

import json

import pytest

from app.draw import rfc3797
from tests.app.draw.conftest import VECTORS

RFC_VECTORS = json.loads((VECTORS / "rfc3797" / "vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=lambda v: v["source"])
def test_reference_vector(vector: dict) -> None:
    result = rfc3797.select(vector["key"], vector["pool"], len(vector["picks"]))
    assert list(result.picks) == vector["picks"]
    assert result.first_md5 == vector["first_md5"]


def test_key_string_from_sources() -> None:
    # RFC 3797 §6: one number, then two lottery draws whose numbers are sorted.
    sources = [[9319], [10, 2, 12, 5, 8], [45, 9, 41, 18, 34, 26]]
    assert rfc3797.key_string(sources) == RFC_VECTORS[0]["key"]
    assert rfc3797.key_string([[3, 1]], sort_each=False) == "3.1./"


def test_selecting_the_whole_pool_is_a_permutation() -> None:
    result = rfc3797.select(RFC_VECTORS[1]["key"], 134, 134)
    assert sorted(result.picks) == list(range(1, 135))
    assert len(result.md5_hex) == 134


def test_bad_sizes_rejected() -> None:
    with pytest.raises(ValueError):
        rfc3797.select("1./", 3, 4)
