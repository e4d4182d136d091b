"""Registry import and export (两库一单 ↔ xlsx/xls/csv), free of any UI code.

Public API:

* :func:`preview_import` / :func:`apply_import` — read, check and (all-or-nothing) write a registry file;
* :func:`write_issue_report` — the rows' errors and warnings as an xlsx for the clerk;
* :func:`export_registry` — a registry as an xlsx that imports back without changes;
* :func:`load_saved_mapping` / :func:`save_mapping` — column mappings remembered per header;
* the exceptions in :mod:`app.io.errors`, each with ``message_zh``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.io.errors import (
        EmptyFileError,
        EncryptedFileError,
        ExportError,
        HeaderNotFoundError,
        ImportFileError,
        ImportRefusedError,
        MappingError,
        MislabelledFileError,
        MissingColumnError,
        RegistryIOError,
        UnreadableFileError,
    )
    from app.io.export import ExportSummary, export_registry
    from app.io.header import ColumnInfo, load_saved_mapping, save_mapping
    from app.io.importer import apply_import, preview_import
    from app.io.preview import ImportCounts, ImportPreview, ImportSummary, Outcome, RowOutcome
    from app.io.report import write_issue_report
    from app.io.rows import RowIssue

# Names are resolved on first use, so that app.registry.fields can import the leaf module app.io.values
# without pulling in the importer (and the GUI pays for the importer only when it imports).
_HOMES = {
    "errors": (
        "EmptyFileError", "EncryptedFileError", "ExportError", "HeaderNotFoundError", "ImportFileError",
        "ImportRefusedError", "MappingError", "MislabelledFileError", "MissingColumnError", "RegistryIOError",
        "UnreadableFileError",
    ),
    "export": ("ExportSummary", "export_registry"),
    "header": ("ColumnInfo", "load_saved_mapping", "save_mapping"),
    "importer": ("apply_import", "preview_import"),
    "preview": ("ImportCounts", "ImportPreview", "ImportSummary", "Outcome", "RowOutcome"),
    "report": ("write_issue_report",),
    "rows": ("RowIssue",),
}  # fmt: skip
_WHERE = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'app.io' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"app.io.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ColumnInfo",
    "EmptyFileError",
    "EncryptedFileError",
    "ExportError",
    "ExportSummary",
    "HeaderNotFoundError",
    "ImportCounts",
    "ImportFileError",
    "ImportPreview",
    "ImportRefusedError",
    "ImportSummary",
    "MappingError",
    "MislabelledFileError",
    "MissingColumnError",
    "Outcome",
    "RegistryIOError",
    "RowIssue",
    "RowOutcome",
    "UnreadableFileError",
    "apply_import",
    "export_registry",
    "load_saved_mapping",
    "preview_import",
    "save_mapping",
    "write_issue_report",
]
