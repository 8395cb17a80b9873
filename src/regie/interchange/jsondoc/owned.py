"""The organisations' own records for the export of every organisation, read in batches.

One query per table for a batch of organisations (``organisation_id IN (…)``), never one per
organisation (ADR 0128). The rows are grouped by organisation; the sort keys are those of the
sections (``sections.SECTIONS``), computed here from the rows instead of model instances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models
from django.db.models import F

from regie.audit.models import AuditEntry
from regie.register.models import (
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    Organisation,
    Process,
    RedundancyGroup,
    Service,
    Usage,
)

from .encoding import AUDIT_FIELDS, ORGANISATION_FIELDS
from .framework import ORGANISATION_PATH, PART_BY_KEY, base_querysets
from .shared import CHUNK, OWNED_PLANS, Plan, Shared, owner_path

Row = tuple[Any, ...]  # (pk, *the plan's columns)


@dataclass
class Batch:
    """The records of a batch of organisations, grouped by organisation."""

    organisations: list[Row] = field(default_factory=list)  # (pk, *ORGANISATION_FIELDS)
    owned: dict[type[models.Model], dict[Any, list[Row]]] = field(default_factory=dict)
    links: dict[tuple[type[models.Model], str], dict[Any, list[Any]]] = field(default_factory=dict)
    trusted: dict[Any, list[str]] = field(default_factory=lambda: defaultdict(list))
    joint: dict[Any, list[str]] = field(default_factory=lambda: defaultdict(list))  # partners' codes
    parts: dict[Any, dict[str, list[models.Model]]] = field(default_factory=dict)
    audit: dict[Any, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def read_batch(pks: Sequence[Any]) -> Batch:
    batch = Batch()
    batch.organisations = list(
        Organisation.objects.filter(pk__in=pks).order_by("pk").values_list("pk", *ORGANISATION_FIELDS)
    )
    for plan in OWNED_PLANS:
        model = plan.section.model
        path = owner_path(model)
        assert path is not None
        grouped: dict[Any, list[Row]] = defaultdict(list)
        query = model._default_manager.filter(**{f"{path}__in": pks}).values_list(path, "pk", *plan.columns)
        for row in query.iterator(CHUNK):
            grouped[row[0]].append(row[1:])
        batch.owned[model] = grouped
        for many in plan.many:
            source, target = plan.through_columns(many)
            links: dict[Any, list[Any]] = defaultdict(list)
            through = many.remote_field.through._default_manager
            lookup = {f"{many.m2m_field_name()}__{path}__in": pks}
            for owner, related in through.filter(**lookup).values_list(source, target).iterator(CHUNK):
                links[owner].append(related)
            batch.links[(model, many.name)] = links
    trusted = Organisation.trusted_countries.through._default_manager
    for org, code in trusted.filter(organisation_id__in=pks).values_list("organisation_id", "country_id"):
        batch.trusted[org].append(code)
    joint = Organisation.joint_arrangements.through._default_manager
    for org, code in joint.filter(from_organisation_id__in=pks).values_list(
        "from_organisation_id", "to_organisation__code"
    ):
        batch.joint[org].append(code)
    for key, queryset in base_querysets().items():
        path = ORGANISATION_PATH[key]
        query = queryset.filter(**{f"{path}__in": pks}).annotate(export_organisation_pk=F(path))
        for obj in query:
            batch.parts.setdefault(obj.export_organisation_pk, defaultdict(list))[key].append(obj)
    entries = AuditEntry.objects.filter(organisation_id__in=pks).order_by("organisation_id", "at", "id")
    for org, at, *values in entries.values_list("organisation_id", "at", *AUDIT_FIELDS).iterator(CHUNK):
        batch.audit[org].append({"at": at.isoformat(), **dict(zip(AUDIT_FIELDS, values, strict=True))})
    return batch


def shared_roots(
    batch: Batch, pk: Any, shared: Collection[type[models.Model]]
) -> Iterator[tuple[type[models.Model], Any]]:
    """The shared records (model, primary key) that organisation ``pk``'s own records, trusted
    countries and framework records refer to: what its document brings along starts here."""
    for plan in OWNED_PLANS:
        model = plan.section.model
        rows = batch.owned[model].get(pk, [])
        for i, target in enumerate(plan.targets):
            if target is not None and target in shared:
                yield from ((target, r[1 + i]) for r in rows if r[1 + i] is not None)
        for many in plan.many:
            if many.related_model in shared:
                links = batch.links[(model, many.name)]
                for row in rows:
                    yield from ((many.related_model, related) for related in links.get(row[0], ()))
    yield from ((Country, code) for code in batch.trusted.get(pk, []))
    for key, objs in batch.parts.get(pk, {}).items():
        part = PART_BY_KEY[key]
        for name, section in part.refs.items():
            target = cast("type[models.Model]", part.model._meta.get_field(name).related_model)
            if section not in PART_BY_KEY and target in shared:
                yield from ((target, ref) for obj in objs if (ref := getattr(obj, f"{name}_id")) is not None)
        for name, section in part.many.items():
            if section not in PART_BY_KEY:
                for obj in objs:
                    yield from ((type(t), t.pk) for t in getattr(obj, name).all() if type(t) in shared)


class Names:
    """Names of a batch's records and of shared records, for the sort keys."""

    def __init__(self, batch: Batch, shared: Shared) -> None:
        self.shared = shared
        self.own: dict[type[models.Model], dict[Any, str]] = {}
        for model, column in (
            (Process, "name"),
            (Usage, "name"),
            (Contract, "reference"),
            (ExitPlan, "title"),
        ):
            position = _plan(model).columns.index(column)
            self.own[model] = {
                row[0]: row[1 + position] for rows in batch.owned[model].values() for row in rows
            }

        self.services = shared.names(Service)  # by primary key
        self.providers = shared.provider_names()  # of a service, by its primary key

    def of(self, model: type[models.Model], pk: Any) -> str:
        """``_name`` of the sections: the record's name, "" for none."""
        if pk is None:
            return ""
        if model in self.own:
            return str(self.own[model][pk] or "")
        return self.shared.name(self.shared.number(model, pk))


