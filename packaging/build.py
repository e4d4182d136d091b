"""Build the offline installer: the one-folder app (PyInstaller), a check of it, then Inno Setup on Windows.

    python packaging/build.py                  build + check (+ installer on Windows)
    python packaging/build.py --no-installer   build + check only (what CI runs on Linux)
    python packaging/build.py --check-only     check an existing dist/shuangsuiji/

The check runs the frozen console executable the way IT would on a clerk's PC — version, the reference
vectors (selftest), a record verification, the headless start (smoke), a small import/export round trip, a
数据包 export and its verification —
with a throw-away data directory, so a missing hidden import fails here and not on a clerk's PC.
Prints the build time, the folder size and each command's time. Exit 0 only if everything passed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "shuangsuiji.spec"
ISS = ROOT / "packaging" / "shuangsuiji.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
NAME = "shuangsuiji"
WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if WINDOWS else ""


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


class BuildError(Exception):
    """A step failed; the message says which and why."""


def project_version() -> str:
    """The version in pyproject.toml — the one About, the executables and the installer show."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def app_folder() -> Path:
    return DIST / NAME


def run_pyinstaller(*, clean: bool) -> float:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError(
            "PyInstaller 未安装：请先运行 pip install -e .[dev]（或 pip install pyinstaller）。"
        ) from None
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(DIST), "--workpath", str(WORK)]
    if clean:
        command.append("--clean")
    command.append(str(SPEC))
    started = time.perf_counter()
    say("PyInstaller: " + " ".join(command[1:]))
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller 打包失败（见上方输出）。")
    return time.perf_counter() - started


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def required_files(folder: Path) -> list[str]:
    """What must be in the folder (relative paths); the native Qt platform plugin of this system included."""
    internal = "_internal"
    qt = f"{internal}/PySide6" if WINDOWS else f"{internal}/PySide6/Qt"
    platform_plugin = "qwindows.dll" if WINDOWS else "libqxcb.so"
    return [
        f"{NAME}{EXE_SUFFIX}",
        f"{NAME}-cli{EXE_SUFFIX}",
        f"{internal}/resources/style.qss",
        f"{internal}/resources/verifier/sjdraw_verify.py",
        f"{internal}/resources/vectors/rfc3797/vectors.json",
        f"{internal}/resources/demo/county.json",
        f"{internal}/resources/calendar/2026.json",
        f"{internal}/db/migrations/env.py",
        f"{internal}/db/migrations/versions/0001_initial_schema.py",
        f"{qt}/translations/qtbase_zh_CN.qm",
        f"{qt}/plugins/platforms/{platform_plugin}",
        f"{internal}/{NAME}-{project_version()}.dist-info/METADATA",
    ]


def check_contents(folder: Path) -> None:
    missing = [name for name in required_files(folder) if not (folder / name).is_file()]
    if missing:
        raise BuildError("打包结果缺少文件：\n  " + "\n  ".join(missing))
    say(f"内容检查通过：{len(required_files(folder))} 个必需文件齐全")


def frozen(folder: Path, *args: str, env: dict[str, str], expect: int = 0, timeout: float = 180) -> str:
    """Run the frozen console executable; return its stdout; raise if the exit code is not ``expect``."""
    program = folder / f"{NAME}-cli{EXE_SUFFIX}"
    started = time.perf_counter()
    result = subprocess.run(
        [str(program), *args], capture_output=True, env=env, timeout=timeout, check=False, cwd=folder
    )
    seconds = time.perf_counter() - started
    output = result.stdout.decode("utf-8", errors="replace")
    errors = result.stderr.decode("utf-8", errors="replace")
    label = " ".join(args)
    if result.returncode != expect:
        raise BuildError(
            f"{program.name} {label} 退出码 {result.returncode}（应为 {expect}）：\n{output}{errors}".rstrip()
        )
    say(f"{program.name} {label}: 退出码 {result.returncode}，用时 {seconds:.2f} 秒")
    return output


def check_frozen(folder: Path) -> None:
    """The frozen app's own commands, each in a fresh process, against a throw-away data directory."""
    version = project_version()
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-build-check-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        env = {**os.environ, "SHUANGSUIJI_DATA_DIR": str(work / "data"), "QT_QPA_PLATFORM": "offscreen"}
        env.pop("SHUANGSUIJI_CJK_FONT", None)

        shown = frozen(folder, "--version", env=env).strip()
        if not shown.endswith(version):
            raise BuildError(f"版本号不符：程序显示“{shown}”，pyproject.toml 为 {version}")
        frozen(folder, "selftest", env=env)
        vectors = folder / "_internal" / "resources" / "vectors" / "sjdraw"
        frozen(folder, "verify", str(vectors / "joint_two_departments.json"), env=env)
        frozen(folder, "verify", str(vectors / "bad_tampered_result.json"), env=env, expect=1)

        smoke = frozen(folder, "smoke", "--entities", "200", env=env)
        for line in smoke.rstrip().splitlines():
            say(f"    {line}")
        if f"版本 {version}" not in smoke:
            raise BuildError(f"关于对话框中的版本不是 {version}：\n{smoke}")

        database = str(work / "county.db")
        table = str(work / "entities.xlsx")
        frozen(folder, "demo", "--db", database, "--entities", "200", env=env)
        frozen(folder, "export", "entities", table, "--db", database, env=env)
        counts = frozen(folder, "import", "entities", table, "--db", database, "--dry-run", env=env)
        last = json.loads(counts.strip().splitlines()[-1])
        if last.get("errors") != 0:
            raise BuildError(f"导出的名录未能原样导回：{last}")
        # 数据包: signing (cryptography), the facts and the zip checks, as the 司法局's PC will run them.
        package = str(work / "SJ.sjpkg")
        year = str(dt.date.today().year)
        frozen(
            folder,
            "package",
            "export",
            "--department",
            "SJ",
            "--year",
            year,
            package,
            "--db",
            database,
            env=env,
        )
        frozen(folder, "package", "show", package, env=env)
        left = sorted(p.name for p in (work / "data").iterdir()) if (work / "data").exists() else []
        say(f"检查用的临时数据目录：{left or '（空）'}")


