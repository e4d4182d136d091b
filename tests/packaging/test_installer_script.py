"""The Windows installer script and the PyInstaller spec say what the issue asks, and agree with app/paths."""

from __future__ import annotations

import re
from pathlib import Path

from app.paths import APP_AUTHOR, APP_NAME

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "shuangsuiji.iss"
SPEC = ROOT / "packaging" / "shuangsuiji.spec"


def iss_text() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads non-ASCII scripts as UTF-8 only with a BOM"
    return raw[3:].decode("utf-8").replace("\r\n", "\n")


def setup_value(key: str) -> str:
    match = re.search(rf"^{key}=(.*)$", iss_text(), re.MULTILINE)
    assert match, key
    return match.group(1).strip()


def test_installs_per_user_without_administrator_rights() -> None:
    assert setup_value("PrivilegesRequired") == "lowest"
    assert setup_value("PrivilegesRequiredOverridesAllowed") == ""
    assert setup_value("DefaultDirName") == r"{localappdata}\Programs\shuangsuiji"


def test_version_comes_from_the_build_script() -> None:
    assert setup_value("AppVersion") == "{#AppVersion}"
    assert "#error" in iss_text()  # no version given: the compile stops instead of shipping a wrong one


def test_start_menu_and_optional_desktop_shortcuts() -> None:
    text = iss_text()
    assert re.search(r'^Name: "\{group\}\\\{#ShortName\}"; Filename: "\{app\}\\\{#AppExe\}"', text, re.M)
    assert re.search(r'^Name: "\{autodesktop\}.*Tasks: desktopicon$', text, re.M)
    assert re.search(r'^Name: "desktopicon"', text, re.M)


def test_uninstaller_keeps_data_unless_asked() -> None:
    text = iss_text()
    assert "MB_DEFBUTTON2" in text  # 否 (keep) is the default answer
    assert "{param:DELETEDATA|no}" in text  # a silent uninstall keeps the data
    # The folder offered for deletion is platformdirs' Windows user_data_dir(APP_NAME, APP_AUTHOR,
    # roaming=False): <LOCALAPPDATA>\<author>\<name>, as app/paths.py asks for it.
    data_dir = re.search(r'^#define DataDir "(.*)"$', text, re.M)
    assert data_dir
    assert data_dir.group(1) == rf"{{localappdata}}\{APP_AUTHOR}\{APP_NAME}"


def test_spec_builds_both_executables_over_one_folder() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert "EXE(pyz, a.scripts, [], name=NAME, console=False" in spec
    assert 'name=f"{NAME}-cli", console=True' in spec
    assert "COLLECT(gui, cli," in spec
    # Alembic loads env.py and the revisions by path; they must ship as files.
    assert 'source_tree("db/migrations", "db/migrations"' in spec
    assert 'source_tree("resources", "resources")' in spec


def test_no_network_at_install_time() -> None:
    assert not re.search(r"https?://", iss_text())
