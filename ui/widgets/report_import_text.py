"""What 导入报表（Excel） says about a checked file: the importer's sentences without their command-line hints,
which choice a refusal asks for (统计期间, 计划年度 or 部门), and from a :class:`ReportImportPreview` the file's
facts (表格类型, 统计期间, 填报单位 …), the figures on the cards, the problems as RowIssues, the verdict and,
once written, the result. Plain functions, no widgets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.io import RowIssue
from app.reports.importer import KIND_NAMES, ReportImportPreview, ReportImportSummary
from app.reports.period import date_text

__all__ = [
    "FIGURES",
    "facts_rows",
    "figures_of",
    "gui_text",
    "issues_of",
    "needs_of",
    "result_text",
    "verdict_of",
]

FIGURES = (
    ("new", "新增"),
    ("replacing", "取代旧数字"),
    ("kept_old", "仅存档（较旧）"),
    ("duplicate", "重复"),
    ("warnings", "警告"),
    ("errors", "错误"),
)
# What the importer says when the file does not tell → the choice the form asks for.
_NEEDS = (
    ("period", "确定统计期间"),
    ("plan_year", "无法从标题确定计划年度"),
    ("department", "无法确定该计划表属于哪个部门"),
)
_CLI_HINT = re.compile(r"[，,]\s*(?:或|请)?用 --[^。]*。")


def gui_text(message: str) -> str:
    """The importer's sentence without its command-line hints (``，或用 --kind 指定表格类型。`` → ``。``)."""
    return _CLI_HINT.sub("。", message)


def needs_of(message: str) -> str | None:
    """Which choice a refusal asks for (period / plan_year / department), None when no choice helps."""
    return next((need for need, words in _NEEDS if words in message), None)


def issues_of(preview: ReportImportPreview) -> list[RowIssue]:
    """Every problem as a RowIssue; with several sheets the text names the sheet."""
    several = len(preview.sheets) > 1
    return [
        RowIssue(i.row, i.field, i.severity, f"工作表“{sheet}”：{i.text}") if several and sheet else i
        for sheet, i in preview.issues
    ]


def _joined(values: Sequence[str]) -> str:
    return "；".join(dict.fromkeys(v for v in values if v)) or "（文件中未写明）"


def facts_rows(preview: ReportImportPreview) -> list[tuple[str, str]]:
    """What the file is: 表格类型, 统计期间 (or 计划年度), 填报单位, 填报日期, 联系人, the sheets left aside."""
    if preview.kind == "plan":
        rows = [
            ("表格类型", KIND_NAMES["plan"]),
            ("计划年度", f"{preview.plan_year}年度" if preview.plan_year else "（文件中未写明）"),
            ("所属部门", _joined([p.department_name for p in preview.plan_parts])),
        ]
    else:
        several = len(preview.sheets) > 1
        rows = [
            (
                "表格类型",
                _joined(
                    [
                        f"{KIND_NAMES[s.kind]}" + (f"（工作表“{s.sheet}”）" if several else "")
                        for s in preview.sheets
                    ]
                ),
            ),
            ("统计期间", _joined([s.period.span_text for s in preview.sheets])),
            ("填报单位", _joined([s.info.unit for s in preview.sheets])),
            (
                "填报日期",
                _joined([date_text(s.info.filled_on) if s.info.filled_on else "" for s in preview.sheets]),
            ),
        ]
        contact = _joined([s.info.contact for s in preview.sheets])
        if not contact.startswith("（"):
            rows.append(("联系人", contact))
    if preview.skipped_sheets:
        rows.append(("未导入", "；".join(f"工作表“{name}”（{why}）" for name, why in preview.skipped_sheets)))
    return rows


def figures_of(preview: ReportImportPreview) -> dict[str, int]:
    counts = preview.counts
    duplicate = len(preview.lines) + preview.plan_rows if preview.duplicate else 0
    return {
        "new": counts.imported,
        "replacing": 0 if preview.duplicate else preview.replacing,
        "kept_old": 0 if preview.duplicate else preview.kept_old,
        "duplicate": duplicate,
        "warnings": counts.warnings,
        "errors": counts.errors,
    }


def verdict_of(preview: ReportImportPreview) -> tuple[str, bool]:
    """The sentence under the figures and whether it is an alert."""
    if preview.errors:
        return f"有 {preview.errors} 处错误，未写入任何数据。请改正 Excel 后重新导入。", True
    if preview.duplicate:
        return f"重复的文件：{preview.duplicate}", True
    if not (preview.lines or preview.plan_parts):
        return "文件中没有可导入的数据，未写入任何数据。", True
    if preview.kind == "plan":
        names = "、".join(f"{p.department_name}（{len(p.preview.rows)} 行）" for p in preview.plan_parts)
        text = (
            f"可以导入：{preview.plan_year}年度抽查计划，{names}，将作为草稿计划导入"
            "（导入后在“年度抽查计划”页核对、报审）。点“导入”写入。"
        )
    else:
        parts = [f"{len(preview.lines)} 个部门的数字"]
        if preview.replacing:
            parts.append(f"其中 {preview.replacing} 个取代此前导入的数字")
        if preview.kept_old:
            parts.append(f"{preview.kept_old} 个的填报日期早于已导入的文件，仅存档")
        text = f"可以导入：{'，'.join(parts)}。报表数字只读保存，“统计上报”页选择“全县汇总”时使用。点“导入”写入。"
    if preview.warnings:
        text += f"有 {preview.warnings} 条警告，不影响导入，建议导入前看一下。"
    return text, False


def result_text(summary: ReportImportSummary, preview: ReportImportPreview) -> str:
    """What was written, for the dialog and the status bar."""
    if preview.kind == "plan" and summary.plan_ids:
        names = "、".join(f"{p.department_name}（{len(p.preview.rows)} 行）" for p in preview.plan_parts)
        return (
            f"已作为草稿计划导入：{preview.plan_year}年度抽查计划，{names}。请在“年度抽查计划”页核对后报审。"
        )
    if not summary.figure_ids:
        return f"重复的文件：{summary.message}"
    return f"已导入：{summary.message}"