def find_iscc() -> Path | None:
    """Inno Setup 6's command-line compiler: on PATH, or in its usual per-machine or per-user folder."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    folders = [
        os.environ.get("PROGRAMFILES(X86)", ""),  # the default per-machine install
        os.environ.get("PROGRAMFILES", ""),
        str(Path(os.environ.get("LOCALAPPDATA", "")) / "Programs"),  # "install for me only"
    ]
    for base in folders:
        candidate = Path(base) / "Inno Setup 6" / "ISCC.exe"
        if base and candidate.is_file():
            return candidate
    return None


def numeric_version(version: str) -> str:
    """ "0.1.0" → "0.1.0.0": the four numbers a Windows version resource needs (a suffix like rc1 dropped)."""
    numbers = []
    for part in version.split(".")[:4]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        numbers.append(digits or "0")
    return ".".join(numbers + ["0"] * (4 - len(numbers)))


def find_chinese_isl(iscc: Path) -> Path | None:
    """Inno Setup's Simplified Chinese wizard texts: put next to this script, or into Inno Setup's Languages."""
    for candidate in (
        ROOT / "packaging" / "ChineseSimplified.isl",
        iscc.parent / "Languages" / "ChineseSimplified.isl",
        iscc.parent / "Languages" / "Unofficial" / "ChineseSimplified.isl",
    ):
        if candidate.is_file():
            return candidate
    return None


def build_installer(folder: Path) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise BuildError(
            "未找到 Inno Setup 6 的 ISCC.exe：请安装 Inno Setup 6（见 packaging/BUILDING.md），"
            "或用 --no-installer 只生成程序文件夹。"
        )
    version = project_version()
    output = DIST / "installer"
    command = [
        str(iscc),
        "/Q",
        f"/DAppVersion={version}",
        f"/DAppNumericVersion={numeric_version(version)}",
        f"/DSourceDir={folder}",
        f"/DOutputDir={output}",
    ]
    chinese = find_chinese_isl(iscc)
    if chinese is None:
        say(
            "提示：未找到 ChineseSimplified.isl，安装向导使用脚本内置的中文文字（见 packaging/BUILDING.md）。"
        )
    else:
        command.append(f"/DChineseIsl={chinese}")
    command.append(str(ISS))
    say("Inno Setup: " + " ".join(command[1:]))
    started = time.perf_counter()
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("Inno Setup 编译失败（见上方输出）。")
    installer = output / f"shuangsuiji-{version}-setup.exe"
    if not installer.is_file():
        raise BuildError(f"Inno Setup 没有生成 {installer}")
    size = installer.stat().st_size / 2**20
    say(f"安装程序：{installer}（{size:.1f} MB，用时 {time.perf_counter() - started:.1f} 秒）")
    return installer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="打包：PyInstaller 程序文件夹 + 检查 + Windows 安装程序")
    parser.add_argument(
        "--no-installer", action="store_true", help="不运行 Inno Setup（非 Windows 时总是如此）"
    )
    parser.add_argument("--no-check", action="store_true", help="不运行打包结果的检查")
    parser.add_argument("--check-only", action="store_true", help="只检查已有的 dist/shuangsuiji/")
    parser.add_argument("--clean", action="store_true", help="清除 PyInstaller 缓存后重新打包")
    args = parser.parse_args(argv)
    folder = app_folder()
    try:
        say(
            f"版本 {project_version()}（pyproject.toml），平台 {sys.platform}，Python {sys.version.split()[0]}"
        )
        if not args.check_only:
            seconds = run_pyinstaller(clean=args.clean)
            say(f"打包完成：{folder}（用时 {seconds:.1f} 秒）")
        say(f"程序文件夹大小：{folder_size(folder) / 2**20:.0f} MB")
        if not args.no_check:
            check_contents(folder)
            started = time.perf_counter()
            check_frozen(folder)
            say(f"打包结果检查通过（用时 {time.perf_counter() - started:.1f} 秒）")
        if WINDOWS and not (args.no_installer or args.check_only):
            build_installer(folder)
    except BuildError as exc:
        say(f"失败：{exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
