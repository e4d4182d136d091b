"""The checks of a statistics sheet's rows on 报表导入, each problem a :class:`~app.io.rows.RowIssue` naming the
Excel row and the column: counts (non-negative integers, a blank read as 0), which count may not exceed which,
rates against their counts (within rounding), 计划状态 and 是否建立“两库一单”, the 部门 (known, this
installation's own, archived, a near miss or new), and the 合计 row against the column sums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.io.rows import RowIssue, Severity
from app.io.values import is_blank, parse_bool
from app.reports.import_departments import _Departments, _looks_like_department
from app.reports.import_layouts import BUILT, DEPT, JOINT, ON_TIME, PLAN_STATE, TOLERANCE, Shape
from app.reports.import_preview import SheetRead
from app.reports.import_values import bare_name, cell_text, parse_count, parse_rate
from app.reports.tables import NO_PLAN
from db.enums import PlanStatus

_PLAN_STATES = {s.value for s in PlanStatus} | {NO_PLAN}
_PLAN_ALIASES = {
    "已备案": PlanStatus.FILED.value,
    "备案": PlanStatus.FILED.value,
    "已审核": PlanStatus.FILED.value,
    "审核备案": PlanStatus.FILED.value,
    "报审": PlanStatus.SUBMITTED.value,
    "已上报": PlanStatus.SUBMITTED.value,
    "已报送": PlanStatus.SUBMITTED.value,
    "无": NO_PLAN,
    "未编制": NO_PLAN,
    "没有": NO_PLAN,
}


@dataclass
class _Row:
    """A data row while being checked."""

    number: int
    department: str
    counts: dict[str, int | None] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # rates, texts and 按时公示对象数
    issues: list[RowIssue] = field(default_factory=list)

    def add(self, column: str, severity: Severity, text: str) -> None:
        self.issues.append(RowIssue(self.number, bare_name(column), severity, text))

    @property
    def has_error(self) -> bool:
        return any(i.severity == "error" for i in self.issues)


def _read_counts(row: _Row, shape: Shape, values: dict[str, Any]) -> None:
    blanks = []
    for name in shape.counts:
        value, why = parse_count(values.get(name))
        if why:
            row.add(name, "error", f"{bare_name(name)}{why}")
        elif value is None:
            blanks.append(name)
        row.counts[name] = value
    if len(blanks) == len(shape.counts):
        row.issues = [i for i in row.issues if i.severity == "error"]
        row.add(DEPT, "error", f"“{row.department}”一行的各项数字均为空（本期没有的请填 0）")
        return
    for name in blanks:
        row.counts[name] = 0
        row.add(name, "warning", f"{bare_name(name)}未填写，按 0 计")


# Counted by different dates (抽取 by the draw day, 已检查 by the inspection day), so a period can hold more
# inspections than draws: objects drawn before it and inspected in it. Only a warning.
_ACROSS_PERIODS = {("已检查数", "抽取数"), ("已检查对象数（户）", "抽取对象数（户）")}


def _check_not_more(row: _Row, shape: Shape) -> None:
    for name, limit in shape.not_more:
        value, most = row.counts.get(name), row.counts.get(limit)
        if value is not None and most is not None and value > most:
            text = f"{bare_name(name)}（{value}）大于{bare_name(limit)}（{most}）"
            if (name, limit) in _ACROSS_PERIODS:
                row.add(name, "warning", text + "：如有本期以前抽取、本期检查的对象，属正常，请核对")
            else:
                row.add(name, "error", text)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _read_rates(row: _Row, shape: Shape, values: dict[str, Any]) -> None:
    figures = row.figures
    for name, numerator, base in shape.rates:
        raw = values.get(name)
        candidates, why = parse_rate(raw)
        if why:
            row.add(name, "error", f"{name}{why}")
            figures[name] = None
            continue
        n = row.counts.get(base)
        given = candidates[0] if candidates else None
        if numerator is not None:
            k = row.counts.get(numerator)
            if n is None or k is None:
                figures[name] = given
                continue
            expected = k / n if n else None
            if expected is None:
                if given:
                    row.add(
                        name, "warning", f"{bare_name(base)}为 0，{name}应为空（—），不是 {cell_text(raw)}"
                    )
                figures[name] = None
                continue
            if candidates is None:
                row.add(name, "warning", f"{name}未填写，按计算值 {_pct(expected)} 记录")
                figures[name] = expected
                continue
            close = [c for c in candidates if abs(c - expected) <= TOLERANCE]
            if not close:
                row.add(
                    name,
                    "warning",
                    f"{name}填写为 {_pct(given or 0.0)}，按{bare_name(numerator)}÷{bare_name(base)}应为 "
                    f"{_pct(expected)}（统计表按数字重新计算）",
                )
            figures[name] = close[0] if close else given
            continue
        # 按时公示率: no count column of its own; the number of objects it stands for is derived.
        figures[name] = given
        if n is None:
            continue
        if not n:
            if given:
                row.add(name, "warning", f"{bare_name(base)}为 0，{name}应为空（—），不是 {cell_text(raw)}")
            figures[name], figures[ON_TIME] = None, 0
            continue
        if candidates is None:
            row.add(name, "warning", f"{name}未填写，合计的{name}不计入本行")
            figures[ON_TIME] = None
            continue
        fits = [(c, round(c * n)) for c in candidates if abs(round(c * n) / n - c) <= TOLERANCE]
        if not fits:
            row.add(
                name,
                "warning",
                f"{name}填写为 {_pct(given or 0.0)}，与{bare_name(base)}（{n}）对不上"
                f"（{n}户中按时公示的户数不可能得出这个比率）",
            )
            figures[ON_TIME] = min(n, round((given or 0.0) * n))
        else:
            figures[name], figures[ON_TIME] = fits[0]


def _plan_state(text: str) -> tuple[str, str]:
    """(计划状态 as stored, problem)."""
    parts = [p for p in re.split(r"[／/、，,;；\s]+", text) if p]
    out = []
    for part in parts:
        state = _PLAN_ALIASES.get(part, part)
        if state not in _PLAN_STATES:
            known = "、".join([NO_PLAN, *(s.value for s in PlanStatus)])
            return "", f"计划状态“{text}”无法识别（应为{known}之一）"
        out.append(state)
    return "／".join(dict.fromkeys(out)), ""


def _read_texts(row: _Row, shape: Shape, values: dict[str, Any]) -> None:
    figures = row.figures
    if PLAN_STATE in values:
        text = cell_text(values.get(PLAN_STATE))
        if text:
            state, why = _plan_state(text)
            if why:
                row.add(PLAN_STATE, "error", why)
            figures[PLAN_STATE] = state
            planned = row.counts.get("计划任务数（个）")
            if state == NO_PLAN and planned:
                row.add(PLAN_STATE, "warning", f"计划状态为“未制定”，但计划任务数为 {planned}")
        else:
            figures[PLAN_STATE] = ""
    if BUILT in shape.texts:  # the column may be missing: then it follows from the three counts
        counts = row.counts
        built = all(
            counts.get(c) for c in ("抽查事项清单（项）", "检查对象名录库（户）", "执法检查人员（人）")
        )
        raw = values.get(BUILT)
        said = parse_bool(cell_text(raw)) if not is_blank(raw) else None
        if not is_blank(raw) and said is None:
            row.add(BUILT, "error", f"是否建立“两库一单”应为是或否，实为“{cell_text(raw)}”")
        elif said is not None and said != built:
            row.add(
                BUILT,
                "warning",
                f"是否建立“两库一单”填写为“{'是' if said else '否'}”，但事项清单、名录库、检查人员"
                f"{'均不为 0' if built else '有为 0 的'}",
            )
        figures[BUILT] = "是" if (said if said is not None else built) else "否"


def _department(row: _Row, departments: _Departments, shape: Shape) -> tuple[str, str]:
    """(code, name) of the row's department; problems added to the row."""
    text = row.department
    hit = departments.find(text)
    if hit is not None:
        code, name = hit
        if code in departments.own or name in departments.own:
            row.add(DEPT, "error", f"“{text}”是本机所属部门，其数据就在本机数据库中，不能作为报表导入")
        elif code in departments.archived:
            row.add(DEPT, "warning", f"部门“{name}”已撤并（归档），其数字不会列入县级统计表")
        elif shape.kind == "non_market" and code in departments.market:
            row.add(DEPT, "warning", f"部门“{name}”标记为市场监管领域，其数字不会列入非市场监管领域统计表")
        return code, name
    similar = departments.similar(text)
    if similar:
        row.add(
            DEPT,
            "error",
            f"部门“{text}”不在本库的部门名录中，与“{'”“'.join(similar)}”相近。请填写部门名录中的名称或部门代码",
        )
    elif not _looks_like_department(text):
        row.add(DEPT, "error", f"“{text}”不像部门名称，本库的部门名录中也没有（请填写部门名称或部门代码）")
    else:
        row.add(DEPT, "warning", f"部门“{text}”不在本库的部门名录中，将作为新部门记录其数字")
    return "", text


