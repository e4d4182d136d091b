"""What an import would do (ImportPreview) and what it did (ImportSummary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.io.header import ColumnInfo
from app.io.rows import RowIssue

__all__ = ["ImportCounts", "ImportPreview", "ImportSummary", "Outcome", "RowOutcome"]


class Outcome(StrEnum):
    """What happens to one row of the file."""

    NEW = "new"  # a record is created
    UPDATED = "updated"  # an existing record gets changed fields
    UNCHANGED = "unchanged"  # the record already holds exactly this
    SKIPPED = "skipped"  # blank row, title/footer, duplicate, or continuation of the row above
    ERROR = "error"  # the row has an error: the whole import is refused


OUTCOME_ZH = {
    Outcome.NEW: "新增",
    Outcome.UPDATED: "更新",
    Outcome.UNCHANGED: "无变化",
    Outcome.SKIPPED: "跳过",
    Outcome.ERROR: "错误",
}


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """One row of the file: outcome, a short identification, changed fields and the row's messages."""

    row: int
    outcome: Outcome
    key: str = ""
    changes: tuple[str, ...] = ()  # labels of the fields that change (updated rows)
    issues: tuple[RowIssue, ...] = ()
    note: str = ""  # e.g. "续行，已并入第5行"


@dataclass(frozen=True)
class ImportCounts:
    """The five numbers the CLI prints (skipped includes unchanged, blank and continuation rows)."""

    imported: int = 0
    updated: int = 0
    skipped: int = 0
    warnings: int = 0
    errors: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        """``{"imported", "updated", "skipped", "warnings", "errors"}`` as in DESIGN.md."""
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "errors": self.errors,
        }


@dataclass
class ImportPreview:
    """Everything an import would do; nothing has been written. Pass it to apply_import."""

    kind: str
    path: Path
    file_name: str
    file_sha256: str
    file_format: str
    sheet: str
    header_rows: tuple[int, ...]  # 1-based row numbers of the header
    columns: tuple[ColumnInfo, ...]
    mapping: dict[str, str]  # header label → field name
    mapping_source: str  # "auto", "saved" or "user"
    outcomes: list[RowOutcome]
    issues: list[RowIssue]  # every message, in row order
    counts: ImportCounts
    _state: Any = field(default=None, repr=False)  # parsed rows and write plan, for apply_import

    @property
    def unmapped(self) -> list[str]:
        """Headers of non-empty columns that feed no field."""
        return [c.header for c in self.columns if not c.field and not c.header.startswith("（第")]

    @property
    def can_apply(self) -> bool:
        """True when no row has an error (warnings do not block)."""
        return self.counts.errors == 0

    def messages(self, limit: int | None = None) -> list[str]:
        """The first ``limit`` messages as the clerk reads them (errors and warnings in row order)."""
        chosen = self.issues if limit is None else self.issues[:limit]
        return [f"[{i.severity_zh}] {i.message}" for i in chosen]


@dataclass(frozen=True)
class ImportSummary:
    """What apply_import wrote."""

    kind: str
    file_name: str
    counts: ImportCounts
    batch_id: int | None  # None when nothing needed writing

    def as_dict(self) -> dict[str, int]:
        return self.counts.as_dict()
