"""Plan an organisation's landscape from templates, a seeded generator and the catalogue.

Pure: no database. Every choice comes from the ``random.Random`` passed in and every date from
the reference date, so one seed gives one landscape. Iteration is always over sequences in a
fixed order, never over sets.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import real
from .catalogue_index import CatalogueIndex
from .contracts import plan_contracts
from .specs import (
    DataSetSpec,
    DependencySpec,
    GroupSpec,
    OrganisationSpec,
    ProcessSpec,
    UsageSpec,
)
from .templates import SLOT_BY_KEY, ProcessTemplate, Slot

# (from slot, to slot, standard, direction, proprietary)
INTEGRATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("burgerzaken", "esb", "StUF BG", "out", "no"),
    ("esb", "burgerzaken", "StUF BG", "out", "no"),
    ("esb", "zaak", "StUF ZKN", "out", "no"),
    ("zaak", "dms", "Documenten API-standaard", "out", "no"),
    ("zaak", "notificaties", "Notificaties API-standaard (aanbieden, routeren, abonneren)", "out", "no"),
    ("notificaties", "zaak", "Notificaties API-standaard (ontvangen)", "out", "no"),
    ("vth", "zaak", "Zaken API-standaard", "out", "no"),
    ("eformulieren", "zaak", "Zaken API-standaard", "out", "no"),
    ("mijn", "zaak", "Zaken API-standaard", "in", "no"),
    ("crm", "zaak", "Klanten API-standaard", "both", "no"),
    ("telefonie", "crm", "leveranciersspecifieke API", "out", "yes"),
    ("sociaal", "inkomen", "leveranciersspecifieke API", "both", "yes"),
    ("inkomen", "financien", "CSV-bestandsoverdracht", "out", "yes"),
    ("belastingen", "financien", "CSV-bestandsoverdracht", "out", "yes"),
    ("salaris", "financien", "CSV-bestandsoverdracht", "out", "yes"),
    ("hr", "salaris", "leveranciersspecifieke API", "out", "yes"),
    ("salaris", "hr", "leveranciersspecifieke API", "out", "yes"),
    ("bag", "esb", "StUF BAG", "out", "no"),
    ("esb", "belastingen", "StUF WOZ", "out", "no"),
    ("woz_taxatie", "belastingen", "StUF WOZ", "out", "no"),
    ("bgt", "gis", "IMGeo (BGT)", "out", "no"),
    ("bag", "gis", "BAG Extract", "out", "no"),
    ("dms", "edepot", "MDTO XML-schema", "out", "no"),
    ("raad", "dms", "CMIS", "in", "no"),
    ("esb", "magazijn", "Digikoppeling ebMS", "out", "no"),
    ("koppelingen", "esb", "Digikoppeling WUS", "both", "no"),
    ("betalen", "eformulieren", "leveranciersspecifieke API", "out", "yes"),
    ("mor", "bor", "IMBOR", "out", "no"),
    ("afspraken", "burgerzaken", "leveranciersspecifieke API", "in", "yes"),
    ("identiteit", "kantoor", "SAML", "out", "no"),
    ("documentcreatie", "zaak", "Documentcreatieservices", "out", "no"),
    ("financien", "pc", "XBRL", "out", "no"),
)

# (slot, data-set name, classification, personal data, GB per 10,000 inhabitants, records, formats)
DATASETS: tuple[tuple[str, str, str, str, float, int, str], ...] = (
    ("burgerzaken", "Persoonslijsten BRP", "confidential", "bsn", 0.6, 11000, "StUF BG, LO GBA"),
    ("burgerzaken", "Reisdocumentenadministratie", "confidential", "bsn", 0.2, 1500, "CSV"),
    ("zaak", "Zaakdossiers", "confidential", "bsn", 40.0, 9000, "ZGW API's, PDF/A"),
    ("dms", "Documentair archief (dynamisch)", "confidential", "personal", 120.0, 60000, "CMIS, PDF/A"),
    ("edepot", "Archief blijvend te bewaren", "internal", "personal", 300.0, 80000, "MDTO, PDF/A"),
    ("sociaal", "Cliëntdossiers Wmo en Jeugd", "secret", "special", 8.0, 900, "CSV, iWmo, iJw"),
    ("inkomen", "Uitkeringsadministratie", "secret", "special", 5.0, 400, "CSV"),
    ("belastingen", "Aanslagen en WOZ-beschikkingen", "confidential", "bsn", 6.0, 9500, "StUF WOZ, CSV"),
    ("salaris", "Salarisadministratie", "confidential", "bsn", 0.5, 60, "CSV"),
    ("hr", "Personeelsdossiers", "confidential", "special", 3.0, 60, "XLSX"),
    ("financien", "Grootboek en crediteuren", "internal", "personal", 2.0, 30000, "XBRL, CSV"),
    ("bag", "BAG-registratie", "public", "none", 1.0, 6000, "BAG Extract"),
    ("bgt", "BGT-objecten", "public", "none", 15.0, 50000, "IMGeo GML"),
    ("gis", "Geo-kaartlagen", "internal", "none", 25.0, 300, "GeoPackage"),
    ("vth", "Omgevingsvergunningdossiers", "internal", "personal", 30.0, 1200, "STAM, PDF/A"),
    ("crm", "Klantcontacten", "confidential", "bsn", 4.0, 25000, "CSV"),
    ("raad", "Raadsstukken en besluiten", "public", "none", 10.0, 4000, "Open Raadsinformatie"),
    ("kantoor", "E-mail en bestanden medewerkers", "confidential", "personal", 900.0, 0, "PST, ODF, OOXML"),
    ("mor", "Meldingen openbare ruimte", "internal", "personal", 1.0, 4000, "CSV"),
    ("magazijn", "Gegevensmagazijn", "confidential", "bsn", 50.0, 0, "SQL, CSV"),
)

SAAS_KINDS = ("saas", "paas", "identity")


@dataclass
class Hosting:
    """Where an organisation runs the applications that it does not buy as a service."""

    services: tuple[str, ...]
    group_name: str | None = None
    counterparties: tuple[str, ...] = ()


@dataclass
class PlanContext:
    rng: random.Random
    catalogue: CatalogueIndex
    reference_date: datetime.date
    hosting: Hosting
    pinned: dict[str, str] = field(default_factory=dict)
    slot_usage: dict[str, str] = field(default_factory=dict)


def months_before(date: datetime.date, months: int) -> datetime.date:
    total = date.year * 12 + (date.month - 1) - months
    return datetime.date(total // 12, total % 12 + 1, 1)


def pick_product(ctx: PlanContext, slot: Slot) -> str | None:
    """The product for a slot: pinned, or a weighted draw among the candidates in the catalogue."""
    if slot.key in ctx.pinned:
        return ctx.pinned[slot.key]
    options = [(name, weight) for name, weight in slot.candidates if ctx.catalogue.has_product(name)]
    if not options:
        return None
    names = [name for name, _ in options]
    return ctx.rng.choices(names, weights=[w for _, w in options])[0]


def plan_processes(ctx: PlanContext, spec: OrganisationSpec, templates: Sequence[ProcessTemplate]) -> None:
    for t in templates:
        a, i, c = t.biv
        downtime = Decimal(t.downtime_hours)
        rto = (downtime / 2).quantize(Decimal("0.01"))
        rpo = Decimal({3: 1, 2: 4, 1: 24}[i])
        people = round((spec.inhabitants or 0) * t.people_share) or None
        spec.processes.append(
            ProcessSpec(
                name=t.name,
                function=t.function,
                process=t.process,
                availability=a,
                integrity=i,
                confidentiality=c,
                critical=t.critical,
                downtime_hours=downtime,
                rto_hours=rto,
                rpo_hours=rpo,
                personal_data=t.personal_data,
                people_affected=people,
                owner=t.owner,
            )
        )


def plan_usages(ctx: PlanContext, spec: OrganisationSpec, slot_keys: Sequence[str]) -> None:
    """One usage per chosen product; slots that chose the same product share it."""
    by_product: dict[str, UsageSpec] = {}
    for key in slot_keys:
        slot = SLOT_BY_KEY[key]
        product = pick_product(ctx, slot)
        if product is None:
            continue
        usage = by_product.get(product)
        if usage is None:
            years = ctx.rng.randint(1, 12)
            usage = UsageSpec(
                name=product,
                product=product,
                component=slot.component,
                status="in_production",
                production_on=months_before(ctx.reference_date, years * 12 + ctx.rng.randint(0, 11)),
                owner=f"Applicatiebeheerder {slot.component.split()[0].rstrip('-')}",
            )
            by_product[product] = usage
            spec.usages.append(usage)
        ctx.slot_usage[key] = usage.name


def plan_requires(ctx: PlanContext, spec: OrganisationSpec, templates: Sequence[ProcessTemplate]) -> None:
    present = {p.name for p in spec.processes}
    for t in templates:
        if t.name not in present:
            continue
        seen: list[str] = []
        for key in t.slots:
            usage = ctx.slot_usage.get(key)
            if usage is None or usage in seen:
                continue
            seen.append(usage)
            spec.dependencies.append(DependencySpec(kind="requires", source=t.name, target=usage))


def plan_runs_on(ctx: PlanContext, spec: OrganisationSpec, overrides: dict[str, tuple[str, ...]]) -> None:
    """Each usage runs on the services that deliver its product, or on the organisation's hosting."""
    for usage in spec.usages:
        if usage.status == "retired":
            continue
        targets = overrides.get(usage.name)
        group = None
        if targets is None:
            delivered = [s.name for s in ctx.catalogue.delivered_as_service(usage.product)]
            if delivered:
                targets = tuple(delivered[:1])
            else:
                targets = ctx.hosting.services
                group = ctx.hosting.group_name
        for target in targets:
            spec.dependencies.append(
                DependencySpec(
                    kind="runs_on",
                    source=usage.name,
                    target=target,
                    group=group if len(targets) > 1 else None,
                )
            )
    if ctx.hosting.group_name and len(ctx.hosting.services) > 1:
        used = any(d.group == ctx.hosting.group_name for d in spec.dependencies)
        if used:
            spec.groups.append(
                GroupSpec(
                    name=ctx.hosting.group_name,
                    k=1,
                    description="Uitwijk: de toepassing draait verder zolang één van beide locaties werkt.",
                )
            )


