"""How the import and export talk about things: registry names, file names, counts in one sentence."""

from __future__ import annotations

import datetime as dt

from app.io import ImportPreview, ImportSummary

REGISTRY_NAMES = {"entities": "检查对象名录", "inspectors": "执法检查人员名录", "items": "抽查事项清单"}


def registry_name(kind: str) -> str:
    """“检查对象名录” for "entities", and so on (两库一单)."""
    return REGISTRY_NAMES[kind]


def default_export_name(kind: str, today: dt.date | None = None) -> str:
    """The suggested export file name, e.g. 检查对象名录_20261122.xlsx."""
    day = today or dt.date.today()
    return f"{registry_name(kind)}_{day:%Y%m%d}.xlsx"


def counts_line(preview: ImportPreview) -> str:
    """A preview's counts in one line (新增/更新/不变/跳过/错误/警告)."""
    c = preview.counts
    return (
        f"新增 {c.imported:,} 条，更新 {c.updated:,} 条，不变 {c.unchanged:,} 条，"
        f"跳过 {c.skipped - c.unchanged:,} 行；错误 {c.errors:,} 个，警告 {c.warnings:,} 个"
    )


def summary_text(summary: ImportSummary) -> str:
    """What an applied import did, e.g. “已导入“a.xlsx”：新增 3 条，更新 1 条，无变化 0 条。”."""
    counts = summary.counts
    if summary.batch_id is None:
        return f"“{summary.file_name}”与名录一致，没有需要写入的变化（无变化 {counts.unchanged:,} 条）。"
    return (
        f"已导入“{summary.file_name}”：新增 {counts.imported:,} 条，更新 {counts.updated:,} 条，"
        f"无变化 {counts.unchanged:,} 条。"
    )
