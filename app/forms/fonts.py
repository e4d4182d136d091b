"""CJK fonts for the PDF forms (表单): find an embeddable Chinese TrueType font and register it with reportlab.

Three roles are registered under stable names, so layouts never name a file:

* ``CJK-Song`` — 宋体, table text;
* ``CJK-Fang`` — 仿宋, running text;
* ``CJK-Hei`` — 黑体, titles and headings;

plus ``Mono`` for hashes and codes (a Latin monospace font, or the PDF standard Courier).

Where fonts come from, first match wins:

1. an explicit path (a setting) or the ``SHUANGSUIJI_CJK_FONT`` environment variable — a font file (used for
   every role) or a folder (searched alone, nothing else is looked at);
2. on Windows, ``%WINDIR%\\Fonts`` and the per-user font folder: simsun.ttc (subfont 0), simfang.ttf,
   simhei.ttf, then 微软雅黑 msyh.ttc;
3. elsewhere, ``fc-list :lang=zh file`` and the usual font folders (wqy-zenhei, wqy-microhei, AR PL UMing,
   Noto/Source Han CJK, Droid Sans Fallback).

The system folders of 2 and 3 can be replaced by passing ``search_dirs`` (tests, portable installs); then
fontconfig is not asked either.

reportlab embeds only TrueType outlines (always as a subset); CFF-flavoured OpenType (``OTTO``, most Noto CJK
``.otf``/``.ttc``) is skipped. When a role has no font of its own, another role's font stands in; when
there is no usable font at all, :class:`FontNotFoundError` says so in Chinese — a PDF of empty boxes is
never produced.
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import logging
import os
import shutil
import struct
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.forms.errors import PrintingError

log = logging.getLogger(__name__)

FONT_ENV = "SHUANGSUIJI_CJK_FONT"
"""Environment variable: a font file or a folder to take the CJK fonts from (overrides discovery)."""

SONG, FANG, HEI, MONO = "CJK-Song", "CJK-Fang", "CJK-Hei", "Mono"
"""The names layouts use with reportlab."""

ROLES = ("song", "fang", "hei")
_PROBE = "中文表抽"  # characters every usable font must have a glyph for
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
NOT_FOUND_MESSAGE = "未找到可用的中文字体，无法生成 PDF。"
_HINT_WINDOWS = (
    "请确认 C:\\Windows\\Fonts 中有宋体（simsun.ttc）、仿宋（simfang.ttf）或黑体（simhei.ttf）；"
    "非中文版 Windows 可在“设置 → 应用 → 可选功能”中添加“简体中文补充字体”后重试。"
)
_HINT_OTHER = "请安装中文 TrueType 字体（例如文泉驿正黑 fonts-wqy-zenhei）后重试。"
_HINT_OVERRIDE = f"也可以用环境变量 {FONT_ENV} 指定字体文件。"

# Known files by role, most preferred first (lower-case shell patterns on the file name).
_KNOWN: dict[str, tuple[str, ...]] = {
    "song": ("simsun.ttc", "simsun.ttf", "songti.ttc", "uming.ttc", "notoserifcjk*", "sourcehanserif*"),
    "fang": ("simfang.ttf", "fangsong*.ttf", "stfangso.ttf"),
    "hei": (
        "simhei.ttf",
        "msyh.ttc",
        "msyh.ttf",
        "wqy-zenhei.ttc",
        "wqy-microhei.ttc",
        "notosanscjk*",
        "sourcehansans*",
        "droidsansfallbackfull.ttf",
        "droidsansfallback.ttf",
    ),
}
_FALLBACK_ORDER = {"song": ("fang", "hei"), "fang": ("song", "hei"), "hei": ("song", "fang")}
_MONO_FILES = ("consola.ttf", "cour.ttf", "dejavusansmono.ttf", "liberationmono-regular.ttf")
_UNIX_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/System/Library/Fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
)


def install_hint() -> str:
    """What to install on this system so that PDFs can be printed."""
    return (_HINT_WINDOWS if sys.platform == "win32" else _HINT_OTHER) + _HINT_OVERRIDE


class FontNotFoundError(PrintingError):
    """No embeddable Chinese font was found; ``message_zh`` is shown to the clerk (never a PDF of boxes)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(NOT_FOUND_MESSAGE + (f"（{detail}）" if detail else "") + install_hint())


@dataclass(frozen=True)
class FontFile:
    """One font inside a file (``subfont`` is the index within a .ttc collection)."""

    path: Path
    subfont: int = 0

    def __str__(self) -> str:
        return f"{self.path}#{self.subfont}" if self.subfont else str(self.path)


@dataclass(frozen=True)
class CjkFonts:
    """The registered font names for each role and the files behind them."""

    song: str
    fang: str
    hei: str
    mono: str
    files: dict[str, FontFile]
    """``song``/``fang``/``hei`` (and ``mono`` when a TrueType monospace font was found) → file."""