def _fix_groups_per_dependant(spec: OrganisationSpec) -> None:
    """A redundancy group has one dependant: give each dependant its own copy of a shared group."""
    groups = {g.name: g for g in spec.groups}
    first_source: dict[str, str] = {}
    copies: dict[tuple[str, str], str] = {}
    new_groups: list[GroupSpec] = []
    for dep in spec.dependencies:
        if dep.group is None:
            continue
        owner = first_source.setdefault(dep.group, dep.source)
        if owner == dep.source:
            continue
        key = (dep.group, dep.source)
        if key not in copies:
            base = groups[dep.group]
            name = f"{base.name} — {dep.source}"
            copies[key] = name
            new_groups.append(GroupSpec(name=name, k=base.k, description=base.description))
        dep.group = copies[key]
    spec.groups.extend(new_groups)


def plan_integrations(ctx: PlanContext, spec: OrganisationSpec, share: float = 1.0) -> None:
    seen: list[tuple[str, str]] = []
    for a, b, standard, direction, proprietary in INTEGRATIONS:
        ua, ub = ctx.slot_usage.get(a), ctx.slot_usage.get(b)
        if ua is None or ub is None or ua == ub or (ua, ub) in seen:
            continue
        if share < 1.0 and ctx.rng.random() > share:
            continue
        seen.append((ua, ub))
        spec.dependencies.append(
            DependencySpec(
                kind="integration",
                source=ua,
                target=ub,
                standard=standard,
                direction=direction,
                proprietary=proprietary,
            )
        )


