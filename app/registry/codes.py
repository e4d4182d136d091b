"""Validators and generators for Chinese identifiers used by the registries.

Covered identifiers:

* 统一社会信用代码 (unified social credit code, GB 32100-2015), 18 characters;
* 组织机构代码 (organisation code, GB 11714-1997), 8 body characters + 1 check character;
* 15 位工商注册号 (old business registration number), check digit by ISO 7064 MOD 11,10;
* 居民身份证号码 (citizen identity number, GB 11643-1999), 18 characters.

Every validator normalises its input first (see :func:`normalize_code`) and returns a
:class:`CodeCheck`; it never raises for bad input.  Generators (``make_*``) raise
:class:`ValueError` for bad arguments, and whatever they return validates with
``severity == "ok"``.

The module also holds helpers for the damage Excel does to long numeric identifiers
(:func:`restore_numeric_text`, :func:`is_excel_destroyed_code`) and a general text
normaliser (:func:`normalize_text`).

Standard library only; no UI code.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from operator import mul
from typing import Literal

__all__ = [
    "CodeCheck",
    "EntityCodeKind",
    "Severity",
    "USCC_ALPHABET",
    "USCC_DEPARTMENTS",
    "USCC_KINDS",
    "classify_entity_code",
    "id15_to_id18",
    "id_number_check_digit",
    "is_excel_destroyed_code",
    "make_id_number",
    "make_reg_no15",
    "make_uscc",
    "mask_id_number",
    "normalize_code",
    "normalize_text",
    "org_code_check_digit",
    "random_uscc",
    "reg_no15_check_digit",
    "restore_numeric_text",
    "uscc_check_digit",
    "validate_id_number",
    "validate_org_code",
    "validate_reg_no15",
    "validate_uscc",
]

Severity = Literal["ok", "warning", "error"]

_SEVERITY_RANK: dict[str, int] = {"ok": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """Outcome of validating one identifier.

    Attributes:
        ok: ``True`` only when nothing at all is wrong (``severity == "ok"``).
        severity: ``"ok"``; ``"warning"`` (usable but suspicious, e.g. a failed check
            character on a legacy code); or ``"error"`` (not a valid identifier of this kind).
        message_zh: one human-readable Simplified Chinese sentence; when several
            problems were found they are joined with "；".
        normalized: the input after normalisation (what should be stored if usable).
        issues: the individual problems, in the order found (empty when ``ok``).
    """

    ok: bool
    severity: Severity
    message_zh: str
    normalized: str
    issues: tuple[str, ...] = field(default=())

    @property
    def usable(self) -> bool:
        """``True`` unless the severity is ``"error"`` (warnings are still usable)."""
        return self.severity != "error"


def _result(normalized: str, problems: list[tuple[Severity, str]], ok_message: str) -> CodeCheck:
    """Fold a list of ``(severity, message)`` problems into one :class:`CodeCheck`."""
    if not problems:
        return CodeCheck(True, "ok", ok_message, normalized, ())
    worst: Severity = max((sev for sev, _ in problems), key=lambda s: _SEVERITY_RANK[s])
    messages = tuple(msg for _, msg in problems)
    return CodeCheck(False, worst, "；".join(messages), normalized, messages)


# --------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------

_WS_RUN = re.compile(r"\s+")


def _is_format_char(ch: str) -> bool:
    """Invisible format characters (zero-width space, BOM, …) that sneak in via copy/paste."""
    return unicodedata.category(ch) == "Cf"


def normalize_text(s: str | None) -> str:
    """Normalise free text from forms and spreadsheets.

    * full-width (``<wide>``) digits and Latin letters become ASCII (NFKC for those only —
      Chinese punctuation such as "（" is deliberately left alone);
    * every Unicode space (ideographic space U+3000, NBSP, tabs, newlines …) becomes an
      ASCII space, runs of spaces collapse to one, and the ends are stripped;
    * invisible format characters (U+200B, U+FEFF …) are dropped.

    ``None`` gives ``""``.
    """
    if s is None:
        return ""
    out: list[str] = []
    for ch in s:
        if ch.isspace():
            out.append(" ")
        elif _is_format_char(ch):
            continue
        elif unicodedata.decomposition(ch).startswith("<wide>"):
            mapped = unicodedata.normalize("NFKC", ch)
            out.append(mapped if mapped.isascii() and mapped.isalnum() else ch)
        else:
            out.append(ch)
    return _WS_RUN.sub(" ", "".join(out)).strip()


def normalize_code(s: str | None) -> str:
    """Normalise an identifier: NFKC (full-width → half-width), drop all whitespace and
    invisible format characters, uppercase.  ``None`` gives ``""``.

    Separators such as "-" are kept; validators decide what to do with them.
    """
    if s is None:
        return ""
    text = s
    # Removing spaces or uppercasing can create new NFKC compositions; repeat to a fixed point.
    for _ in range(4):
        nfkc = unicodedata.normalize("NFKC", text)
        cleaned = "".join(ch for ch in nfkc if not ch.isspace() and not _is_format_char(ch)).upper()
        if cleaned == text:
            break
        text = cleaned
    return text


def _char_label(ch: str) -> str:
    """Quote a character for a message, spelling out ones that would be invisible."""
    if ch.isprintable():
        return f"'{ch}'"
    return f"U+{ord(ch):04X}"


# --------------------------------------------------------------------------------------
# Administrative-division prefixes
# --------------------------------------------------------------------------------------

# 省级行政区划代码 (first two digits of a GB/T 2260 code).
_PROVINCES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip
# USCCs of national-level bodies carry 100000; 港澳台居民居住证 numbers use 810000/820000/830000.
_USCC_PROVINCES: frozenset[str] = _PROVINCES | {"10"}
_ID_PROVINCES: frozenset[str] = _PROVINCES | {"83"}


# --------------------------------------------------------------------------------------
# 组织机构代码 (GB 11714-1997)
# --------------------------------------------------------------------------------------

_ORG_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GB 11714 values: digits are themselves, letters A=10 … Z=35 (the full Latin alphabet).
_ORG_VALUES: dict[str, int] = {ch: i for i, ch in enumerate(_ORG_BODY_CHARS)}


def org_code_check_digit(first8: str) -> str:
    """Return the GB 11714 check character for an 8-character organisation-code body.

    ``check = 11 − (Σ valueᵢ·weightᵢ mod 11)`` with weights 3 7 9 10 5 8 4 2; a result of
    10 is written ``'X'`` and 11 is written ``'0'``.

    Raises:
        ValueError: if ``first8`` is not exactly 8 characters of 0-9/A-Z.
    """
    body = normalize_code(first8)
    if len(body) != 8:
        raise ValueError(f"组织机构代码本体应为 8 位，实为 {len(body)} 位")
    total = 0
    for pos, (ch, weight) in enumerate(zip(body, _ORG_WEIGHTS, strict=True), start=1):
        value = _ORG_VALUES.get(ch)
        if value is None:
            raise ValueError(f"组织机构代码第 {pos} 位字符 {_char_label(ch)} 不是合法字符")
        total += value * weight
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def validate_org_code(s: str | None) -> CodeCheck:
    """Validate a 9-character organisation code (``XXXXXXXX-X`` or ``XXXXXXXXX``).

    Wrong length or characters is an error; a failed check character is a warning.
    The normalised form has no hyphen.
    """
    code = normalize_code(s)
    if len(code) == 10 and code[8] == "-":
        code = code[:8] + code[9]
    if not code:
        return _result(code, [("error", "组织机构代码为空")], "")
    if len(code) != 9:
        return _result(code, [("error", f"组织机构代码应为 9 位，实为 {len(code)} 位")], "")
    problems: list[tuple[Severity, str]] = []
    for pos, ch in enumerate(code[:8], start=1):
        if ch not in _ORG_VALUES:
            problems.append(("error", f"第 {pos} 位字符 {_char_label(ch)} 不是合法字符"))
    if code[8] not in _ORG_VALUES:
        problems.append(("error", f"第 9 位校验位字符 {_char_label(code[8])} 不是合法字符"))
    if not problems:
        expected = org_code_check_digit(code[:8])
        if expected != code[8]:
            problems.append(("warning", f"组织机构代码校验位应为 {expected}，实为 {code[8]}"))
    return _result(code, problems, "组织机构代码格式与校验位正确")


# --------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# --------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a USCC may use (no I, O, Z, S, V), in check-value order."""