def _check_totals(
    sheet: SheetRead, shape: Shape, number: int, values: dict[str, Any], rows: list[_Row]
) -> None:
    good = [r for r in rows if r.department]
    for name in shape.counts:
        total, why = parse_count(values.get(name))
        if why:
            sheet.issues.append(RowIssue(number, bare_name(name), "error", f"合计行{bare_name(name)}{why}"))
            continue
        if total is None:
            continue
        parts = [r.counts.get(name) or 0 for r in good]
        summed = sum(parts)
        if name in JOINT:  # a joint task shared by two departments is one task in the total
            if not (max(parts, default=0) <= total <= summed):
                sheet.issues.append(
                    RowIssue(
                        number,
                        bare_name(name),
                        "error",
                        f"合计行{bare_name(name)}为 {total}，应在各行最大值（{max(parts, default=0)}）与各行之和"
                        f"（{summed}）之间（同一联合任务只计一次）",
                    )
                )
        elif total != summed:
            sheet.issues.append(
                RowIssue(
                    number,
                    bare_name(name),
                    "error",
                    f"合计行{bare_name(name)}为 {total}，各行之和为 {summed}",
                )
            )
    for name, expected_of in ((BUILT, "是"), (PLAN_STATE, PlanStatus.FILED.value)):
        if name not in values:
            continue
        total, why = parse_count(values.get(name))
        if total is None:
            continue
        expected = sum(1 for r in good if r.figures.get(name) == expected_of)
        what = "已建立“两库一单”的部门数" if name == BUILT else "计划已审核备案的部门数"
        if total != expected:
            sheet.issues.append(
                RowIssue(
                    number,
                    bare_name(name),
                    "error",
                    f"合计行“{bare_name(name)}”为 {total}，{what}为 {expected}",
                )
            )
    for name, numerator, base in shape.rates:
        candidates, _why = parse_rate(values.get(name))
        if not candidates:
            continue
        n = sum(r.counts.get(base) or 0 for r in good)
        if numerator is None:
            known = [r for r in good if r.figures.get(ON_TIME) is not None]
            n = sum(r.counts.get(base) or 0 for r in known)
            k = sum(r.figures[ON_TIME] for r in known)
        else:
            k = sum(r.counts.get(numerator) or 0 for r in good)
        if n and not any(abs(c - k / n) <= TOLERANCE for c in candidates):
            sheet.issues.append(
                RowIssue(
                    number,
                    name,
                    "warning",
                    f"合计行{name}填写为 {_pct(candidates[0])}，按各行合计应为 {_pct(k / n)}（统计表按数字重新计算）",
                )
            )
