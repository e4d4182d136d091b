"""packaging/build.py's own checks: a folder missing what clerks need is refused, by name."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import build  # noqa: E402  (packaging/build.py)


def test_a_folder_without_the_frozen_files_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "_internal" / "resources").mkdir(parents=True)
    (tmp_path / "_internal" / "resources" / "style.qss").write_text("", encoding="utf-8")
    with pytest.raises(build.BuildError) as caught:
        build.check_contents(tmp_path)
    message = str(caught.value)
    assert "db/migrations/env.py" in message
    assert "qtbase_zh_CN.qm" in message
    assert "resources/verifier/sjdraw_verify.py" in message
    assert "resources/style.qss" not in message


def test_every_required_resource_exists_in_the_source_tree() -> None:
    # The spec copies resources/ and db/migrations/ as they are, so the source must have them.
    for name in build.required_files(ROOT):
        for prefix in ("_internal/resources/", "_internal/db/"):
            if name.startswith(prefix):
                source = ROOT / name.removeprefix("_internal/")
                assert source.is_file(), source
