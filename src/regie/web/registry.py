"""The registry of register types: one declaration per type drives every generic page.

Each :class:`RegisterType` names a model, its URL slug, whether it belongs to an organisation
or to the shared catalogue, and which fields the list, search, filters and forms use. Facts
that carry provenance and the related objects shown on a detail page are declared here too,
so that adding a type to the web interface is one declaration (as in NetBox).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models
from django.utils.functional import Promise

Scope = Literal["org", "catalogue"]


@dataclass(frozen=True)
class Fact:
    """Fields whose values are facts backed by one provenance foreign key on the same model."""

    fields: tuple[str, ...]
    provenance: str


@dataclass(frozen=True)
class Related:
    """Objects of another register type that point at this object through ``lookup``."""

    slug: str
    lookup: str
    label: str | Promise | None = None
    can_add: bool = True


@dataclass(frozen=True)
class RegisterType:
    slug: str
    model: type[models.Model]
    scope: Scope
    columns: tuple[str, ...]
    fields: tuple[str, ...]
    search: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    related: tuple[Related, ...] = ()
    parent: str | None = None
    select_related: tuple[str, ...] = ()
    per_page: int = 25
    extra_detail: tuple[str, ...] = field(default=())
    # names of the known values of a free-text field, shown in lists, details and filters in
    # place of the value itself (a value without a name is shown as it is)
    value_names: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False, compare=False)

    def value_name(self, field_name: str, value: Any) -> Any:
        return self.value_names.get(field_name, {}).get(value, value)

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def cell_columns(self) -> tuple[str, ...]:
        """The list columns after the first, which links to the object under its own name."""
        return tuple(c for c in self.columns if c not in ("name", "title"))

    @property
    def is_org(self) -> bool:
        return self.scope == "org"

    def fact_for(self, field_name: str) -> Fact | None:
        for fact in self.facts:
            if field_name in fact.fields:
                return fact
        return None


_TYPES: dict[tuple[Scope, str], RegisterType] = {}
_BY_MODEL: dict[type[models.Model], RegisterType] = {}


def register_type(rtype: RegisterType) -> RegisterType:
    key = (rtype.scope, rtype.slug)
    if key in _TYPES:
        raise ValueError(f"Register type {rtype.scope}/{rtype.slug} is declared twice.")
    _TYPES[key] = rtype
    _BY_MODEL[rtype.model] = rtype
    return rtype


def get_type(scope: Scope, slug: str) -> RegisterType | None:
    _load()
    return _TYPES.get((scope, slug))


def type_for_model(model: type[models.Model]) -> RegisterType | None:
    _load()
    return _BY_MODEL.get(model)


def types_in(scope: Scope) -> list[RegisterType]:
    _load()
    return [t for (s, _), t in _TYPES.items() if s == scope]


def _load() -> None:
    from . import types  # noqa: F401  (the declarations register themselves on import)
