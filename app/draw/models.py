"""Plain data of a draw: witnesses, drawn objects with their inspectors, replacements (递补)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.draw.stream import witness_string


@dataclass(frozen=True)
class Witness:
    """One witness (见证人, e.g. 人大代表) and the non-negative integers they called out, in order."""

    name: str
    values: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))

    def to_json(self) -> dict[str, object]:
        """The record shape ``{"name", "values"}``."""
        return {"name": self.name, "values": list(self.values)}


def witnesses_string(witnesses: Sequence[Witness]) -> str:
    """The witness string of a list of witnesses, e.g. ``3.1.4./1.5.9./`` (§3.2)."""
    return witness_string(w.values for w in witnesses)


@dataclass
class GroupAssignment:
    """The inspectors one group contributes to one drawn object."""

    group: str
    ids: list[str]
    cap_relaxed: bool = False


@dataclass
class DrawnObject:
    """One drawn object (抽中对象) with its draw order (抽中顺序号) and assignments, groups sorted."""

    order: int
    id: str
    stratum: str
    inspectors: list[GroupAssignment] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The record's ``draw`` entry."""
        return {
            "order": self.order,
            "id": self.id,
            "stratum": self.stratum,
            "inspectors": [
                {"group": a.group, "ids": list(a.ids), "cap_relaxed": a.cap_relaxed} for a in self.inspectors
            ],
        }

    def final_json(self) -> dict[str, object]:
        """The record's ``final`` entry (no stratum, no cap_relaxed)."""
        return {
            "order": self.order,
            "id": self.id,
            "inspectors": [{"group": a.group, "ids": list(a.ids)} for a in self.inspectors],
        }


@dataclass(frozen=True)
class Replacement:
    """One replacement round (递补): who withdrew from which object, why, and who was chosen."""

    round: int
    object_id: str
    group: str
    removed: str
    reason: str
    witness: tuple[Witness, ...]
    seed: str
    chosen: str

    def to_json(self) -> dict[str, object]:
        """The record's ``replacements`` entry."""
        return {
            "round": self.round,
            "object": self.object_id,
            "group": self.group,
            "removed": self.removed,
            "reason": self.reason,
            "witness": [w.to_json() for w in self.witness],
            "seed": self.seed,
            "chosen": self.chosen,
        }
