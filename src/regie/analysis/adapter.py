"""Compile the register into an engine snapshot (the only bridge between the ORM and regie.core).

Queries read plain columns (``values_list``), never model instances, so that a national
register compiles in seconds. The catalogue part is compiled once and reused until a catalogue
change is audited; analysing one organisation then only reads that organisation's rows.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max

from regie.audit.models import AuditEntry
from regie.core.catalogue import Catalogue
from regie.core.facts import Fact
from regie.core.snapshot import Snapshot, SnapshotBuilder  # snapshot first: it imports the builder
from regie.register.models import (
    Alternative,
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    Law,
    LegalEntity,
    Organisation,
    Process,
    Product,
    Provenance,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)

#: The register's substitutability choices in the engine's vocabulary (DORA b_07.01).
SUBSTITUTABILITY_TO_CORE = {
    "easy": "easily_substitutable",
    "medium": "medium_complexity",
    "high": "highly_complex",
    "none": "not_substitutable",
}
_TRI = {"yes": True, "no": False, "unknown": None}


def _num(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


class _Facts:
    """Provenance rows as engine Facts, loaded once per compile."""

    def __init__(self) -> None:
        self._facts: dict[int, Fact] = {
            pk: Fact(source=source, checked_on=checked, entered_by=label or None)
            for pk, source, checked, label in Provenance.objects.values_list(
                "pk", "source", "checked_on", "entered_by_label"
            ).iterator(chunk_size=20_000)
        }

    def get(self, pk: int | None) -> Fact | None:
        return None if pk is None else self._facts.get(pk)


def _add_catalogue(builder: SnapshotBuilder) -> None:
    facts = _Facts()
    for code, name, eu, eea, adequacy in Country.objects.values_list(
        "code", "name_en", "eu_member", "eea_member", "gdpr_adequacy"
    ):
        builder.add_country(code, name=name, eu=eu, eea=eea, adequacy=bool(adequacy))
    for law in Law.objects.all():
        builder.add_law(
            law.code,
            name=law.name,
            country=law.country_id,
            triggers=law.triggers,
            source=facts.get(law.provenance_id),
        )
    for row in LegalEntity.objects.values_list(
        "pk",
        "name",
        "hq_country_id",
        "hq_country_provenance_id",
        "registration_country_id",
        "registration_country_provenance_id",
        "parent_id",
        "parent_state",
        "parent_provenance_id",
    ).iterator(chunk_size=20_000):
        pk, name, hq, hq_p, reg, reg_p, parent, state, parent_p = row
        builder.add_entity(
            pk,
            name=name,
            hq_country=hq,
            hq_fact=facts.get(hq_p),
            reg_country=reg,
            reg_fact=facts.get(reg_p),
            parent=parent,
            parent_state=state,
            parent_fact=facts.get(parent_p),
        )
    refcomps: dict[int, list[str]] = defaultdict(list)
    for product_id, name in Product.reference_components.through.objects.values_list(
        "product_id", "gemmaelement__name"
    ):
        refcomps[product_id].append(name)
    alternatives = _alternative_counts()
    for pk, name, supplier, open_source, open_export in Product.objects.values_list(
        "pk", "name", "supplier_id", "open_source", "export_open_standard"
    ).iterator(chunk_size=20_000):
        builder.add_product(
            pk,
            name=name,
            supplier=supplier,
            open_source=_TRI[open_source],
            open_export=_TRI[open_export],
            reference_components=sorted(refcomps.get(pk, ())),
            has_alternatives=alternatives.get(pk, 0)
            + sum(alternatives.get(("rc", rc), 0) for rc in refcomps.get(pk, ())),
        )
    locations: dict[int, dict[str, list[tuple[str | None, Fact | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for service_id, role, country, prov in ServiceLocation.objects.values_list(
        "service_id", "role", "country_id", "provenance_id"
    ).iterator(chunk_size=50_000):
        locations[service_id][role].append((country, facts.get(prov)))
    for pk, name, provider, kind, product, recovery in Service.objects.values_list(
        "pk", "name", "provider_id", "kind", "product_id", "recovery_hours"
    ).iterator(chunk_size=20_000):
        builder.add_service(
            pk,
            name=name,
            provider=provider,
            kind=kind,
            product=product,
            locations=locations.get(pk, {}),
            recovery_hours=_num(recovery),
        )
    for service, depends_on in ServiceDependency.objects.values_list("service_id", "depends_on_id"):
        builder.add_service_dependency(service, depends_on)


def _alternative_counts() -> dict[Hashable, int]:
    counts: dict[Hashable, int] = defaultdict(int)
    for product_id in Alternative.replaces_products.through.objects.values_list("product_id", flat=True):
        counts[product_id] += 1
    for name in Alternative.replaces_components.through.objects.values_list("gemmaelement__name", flat=True):
        counts[("rc", name)] += 1
    return counts


def _add_organisations(builder: SnapshotBuilder, org_ids: Iterable[int] | None) -> None:
    orgs = Organisation.objects.all()
    if org_ids is not None:
        orgs = orgs.filter(pk__in=list(org_ids))
    org_list = list(orgs.values_list("pk", "code", "name", "kind"))
    ids = [row[0] for row in org_list]

    def scoped(qs: Any) -> Any:
        return qs if org_ids is None else qs.filter(organisation_id__in=ids)

    default_trusted = frozenset(
        Country.objects.filter(eea_member=True).values_list("code", flat=True)
    ) | frozenset(Country.objects.filter(eu_member=True).values_list("code", flat=True))
    trusted: dict[int, set[str]] = defaultdict(set)
    through = Organisation.trusted_countries.through
    rows = through.objects.all() if org_ids is None else through.objects.filter(organisation_id__in=ids)
    for org_id, code in rows.values_list("organisation_id", "country_id"):
        trusted[org_id].add(code)
    for pk, code, name, kind in org_list:
        builder.add_organisation(
            pk, code=code, name=name, kind=kind, trusted=frozenset(trusted.get(pk) or default_trusted)
        )

    for row in (
        scoped(Process.objects)
        .values_list(
            "pk",
            "organisation_id",
            "name",
            "availability",
            "integrity",
            "confidentiality",
            "critical",
            "max_tolerable_downtime_hours",
            "rto_hours",
            "personal_data",
        )
        .iterator(chunk_size=50_000)
    ):
        pk, org, name, a, i, c, critical, mtd, rto, personal = row
        builder.add_process(
            pk,
            org=org,
            name=name,
            availability=a,
            integrity=i,
            confidentiality=c,
            critical=critical,
            mtd_hours=_num(mtd),
            rto_hours=_num(rto),
            personal_data=personal,
        )

    volumes: dict[int, float] = defaultdict(float)
    for usage_id, volume in (
        scoped(DataSet.objects).filter(volume_gb__isnull=False).values_list("usage_id", "volume_gb")
    ):
        volumes[usage_id] += float(volume)
    for row in (
        scoped(Usage.objects)
        .values_list(
            "pk",
            "organisation_id",
            "name",
            "product_id",
            "reference_component__name",
            "status",
            "substitutability_override",
            "override_justification",
        )
        .iterator(chunk_size=50_000)
    ):
        pk, org, name, product, refcomp, status, override, justification = row
        builder.add_usage(
            pk,
            org=org,
            name=name,
            product=product,
            reference_component=refcomp,
            status=status,
            substitutability_override=SUBSTITUTABILITY_TO_CORE.get(override) if override else None,
            override_justification=justification or None,
            data_volume_gb=volumes.get(pk),
        )

    for pk, org, k in scoped(RedundancyGroup.objects).values_list("pk", "organisation_id", "k"):
        builder.add_redundancy_group(pk, org=org, k=k)

    for row in (
        scoped(Dependency.objects)
        .values_list(
            "organisation_id",
            "kind",
            "from_process_id",
            "from_usage_id",
            "to_usage_id",
            "to_service_id",
            "group_id",
            "proprietary",
        )
        .iterator(chunk_size=100_000)
    ):
        org, kind, f_process, f_usage, t_usage, t_service, group, proprietary = row
        source = ("process", f_process) if f_process is not None else ("usage", f_usage)
        target = ("usage", t_usage) if t_usage is not None else ("service", t_service)
        open_standard = {"yes": False, "no": True}.get(proprietary)
        builder.add_dependency(
            org=org, source=source, target=target, kind=kind, group=group, open_standard=open_standard
        )

    clauses: dict[int, dict[str, bool | None]] = defaultdict(dict)
    clause_rows = ContractClause.objects.all()
    if org_ids is not None:
        clause_rows = clause_rows.filter(contract__organisation_id__in=ids)
    for contract_id, kind, present in clause_rows.values_list("contract_id", "kind", "present"):
        clauses[contract_id][kind] = _TRI[present]
    contract_usages: dict[int, list[int]] = defaultdict(list)
    contract_services: dict[int, list[int]] = defaultdict(list)
    usage_links = Contract.usages.through.objects.all()
    service_links = Contract.services.through.objects.all()
    if org_ids is not None:
        usage_links = usage_links.filter(contract__organisation_id__in=ids)
        service_links = service_links.filter(contract__organisation_id__in=ids)
    for contract_id, usage_id in usage_links.values_list("contract_id", "usage_id"):
        contract_usages[contract_id].append(usage_id)
    for contract_id, service_id in service_links.values_list("contract_id", "service_id"):
        contract_services[contract_id].append(service_id)
    for row in (
        scoped(Contract.objects)
        .values_list(
            "pk",
            "organisation_id",
            "counterparty_id",
            "annual_value",
            "start_date",
            "end_date",
            "notice_days",
        )
        .iterator(chunk_size=50_000)
    ):
        pk, org, counterparty, value, start, end, notice = row
        builder.add_contract(
            pk,
            org=org,
            counterparty=counterparty,
            annual_value=_num(value),
            start=start,
            end=end,
            notice_days=notice,
            clauses=clauses.get(pk, {}),
            usages=contract_usages.get(pk, []),
            services=contract_services.get(pk, []),
        )

    for org, usage, service in scoped(ExitPlan.objects).values_list(
        "organisation_id", "usage_id", "service_id"
    ):
        builder.add_exit_plan(org=org, usage=usage, service=service)


@dataclass
class _CatalogueCache:
    revision: tuple[object, ...] | None = None
    catalogue: Catalogue | None = None


_cache = _CatalogueCache()
_lock = threading.Lock()


def catalogue_revision() -> tuple[object, ...]:
    """Changes whenever the catalogue may have changed: an audited catalogue change, a new
    provenance record, a row added or removed, or a row saved (``updated_at``)."""
    last_change = AuditEntry.objects.filter(organisation_id__isnull=True).aggregate(m=Max("id"))["m"]
    revision: list[object] = [last_change, Provenance.objects.aggregate(m=Max("id"))["m"]]
    for model in (LegalEntity, Product, Service, Alternative):
        revision.append(tuple(model.objects.aggregate(n=Count("id"), m=Max("updated_at")).values()))
    for model in (Country, Law, ServiceLocation, ServiceDependency):  # type: ignore[assignment]
        revision.append(model.objects.count())
    return tuple(revision)


def compiled_catalogue() -> Catalogue:
    """The compiled catalogue, rebuilt only when the catalogue changed."""
    revision = catalogue_revision()
    with _lock:
        if _cache.catalogue is None or _cache.revision != revision:
            builder = SnapshotBuilder()
            _add_catalogue(builder)
            _cache.catalogue = builder.build().catalogue
            _cache.revision = revision
        return _cache.catalogue


def build_snapshot(*, organisation_ids: Iterable[int] | None = None) -> Snapshot:
    """A snapshot of the given organisations (all when None) on the current catalogue."""
    builder = SnapshotBuilder(catalogue=compiled_catalogue())
    _add_organisations(builder, organisation_ids)
    return builder.build()
