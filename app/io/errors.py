"""Exceptions of the import and export: each carries ``message_zh``, a sentence for the clerk."""

from __future__ import annotations

from app.errors import UserFacingError

__all__ = [
    "EmptyFileError",
    "EncryptedFileError",
    "ExportError",
    "FileTooLargeError",
    "HeaderNotFoundError",
    "ImportFileError",
    "ImportRefusedError",
    "MappingError",
    "MislabelledFileError",
    "MissingColumnError",
    "RegistryIOError",
    "SheetTooLargeError",
    "SuspiciousFileError",
    "UnreadableFileError",
]


class RegistryIOError(UserFacingError):
    """Base of every expected import/export failure."""


class ImportFileError(RegistryIOError):
    """The file cannot be used at all (the CLI exits 2)."""


class UnreadableFileError(ImportFileError):
    """Missing, damaged, binary garbage, or not a spreadsheet."""


class MislabelledFileError(ImportFileError):
    """The name says one format, the content is another (e.g. a CSV text named .xlsx)."""


class EncryptedFileError(ImportFileError):
    """Protected by an opening password."""


class FileTooLargeError(ImportFileError):
    """Bigger than the import accepts (file size)."""


class SheetTooLargeError(ImportFileError):
    """A sheet's used range is absurd (rows, columns or cells beyond the limits), e.g. one value at XFD1048576."""


class SuspiciousFileError(ImportFileError):
    """Built to harm the reader: a zip bomb, an XML entity declaration, tens of thousands of parts."""


class EmptyFileError(ImportFileError):
    """No bytes, or no data in any sheet."""


class HeaderNotFoundError(ImportFileError):
    """No row looks like a header of this registry."""


class MissingColumnError(ImportFileError):
    """A required column (e.g. 名称) is not among the mapped columns."""


class MappingError(ImportFileError):
    """A column mapping given by the caller cannot be applied."""


class ImportRefusedError(RegistryIOError):
    """apply_import was asked to write a preview that has errors; nothing was written."""


class ExportError(RegistryIOError):
    """The export file cannot be written."""
