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

from .problems import N_, Message
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
    "process": N_("process"),
    "usage": N_("application"),
    "group": N_("redundancy group"),
    "contract": N_("contract"),
    "exit_plan": N_("exit plan"),
    "data_set": N_("data set"),
    "product": N_("product"),
    "service": N_("service"),
    "legal_entity": N_("legal entity"),
    "country": N_("country"),
    "alternative": N_("alternative"),
    "gemma_function": N_("GEMMA business function"),
    "gemma_process": N_("GEMMA business process"),
    "reference_component": N_("GEMMA reference component"),
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
        label = Message(LABELS.get(kind, kind))
        if len(unique) > 1:
            owners = ", ".join(sorted({_owner_name(obj) for obj in unique}))
            raise InvalidValueError(
                Message(
                    N_(
                        "There are %(count)s of kind %(kind)s called '%(name)s' (from %(owners)s); "
                        "name the supplier or provider in its column."
                    ),
                    count=len(unique),
                    kind=label,
                    name=name,
                    owners=owners,
                )
            )
        if fold(name) in self.failed[kind]:
            raise FollowsFromError(
                Message(
                    N_("The %(kind)s '%(name)s' could not be imported; see its own row."),
                    kind=label,
                    name=name,
                )
            )
        candidates = [str(getattr(o, "name", o)) for objs in self.index(kind).values() for o in objs]
        candidates += list(self.pending[kind])
        raise InvalidValueError(
            Message(N_("There is no %(kind)s called '%(name)s'."), kind=label, name=name)
            + did_you_mean(name, candidates)
        )

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
