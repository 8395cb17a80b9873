"""The sections of the JSON document: which models, in which order, keyed how.

Every record gets a document id that follows from its content (its natural key, sorted),
so exporting the same register from two instances gives the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from regie.register.models import (
    Alternative,
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    GemmaElement,
    LegalEntity,
    Process,
    Product,
    Provenance,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)

FORMAT = "regie-organisation"
VERSION = 1
# Fields never written to the document: surrogate keys, the owner, and timestamps that the
# database sets (a record's history is in the audit trail).
SKIPPED = {"id", "organisation", "created_at", "updated_at", "entered_by"}


def _name(obj: Any) -> str:
    return str(getattr(obj, "name", "") or "")


@dataclass(frozen=True)
class Section:
    key: str
    model: type[models.Model]
    prefix: str
    sort_key: Callable[[Any], tuple[str, ...]]
    catalogue: bool = False

    def fields(self) -> list[Any]:
        opts = self.model._meta
        concrete = [f for f in opts.concrete_fields if f.name not in SKIPPED]
        m2m = [f for f in opts.many_to_many if f.name not in SKIPPED and _auto_through(f)]
        return [*concrete, *m2m]


def _auto_through(field: Any) -> bool:
    return bool(field.remote_field.through._meta.auto_created)


def _dep_key(dep: Dependency) -> tuple[str, ...]:
    return (dep.kind, _name(dep.source), _name(dep.target), _name(getattr(dep.to_service, "provider", None)))


SECTIONS: tuple[Section, ...] = (
    Section("countries", Country, "", lambda c: (c.code,), catalogue=True),
    Section("gemma_elements", GemmaElement, "gemma", lambda g: (g.kind, g.name), catalogue=True),
    Section(
        "provenance",
        Provenance,
        "prov",
        lambda p: (p.source, str(p.checked_on), p.entered_at.isoformat(), p.entered_by_label, p.note),
    ),
    Section(
        "legal_entities",
        LegalEntity,
        "le",
        lambda e: (e.name, e.lei, e.kvk, str(e.registration_country_id or "")),
        catalogue=True,
    ),
    Section("products", Product, "product", lambda p: (p.name, _name(p.supplier)), catalogue=True),
    Section("services", Service, "service", lambda s: (s.name, _name(s.provider)), catalogue=True),
    Section(
        "service_locations",
        ServiceLocation,
        "location",
        lambda loc: (loc.service.name, _name(loc.service.provider), loc.role, str(loc.country_id or "")),
        catalogue=True,
    ),
    Section(
        "service_dependencies",
        ServiceDependency,
        "supply",
        lambda d: (
            d.service.name,
            _name(d.service.provider),
            d.depends_on.name,
            _name(d.depends_on.provider),
        ),
        catalogue=True,
    ),
    Section("alternatives", Alternative, "alternative", lambda a: (a.name,), catalogue=True),
    Section("processes", Process, "process", lambda p: (p.name,)),
    Section("usages", Usage, "usage", lambda u: (u.name,)),
    Section("redundancy_groups", RedundancyGroup, "group", lambda g: (g.name,)),
    Section("dependencies", Dependency, "dependency", _dep_key),
    Section("data_sets", DataSet, "dataset", lambda d: (d.name,)),
    Section("contracts", Contract, "contract", lambda c: (c.reference,)),
    Section("contract_clauses", ContractClause, "clause", lambda c: (c.contract.reference, c.kind)),
    Section("exit_plans", ExitPlan, "exitplan", lambda e: (e.title, _name(e.usage), _name(e.service))),
    Section("exit_plan_steps", ExitPlanStep, "step", lambda s: (s.plan.title, f"{s.order:06d}")),
)
SECTION_OF_MODEL: dict[type[models.Model], Section] = {s.model: s for s in SECTIONS}
