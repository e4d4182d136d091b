"""What can go wrong when a 数据包 is written, read or imported; ``message_zh`` is what the clerk reads."""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import UserFacingError

__all__ = [
    "ExchangeError",
    "ExportFileError",
    "ExportRefusedError",
    "ImportRefusedError",
    "KeyChangedError",
    "SenderCodeClashError",
    "OwnDepartmentError",
    "PackageInvalidError",
    "PackageUnreadableError",
]


class ExchangeError(UserFacingError):
    """Base of the data-exchange errors."""


class ExportRefusedError(ExchangeError):
    """The package cannot be written (unknown department, a draw without its record, the file …)."""


class ExportFileError(ExportRefusedError):
    """The package file cannot be written there (command line exit 2)."""


class PackageUnreadableError(ExchangeError):
    """The file is missing, cannot be read or is not a zip at all (command line exit 2)."""


class ImportRefusedError(ExchangeError):
    """The package was refused; nothing was written (command line exit 1)."""


class PackageInvalidError(ImportRefusedError):
    """The package failed verification; ``problems`` lists every check that failed."""

    def __init__(self, message_zh: str, problems: Sequence[str]) -> None:
        super().__init__(message_zh)
        self.problems = tuple(problems)


class KeyChangedError(ImportRefusedError):
    """A known sender signed with a key this PC has not seen for it (e.g. the sender's PC was reinstalled)."""

    def __init__(self, message_zh: str, known: str, new: str) -> None:
        super().__init__(message_zh)
        self.known_fingerprint = known
        self.new_fingerprint = new


class SenderCodeClashError(ImportRefusedError):
    """A known 部门编号 arrives with another department's name and another key: two departments share a code
    (refused whatever the clerk answers: accepting the key would make them one sender)."""


class OwnDepartmentError(ImportRefusedError):
    """The package comes from this installation's own department (本机所属部门)."""
