"""Provenance of facts and the fixed vocabularies of the snapshot (domain.md §2-3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CLAUSES",
    "DEPENDENCY_KINDS",
    "DIMENSIONS",
    "LOCATION_ROLES",
    "PARENT_STATES",
    "PERSONAL_DATA",
    "SUBSTITUTABILITY",
    "TRIGGERS",
    "Fact",
]


@dataclass(frozen=True, slots=True)
class Fact:
    """Where one fact comes from: its source, when it was checked and who entered it."""

    source: str
    checked_on: dt.date | None = None
    entered_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "checked_on": self.checked_on.isoformat() if self.checked_on else None,
            "entered_by": self.entered_by,
        }


#: What makes a law with extraterritorial reach apply; also the three exposure dimensions.
TRIGGERS: frozenset[str] = frozenset({"control", "location", "access"})
DIMENSIONS: tuple[str, ...] = ("control", "location", "access")
#: Roles of a service location; "rest" and "processing" make up the location dimension.
LOCATION_ROLES: tuple[str, ...] = ("rest", "processing", "access")
PARENT_STATES: tuple[str, ...] = ("known", "none", "unknown")
PERSONAL_DATA: tuple[str, ...] = ("none", "personal", "special", "bsn")
DEPENDENCY_KINDS: tuple[str, ...] = ("requires", "runs_on", "integration")
CLAUSES: tuple[str, ...] = (
    "exit_assistance",
    "data_return_open_format",
    "price_cap",
    "unilateral_change",
    "escrow",
    "audit_right",
    "subprocessor_approval",
)
#: DORA substitutability classes, from best to worst.
SUBSTITUTABILITY: tuple[str, ...] = (
    "easily_substitutable",
    "medium_complexity",
    "highly_complex",
    "not_substitutable",
)
