"""The printing errors a clerk can act on, importable without loading reportlab (pages catch them at start-up
cost zero; the PDF writers themselves are imported only when something is printed)."""

from __future__ import annotations

from app.errors import UserFacingError


class PrintingError(UserFacingError, RuntimeError):
    """No PDF was written for a reason the clerk can act on: no Chinese font, or a character the font lacks."""
