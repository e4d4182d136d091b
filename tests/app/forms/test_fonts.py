"""Finding an embeddable Chinese font: system discovery, the override, CFF fonts skipped, clear failures."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase import pdfmetrics

from app.forms.fonts import (
    FONT_ENV,
    HEI,
    NOT_FOUND_MESSAGE,
    ROLES,
    SONG,
    FontFile,
    FontNotFoundError,
    find_cjk_fonts,
    missing_glyphs,
    register_cjk_fonts,
    sfnt_flavour,
)

ROOT = Path(__file__).resolve().parents[3]

# The font the product's test machines (and the Linux build) install: fonts-wqy-zenhei.
WQY_ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
LATIN_ONLY_TTF = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # shipped with reportlab


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)


def test_system_discovery_finds_an_embeddable_chinese_truetype_font(no_override: None) -> None:
    found = find_cjk_fonts()
    assert set(found) == set(ROLES)
    for role, font in found.items():
        assert font.path.is_file(), role
        assert sfnt_flavour(font.path, font.subfont) == "truetype", role


def test_registered_fonts_measure_chinese_text(no_override: None) -> None:
    fonts = register_cjk_fonts()
    assert (fonts.song, fonts.hei) == (SONG, HEI)
    assert pdfmetrics.stringWidth("随机抽取情况记录表", fonts.hei, 10) > 80
    assert missing_glyphs("随机抽取情况记录表第页共", fonts) == []


def test_installed_wqy_zenhei_is_found_on_linux(no_override: None) -> None:
    # The test machines have wqy-zenhei and Droid Sans Fallback; wqy-zenhei is preferred.
    assert WQY_ZENHEI.is_file(), "fonts-wqy-zenhei must be installed for these tests"
    assert sfnt_flavour(WQY_ZENHEI, 0) == "truetype"
    assert sfnt_flavour(WQY_ZENHEI, 99) == ""  # no such subfont in the collection
    found = find_cjk_fonts()
    assert found["hei"] == FontFile(WQY_ZENHEI, 0)
    assert found["song"] == found["fang"] == found["hei"]  # one font stands in for all three roles


def test_windows_uses_simsun_simfang_simhei_from_windir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fonts = tmp_path / "Windows" / "Fonts"
    fonts.mkdir(parents=True)
    # Stand-ins with the Windows file names (any Chinese TrueType font will do for the lookup).
    for name in ("simsun.ttc", "simfang.ttf", "simhei.ttf", "arial.ttf"):
        (fonts / name).symlink_to(WQY_ZENHEI if name != "arial.ttf" else LATIN_ONLY_TTF)
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    found = find_cjk_fonts()
    assert found == {
        "song": FontFile(fonts / "simsun.ttc", 0),
        "fang": FontFile(fonts / "simfang.ttf"),
        "hei": FontFile(fonts / "simhei.ttf"),
    }


def test_windows_without_chinese_fonts_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "Fonts").mkdir()
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(FontNotFoundError, match="未找到可用的中文字体") as caught:
        find_cjk_fonts()
    # The clerk is told what Windows needs, not a Linux package name.
    assert "simsun.ttc" in caught.value.message_zh
    assert "简体中文补充字体" in caught.value.message_zh
    assert "fonts-wqy-zenhei" not in caught.value.message_zh


def test_override_file_serves_every_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FONT_ENV, str(WQY_ZENHEI))
    found = find_cjk_fonts()
    assert {font.path for font in found.values()} == {WQY_ZENHEI}


def test_setting_path_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(FONT_ENV, str(tmp_path))  # empty: would fail
    found = find_cjk_fonts(WQY_ZENHEI)
    assert found["hei"].path == WQY_ZENHEI


def test_override_folder_is_searched_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "wqy-zenhei.ttc").symlink_to(WQY_ZENHEI)
    monkeypatch.setenv(FONT_ENV, str(tmp_path))
    found = find_cjk_fonts()
    assert {font.path for font in found.values()} == {tmp_path / "sub" / "wqy-zenhei.ttc"}


def test_empty_override_folder_raises_a_chinese_explanation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(FONT_ENV, str(tmp_path))
    with pytest.raises(FontNotFoundError) as caught:
        find_cjk_fonts()
    assert NOT_FOUND_MESSAGE in caught.value.message_zh
    assert "未找到可用的中文字体，无法生成 PDF。" in str(caught.value)
    assert "fonts-wqy-zenhei" in str(caught.value)


def _cff_otf_bytes() -> bytes:
    return b"OTTO" + bytes(60)


def _cff_collection_bytes() -> bytes:
    # ttcf header with one font at offset 16 whose sfnt version is OTTO (CFF outlines).
    return b"ttcf" + struct.pack(">HHII", 1, 0, 1, 16) + b"OTTO" + bytes(60)


def test_cff_opentype_fonts_are_recognised_and_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "NotoSansCJKsc-Regular.otf").write_bytes(_cff_otf_bytes())
    (tmp_path / "NotoSansCJK-Regular.ttc").write_bytes(_cff_collection_bytes())
    assert sfnt_flavour(tmp_path / "NotoSansCJKsc-Regular.otf") == "cff"
    assert sfnt_flavour(tmp_path / "NotoSansCJK-Regular.ttc") == "cff"
    monkeypatch.setenv(FONT_ENV, str(tmp_path))
    with pytest.raises(FontNotFoundError):
        find_cjk_fonts()


def test_a_truetype_font_without_chinese_is_not_taken(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert sfnt_flavour(LATIN_ONLY_TTF) == "truetype"
    (tmp_path / "Vera.ttf").symlink_to(LATIN_ONLY_TTF)
    monkeypatch.setenv(FONT_ENV, str(tmp_path))
    with pytest.raises(FontNotFoundError):
        find_cjk_fonts()
    with pytest.raises(FontNotFoundError, match="不是可嵌入的中文 TrueType 字体"):
        find_cjk_fonts(LATIN_ONLY_TTF)


def test_unreadable_or_foreign_files_have_no_flavour(tmp_path: Path) -> None:
    (tmp_path / "x.ttf").write_bytes(b"<html>not a font</html>")
    assert sfnt_flavour(tmp_path / "x.ttf") == ""
    assert sfnt_flavour(tmp_path / "missing.ttf") == ""


def test_missing_glyphs_names_characters_the_font_lacks(no_override: None) -> None:
    fonts = register_cjk_fonts()
    assert missing_glyphs("宁安市\u0378A\u0378 ", fonts) == ["\u0378"]


def test_search_dirs_replace_the_system_font_folders(no_override: None, tmp_path: Path) -> None:
    (tmp_path / "wqy-zenhei.ttc").symlink_to(WQY_ZENHEI)
    found = find_cjk_fonts(search_dirs=[tmp_path])
    assert set(found.values()) == {FontFile(tmp_path / "wqy-zenhei.ttc")}


def test_cff_noto_cjk_is_passed_over_for_a_truetype_font(no_override: None, tmp_path: Path) -> None:
    # Noto Sans CJK is the preferred file name but has CFF outlines reportlab cannot embed.
    (tmp_path / "NotoSansCJK-Regular.ttc").write_bytes(_cff_collection_bytes())
    (tmp_path / "wqy-zenhei.ttc").symlink_to(WQY_ZENHEI)
    found = find_cjk_fonts(search_dirs=[tmp_path])
    assert found["hei"] == FontFile(tmp_path / "wqy-zenhei.ttc")


def test_no_font_in_the_searched_folders_is_explained_in_chinese(no_override: None, tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError) as caught:
        find_cjk_fonts(search_dirs=[tmp_path])
    message = caught.value.message_zh
    assert message.startswith(NOT_FOUND_MESSAGE)
    assert str(tmp_path) in message  # where it looked
    assert "fonts-wqy-zenhei" in message  # what to install here
    assert FONT_ENV in message


def test_printing_without_a_chinese_font_refuses_and_writes_no_pdf(tmp_path: Path) -> None:
    # A fresh process: reportlab keeps registered fonts for the life of a process.
    empty = tmp_path / "fonts"
    empty.mkdir()
    target = tmp_path / "sheet.pdf"
    record = ROOT / "resources" / "vectors" / "sjdraw" / "joint_two_departments.json"
    script = (
        "import sys\n"
        "from app.forms.draw_sheet import write_draw_sheet\n"
        "from app.forms.draw_sheet_record import load_draw_sheet_data\n"
        "from app.forms.fonts import FontNotFoundError\n"
        "try:\n"
        "    write_draw_sheet(load_draw_sheet_data(sys.argv[1]), sys.argv[2])\n"
        "except FontNotFoundError as exc:\n"
        "    print(exc.message_zh)\n"
        "    raise SystemExit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(record), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, FONT_ENV: str(empty), "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith(NOT_FOUND_MESSAGE)
    assert not target.exists()
