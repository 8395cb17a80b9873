"""Evidence: the path and the facts that explain a result, as plain JSON-friendly dataclasses."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from regie.core.facts import Fact

__all__ = ["Evidence", "FactRef", "LazyEvidence", "Step", "jsonable"]


def jsonable(value: object) -> Any:
    """A JSON-friendly form of a key or value (tuples become lists, other objects strings)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, tuple | list | frozenset | set):
        return [jsonable(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return str(value)


@dataclass(frozen=True, slots=True)
class Step:
    """One node on an explaining path: ``kind`` is process, usage, service, entity or product."""

    kind: str
    key: Hashable
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": jsonable(self.key), "name": self.name}


@dataclass(frozen=True, slots=True)
class FactRef:
    """A fact that drives a verdict: about what, which attribute, its value, its provenance.

    ``value`` None means the fact is unknown, which counts as risk.
    """

    kind: str
    key: Hashable
    attribute: str
    value: object
    fact: Fact | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": jsonable(self.key),
            "attribute": self.attribute,
            "value": jsonable(self.value),
            "fact": self.fact.to_dict() if self.fact else None,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a result holds: the path from the process to the cause, and the facts on the way."""

    path: tuple[Step, ...] = ()
    facts: tuple[FactRef, ...] = ()
    note: str = ""
    extra: tuple[tuple[str, object], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": [s.to_dict() for s in self.path],
            "facts": [f.to_dict() for f in self.facts],
            "note": self.note,
            "extra": {k: jsonable(v) for k, v in self.extra},
        }


class LazyEvidence:
    """Evidence computed on first use and kept: results carry it without paying for it
    until a page or the API renders it."""

    __slots__ = ("_fn", "_value")

    def __init__(self, fn: Callable[[], Evidence]) -> None:
        self._fn: Callable[[], Evidence] | None = fn
        self._value: Evidence | None = None

    @classmethod
    def of(cls, value: Evidence) -> LazyEvidence:
        lazy = cls(lambda: value)
        lazy._value = value
        return lazy

    def get(self) -> Evidence:
        if self._value is None:
            assert self._fn is not None
            self._value = self._fn()
            self._fn = None
        return self._value

    def __repr__(self) -> str:
        return "LazyEvidence(computed)" if self._value is not None else "LazyEvidence(pending)"
