"""Expected failures of the plan services, each carrying a Chinese message (``message_zh``) for the user."""

from __future__ import annotations

from app.errors import UserFacingError


class PlanError(UserFacingError):
    """Base class: ``str()`` is the same Chinese text, so logs read like the screen."""


class PlanNotFoundError(PlanError):
    """The plan, row, item or department does not exist."""


class PlanInputError(PlanError):
    """A field of a plan row (or the plan) is missing or invalid; the message names the field."""


class PlanStateError(PlanError):
    """The step is not allowed in the plan's status (e.g. a direct edit after 报审)."""