_USCC_VALUES: dict[str, int] = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_FORBIDDEN = frozenset("IOZSV")

USCC_DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
"""第 1 位 登记管理部门代码 → 部门名称."""

USCC_KINDS: dict[tuple[str, str], str] = {
    ("1", "1"): "机关",
    ("1", "2"): "事业单位",
    ("1", "3"): "中央编办直接管理机构编制的群众团体",
    ("1", "9"): "其他",
    ("2", "1"): "外国常驻新闻机构",
    ("2", "9"): "其他",
    ("3", "1"): "律师执业机构",
    ("3", "2"): "公证处",
    ("3", "3"): "基层法律服务所",
    ("3", "4"): "司法鉴定机构",
    ("3", "5"): "仲裁委员会",
    ("3", "9"): "其他",
    ("4", "1"): "外国在华文化中心",
    ("4", "9"): "其他",
    ("5", "1"): "社会团体",
    ("5", "2"): "民办非企业单位",
    ("5", "3"): "基金会",
    ("5", "9"): "其他",
    ("6", "1"): "外国旅游部门常驻代表机构",
    ("6", "2"): "港澳台地区旅游部门常驻内地（大陆）代表机构",
    ("6", "9"): "其他",
    ("7", "1"): "宗教活动场所",
    ("7", "2"): "宗教院校",
    ("7", "9"): "其他",
    ("8", "1"): "基层工会",
    ("8", "9"): "其他",
    ("9", "1"): "企业",
    ("9", "2"): "个体工商户",
    ("9", "3"): "农民专业合作社",
    ("A", "1"): "军队事业单位",
    ("A", "9"): "其他",
    ("N", "1"): "组级集体经济组织",
    ("N", "2"): "村级集体经济组织",
    ("N", "3"): "乡镇级集体经济组织",
    ("N", "9"): "其他",
    ("Y", "1"): "其他",
}
"""(第 1 位, 第 2 位) → 机构类别名称, per the GB 32100 code tables."""


