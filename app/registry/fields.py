"""Declarative field specs of the three registries (两库一单), shared by the import, the export and the forms.

Importing this module has no side effects (no database, no files, no Qt).

API
---
``FieldSpec`` — one field: ``name`` (the model attribute, or a virtual name such as ``department``),
``label`` (Chinese, also the export header), ``kind`` (:class:`FieldKind`: text/choice/date/bool/int/tags),
``choices``, ``required``, ``synonyms`` (header spellings recognised on import: Chinese, English,
pinyin initials), ``max_length``, ``default`` (for new records), ``width`` (export column width),
``numeric_text`` (an identifier or phone: numbers Excel stored are turned back into digits; values
Excel destroyed are refused), ``code`` (identifier: no spaces, upper case), ``personal`` (masked on export),
``virtual`` (not a column of the model; resolved by the importer), ``multiline`` (long text whose line
breaks are kept).

* ``FieldSpec.clean(raw) -> Cleaned`` normalises one raw cell or form value and validates it.
  ``Cleaned.value`` is the normalised value (``None`` for blank), ``Cleaned.issues`` the problems as
  :class:`FieldIssue` (``severity`` "error"/"warning", ``message`` in Chinese naming the field),
  ``Cleaned.damaged`` is true when Excel destroyed an identifier (the value is then ``None``).
* ``FieldSpec.missing() -> FieldIssue`` — the message for a blank required field.
* ``FieldSpec.display(value) -> str`` — the text a form or export shows (是/否, tags joined with 、).

``RegistrySpec`` — one registry: ``kind`` ("entities", "inspectors", "items"), ``label``, ``fields``
(in form/export order), ``field(name)``, ``match_header(text) -> FieldSpec | None``.
``ENTITY_SPEC``, ``INSPECTOR_SPEC``, ``ITEM_SPEC``, ``REGISTRIES`` and ``registry_spec(kind)``;
``header_key(text)`` is the normalisation used to compare headers; ``infer_entity_kind(uscc, name)``
guesses 检查对象类型 when a file has no 类型 column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from app.io.values import (
    clean_code,
    clean_multiline,
    clean_text,
    excel_number_text,
    is_blank,
    parse_bool,
    parse_date,
    split_tags,
)
from app.registry.codes import (
    id15_to_id18,
    is_excel_destroyed_code,
    restore_numeric_text,
    uscc_surely_valid,
    validate_id_number,
    validate_reg_no15,
    validate_uscc,
)
from db.enums import CreditClass, EntityKind, InspectorStatus, ItemClass, ItemListKind, RegStatus, RiskLevel

__all__ = [
    "ENTITY_SPEC",
    "INSPECTOR_SPEC",
    "ITEM_SPEC",
    "REGISTRIES",
    "Cleaned",
    "FieldIssue",
    "FieldKind",
    "FieldSpec",
    "RegistrySpec",
    "header_key",
    "infer_entity_kind",
    "registry_spec",
]

IssueSeverity = Literal["error", "warning"]


class FieldKind(StrEnum):
    """How a field's values are read and shown."""

    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    BOOL = "bool"
    INT = "int"
    TAGS = "tags"


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One problem with one value; ``message`` is Chinese and names the field (not the row)."""

    severity: IssueSeverity
    message: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A normalised value (``None`` = blank) and what is wrong with it."""

    value: Any
    issues: tuple[FieldIssue, ...] = ()
    damaged: bool = False

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return all(issue.severity != "error" for issue in self.issues)


Refiner = Callable[[Any], tuple[Any, tuple[FieldIssue, ...]]]
_BLANK = Cleaned(None)
# Only text shaped like 9.14690062012665E+17 can be a number Excel wrote in scientific notation; ASCII
# text is checked by shape here, anything else by is_excel_destroyed_code itself.
_SCIENTIFIC_ASCII = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+")


def _maybe_scientific(text: str) -> bool:
    if "e" not in text and "E" not in text and text.isascii():
        return False
    if text.isascii():
        return _SCIENTIFIC_ASCII.fullmatch("".join(text.split())) is not None
    return any(ch in text for ch in "eEｅＥ")


