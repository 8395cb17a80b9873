"""Forty smaller, fictional organisations, so that sector views have something to show.

Thirty-seven municipalities, one province, one water authority and one joint arrangement
(GR ICT Midden, the shared service centre). Every name carries "(fictief)"; CBS codes are in
the unused range GM9901–GM9937.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import fictional as f
from . import real
from .planner import Hosting, PlanContext, finish_landscape, months_before, plan_landscape
from .specs import DependencySpec, OrganisationSpec, UsageSpec
from .templates import PROCESSES, SLOTS, ProcessTemplate

MUNICIPALITY_NAMES = (
    "Lindeveen", "Hoogerwaard", "Brakeldijk", "Zandwijck", "Ellenmeer", "Duinhaven", "Kortevoort",
    "Ravensloot", "Heidekamp", "Molenrade", "Vlietwoude", "Eikenburg", "Noorderzand", "Bremerveld",
    "Gravenwaal", "Rietendaal", "Wolderbeek", "Kleiwijk", "Sluisdam", "Hazelbroek", "Bergenrode",
    "Vennemaat", "Dijkzicht", "Lommerstad", "Mosselhaven", "Terpenveld", "Klaverwaard", "Elzenhorst",
    "Ooievaarsdorp", "Zilverbeek", "Beukenrode", "Windmeer", "Meerenbosch", "Kastanjedal",
    "Valkenheide", "Polderveen", "Reigersbroek",
)  # fmt: skip
PROVINCES = ("DR", "FL", "FR", "GE", "GR", "LI", "NB", "NH", "OV", "UT", "ZE", "ZH")
SSC_MEMBERS = 3  # the first three fictional municipalities share the GR with Voorbeeld

BEDRIJFSVOERING = (
    "Financiële administratie",
    "Betalingsverkeer crediteuren",
    "Planning en control, begroting en jaarrekening",
    "Inkoop en contractmanagement",
    "Salarisadministratie",
    "Personeelsdossiers en HR",
    "Documentaire informatievoorziening",
    "Archivering en e-depot",
    "Zaakgericht werken en zaakafhandeling",
    "Werkplek, e-mail en samenwerken",
    "ICT-servicedesk en beheer",
    "Informatiebeveiliging en privacy",
    "Back-up en herstel",
    "Communicatie en webcare",
    "Digitale dienstverlening website en e-formulieren",
)

PT = ProcessTemplate
PROVINCE_PROCESSES = (
    PT("Beheer provinciale wegen en vaarwegen", "Beheren fysieke leefomgeving", "Onderhouden", (2, 2, 1),
       True, 24, "none", 0.0, ("bor", "gis", "mor"), "Manager Wegen"),
    PT("Vergunningverlening natuur en milieu", "Producten- en dienstenrealisatie fysieke leefomgeving",
       "Behandelen aanvraag vergunning of ontheffing", (2, 3, 2), False, 168, "personal", 0.0,
       ("vth", "zaak", "gis"), "Manager VTH"),
    PT("Concessies openbaar vervoer", "Opdrachtverstrekking", None, (1, 2, 1), False, 720, "none", 0.0,
       ("contracten", "kantoor"), "Manager Mobiliteit"),
    PT("Ondersteuning Provinciale Staten", "Besturing", None, (2, 2, 2), False, 72, "personal", 0.0,
       ("raad", "dms"), "Statengriffier"),
    PT("Subsidieverlening provincie", "Verstrekking", "Verstrekken subsidie", (1, 2, 2), False, 336,
       "personal", 0.0, ("subsidies", "financien", "zaak"), "Subsidiecoördinator"),
)  # fmt: skip
WATER_PROCESSES = (
    PT("Heffen en innen waterschapsbelastingen", "Waardering en heffing", "Heffen en innen", (2, 3, 3),
       True, 72, "bsn", 0.9, ("belastingen", "mijn", "financien"), "Manager Belastingen"),
    PT("Beheer waterkeringen", "Beheren fysieke leefomgeving", "Onderhouden", (3, 3, 1), True, 4, "none",
       0.0, ("gis", "bor"), "Manager Waterkeringen"),
    PT("Calamiteitenzorg hoogwater", "Veiligheidsmanagement", None, (3, 3, 2), True, 2, "personal", 1.0,
       ("crisis", "kantoor", "telefonie"), "Calamiteitencoördinator"),
    PT("Watervergunningen", "Producten- en dienstenrealisatie fysieke leefomgeving",
       "Behandelen aanvraag vergunning of ontheffing", (1, 2, 2), False, 168, "personal", 0.0,
       ("vth", "zaak"), "Manager Vergunningen"),
)  # fmt: skip
SSC_PROCESSES = (
    PT("ICT-dienstverlening aan deelnemers", "Automatiseringsmanagement", "Leveren dienst aan derden",
       (3, 3, 3), True, 8, "bsn", 0.0, ("servicedesk", "kantoor", "identiteit"), "Directeur GR"),
    PT("Beheer rekencentrum", "Automatiseringsmanagement", None, (3, 3, 3), True, 4, "bsn", 0.0,
       ("backup", "firewall", "siem"), "Manager Rekencentrum"),
)  # fmt: skip


def _by_name(names: Sequence[str]) -> list[ProcessTemplate]:
    wanted = set(names)
    return [p for p in PROCESSES if p.name in wanted]


def _hosting(ctx: PlanContext, member: bool) -> Hosting:
    if member:
        return Hosting(services=("SSC Applicatiebeheer",))
    options = (
        (("Polderwolk Beheer",), 35),
        ((real.AZURE,), 25),
        (("Polderwolk Beheer", real.AZURE), 10),
        ((real.CYSO,), 10),
        ((real.LEAFCLOUD,), 5),
        (("Polderwolk Private Cloud", real.STACKIT), 5),
        ((real.AWS,), 10),
    )
    available = [(s, w) for s, w in options if all(x in ctx.catalogue.services for x in s)]
    services = ctx.rng.choices([s for s, _ in available], weights=[w for _, w in available])[0]
    group = "Uitwijk hosting" if len(services) > 1 else None
    return Hosting(services=services, group_name=group)


PEER_CORE = (
    "Aanvragen reisdocumenten",
    "Bijhouden basisregistratie personen (BRP)",
    "Klantcontact (KCC) telefonie en balie",
    "Uitvoering Participatiewet (bijstand)",
    "Toekennen Wmo-voorzieningen",
    "Heffen en innen gemeentelijke belastingen",
    "Omgevingsvergunningen (VTH)",
    "Financiële administratie",
    "Salarisadministratie",
    "Werkplek, e-mail en samenwerken",
)


def _municipality_processes(ctx: PlanContext, inhabitants: int) -> list[ProcessTemplate]:
    """The core processes and a draw from the rest: 10 for the smallest, up to about 20."""
    core = [p for p in PROCESSES if p.name in PEER_CORE]
    rest = [p for p in PROCESSES if p.name not in PEER_CORE]
    size = 6 + 8 * math.log10(max(inhabitants, 5000) / 5000) + ctx.rng.randint(-1, 3)
    target = max(10, min(30, round(size)))
    chosen = ctx.rng.sample(rest, max(0, target - len(core)))
    names = {p.name for p in core} | {p.name for p in chosen}
    return [p for p in PROCESSES if p.name in names]


def _add_niche(ctx: PlanContext, spec: OrganisationSpec, hosting: Hosting) -> None:
    for product, component in ctx.rng.sample(f.NICHE, ctx.rng.randint(0, 4)):
        spec.usages.append(
            UsageSpec(
                name=product,
                product=product,
                component=component,
                status="in_production",
                production_on=months_before(ctx.reference_date, ctx.rng.randint(6, 100)),
                owner="Functioneel beheer",
            )
        )
        spec.dependencies.append(DependencySpec(kind="runs_on", source=product, target=hosting.services[0]))


def plan_peer(ctx: PlanContext, index: int) -> OrganisationSpec:
    """The index-th smaller organisation (0–39)."""
    rng = ctx.rng
    ctx.pinned = {}
    ctx.slot_usage = {}
    extra: list[str] = []
    if index < len(MUNICIPALITY_NAMES):
        name = MUNICIPALITY_NAMES[index]
        inhabitants = round(math.exp(rng.uniform(math.log(9000), math.log(160_000))), -2)
        member = index < SSC_MEMBERS
        spec = OrganisationSpec(
            name=f"Gemeente {name} {f.FICTIONAL_MARK}",
            code=f"gm{9901 + index}",
            kind="municipality",
            cbs_code=f"GM{9901 + index}",
            province="UT" if member else rng.choice(PROVINCES),
            inhabitants=int(inhabitants),
            staff=int(inhabitants / 120),
            admin_username=f"beheer-gm{9901 + index}",
            member_of=[f.SSC] if member else [],
        )
        templates = _municipality_processes(ctx, spec.inhabitants or 20000)
        extra = [s.key for s in SLOTS if s.core]
        size = (spec.inhabitants or 20000) / 50_000
    elif index == len(MUNICIPALITY_NAMES):
        member = False
        spec = OrganisationSpec(
            name=f"Provincie Middenland {f.FICTIONAL_MARK}",
            code="pv-middenland",
            kind="province",
            cbs_code="",
            province="",
            inhabitants=1_300_000,
            staff=1100,
            admin_username="beheer-pv-middenland",
        )
        templates = [*_by_name(BEDRIJFSVOERING), *PROVINCE_PROCESSES]
        size = 8.0
    elif index == len(MUNICIPALITY_NAMES) + 1:
        member = False
        spec = OrganisationSpec(
            name=f"Waterschap Laagland {f.FICTIONAL_MARK}",
            code="ws-laagland",
            kind="water_authority",
            cbs_code="",
            province="",
            inhabitants=600_000,
            staff=650,
            admin_username="beheer-ws-laagland",
        )
        templates = [*_by_name(BEDRIJFSVOERING[:12]), *WATER_PROCESSES]
        size = 4.0
        ctx.pinned = {"financien": real.EXACT_ONLINE} if ctx.catalogue.has_product(real.EXACT_ONLINE) else {}
    else:
        member = False
        spec = OrganisationSpec(
            name=f.SSC,
            code="gr-ict-midden",
            kind="joint_arrangement",
            cbs_code="",
            province="UT",
            inhabitants=None,
            staff=85,
            admin_username="beheer-gr-ict-midden",
        )
        templates = [*_by_name(BEDRIJFSVOERING[:11]), *SSC_PROCESSES]
        size = 1.0
        if ctx.catalogue.has_product(real.EXACT_ONLINE):
            ctx.pinned = {"financien": real.EXACT_ONLINE}
    if spec.kind == "joint_arrangement":
        ctx.hosting = Hosting(services=("SSC Rekencentrum",))
    else:
        ctx.hosting = _hosting(ctx, member)
    plan_landscape(
        ctx,
        spec,
        templates,
        extra_slots=extra,
        integration_share=0.5,
        dataset_share=0.4,
    )
    _add_niche(ctx, spec, ctx.hosting)
    finish_landscape(ctx, spec, size=size)
    return spec


PEER_COUNT = len(MUNICIPALITY_NAMES) + 3
