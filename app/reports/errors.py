"""Errors of the statistics reports, each carrying the Chinese sentence the clerk reads."""

from __future__ import annotations

from app.errors import UserFacingError


class ReportError(UserFacingError):
    """Base of the report errors."""


class ReportInputError(ReportError):
    """A period, a department choice or a table parameter that cannot be used."""


class FactsFormatError(ReportError):
    """Facts (e.g. inside a package from another PC) that cannot be read: unknown format or damaged."""
