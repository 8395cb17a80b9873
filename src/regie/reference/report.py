"""What loading a bundle did: per fact, the old and the new value with their sources."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FactChange:
    """One catalogue fact that a bundle created or changed.

    ``field`` is empty for a record the bundle created; ``old``/``new`` are display values
    (country codes, names); the sources are the provenance texts before and after.
    """

    kind: str  # country, law, entity, product, service, alternative, gemma
    key: str
    object_id: int | str
    field: str
    old: str | None
    new: str | None
    old_source: str | None = None
    new_source: str | None = None

    @property
    def created(self) -> bool:
        return self.field == ""

    def describe(self) -> str:
        if self.created:
            return f"{self.kind} {self.key}: new ({self.new})"
        text = f"{self.kind} {self.key}: {self.field}: {self.old or '—'} → {self.new or '—'}"
        if self.old_source != self.new_source:
            text += f" [source: {self.old_source or '—'} → {self.new_source or '—'}]"
        elif self.new_source:
            text += f" [source: {self.new_source}]"
        return text


@dataclass
class BundleReport:
    """The result of :func:`regie.reference.bundle.load_bundle`."""

    version: str
    date: str
    path: str
    previous_version: str | None = None
    dry_run: bool = False
    changes: list[FactChange] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    changed_entity_ids: set[int] = field(default_factory=set)
    changed_service_ids: set[int] = field(default_factory=set)

    @property
    def change_count(self) -> int:
        """Facts created or changed; 0 when the database already held this bundle."""
        return len(self.changes)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        parts = [
            f"{k}: {self.created[k]} new, {self.updated[k]} changed, {self.unchanged[k]} unchanged"
            for k in kinds
        ]
        head = f"Reference bundle {self.version} ({self.date})"
        if self.dry_run:
            head += " — dry run, nothing written"
        return "\n".join([f"{head}: {self.change_count} facts changed.", *parts])
