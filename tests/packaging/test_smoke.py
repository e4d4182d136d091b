"""启动自检 (`python -m app smoke`): the real main window on a throw-away database, the user's data untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.cli import main
from app.paths import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_starts_the_main_window_and_leaves_the_data_directory_alone(tmp_path: Path) -> None:
    user_data = tmp_path / "user-data"
    user_data.mkdir()
    (user_data / "shuangsuiji.db").write_bytes(b"the clerk's database")
    result = subprocess.run(
        [sys.executable, "-m", "app", "smoke", "--entities", "60"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        env={**os.environ, DATA_DIR_ENV: str(user_data), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("启动自检通过：主窗口已显示（用时 ")
    assert any("界面翻译 zh_CN 已加载" in line for line in lines)
    assert any("随机抽取情况记录表 PDF" in line for line in lines)
    assert sorted(p.name for p in user_data.iterdir()) == ["shuangsuiji.db"]
    assert (user_data / "shuangsuiji.db").read_bytes() == b"the clerk's database"


def test_smoke_refuses_an_empty_county() -> None:
    assert main(["smoke", "--entities", "0"]) == 2
