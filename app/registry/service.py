"""Changes to the registries that are not imports: archive (归档) and restore. Nothing is physically deleted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.registry.query import VIEWS
from db.base import utcnow


def set_archived(session: Session, registry: str, ids: Sequence[int], archived: bool) -> int:
    """Archive (or restore) rows of a registry; returns how many changed. The caller commits."""
    model = VIEWS[registry].model
    changing = list(
        session.scalars(select(model.id).where(model.id.in_(ids), model.archived.is_(not archived)))
    )
    if changing:
        session.execute(
            update(model).where(model.id.in_(changing)).values(archived=archived, updated_at=utcnow())
        )
    return len(changing)