def _choice_key(text: str) -> str:
    return clean_code(clean_text(text)).rstrip("。.")


@dataclass(frozen=True, eq=False)
class FieldSpec:
    """One field of a registry (see the module docstring)."""

    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    max_length: int | None = None
    default: Any = None
    width: int = 14
    numeric_text: bool = False
    code: bool = False
    personal: bool = False
    virtual: bool = False
    multiline: bool = False
    refine: Refiner | None = None
    # A fast yes for a normalised value: True promises clean() finds nothing wrong with it.
    quick_ok: Callable[[str], bool] | None = None
    resolve_choice: Callable[[str], str | None] | None = None

    @cached_property
    def _alias_index(self) -> dict[str, str]:
        index = {_choice_key(choice): choice for choice in self.choices}
        index.update({_choice_key(alias): value for alias, value in self.aliases.items()})
        return index

    def missing(self) -> FieldIssue:
        """The error for a blank required field."""
        return FieldIssue("error", f"{self.label}不能为空")

    def clean(self, raw: object) -> Cleaned:
        """Normalise and validate one value as read from a cell or typed in a form."""
        kind = self.kind
        if kind is FieldKind.TEXT:
            return self._clean_text(raw)
        if is_blank(raw):
            return _BLANK
        if kind is FieldKind.CHOICE:
            return self._clean_choice(raw)
        if kind is FieldKind.DATE:
            parsed = parse_date(raw)
            if isinstance(parsed, str):
                return Cleaned(None, (FieldIssue("error", f"{self.label}“{parsed}”不是有效日期"),))
            return Cleaned(parsed)
        if kind is FieldKind.BOOL:
            flag = parse_bool(raw)
            if flag is None:
                return Cleaned(None, (FieldIssue("error", f"{self.label}“{_as_text(raw)}”应填 是 或 否"),))
            return Cleaned(flag)
        if kind is FieldKind.INT:
            return self._clean_int(raw)
        return self._clean_tags(raw)

    @cached_property
    def _normalise(self) -> Callable[[str], str]:
        if self.code:
            return clean_code
        return clean_multiline if self.multiline else clean_text

    def _clean_text(self, raw: object) -> Cleaned:
        # The hot path of a 100,000-row import: plain strings skip every check they cannot fail.
        if raw is None:
            return _BLANK
        if type(raw) is str:
            if self.numeric_text and _maybe_scientific(raw) and is_excel_destroyed_code(raw):
                return self._damaged(clean_code(raw))
            text = raw
        else:
            if self.numeric_text and is_excel_destroyed_code(raw):
                shown = excel_number_text(raw) if isinstance(raw, float | int) else clean_code(str(raw))
                return self._damaged(shown)
            text = _as_text(raw)
        value = self._normalise(text)
        if not value:
            return _BLANK
        issues: tuple[FieldIssue, ...] = ()
        if self.refine is not None:
            value, issues = self.refine(value)
        if self.max_length is not None and len(value) > self.max_length:
            issues += (
                FieldIssue("error", f"{self.label}过长（{len(value)} 字，最多 {self.max_length} 字）"),
            )
        return Cleaned(value, issues)

    def _damaged(self, shown: str) -> Cleaned:
        return Cleaned(None, (FieldIssue("warning", self._damaged_message(shown)),), damaged=True)

    def _damaged_message(self, shown: str) -> str:
        if self.name in ("uscc", "reg_no"):
            return f"{self.label}已被Excel改写为科学计数法({shown})，无法恢复，已导入为待补录"
        return f"{self.label}已被Excel改写为科学计数法({shown})，无法恢复，已留空"

    def _clean_choice(self, raw: object) -> Cleaned:
        text = clean_text(_as_text(raw))
        found = self._alias_index.get(_choice_key(text))
        if found is None and self.resolve_choice is not None:
            found = self.resolve_choice(text)
        if found is None:
            allowed = "、".join(self.choices)
            return Cleaned(None, (FieldIssue("error", f"{self.label}“{text}”不是可选值（{allowed}）"),))
        return Cleaned(found)

    def _clean_int(self, raw: object) -> Cleaned:
        text = clean_code(_as_text(raw))
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number != number or number != int(number):
            return Cleaned(None, (FieldIssue("error", f"{self.label}“{text}”应为整数"),))
        return Cleaned(int(number))

    def _clean_tags(self, raw: object) -> Cleaned:
        tags = split_tags(raw)
        if not tags:
            return _BLANK
        if not self.choices:
            too_long = [t for t in tags if self.max_length is not None and len(t) > self.max_length]
            if too_long:
                return Cleaned(
                    None,
                    (FieldIssue("error", f"{self.label}“{too_long[0]}”过长（最多 {self.max_length} 字）"),),
                )
            return Cleaned(tags)
        result: list[str] = []
        for tag in tags:
            found = self._alias_index.get(_choice_key(tag))
            if found is None and self.resolve_choice is not None:
                found = self.resolve_choice(tag)
            if found is None:
                allowed = "、".join(self.choices)
                return Cleaned(None, (FieldIssue("error", f"{self.label}“{tag}”不是可选值（{allowed}）"),))
            if found not in result:
                result.append(found)
        return Cleaned(result)

    def display(self, value: Any) -> str:
        """The text a form or an export shows for a stored value."""
        if value is None:
            return ""
        if self.kind is FieldKind.BOOL:
            return "是" if value else "否"
        if self.kind is FieldKind.TAGS:
            return "、".join(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


def _as_text(raw: object) -> str:
    """A raw cell as text: numbers without a spurious ".0", dates as ISO dates."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, int | float):
        return restore_numeric_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw)


# --------------------------------------------------------------------------------------
# Identifier refiners (reusing app.registry.codes)
# --------------------------------------------------------------------------------------


def _issues_of(label: str, severity: str, message: str) -> tuple[FieldIssue, ...]:
    if severity == "ok":
        return ()
    text = message if message.startswith(label) else f"{label}{message}"
    return (FieldIssue("error" if severity == "error" else "warning", text),)


def _refine_uscc(code: str) -> tuple[str, tuple[FieldIssue, ...]]:
    if uscc_surely_valid(code):
        return code, ()
    check = validate_uscc(code)
    return check.normalized or code, _issues_of("统一社会信用代码", check.severity, check.message_zh)


def _refine_reg_no(code: str) -> tuple[str, tuple[FieldIssue, ...]]:
    if not (code.isascii() and code.isdigit()):
        return code, ()  # other registries' codes (民非登记证号, product codes …) are kept as written
    if len(code) == 15:
        check = validate_reg_no15(code)
        return code, _issues_of("注册号", check.severity, check.message_zh)
    return code, (FieldIssue("warning", f"注册号应为 15 位，实为 {len(code)} 位，请核实"),)


def _refine_id_number(code: str) -> tuple[str, tuple[FieldIssue, ...]]:
    if "*" in code:
        return code, ()  # a masked export value: the importer keeps what the database holds
    if len(code) == 15 and code.isascii() and code.isdigit():
        return id15_to_id18(code), (FieldIssue("warning", "身份证号码为 15 位一代号码，已转换为 18 位"),)
    check = validate_id_number(code)
    return check.normalized or code, _issues_of("身份证号码", check.severity, check.message_zh)


# --------------------------------------------------------------------------------------
# Choices and their common spellings
# --------------------------------------------------------------------------------------


def _entity_kind_from_text(text: str) -> str | None:
    """检查对象类型 from free text such as 有限责任公司（自然人投资或控股） or 个体户."""
    rules = (
        (("个体",), EntityKind.INDIVIDUAL),
        (("合作社",), EntityKind.COOPERATIVE),
        (("民办非企业", "社会团体", "基金会", "社会服务机构", "社会组织", "社团"), EntityKind.SOCIAL_ORG),
        (("事业单位", "事业法人"), EntityKind.PUBLIC_INSTITUTION),
        (("公司", "企业", "合伙", "独资", "分支机构", "厂"), EntityKind.ENTERPRISE),
        (("产品",), EntityKind.PRODUCT),
        (("项目", "工程"), EntityKind.PROJECT),
        (("行为",), EntityKind.BEHAVIOUR),
    )
    for words, kind in rules:
        if any(word in text for word in words):
            return kind.value
    return None


_USCC_KIND = {
    ("9", "1"): EntityKind.ENTERPRISE,
    ("9", "2"): EntityKind.INDIVIDUAL,
    ("9", "3"): EntityKind.COOPERATIVE,
    ("1", "2"): EntityKind.PUBLIC_INSTITUTION,
    ("A", "1"): EntityKind.PUBLIC_INSTITUTION,
}


def infer_entity_kind(uscc: str | None, name: str) -> str:
    """检查对象类型 for a record whose file gives none: from the USCC's 登记管理部门/机构类别
    (9-1 企业, 9-2 个体工商户, 9-3 合作社, 5-x 社会组织, 1-2 事业单位), else from the name, else 企业."""
    if uscc and len(uscc) == 18:
        if uscc[0] == "5":
            return EntityKind.SOCIAL_ORG.value
        kind = _USCC_KIND.get((uscc[0], uscc[1]))
        if kind is not None:
            return kind.value
    if "合作社" in name:
        return EntityKind.COOPERATIVE.value
    return EntityKind.ENTERPRISE.value


def _values(enum: Iterable[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


_REG_STATUS_ALIASES = {
    **dict.fromkeys(
        ("在业", "开业", "在营", "正常", "存续（在营、开业、在册）", "在册", "登记成立", "有效", "营业", "成立",
         "存续(在营、开业、在册)", "清算", "正在清算"),
        RegStatus.ACTIVE.value,
    ),
    **dict.fromkeys(("已注销", "注销企业", "吊销,已注销", "吊销后注销", "撤销", "已撤销"), RegStatus.CANCELLED.value),
    **dict.fromkeys(("已吊销", "吊销,未注销", "吊销未注销", "吊销(未注销)", "吊销营业执照"), RegStatus.REVOKED.value),
    **dict.fromkeys(("已迁出", "迁移", "迁往异地", "迁出异地"), RegStatus.MOVED_OUT.value),
    **dict.fromkeys(("歇业中", "已歇业", "歇业备案", "歇业状态", "停业"), RegStatus.SUSPENDED.value),
}  # fmt: skip
_RISK_ALIASES = {
    **dict.fromkeys(("高风险", "较高", "较高风险", "H", "HIGH"), RiskLevel.HIGH.value),
    **dict.fromkeys(("中风险", "中等", "一般", "一般风险", "M", "MEDIUM"), RiskLevel.MEDIUM.value),
    **dict.fromkeys(("低风险", "较低", "较低风险", "L", "LOW"), RiskLevel.LOW.value),
}
_CREDIT_ALIASES = {
    f"{letter}{suffix}": letter
    for letter in "ABCD"
    for suffix in ("类", "级", "类企业", "级企业", "类（信用良好）")
}
_CREDIT_ALIASES.update({"信用良好": "A", "良好": "A", "一般": "B", "较差": "C", "失信": "D", "严重失信": "D"})
_KIND_ALIASES = {"个体户": EntityKind.INDIVIDUAL.value, "合作社": EntityKind.COOPERATIVE.value}
_STATUS_ALIASES = {
    **dict.fromkeys(("在职", "正常", "在编", "在用", "启用"), InspectorStatus.ON_DUTY.value),
    **dict.fromkeys(("调出", "调走", "离职", "退休", "离岗"), InspectorStatus.TRANSFERRED.value),
    **dict.fromkeys(("暂停", "禁用", "注销", "冻结"), InspectorStatus.SUSPENDED.value),
}
_ITEM_CLASS_ALIASES = {
    **dict.fromkeys(("一般检查事项", "一般事项", "一般类"), ItemClass.GENERAL.value),
    **dict.fromkeys(("重点检查事项", "重点事项", "重点类", "重点领域"), ItemClass.KEY.value),
}
_LIST_KIND_ALIASES = {
    **dict.fromkeys(("部门清单", "部门抽查", "部门随机抽查事项", "单部门"), ItemListKind.DEPARTMENT.value),
    **dict.fromkeys(
        ("联合清单", "部门联合", "联合抽查", "跨部门", "部门联合抽查事项"), ItemListKind.JOINT.value
    ),
}


# --------------------------------------------------------------------------------------
# The registries
# --------------------------------------------------------------------------------------

_T, _C, _D, _B, _G = FieldKind.TEXT, FieldKind.CHOICE, FieldKind.DATE, FieldKind.BOOL, FieldKind.TAGS

_PHONE = ("联系电话", "电话", "联系方式", "手机", "手机号", "手机号码", "移动电话", "电话号码", "联系人电话",
          "负责人电话", "负责人联系电话", "法定代表人电话", "经营者电话",
          "LXDH", "DH", "SJ", "SJHM", "phone", "tel", "telephone", "mobile")  # fmt: skip
_REMARKS = ("备注", "说明", "BZ", "remark", "remarks", "note")


def _entity_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("uscc", "统一社会信用代码", _T, max_length=18, width=22, numeric_text=True, code=True,
                  refine=_refine_uscc, quick_ok=uscc_surely_valid,
                  synonyms=("信用代码", "社会信用代码", "统一代码", "社会统一信用代码", "统一信用代码",
                            "统一社会信用代码/注册号", "信用代码/注册号", "统一社会信用代码或注册号",
                            "USCC", "TYXYDM", "TYSHXYDM", "SHXYDM", "XYDM", "credit_code", "creditcode")),
        FieldSpec("reg_no", "注册号", _T, max_length=30, width=18, numeric_text=True, code=True,
                  refine=_refine_reg_no,
                  synonyms=("工商注册号", "注册号码", "营业执照号", "营业执照注册号", "登记号", "登记证号",
                            "登记编号", "执照号", "ZCH", "reg_no", "regno", "registration_no")),
        FieldSpec("name", "名称", _T, required=True, max_length=200, width=36,
                  synonyms=("企业名称", "主体名称", "单位名称", "市场主体名称", "检查对象名称", "对象名称",
                            "检查对象", "个体户名称", "字号名称", "商户名称", "机构名称", "经营者名称",
                            "QYMC", "MC", "ZTMC", "DWMC", "name", "entity_name", "company")),
        FieldSpec("kind", "类型", _C, choices=_values(EntityKind), aliases=_KIND_ALIASES, width=12,
                  resolve_choice=_entity_kind_from_text,
                  synonyms=("主体类型", "对象类型", "市场主体类型", "企业类型", "单位类型", "类别", "检查对象类型",
                            "LX", "ZTLX", "QYLX", "type", "kind")),
        FieldSpec("industry", "行业", _T, max_length=100, width=14,
                  synonyms=("所属行业", "行业类别", "行业门类", "行业分类", "经营类别", "HY", "HYLB", "industry")),
        FieldSpec("town", "乡镇/片区", _T, max_length=50, width=12,
                  synonyms=("乡镇", "片区", "所属乡镇", "所属片区", "乡镇街道", "街道", "乡镇（街道）", "所在乡镇",
                            "辖区", "管辖片区", "XZ", "PQ", "SSXZ", "town", "area")),
        FieldSpec("address", "地址", _T, max_length=300, width=40,
                  synonyms=("住所", "经营场所", "住所/经营场所", "住所(经营场所)", "经营地址", "注册地址", "详细地址",
                            "生产经营地址", "单位地址", "地点", "DZ", "ZS", "JYCS", "JYDZ", "address", "addr")),
        FieldSpec("legal_rep", "法定代表人/负责人", _T, max_length=50, width=12,
                  synonyms=("法定代表人", "负责人", "经营者", "法人", "法人代表", "法定代表人（负责人）", "投资人",
                            "执行事务合伙人", "负责人姓名", "法定代表人姓名", "经营者姓名", "FDDBR", "FZR", "JYZ", "FR", "legal_rep", "representative")),
        FieldSpec("phone", "联系电话", _T, max_length=50, width=15, numeric_text=True, synonyms=_PHONE),
        FieldSpec("id_number", "负责人身份证号", _T, max_length=18, width=20, numeric_text=True, code=True,
                  personal=True, refine=_refine_id_number,
                  synonyms=("身份证号", "身份证号码", "证件号码", "负责人证件号码", "法定代表人身份证号",
                            "法定代表人证件号码", "经营者身份证号", "SFZH", "ZJHM", "id_number", "idcard")),
        FieldSpec("reg_status", "登记状态", _C, choices=_values(RegStatus), aliases=_REG_STATUS_ALIASES,
                  default=RegStatus.ACTIVE.value, width=10,
                  synonyms=("状态", "经营状态", "企业状态", "主体状态", "登记状况", "ZT", "DJZT", "JYZT", "status")),
        FieldSpec("established_on", "成立日期", _D, width=12,
                  synonyms=("成立时间", "登记日期", "注册日期", "开业日期", "设立日期", "CLRQ", "established")),
        FieldSpec("risk_level", "风险等级", _C, choices=_values(RiskLevel), aliases=_RISK_ALIASES,
                  default=RiskLevel.MEDIUM.value, width=10,
                  synonyms=("风险级别", "风险分级", "风险分类", "风险", "FXDJ", "risk", "risk_level")),
        FieldSpec("credit_class", "信用分类", _C, choices=_values(CreditClass), aliases=_CREDIT_ALIASES,
                  default=CreditClass.B.value, width=10,
                  synonyms=("信用等级", "信用类别", "信用风险分类", "信用风险等级", "XYFL", "XYDJ", "credit")),
        FieldSpec("abnormal_list", "经营异常名录", _B, default=False, width=12,
                  synonyms=("列入经营异常名录", "是否列入经营异常名录", "异常名录", "经营异常", "JYYC", "abnormal")),
        FieldSpec("serious_illegal", "严重违法失信名单", _B, default=False, width=14,
                  synonyms=("严重违法失信", "列入严重违法失信名单", "是否列入严重违法失信名单", "严重违法",
                            "严重违法失信企业名单", "失信名单", "YZWF", "serious_illegal")),
        FieldSpec("department", "监管部门", _T, max_length=100, width=18, virtual=True,
                  synonyms=("管辖部门", "监管单位", "主管部门", "管辖单位", "责任部门", "监管机构", "JGBM", "GXBM",
                            "department")),
        FieldSpec("needs_code_fix", "代码待补录", _B, default=False, width=10,
                  synonyms=("待补录", "代码待补", "needs_code_fix")),
        FieldSpec("remarks", "备注", _T, multiline=True, width=20, synonyms=_REMARKS),
    )  # fmt: skip


def _inspector_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("code", "人员编号", _T, max_length=30, width=12, numeric_text=True, code=True,
                  synonyms=("编号", "人员代码", "工号", "人员编码", "RYBH", "BH", "code", "staff_no")),
        FieldSpec("name", "姓名", _T, required=True, max_length=50, width=10,
                  synonyms=("名字", "人员姓名", "执法人员姓名", "检查人员姓名", "执法人员", "检查人员", "XM", "name")),
        FieldSpec("gender", "性别", _C, choices=("男", "女"), width=6,
                  aliases={"男性": "男", "女性": "女", "M": "男", "F": "女", "MALE": "男", "FEMALE": "女"},
                  synonyms=("XB", "gender", "sex")),
        FieldSpec("department", "部门", _T, required=True, max_length=100, width=18, virtual=True,
                  synonyms=("所属部门", "单位", "工作单位", "所在单位", "所属单位", "执法部门", "执法单位", "部门名称",
                            "BM", "SSBM", "DW", "dept", "department")),
        FieldSpec("title", "职务", _T, max_length=50, width=10, synonyms=("职务/职级", "职级", "ZW", "title")),
        FieldSpec("cert_no", "执法证号", _T, max_length=50, width=16, numeric_text=True, code=True,
                  synonyms=("执法证件号", "执法证编号", "行政执法证号", "执法证件号码", "执法证件编号", "执法证",
                            "证号", "ZFZH", "cert_no", "certificate")),
        FieldSpec("cert_issuer", "发证机关", _T, max_length=100, width=16,
                  synonyms=("发证单位", "发证部门", "发证机构", "FZJG", "issuer")),
        FieldSpec("cert_valid_until", "有效期至", _D, width=12,
                  synonyms=("执法证有效期至", "有效期", "证件有效期", "执法证有效期", "有效期限", "有效截止日期",
                            "到期日期", "截止日期", "YXQ", "YXQZ", "valid_until")),
        FieldSpec("qualifications", "专长/资格", _G, max_length=50, width=24, virtual=True,
                  synonyms=("专长", "资格", "专业特长", "业务专长", "执法领域", "执法类别", "检查资格", "专业领域",
                            "资格/专长", "ZC", "ZG", "qualifications", "tags")),
        FieldSpec("town", "片区", _T, max_length=50, width=10,
                  synonyms=("负责片区", "所属片区", "乡镇", "辖区", "PQ", "town", "area")),
        FieldSpec("is_expert", "专家", _B, default=False, width=6,
                  synonyms=("是否专家", "专家库", "是否为专家", "ZJ", "expert")),
        FieldSpec("status", "状态", _C, choices=_values(InspectorStatus), aliases=_STATUS_ALIASES,
                  default=InspectorStatus.ON_DUTY.value, width=8,
                  synonyms=("人员状态", "在岗状态", "在岗情况", "ZT", "status")),
        FieldSpec("phone", "联系电话", _T, max_length=50, width=15, numeric_text=True, synonyms=_PHONE),
        FieldSpec("id_number", "身份证号", _T, max_length=18, width=20, numeric_text=True, code=True,
                  personal=True, refine=_refine_id_number,
                  synonyms=("身份证号码", "证件号码", "公民身份号码", "SFZH", "ZJHM", "id_number", "idcard")),
        FieldSpec("remarks", "备注", _T, multiline=True, width=20, synonyms=_REMARKS),
    )  # fmt: skip


def _item_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("compiler", "编制单位", _T, max_length=100, width=18,
                  synonyms=("编制单位名称", "制定单位", "编制部门", "发布单位", "BZDW", "compiler")),
        FieldSpec("code", "编号", _T, max_length=50, width=8, numeric_text=True,
                  synonyms=("序号", "事项编号", "事项代码", "事项序号", "BH", "XH", "code", "no")),
        FieldSpec("list_kind", "清单类型", _C, choices=_values(ItemListKind), aliases=_LIST_KIND_ALIASES,
                  default=ItemListKind.DEPARTMENT.value, width=8, synonyms=("清单类别", "QDLX", "list_kind")),
        FieldSpec("domain", "抽查领域", _T, max_length=100, width=14, synonyms=("领域", "CCLY", "domain")),
        FieldSpec("category", "抽查类别", _T, max_length=100, width=18,
                  synonyms=("类别", "检查类别", "抽查项目", "项目类别", "CCLB", "category")),
        FieldSpec("name", "抽查事项", _T, required=True, max_length=300, width=30,
                  synonyms=("事项名称", "抽查事项名称", "检查事项", "检查事项名称", "随机抽查事项", "事项",
                            "CCSX", "SXMC", "item", "name")),
        FieldSpec("target_desc", "检查对象", _T, multiline=True, width=20, synonyms=("抽查对象", "检查对象范围", "JCDX", "target")),
        FieldSpec("target_kinds", "对象类型", _G, choices=_values(EntityKind), aliases=_KIND_ALIASES, width=16,
                  resolve_choice=_entity_kind_from_text,
                  synonyms=("检查对象类型", "适用对象类型", "主体类型", "target_kinds")),
        FieldSpec("target_industries", "适用行业", _G, max_length=100, width=16,
                  synonyms=("行业", "所属行业", "target_industries")),
        FieldSpec("item_class", "事项类别", _C, choices=_values(ItemClass), aliases=_ITEM_CLASS_ALIASES,
                  default=ItemClass.GENERAL.value, width=8, synonyms=("事项类型", "事项分类", "SXLB", "item_class")),
        FieldSpec("methods", "检查方式", _T, multiline=True, width=18, synonyms=("抽查方式", "检查方法", "JCFS", "methods")),
        FieldSpec("subject", "检查主体", _T, multiline=True, width=18, synonyms=("实施主体", "执法主体", "抽查主体", "JCZT", "subject")),
        FieldSpec("basis", "检查依据", _T, multiline=True, width=40,
                  synonyms=("抽查依据", "法律依据", "依据", "设定依据", "JCYJ", "YJ", "basis")),
        FieldSpec("ratio_text", "抽查比例", _T, max_length=100, width=12, synonyms=("比例", "CCBL", "ratio")),
        FieldSpec("frequency_text", "抽查频次", _T, max_length=100, width=12,
                  synonyms=("频次", "检查频次", "CCPC", "frequency")),
        FieldSpec("inspector_requirement", "检查人员要求", _T, multiline=True, width=16,
                  synonyms=("人员要求", "执法人员要求", "RYYQ", "inspector_requirement")),
        FieldSpec("required_qualifications", "所需资格", _G, max_length=50, width=14,
                  synonyms=("资格要求", "所需专长", "专长要求", "required_qualifications")),
        FieldSpec("key_points", "检查要点", _T, multiline=True, width=30, synonyms=("检查内容要点", "要点", "JCYD", "key_points")),
        FieldSpec("lead_department", "发起部门", _T, max_length=100, width=16, virtual=True,
                  synonyms=("牵头部门", "主管部门", "实施部门", "责任部门", "主办部门", "FQBM", "lead_department")),
        FieldSpec("partner_departments", "配合部门", _G, max_length=100, width=20, virtual=True,
                  synonyms=("协办部门", "联合部门", "参与部门", "PHBM", "partner_departments")),
        FieldSpec("remarks", "备注", _T, multiline=True, width=16, synonyms=_REMARKS),
    )  # fmt: skip


_HEADER_NOISE = str.maketrans("", "", "*＊★☆※:：#＃")


def header_key(text: str) -> str:
    """How headers are compared: NFKC, no spaces or required-marks (*), lower case."""
    key = clean_code(clean_text(text)).translate(_HEADER_NOISE).lower()
    for note in ("(必填)", "(选填)", "(必填项)", "(可选)"):
        key = key.replace(note, "")
    return key


def _strip_brackets(key: str) -> str:
    out: list[str] = []
    depth = 0
    for ch in key:
        if ch in "([【":
            depth += 1
        elif ch in ")]】":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class RegistrySpec:
    """One registry's fields, in form and export order."""

    kind: str
    label: str
    fields: tuple[FieldSpec, ...]
    ignored_headers: tuple[str, ...] = ("序号", "XH", "No", "行号")

    @cached_property
    def _by_name(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.fields}

    @cached_property
    def _header_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for spec in self.fields:
            for text in (spec.label, spec.name, *spec.synonyms):
                index.setdefault(header_key(text), spec.name)
        return index

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``; KeyError if there is none."""
        return self._by_name[name]

    @property
    def required(self) -> tuple[FieldSpec, ...]:
        """Fields a new record must have."""
        return tuple(f for f in self.fields if f.required)

    def match_header(self, text: str) -> FieldSpec | None:
        """The field a column header means, or None (also for ignored headers such as 序号)."""
        key = header_key(text)
        if not key:
            return None
        name = self._header_index.get(key)
        if name is None:
            bare = _strip_brackets(key)
            name = self._header_index.get(bare) if bare and bare != key else None
        if name is None and key in {header_key(h) for h in self.ignored_headers}:
            return None
        return self._by_name[name] if name is not None else None


ENTITY_SPEC = RegistrySpec("entities", "检查对象", _entity_fields())
INSPECTOR_SPEC = RegistrySpec("inspectors", "执法检查人员", _inspector_fields())
ITEM_SPEC = RegistrySpec("items", "抽查事项", _item_fields(), ignored_headers=("行号",))
REGISTRIES: dict[str, RegistrySpec] = {s.kind: s for s in (ENTITY_SPEC, INSPECTOR_SPEC, ITEM_SPEC)}


def registry_spec(kind: str) -> RegistrySpec:
    """The spec for "entities", "inspectors" or "items"; ValueError (Chinese message) otherwise."""
    spec = REGISTRIES.get(kind)
    if spec is None:
        raise ValueError(f"未知的名录类型“{kind}”，应为 entities、inspectors 或 items")
    return spec
