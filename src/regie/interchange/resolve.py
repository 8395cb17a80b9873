"""Finding what a row refers to, by name or identifier, with suggestions for near misses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from regie.register.models import (
    Alternative,
    Contract,
    Country,
    DataSet,
    ExitPlan,
    GemmaElement,
    LegalEntity,
    Organisation,
    Process,
    Product,
    RedundancyGroup,
    Service,
    Usage,
)

from .values import FollowsFromError, InvalidValueError, did_you_mean

# Reference kinds of one organisation, by the field that names them.
TENANT_KINDS: dict[str, tuple[type[models.Model], str]] = {
    "process": (Process, "name"),
    "usage": (Usage, "name"),
    "group": (RedundancyGroup, "name"),
    "contract": (Contract, "reference"),
    "exit_plan": (ExitPlan, "title"),
    "data_set": (DataSet, "name"),
}
GEMMA_KINDS = {
    "gemma_function": "bedrijfsfunctie",
    "gemma_process": "bedrijfsproces",
    "reference_component": "referentiecomponent",
}
LABELS = {
    "process": "process",
    "usage": "application",
    "group": "redundancy group",
    "contract": "contract",
    "exit_plan": "exit plan",
    "data_set": "data set",
    "product": "product",
    "service": "service",
    "legal_entity": "legal entity",
    "country": "country",
    "alternative": "alternative",
    "gemma_function": "GEMMA business function",
    "gemma_process": "GEMMA business process",
    "reference_component": "GEMMA reference component",
}


def fold(value: str) -> str:
    return " ".join(value.split()).casefold()


class Resolver:
    """Indexes of what rows may refer to, built once per import with one query per kind."""

    def __init__(self, organisation: Organisation | None) -> None:
        self.organisation = organisation
        self._index: dict[str, dict[str, list[Any]]] = {}
        self.pending: dict[str, set[str]] = defaultdict(set)
        self.failed: dict[str, set[str]] = defaultdict(set)

    # -- indexes ---------------------------------------------------------------------------
    def index(self, kind: str) -> dict[str, list[Any]]:
        if kind not in self._index:
            self._index[kind] = self._build(kind)
        return self._index[kind]

    def _build(self, kind: str) -> dict[str, list[Any]]:
        result: dict[str, list[Any]] = defaultdict(list)
        for obj in self._objects(kind):
            for key in _keys(kind, obj):
                if key:
                    result[fold(key)].append(obj)
        return dict(result)

    def _objects(self, kind: str) -> Iterable[Any]:
        if kind in TENANT_KINDS:
            model, _attr = TENANT_KINDS[kind]
            if self.organisation is None or self.organisation.pk is None:
                return []
            return model._default_manager.filter(organisation=self.organisation)
        if kind in GEMMA_KINDS:
            return GemmaElement.objects.filter(kind=GEMMA_KINDS[kind])
        catalogue: dict[str, Callable[[], Iterable[Any]]] = {
            "product": lambda: Product.objects.select_related("supplier"),
            "service": lambda: Service.objects.select_related("provider"),
            "legal_entity": LegalEntity.objects.all,
            "country": Country.objects.all,
            "alternative": Alternative.objects.all,
        }
        return catalogue[kind]()

    def remember(self, kind: str, key: str, obj: Any) -> None:
        index = self.index(kind)
        index[fold(key)] = [obj]

    # -- look-ups --------------------------------------------------------------------------
    def find(self, kind: str, name: str, *, qualifier: str = "") -> Any:
        """The one object of this kind called ``name``; InvalidValueError when none or several."""
        found = self.index(kind).get(fold(name), [])
        if qualifier and len(found) > 1:
            found = [obj for obj in found if _owner_matches(obj, qualifier)]
        unique = list({id(obj): obj for obj in found}.values())
        if len(unique) == 1:
            return unique[0]
        label = LABELS.get(kind, kind)
        if len(unique) > 1:
            owners = ", ".join(sorted({_owner_name(obj) for obj in unique}))
            raise InvalidValueError(
                f"There are {len(unique)} of kind {label} called '{name}' (from {owners}); "
                "name the supplier or provider in its column."
            )
        if fold(name) in self.failed[kind]:
            raise FollowsFromError(f"The {label} '{name}' could not be imported; see its own row.")
        candidates = [str(getattr(o, "name", o)) for objs in self.index(kind).values() for o in objs]
        candidates += list(self.pending[kind])
        raise InvalidValueError(f"There is no {label} called '{name}'.{did_you_mean(name, candidates)}")

    def known(self, kind: str, name: str) -> bool:
        return fold(name) in self.pending[kind] or fold(name) in self.index(kind)

    def check(self, kind: str, name: str, *, qualifier: str = "") -> None:
        """Before anything is written: the name exists already or is defined in the same input."""
        if kind in TENANT_KINDS and fold(name) in self.pending[kind]:
            return
        self.find(kind, name, qualifier=qualifier)


def _keys(kind: str, obj: Any) -> tuple[str, ...]:
    if kind in TENANT_KINDS:
        return (getattr(obj, TENANT_KINDS[kind][1]),)
    if kind == "legal_entity":
        return (obj.name, obj.lei)
    if kind == "country":
        return (obj.code, obj.name_en, obj.name_nl)
    return (obj.name,)


def _owner_name(obj: Any) -> str:
    owner = getattr(obj, "supplier", None) or getattr(obj, "provider", None)
    return str(owner) if owner is not None else "no supplier"


def _owner_matches(obj: Any, qualifier: str) -> bool:
    owner = getattr(obj, "supplier", None) or getattr(obj, "provider", None)
    if owner is None:
        return False
    return fold(qualifier) in (fold(owner.name), fold(owner.lei))
