"""Finding an embeddable Chinese font: system discovery, the override, CFF fonts skipped, clear failures."""

from __future__ import annotations

import struct
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
    with pytest.raises(FontNotFoundError, match="未找到可用的中文字体"):
        find_cjk_fonts()


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