def sfnt_flavour(path: Path, subfont: int = 0) -> str:
    """The outline flavour of a font: ``"truetype"``, ``"cff"``, or ``""`` when unreadable or unknown."""
    try:
        with path.open("rb") as handle:
            tag = handle.read(4)
            if tag == b"ttcf":
                header = handle.read(8)
                count = struct.unpack(">I", header[4:8])[0]
                if not 0 <= subfont < count:
                    return ""
                handle.seek(12 + 4 * subfont)
                handle.seek(struct.unpack(">I", handle.read(4))[0])
                tag = handle.read(4)
    except (OSError, struct.error):
        return ""
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    return "cff" if tag == b"OTTO" else ""


def _role_rank(name: str) -> tuple[str, int] | None:
    """The role and preference rank of a known CJK font file name, else None."""
    lowered = name.lower()
    for role, patterns in _KNOWN.items():
        for rank, pattern in enumerate(patterns):
            if fnmatch.fnmatch(lowered, pattern):
                return role, rank
    return None


def _fontconfig_files() -> list[Path]:
    """Files fontconfig lists as covering Chinese (empty when fc-list is absent or fails)."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    try:
        result = subprocess.run(
            [program, ":lang=zh", "file"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.strip().rstrip(":")) for line in result.stdout.splitlines() if line.strip()]


def _files_under(folders: Iterable[Path]) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            for root, _dirs, names in os.walk(folder):
                for name in names:
                    if name.lower().endswith(_FONT_SUFFIXES):
                        yield Path(root) / name


def _windows_font_dirs() -> list[Path]:
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return folders


def system_font_dirs() -> list[Path]:
    """The folders this system keeps fonts in (Windows: ``%WINDIR%\\Fonts`` and the per-user folder)."""
    if sys.platform == "win32":
        return _windows_font_dirs()
    return [Path(d).expanduser() for d in _UNIX_DIRS]


def _system_candidates(search_dirs: Sequence[Path] | None = None) -> list[Path]:
    """Font files worth trying on this machine, known names first, without duplicates.

    Only known file names are taken from the folders (a Windows font folder holds hundreds of Latin fonts);
    fontconfig, which knows which fonts cover Chinese, is asked too unless ``search_dirs`` replaces the system.
    """
    folders = system_font_dirs() if search_dirs is None else list(search_dirs)
    walked = [p for p in _files_under(folders) if _role_rank(p.name)]
    asked = _fontconfig_files() if search_dirs is None and sys.platform != "win32" else []
    return list(dict.fromkeys(asked + walked))


# Fonts parsed while probing, kept so that registering them does not parse a 10 MB file again.
_parsed: dict[FontFile, TTFont] = {}


def _load(candidate: FontFile) -> TTFont:
    font = _parsed.get(candidate)
    if font is None:
        font = TTFont("probe", str(candidate.path), subfontIndex=candidate.subfont)
        _parsed[candidate] = font
    return font


def _usable(candidate: FontFile) -> bool:
    """True if reportlab can embed it (TrueType outlines, embedding allowed) and it has Chinese glyphs."""
    if sfnt_flavour(candidate.path, candidate.subfont) != "truetype":
        return False
    try:
        font = _load(candidate)
    except (TTFError, OSError, ValueError, struct.error) as exc:
        log.info("字体不可用 %s：%s", candidate, exc)
        return False
    if all(ord(ch) in font.face.charToGlyph for ch in _PROBE):
        return True
    _parsed.pop(candidate, None)
    return False


def _choose(files: Iterable[Path]) -> dict[str, FontFile]:
    """Pick a usable font per role from ``files``; unknown names serve only as a last resort."""
    ranked: dict[str, list[tuple[int, FontFile]]] = {role: [] for role in ROLES}
    others: list[FontFile] = []
    for path in files:
        known = _role_rank(path.name)
        if known:
            ranked[known[0]].append((known[1], FontFile(path)))
        elif path.suffix.lower() in (".ttf", ".ttc"):
            others.append(FontFile(path))
    found: dict[str, FontFile] = {}
    for role in ROLES:
        for _rank, candidate in sorted(ranked[role], key=lambda item: (item[0], str(item[1]))):
            if _usable(candidate):
                found[role] = candidate
                break
    if not found:
        spare = next((c for c in others if _usable(c)), None)
        if spare is None:
            return {}
        return dict.fromkeys(ROLES, spare)
    for role in ROLES:
        if role not in found:
            found[role] = next(found[other] for other in _FALLBACK_ORDER[role] if other in found)
    return found


def find_cjk_fonts(
    override: str | Path | None = None, *, search_dirs: Sequence[str | Path] | None = None
) -> dict[str, FontFile]:
    """The font file for each role (``song``, ``fang``, ``hei``); raise :class:`FontNotFoundError` if none.

    ``override`` (a setting) wins over the ``SHUANGSUIJI_CJK_FONT`` environment variable; either may name a
    font file (used for all roles) or a folder (searched alone). Without either, the system's font folders
    are searched — or ``search_dirs`` instead of them.
    """
    chosen = override if override not in (None, "") else os.environ.get(FONT_ENV, "")
    folders = None if search_dirs is None else [Path(d).expanduser() for d in search_dirs]
    return _find(Path(chosen).expanduser() if chosen else None, folders)


def _find(place: Path | None, search_dirs: Sequence[Path] | None = None) -> dict[str, FontFile]:
    if place is None:
        found = _choose(_system_candidates(search_dirs))
        if not found:
            searched = "、".join(str(d) for d in (search_dirs or system_font_dirs()))
            raise FontNotFoundError(f"已查找：{searched}")
    elif place.is_file():
        candidate = FontFile(place)
        if not _usable(candidate):
            raise FontNotFoundError(f"指定的字体文件不是可嵌入的中文 TrueType 字体：{place}")
        found = dict.fromkeys(ROLES, candidate)
    else:
        found = _choose(_files_under([place]))
        if not found:
            raise FontNotFoundError(f"已按设置只在“{place}”中查找")
    for candidate in set(_parsed) - set(found.values()):  # keep only what registration may reuse
        del _parsed[candidate]
    return found


def _find_mono() -> FontFile | None:
    folders = _windows_font_dirs() if sys.platform == "win32" else [Path(d).expanduser() for d in _UNIX_DIRS]
    by_name = {p.name.lower(): p for p in _files_under(folders) if p.name.lower() in _MONO_FILES}
    for name in _MONO_FILES:
        if name in by_name and sfnt_flavour(by_name[name]) == "truetype":
            return FontFile(by_name[name])
    return None


class MissingGlyphsError(PrintingError):
    """The text uses characters the registered Chinese font has no glyph for (they would print as gaps)."""

    def __init__(self, characters: Iterable[str], fonts: CjkFonts) -> None:
        self.characters = tuple(characters)
        shown = "、".join(self.characters[:20]) + ("等" if len(self.characters) > 20 else "")
        files = "、".join(sorted({f.path.name for role, f in fonts.files.items() if role in ROLES}))
        super().__init__(
            f"当前字体（{files}）缺少以下字符：{shown}。为避免打印件缺字，未生成 PDF。"
            "请安装收字更全的中文 TrueType 字体，或在设置中指定字体文件后重试。"
        )


def text_characters(value: object) -> Iterator[str]:
    """Every character of every text in ``value`` (dataclasses, tuples, lists, strings), for the glyph check."""
    if isinstance(value, str):
        yield from value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from text_characters(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from text_characters(item)


def missing_glyphs(characters: Iterable[str], fonts: CjkFonts) -> list[str]:
    """The characters (in first-seen order, whitespace ignored) absent from any registered CJK role font."""
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in {fonts.song, fonts.fang, fonts.hei}]
    missing = [
        ch for ch in dict.fromkeys(characters) if not ch.isspace() and any(ord(ch) not in m for m in maps)
    ]
    return missing


_lock = threading.Lock()
_registered: CjkFonts | None = None
_registered_for: str | Path | None = None


def register_cjk_fonts(
    override: str | Path | None = None, *, search_dirs: Sequence[str | Path] | None = None
) -> CjkFonts:
    """Find the fonts (see :func:`find_cjk_fonts`) and register them under the stable names, once.

    reportlab keeps the first font registered under a name for the life of the process, so a changed font
    setting takes effect after a restart; later calls return the fonts already registered.
    """
    global _registered, _registered_for
    with _lock:
        if _registered is not None:
            if override not in (None, "", _registered_for):
                log.warning(
                    "字体设置已改为 %s，重新启动程序后生效；本次仍使用 %s", override, _registered.files
                )
            return _registered
        _registered_for = override or None
        files = find_cjk_fonts(override, search_dirs=search_dirs)
        for name, role in ((SONG, "song"), (FANG, "fang"), (HEI, "hei")):
            # A fresh name object per role over the parsed face; reportlab maps names that share a face to
            # the one font it embeds, so one file serving three roles is embedded once.
            font = copy.copy(_load(files[role]))
            font.fontName = name
            pdfmetrics.registerFont(font)
        _parsed.clear()
        mono_name = "Courier"  # PDF standard font, present in every reader; only hex digits are set in it
        mono = _find_mono()
        if mono is not None:
            try:
                pdfmetrics.registerFont(TTFont(MONO, str(mono.path)))
                mono_name = MONO
                files = {**files, "mono": mono}
            except TTFError as exc:
                log.info("等宽字体不可用 %s：%s", mono, exc)
        _registered = CjkFonts(SONG, FANG, HEI, mono_name, files)
        log.info("PDF 字体：%s", {role: str(f) for role, f in files.items()})
        return _registered