def uscc_check_digit(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for the first 17 characters.

    ``check = 31 − (Σ valueᵢ·weightᵢ mod 31)`` over :data:`USCC_ALPHABET` values with
    weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (3ⁱ mod 31); 31 is written '0'.

    Raises:
        ValueError: if ``first17`` is not 17 characters of :data:`USCC_ALPHABET`.
    """
    body = normalize_code(first17)
    if len(body) != 17:
        raise ValueError(f"统一社会信用代码前 17 位应为 17 位，实为 {len(body)} 位")
    total = 0
    for pos, (ch, weight) in enumerate(zip(body, _USCC_WEIGHTS, strict=True), start=1):
        value = _USCC_VALUES.get(ch)
        if value is None:
            raise ValueError(f"第 {pos} 位字符 {_char_label(ch)} 不是合法字符")
        total += value * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(s: str | None) -> CodeCheck:
    """Validate a 统一社会信用代码.

    Errors (not a USCC): empty, length ≠ 18, a character outside :data:`USCC_ALPHABET`,
    position 1 not a known 登记管理部门代码, positions 3–8 not six digits.

    Warnings (usable, flag for review): failed GB 32100 check character, failed GB 11714
    check character of the embedded organisation code, unknown 机构类别 for the department,
    unknown province in the 行政区划码.
    """
    code = normalize_code(s)
    if not code:
        return _result(code, [("error", "统一社会信用代码为空")], "")
    if len(code) != 18:
        return _result(code, [("error", f"统一社会信用代码应为 18 位，实为 {len(code)} 位")], "")

    problems: list[tuple[Severity, str]] = []
    for pos, ch in enumerate(code, start=1):
        if ch in _USCC_VALUES:
            continue
        hint = "（统一社会信用代码不使用 I、O、Z、S、V）" if ch in _USCC_FORBIDDEN else ""
        problems.append(("error", f"第 {pos} 位字符 {_char_label(ch)} 不是合法字符{hint}"))
    if problems:
        return _result(code, problems, "")

    dept, kind, region, org = code[0], code[1], code[2:8], code[8:17]
    if dept not in USCC_DEPARTMENTS:
        problems.append(("error", f"第 1 位登记管理部门代码 '{dept}' 无效，应为 1–9、A、N、Y 之一"))
    elif (dept, kind) not in USCC_KINDS:
        problems.append(
            ("warning", f"第 2 位机构类别代码 '{kind}' 不是登记管理部门“{USCC_DEPARTMENTS[dept]}”的已知类别")
        )
    if not region.isdigit():
        problems.append(("error", f"第 3–8 位行政区划码 '{region}' 应为 6 位数字"))
    elif region[:2] not in _USCC_PROVINCES:
        problems.append(("warning", f"第 3–8 位行政区划码 '{region}' 的省级代码 {region[:2]} 不存在"))

    org_expected = org_code_check_digit(org[:8])
    if org_expected != org[8]:
        problems.append(("warning", f"第 9–17 位组织机构代码校验位应为 {org_expected}，实为 {org[8]}"))
    expected = uscc_check_digit(code[:17])
    if expected != code[17]:
        problems.append(("warning", f"统一社会信用代码校验位应为 {expected}，实为 {code[17]}"))
    return _result(code, problems, "统一社会信用代码格式与校验位正确")


def make_uscc(dept: str, kind: str, region6: str, org_body8: str) -> str:
    """Build a valid USCC from its parts, computing both check characters.

    Args:
        dept: 登记管理部门代码 (a key of :data:`USCC_DEPARTMENTS`, e.g. ``"9"``).
        kind: 机构类别代码; ``(dept, kind)`` must be in :data:`USCC_KINDS`.
        region6: 6-digit 行政区划码 with a real province prefix (e.g. ``"469006"``).
        org_body8: 8 characters of :data:`USCC_ALPHABET` (the organisation-code body).

    Raises:
        ValueError: if any part is invalid, so the result always validates ``ok``.
    """
    dept, kind, region6, org_body8 = (normalize_code(x) for x in (dept, kind, region6, org_body8))
    if dept not in USCC_DEPARTMENTS:
        raise ValueError(f"登记管理部门代码 '{dept}' 无效，应为 1–9、A、N、Y 之一")
    if (dept, kind) not in USCC_KINDS:
        raise ValueError(f"机构类别代码 '{kind}' 不是登记管理部门“{USCC_DEPARTMENTS[dept]}”的已知类别")
    if len(region6) != 6 or not region6.isdigit() or not region6.isascii():
        raise ValueError(f"行政区划码 '{region6}' 应为 6 位数字")
    if region6[:2] not in _USCC_PROVINCES:
        raise ValueError(f"行政区划码 '{region6}' 的省级代码 {region6[:2]} 不存在")
    if len(org_body8) != 8:
        raise ValueError(f"组织机构代码本体应为 8 位，实为 {len(org_body8)} 位")
    for pos, ch in enumerate(org_body8, start=1):
        if ch not in _USCC_VALUES:
            raise ValueError(f"组织机构代码本体第 {pos} 位字符 {_char_label(ch)} 不是合法字符")
    first17 = dept + kind + region6 + org_body8 + org_code_check_digit(org_body8)
    return first17 + uscc_check_digit(first17)


_DIGITS = "0123456789"


def random_uscc(rng: random.Random, region6: str, dept_kind: tuple[str, str]) -> str:
    """Deterministically generate a valid USCC for demo data.

    The same ``rng`` state, region and ``(dept, kind)`` always give the same code.
    For 工商 (dept ``"9"``) the body imitates post-2015 codes (``"MA"`` + 6 characters);
    other departments get a legacy-style all-digit body.

    Raises:
        ValueError: as :func:`make_uscc` for an invalid region or department/kind pair.
    """
    dept, kind = dept_kind
    if normalize_code(dept) == "9":
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice(_DIGITS) for _ in range(8))
    return make_uscc(dept, kind, region6, body)


# --------------------------------------------------------------------------------------
# 15 位工商注册号 (ISO 7064 MOD 11,10)
# --------------------------------------------------------------------------------------


def _mod11_10_state(digits: str) -> int:
    """Run the ISO 7064 MOD 11,10 recurrence and return the carried product ``p``."""
    p = 10
    for ch in digits:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return p


def _ascii_digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


def reg_no15_check_digit(first14: str) -> str:
    """Return the ISO 7064 MOD 11,10 check digit for the first 14 digits of a 注册号.

    Raises:
        ValueError: if ``first14`` is not 14 digits.
    """
    body = normalize_code(first14)
    if len(body) != 14 or not _ascii_digits(body):
        raise ValueError("注册号前 14 位应为 14 位数字")
    return str((11 - _mod11_10_state(body)) % 10)


def make_reg_no15(first14: str) -> str:
    """Append the MOD 11,10 check digit to 14 digits, giving a valid 15-digit 注册号.

    Raises:
        ValueError: if ``first14`` is not 14 digits.
    """
    body = normalize_code(first14)
    return body + reg_no15_check_digit(body)


def validate_reg_no15(s: str | None) -> CodeCheck:
    """Validate a 15-digit 工商注册号: length/digits are errors, a failed check digit
    (ISO 7064 MOD 11,10) is a warning."""
    code = normalize_code(s)
    if not code:
        return _result(code, [("error", "注册号为空")], "")
    if len(code) != 15:
        return _result(code, [("error", f"注册号应为 15 位，实为 {len(code)} 位")], "")
    problems: list[tuple[Severity, str]] = [
        ("error", f"第 {pos} 位字符 {_char_label(ch)} 不是数字")
        for pos, ch in enumerate(code, start=1)
        if ch not in _DIGITS
    ]
    if not problems:
        expected = reg_no15_check_digit(code[:14])
        if expected != code[14]:
            problems.append(("warning", f"注册号校验位应为 {expected}，实为 {code[14]}"))
    return _result(code, problems, "注册号格式与校验位正确")


# --------------------------------------------------------------------------------------
# 居民身份证号码 (GB 11643-1999)
# --------------------------------------------------------------------------------------

_ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP = "10X98765432"


def id_number_check_digit(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of an ID number.

    ``Σ digitᵢ·weightᵢ mod 11`` indexes ``"10X98765432"``.

    Raises:
        ValueError: if ``first17`` is not 17 digits.
    """
    body = normalize_code(first17)
    if len(body) != 17 or not _ascii_digits(body):
        raise ValueError("身份证号码前 17 位应为 17 位数字")
    total = sum(int(ch) * w for ch, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_MAP[total % 11]


def make_id_number(region6: str, birth: date, seq3: int | str) -> str:
    """Build a valid 18-character ID number.

    Args:
        region6: 6-digit 行政区划码.
        birth: date of birth.
        seq3: 顺序码 0–999 (odd for men, even for women), as int or 3-digit string.

    Raises:
        ValueError: for a malformed region, sequence or a birth year outside 1000–9999.
    """
    region = normalize_code(region6)
    if len(region) != 6 or not _ascii_digits(region):
        raise ValueError(f"行政区划码 '{region6}' 应为 6 位数字")
    if isinstance(seq3, str):
        seq = normalize_code(seq3)
        if len(seq) != 3 or not _ascii_digits(seq):
            raise ValueError(f"顺序码 '{seq3}' 应为 3 位数字")
    else:
        if not 0 <= seq3 <= 999:
            raise ValueError(f"顺序码 {seq3} 应在 0–999 之间")
        seq = f"{seq3:03d}"
    if not 1000 <= birth.year <= 9999:
        raise ValueError(f"出生年份 {birth.year} 无法写成 4 位")
    first17 = region + birth.strftime("%Y%m%d") + seq
    return first17 + id_number_check_digit(first17)


def validate_id_number(s: str | None, today: date | None = None) -> CodeCheck:
    """Validate an 18-character 居民身份证号码.

    Errors: empty, length ≠ 18 (a 15-digit first-generation number gets a hint), a
    non-digit in positions 1–17 or anything but a digit/X in position 18, a birth date
    that is not a real calendar date or is after ``today``, a failed check character.

    Warnings: unknown province prefix, birth year before 1900.

    Args:
        s: the number; lowercase ``x`` is accepted and normalised to ``X``.
        today: reference date for the "not in the future" rule (default: ``date.today()``);
            pass it explicitly for reproducible results.
    """
    code = normalize_code(s)
    if not code:
        return _result(code, [("error", "身份证号码为空")], "")
    if len(code) != 18:
        msg = f"身份证号码应为 18 位，实为 {len(code)} 位"
        if len(code) == 15 and _ascii_digits(code):
            msg += "（疑为 15 位一代身份证号码，请换用 18 位号码）"
        return _result(code, [("error", msg)], "")

    problems: list[tuple[Severity, str]] = [
        ("error", f"第 {pos} 位字符 {_char_label(ch)} 不是数字")
        for pos, ch in enumerate(code[:17], start=1)
        if ch not in _DIGITS
    ]
    if code[17] not in _ID_CHECK_MAP:
        problems.append(("error", f"第 18 位字符 {_char_label(code[17])} 应为数字或 X"))
    if problems:
        return _result(code, problems, "")

    if code[:2] not in _ID_PROVINCES:
        problems.append(("warning", f"第 1–6 位行政区划码 '{code[:6]}' 的省级代码 {code[:2]} 不存在"))
    birth_text = code[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        problems.append(("error", f"第 7–14 位出生日期 {birth_text} 不是有效日期"))
    else:
        ref = today if today is not None else date.today()
        if birth > ref:
            problems.append(("error", f"出生日期 {birth.isoformat()} 晚于当前日期 {ref.isoformat()}"))
        elif birth.year < 1900:
            problems.append(("warning", f"出生年份 {birth.year} 早于 1900 年，请核实"))
    expected = id_number_check_digit(code[:17])
    if expected != code[17]:
        problems.append(("error", f"身份证号码校验位应为 {expected}，实为 {code[17]}"))
    return _result(code, problems, "身份证号码格式与校验位正确")


def id15_to_id18(s: str) -> str:
    """Convert a 15-digit first-generation ID number (born 19xx) to the 18-character form.

    Raises:
        ValueError: if ``s`` is not 15 digits.
    """
    code = normalize_code(s)
    if len(code) != 15 or not _ascii_digits(code):
        raise ValueError("一代身份证号码应为 15 位数字")
    first17 = code[:6] + "19" + code[6:]
    return first17 + id_number_check_digit(first17)


def mask_id_number(s: str | None) -> str:
    """Mask an ID number for display: keep the first 6 and last 4 characters.

    ``"11010519491231002X"`` → ``"110105********002X"``.  The input is normalised first;
    anything of 10 characters or fewer is masked completely (nothing safe to show).
    """
    code = normalize_code(s)
    if len(code) <= 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


# --------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------


class EntityCodeKind(StrEnum):
    """Which kind of identifier a string looks like (see :func:`classify_entity_code`)."""

    USCC = "uscc"
    REG_NO15 = "reg_no15"
    ORG_CODE = "org_code"
    ID_NUMBER = "id_number"
    UNKNOWN = "unknown"


def classify_entity_code(s: str | None) -> EntityCodeKind:
    """Say which kind of identifier ``s`` is, after normalisation.

    * 18 characters: ``USCC`` if it passes the GB 32100 check; else ``ID_NUMBER`` if it
      is a fully valid ID number (individual businesses are sometimes keyed by the
      operator's ID); else ``USCC`` if it is USCC-shaped (alphabet, department code,
      numeric region) with a failed check; else ``UNKNOWN``.
    * 15 digits: ``REG_NO15``.
    * 9 characters of 0-9/A-Z, or ``XXXXXXXX-X``: ``ORG_CODE``.
    * anything else: ``UNKNOWN``.

    Classification never fails on the check digit alone for USCCs, registration numbers
    or organisation codes; run the matching validator for the details.
    """
    code = normalize_code(s)
    if len(code) == 18:
        uscc = validate_uscc(code)
        if uscc.ok:
            return EntityCodeKind.USCC
        if validate_id_number(code).ok:
            return EntityCodeKind.ID_NUMBER
        return EntityCodeKind.USCC if uscc.usable else EntityCodeKind.UNKNOWN
    if len(code) == 15 and _ascii_digits(code):
        return EntityCodeKind.REG_NO15
    if validate_org_code(code).usable:
        return EntityCodeKind.ORG_CODE
    return EntityCodeKind.UNKNOWN


# --------------------------------------------------------------------------------------
# Excel damage
# --------------------------------------------------------------------------------------

_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_MAX_EXPONENT = 30  # larger exponents are not identifiers; refuse to expand them


def _decimal_from_text(text: str) -> Decimal | None:
    """Parse ``text`` as a plain/scientific number, or ``None`` if it is not one."""
    if not _NUMBER_TEXT.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    exponent = value.adjusted()
    if not value.is_finite() or exponent > _MAX_EXPONENT:
        return None
    return value


def _decimal_to_text(value: Decimal) -> str:
    """Integral values without decimals or exponent; others in plain positional form."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def restore_numeric_text(value: object) -> str:
    """Turn an identifier Excel stored as a number back into its digit string.

    * ``469006600187440.0`` (float) or ``"469006600187440.0"`` → ``"469006600187440"``;
    * ``1.3912345678E10`` (float) or ``"1.3912345678E10"`` → ``"13912345678"``;
    * ints → their digits; ``None`` → ``""``;
    * other text is returned via :func:`normalize_text` (leading zeros are kept: ``"0123"``
      stays ``"0123"``); non-integral numbers are written positionally (``12.5`` → ``"12.5"``).

    This only reformats: it cannot bring back digits Excel already lost.  Call
    :func:`is_excel_destroyed_code` first and reject the value when it returns ``True``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # repr() gives the shortest text that round-trips, i.e. what Excel displayed.
        parsed = _decimal_from_text(repr(value))
        return _decimal_to_text(parsed) if parsed is not None else str(value)
    if isinstance(value, Decimal):
        return _decimal_to_text(value) if value.is_finite() else str(value)
    text = normalize_text(str(value))
    if "." in text or "e" in text.lower():
        parsed = _decimal_from_text(text.replace(" ", ""))
        if parsed is not None:
            return _decimal_to_text(parsed)
    return text


# Excel stores numbers as doubles shown to 15 significant digits, so any 16+ digit code (e.g. an 18-digit USCC) typed as a number has already lost its tail.
_EXCEL_EXACT_LIMIT = Decimal(10) ** 15


def is_excel_destroyed_code(value: object) -> bool:
    """``True`` when ``value`` is an identifier whose digits Excel has already destroyed.

    * an int, float or Decimal with magnitude ≥ 10¹⁵ (16+ digits as a number — see the
      comment on the limit above);
    * text in scientific notation (``"9.14690062012665E+17"``) whose integer value has
      16+ digits, or whose mantissa holds fewer significant digits than the value has
      integer digits (``"1.39123E+10"`` — the hidden tail is unknown).

    Plain digit strings, ``"469006600187440.0"`` and other text give ``False``.
    """
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        return number.is_finite() and abs(number) >= _EXCEL_EXACT_LIMIT
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) >= 1e15
    if not isinstance(value, str):
        return False
    text = normalize_text(value).replace(" ", "")
    if "e" not in text.lower():
        return False
    parsed = _decimal_from_text(text)
    if parsed is None or parsed != parsed.to_integral_value():
        return False
    magnitude = abs(parsed)
    if magnitude >= _EXCEL_EXACT_LIMIT:
        return True
    mantissa = re.split(r"[eE]", text, maxsplit=1)[0].lstrip("+-").replace(".", "").lstrip("0")
    integer_digits = len(str(int(magnitude))) if magnitude else 1
    return len(mantissa) < integer_digits


@cache
def _uscc_prefix_ok(prefix: str) -> bool:
    """Whether 登记管理部门, 机构类别 and 行政区划 (first 8 characters) are all known."""
    try:
        make_uscc(prefix[0], prefix[1], prefix[2:8], "00000000")
    except ValueError:
        return False
    return True


def uscc_surely_valid(code: str) -> bool:
    """A fast yes for a normalised, fully valid USCC (both check characters right).

    ``True`` implies ``validate_uscc(code).ok``; ``False`` means "ask validate_uscc" (tests prove the
    implication). It exists because a 100,000-row import cannot afford the full validator per row.
    """
    if len(code) != 18 or not _uscc_prefix_ok(code[:8]):
        return False
    try:
        total = sum(map(mul, [_USCC_VALUES[ch] for ch in code[:17]], _USCC_WEIGHTS))
        last = _USCC_VALUES[code[17]]
        org_total = sum(map(mul, [_ORG_VALUES[ch] for ch in code[8:16]], _ORG_WEIGHTS))
    except KeyError:
        return False
    org_check = 11 - org_total % 11
    if code[16] != ("X" if org_check == 10 else "0" if org_check == 11 else str(org_check)):
        return False
    return (31 - total % 31) % 31 == last
