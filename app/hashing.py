"""SHA-256 of a whole file, read in 1 MB blocks: how imports recognise a file seen before, and how a 公示
file or a 数据包 is named in the audit trail."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["file_sha256"]


def file_sha256(path: str | Path) -> str:
    """The file's SHA-256 as 64 hex digits; OSError when it cannot be read."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
