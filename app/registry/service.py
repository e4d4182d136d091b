"""Changes to the registries that are not imports: archive (归档) and restore. Nothing is physically deleted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit import record_event
from app.audit.recorder import OBJECT_LABELS
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
        label = OBJECT_LABELS.get(model, VIEWS[registry].title)
        names = list(session.scalars(select(model.name).where(model.id.in_(changing[:5]))))
        shown = "、".join(names) + ("等" if len(changing) > 5 else "")
        record_event(
            session,
            "归档" if archived else "取消归档",
            label,
            ",".join(map(str, changing[:50])) + ("…" if len(changing) > 50 else ""),
            f"{'归档' if archived else '取消归档'}{label} {len(changing)} 条：{shown}",
        )
    return len(changing)
