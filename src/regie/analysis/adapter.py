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

from regie.api.revision import revision
from regie.core.catalogue import Catalogue
from regie.core.facts import Fact
from regie.core.snapshot import Snapshot, SnapshotBuilder  # snapshot first: it imports the builder
from regie.register.models import (
    Alternative,
    Country,
    Law,
    LegalEntity,
    Product,
    Provenance,
    Service,
    ServiceDependency,
    ServiceLocation,
)

from .orgload import org_columns

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

    def __init__(self, using: str) -> None:
        self._facts: dict[int, Fact] = {
            pk: Fact(source=source, checked_on=checked, entered_by=label or None)
            for pk, source, checked, label in Provenance.objects.using(using)
            .values_list("pk", "source", "checked_on", "entered_by_label")
            .iterator(chunk_size=20_000)
        }

    def get(self, pk: int | None) -> Fact | None:
        return None if pk is None else self._facts.get(pk)


def _add_catalogue(builder: SnapshotBuilder, using: str = "default") -> None:
    facts = _Facts(using)
    for code, name, eu, eea, adequacy in Country.objects.using(using).values_list(
        "code", "name_en", "eu_member", "eea_member", "gdpr_adequacy"
    ):
        builder.add_country(code, name=name, eu=eu, eea=eea, adequacy=bool(adequacy))
    for law in Law.objects.using(using).all():
        builder.add_law(
            law.code,
            name=law.name,
            country=law.country_id,
            triggers=law.triggers,
            source=facts.get(law.provenance_id),
        )
    for row in (
        LegalEntity.objects.using(using)
        .values_list(
            "pk",
            "name",
            "hq_country_id",
            "hq_country_provenance_id",
            "registration_country_id",
            "registration_country_provenance_id",
            "parent_id",
            "parent_state",
            "parent_provenance_id",
        )
        .iterator(chunk_size=20_000)
    ):
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
    for product_id, name in Product.reference_components.through.objects.using(using).values_list(
        "product_id", "gemmaelement__name"
    ):
        refcomps[product_id].append(name)
    alternatives = _alternative_counts(using)
    for pk, name, supplier, open_source, open_export in (
        Product.objects.using(using)
        .values_list("pk", "name", "supplier_id", "open_source", "export_open_standard")
        .iterator(chunk_size=20_000)
    ):
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
    for service_id, role, country, prov in (
        ServiceLocation.objects.using(using)
        .values_list("service_id", "role", "country_id", "provenance_id")
        .iterator(chunk_size=50_000)
    ):
        locations[service_id][role].append((country, facts.get(prov)))
    for pk, name, provider, kind, product, recovery in (
        Service.objects.using(using)
        .values_list("pk", "name", "provider_id", "kind", "product_id", "recovery_hours")
        .iterator(chunk_size=20_000)
    ):
        builder.add_service(
            pk,
            name=name,
            provider=provider,
            kind=kind,
            product=product,
            locations=locations.get(pk, {}),
            recovery_hours=_num(recovery),
        )
    for service, depends_on in ServiceDependency.objects.using(using).values_list(
        "service_id", "depends_on_id"
    ):
        builder.add_service_dependency(service, depends_on)


def _alternative_counts(using: str) -> dict[Hashable, int]:
    counts: dict[Hashable, int] = defaultdict(int)
    for product_id in Alternative.replaces_products.through.objects.using(using).values_list(
        "product_id", flat=True
    ):
        counts[product_id] += 1
    for name in Alternative.replaces_components.through.objects.using(using).values_list(
        "gemmaelement__name", flat=True
    ):
        counts[("rc", name)] += 1
    return counts


@dataclass
class _CatalogueCache:
    revision: tuple[object, ...] | None = None
    catalogue: Catalogue | None = None


_cache = _CatalogueCache()
_lock = threading.Lock()


def catalogue_revision() -> tuple[object, ...]:
    """Changes whenever the catalogue may have changed: its revision counter, bumped by database
    triggers on every write of a catalogue table (:mod:`regie.api.revision`, ADR 0125)."""
    return (revision(None)[0],)


def compile_catalogue(using: str = "default") -> Catalogue:
    """Compile the catalogue of one database now (no cache)."""
    builder = SnapshotBuilder()
    _add_catalogue(builder, using)
    return builder.build().catalogue


def compiled_catalogue() -> Catalogue:
    """The compiled catalogue, rebuilt only when the catalogue changed."""
    revision = catalogue_revision()
    with _lock:
        if _cache.catalogue is None or _cache.revision != revision:
            _cache.catalogue = compile_catalogue()
            _cache.revision = revision
        return _cache.catalogue


def build_snapshot(*, organisation_ids: Iterable[int] | None = None, using: str = "default") -> Snapshot:
    """A snapshot of the given organisations (all when None).

    On the default database the compiled catalogue is cached; another database (``using``, as
    the benchmark does) is compiled afresh.
    """
    catalogue = compiled_catalogue() if using == "default" else compile_catalogue(using)
    ids = None if organisation_ids is None else list(organisation_ids)
    return Snapshot.from_arrays(catalogue, org_columns(catalogue, using=using, org_ids=ids))