def _plan(model: type[models.Model]) -> Plan:
    return next(p for p in OWNED_PLANS if p.section.model is model)


def sort_keys(plan: Plan, names: Names) -> Callable[[Row], tuple[Any, ...]]:
    """The section's sort key (``sections.SECTIONS``) read from a row, then the primary key."""
    at = {column: 1 + i for i, column in enumerate(plan.columns)}
    model = plan.section.model

    def col(name: str) -> int:
        return at[name]

    if model in (Process, Usage, RedundancyGroup, DataSet):
        name = col("name")
        return lambda r: (r[name], r[0])
    if model is Contract:
        reference = col("reference")
        return lambda r: (r[reference], r[0])
    if model is Dependency:
        kind, fp, fu = col("kind"), col("from_process_id"), col("from_usage_id")
        tu, ts = col("to_usage_id"), col("to_service_id")
        processes = {None: "", **names.own[Process]}
        usages = {None: "", **names.own[Usage]}
        services, providers = names.services, names.providers

        def dependency(r: Row) -> tuple[Any, ...]:  # (kind, source, target, provider of the service)
            source = processes[r[fp]] if r[fp] is not None else usages[r[fu]]
            service = r[ts]
            target = usages[r[tu]] if r[tu] is not None else "" if service is None else services[service]
            provider = "" if service is None else providers[service]
            return (r[kind], str(source or ""), str(target or ""), provider, r[0])

        return dependency
    if model is ContractClause:
        contract, kind = col("contract_id"), col("kind")
        return lambda r: (names.own[Contract][r[contract]], r[kind], r[0])
    if model is ExitPlan:
        title, usage, service = col("title"), col("usage_id"), col("service_id")
        return lambda r: (r[title], names.of(Usage, r[usage]), names.of(Service, r[service]), r[0])
    if model is ExitPlanStep:
        plan_id, order = col("plan_id"), col("order")
        return lambda r: (names.own[ExitPlan][r[plan_id]], f"{r[order]:06d}", r[0])
    raise LookupError(f"no sort key for the section {plan.section.key} in the export of every organisation")


__all__ = ["Batch", "Names", "Row", "read_batch", "shared_roots", "sort_keys"]