def plan_datasets(ctx: PlanContext, spec: OrganisationSpec, share: float = 1.0) -> None:
    size = max(spec.inhabitants or 20000, 5000) / 10000
    for slot, name, classification, personal, gb, records, formats in DATASETS:
        usage = ctx.slot_usage.get(slot)
        if usage is None or (share < 1.0 and ctx.rng.random() > share):
            continue
        jitter = Decimal(str(round(ctx.rng.uniform(0.7, 1.3), 2)))
        volume = (Decimal(str(gb)) * Decimal(str(size)) * jitter).quantize(Decimal("0.01"))
        open_format = "no" if formats == "CSV" else ctx.rng.choice(("yes", "yes", "unknown"))
        spec.datasets.append(
            DataSetSpec(
                name=name,
                usage=usage,
                classification=classification,
                personal_data=personal,
                volume_gb=volume,
                records=round(records * size) or None,
                export_formats=formats,
                export_open_format=open_format,
            )
        )


def plan_landscape(
    ctx: PlanContext,
    spec: OrganisationSpec,
    templates: Sequence[ProcessTemplate],
    *,
    extra_slots: Sequence[str] = (),
    runs_on_overrides: dict[str, tuple[str, ...]] | None = None,
    integration_share: float = 1.0,
    dataset_share: float = 1.0,
) -> None:
    """Fill ``spec`` with processes, applications, dependencies, data sets and contracts."""
    plan_processes(ctx, spec, templates)
    slot_keys: list[str] = []
    for t in templates:
        for key in t.slots:
            if key not in slot_keys:
                slot_keys.append(key)
    for key in extra_slots:
        if key not in slot_keys:
            slot_keys.append(key)
    plan_usages(ctx, spec, slot_keys)
    plan_requires(ctx, spec, templates)
    plan_runs_on(ctx, spec, runs_on_overrides or {})
    plan_integrations(ctx, spec, integration_share)
    plan_datasets(ctx, spec, dataset_share)


def finish_landscape(ctx: PlanContext, spec: OrganisationSpec, *, size: float) -> None:
    """After all usages and dependencies are known: split shared groups, then the contracts."""
    _fix_groups_per_dependant(spec)
    plan_contracts(ctx.rng, ctx.catalogue, spec, reference_date=ctx.reference_date, size=size)


__all__ = ["Hosting", "PlanContext", "finish_landscape", "months_before", "plan_landscape", "real"]
