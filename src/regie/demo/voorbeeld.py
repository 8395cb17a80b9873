"""Gemeente Voorbeeld: the one detailed demo municipality, with the four showcase chains.

1. A Dutch brand owned by a foreign fund: Exact Online (Exact, ultimately KKR & Co. Inc., US).
2. A SaaS on a US hyperscaler in an EU region: Zaakwijs Cloud (fictional) on Microsoft Azure.
3. An open-source product run by a Dutch provider: Nextcloud on Leafcloud.
4. A shared service centre: GR ICT Midden (fictional), of which Voorbeeld is a member, runs
   the applications that Voorbeeld does not buy as a service.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from . import fictional as f
from . import real
from .planner import Hosting, PlanContext, finish_landscape, months_before, plan_landscape
from .specs import DependencySpec, ExitPlanSpec, GroupSpec, OrganisationSpec, StepSpec, UsageSpec
from .templates import ALL_SLOTS, PROCESSES

NAME = "Gemeente Voorbeeld"
CODE = "gm9999"
CBS_CODE = "GM9999"  # GM9xxx is not used by any Dutch municipality
INHABITANTS = 85_000
STAFF = 720

PINNED = {
    "kantoor": real.M365,
    "identiteit": real.ENTRA,
    "zaak": "Zaakwijs",
    "burgerzaken": real.KEY2BURGERZAKEN,
    "financien": "Financio",
    "vth": real.SQUIT_XO,
    "crm": "Klantkompas KCC",
    "bestanden": real.NEXTCLOUD,
    "chat": real.ELEMENT,
    "projecten": "Gemeentewerk Projecten",
    "kennisbank": real.XWIKI,
}

# Niche applications and the process that needs them (others support no listed process).
NICHE_PROCESS = {
    "Vakwerk Agressieregistratie": "Klantcontact (KCC) telefonie en balie",
    "Vakwerk Gevonden Voorwerpen": "Verstrekken uittreksels en verklaringen",
    "Vakwerk Erfpacht": "Vastgoedbeheer en verhuur",
    "Vakwerk Archeologie": "Monumentenzorg",
    "Vakwerk Grondexploitatie": "Vastgoedbeheer en verhuur",
    "Vakwerk Schades": "Beheer openbare ruimte",
    "Vakwerk Kredietbank": "Schuldhulpverlening",
    "Vakwerk Schuldenadministratie": "Schuldhulpverlening",
    "Vakwerk Vacatures": "Re-integratie en werkzoekenden",
    "Vakwerk Sociale Werkvoorziening": "Re-integratie en werkzoekenden",
    "Vakwerk KLIC": "Beheer openbare ruimte",
    "Vakwerk BRO": "Bodem- en milieu-informatie",
    "Vakwerk Omgevingsviewer": "Ruimtelijke plannen en omgevingsplan",
    "Vakwerk Regelbeheer": "Omgevingsvergunningen (VTH)",
    "Vakwerk Inspecties": "Toezicht en handhaving bouwen en milieu",
    "Vakwerk Bouwdossiers": "Omgevingsvergunningen (VTH)",
    "Vakwerk Veiligheidshuis": "Crisisbeheersing en rampenbestrijding",
    "Vakwerk Terugmeldingen": "Bijhouden basisregistratie personen (BRP)",
    "Vakwerk Klantgeleiding": "Klantcontact (KCC) telefonie en balie",
    "Vakwerk Inbraakdetectie": "Informatiebeveiliging en privacy",
    "Vakwerk Datalekpreventie": "Informatiebeveiliging en privacy",
    "Vakwerk Privacy": "Informatiebeveiliging en privacy",
    "Vakwerk Kasbeheer": "Financiële administratie",
    "Vakwerk Roosters": "Tijd- en verlofregistratie",
}


def _usage(
    ctx: PlanContext, name: str, product: str, component: str, status: str, **dates: datetime.date
) -> UsageSpec:
    return UsageSpec(
        name=name,
        product=product,
        component=component,
        status=status,
        production_on=dates.get("production_on"),
        acquiring_on=dates.get("acquiring_on"),
        planned_on=dates.get("planned_on"),
        phasing_out_on=dates.get("phasing_out_on"),
        retired_on=dates.get("retired_on"),
        owner="Informatiemanager",
    )


def _transitions(ctx: PlanContext) -> list[tuple[UsageSpec, str | None]]:
    """Applications coming in or going out, and the process each serves."""
    ref = ctx.reference_date
    items = [
        (
            _usage(
                ctx,
                "Exact Online (grondbedrijf)",
                real.EXACT_ONLINE,
                "Financieel component",
                "in_production",
                production_on=months_before(ref, 40),
            ),
            "Vastgoedbeheer en verhuur",
        ),
        (
            _usage(
                ctx,
                "Salesforce (pilot KCC)",
                real.SALESFORCE_PLATFORM,
                "Relatiebeheercomponent (CRM)",
                "retired",
                production_on=months_before(ref, 60),
                retired_on=months_before(ref, 30),
            ),
            None,
        ),
        (
            _usage(
                ctx,
                "Burgerlink BRP (vorig burgerzakensysteem)",
                "Burgerlink BRP",
                "Burgerzakencomponent",
                "retired",
                production_on=months_before(ref, 150),
                retired_on=months_before(ref, 70),
            ),
            None,
        ),
        (
            _usage(
                ctx,
                "Google Workspace (onderwijsproject)",
                real.GOOGLE_WORKSPACE,
                "Samenwerkingscomponent",
                "phasing_out",
                production_on=months_before(ref, 48),
                phasing_out_on=months_before(ref, 4),
            ),
            "Projecten en programma's",
        ),
        (
            _usage(
                ctx,
                "openDesk (pilot werkplek)",
                real.OPENDESK,
                "Kantoorautomatiseringcomponent",
                "acquiring",
                acquiring_on=months_before(ref, 3),
                planned_on=months_before(ref, 9),
            ),
            None,
        ),
        (
            _usage(
                ctx,
                "Collabora Online (pilot)",
                real.COLLABORA,
                "Kantoorautomatiseringcomponent",
                "planned",
                planned_on=months_before(ref, 2),
            ),
            None,
        ),
        (
            _usage(
                ctx,
                "SAP S/4HANA Cloud (verkenning)",
                real.SAP_S4,
                "Financieel component",
                "planned",
                planned_on=months_before(ref, 1),
            ),
            None,
        ),
        (
            _usage(
                ctx,
                "Jitsi (videobellen)",
                real.JITSI,
                "Samenwerkingscomponent",
                "in_production",
                production_on=months_before(ref, 14),
            ),
            "Werkplek, e-mail en samenwerken",
        ),
    ]
    return [(u, p) for u, p in items if ctx.catalogue.has_product(u.product)]


def _set_runs_on(
    spec: OrganisationSpec, usage: str, targets: tuple[str, ...], group: GroupSpec | None = None
) -> None:
    spec.dependencies = [d for d in spec.dependencies if not (d.kind == "runs_on" and d.source == usage)]
    if group is not None:
        spec.groups.append(group)
    for target in targets:
        spec.dependencies.append(
            DependencySpec(kind="runs_on", source=usage, target=target, group=group.name if group else None)
        )


def _redundancy(ctx: PlanContext, spec: OrganisationSpec) -> None:
    usages = {u.name for u in spec.usages}
    for usage in (real.KEY2BURGERZAKEN, "Financio"):
        if usage in usages:
            _set_runs_on(
                spec,
                usage,
                ("SSC Applicatiebeheer", "Polderwolk Beheer"),
                GroupSpec(
                    name=f"Uitwijk {usage}",
                    k=1,
                    description="Fail-over: draait in het rekencentrum van de GR, uitwijk bij Polderwolk.",
                ),
            )
    if "Datastroom ESB" in usages:
        _set_runs_on(
            spec,
            "Datastroom ESB",
            ("SSC Rekencentrum", "Polderwolk Private Cloud", real.CYSO),
            GroupSpec(
                name="ESB-cluster (2 van 3)",
                k=2,
                description="Drie knooppunten; de servicebus werkt zolang er twee draaien.",
            ),
        )
    if real.NEXTCLOUD in usages:
        _set_runs_on(spec, real.NEXTCLOUD, (real.LEAFCLOUD,))
    kcc = "Klantcontact (KCC) telefonie en balie"
    phones = [u for u in ("Klantkompas Telefonie", real.M365) if u in usages]
    if len(phones) == 2:
        spec.dependencies = [
            d
            for d in spec.dependencies
            if not (d.kind == "requires" and d.source == kcc and d.target in phones)
        ]
        spec.groups.append(
            GroupSpec(
                name="Telefonie KCC",
                k=1,
                description="Bij uitval van de telefooncentrale neemt het KCC op via Teams.",
            )
        )
        for phone in phones:
            spec.dependencies.append(
                DependencySpec(kind="requires", source=kcc, target=phone, group="Telefonie KCC")
            )


def _overrides(spec: OrganisationSpec) -> None:
    notes = {
        real.KEY2BURGERZAKEN: (
            "high",
            "both",
            "Twee leveranciers op de markt; migratie van de BRP vraagt een landelijke "
            "conversie en 12 maanden doorlooptijd.",
        ),
        real.M365: (
            "high",
            "both",
            "Alle 720 werkplekken, Teams-telefonie en 60 koppelingen; alternatieven (openDesk) nog in pilot.",
        ),
        "Plein Sociaal Domein": (
            "medium",
            "migration",
            "Berichtenverkeer iWmo/iJw is gestandaardiseerd; de historie van cliëntdossiers is "
            "alleen als CSV te exporteren.",
        ),
    }
    for usage in spec.usages:
        if usage.name in notes:
            usage.override, usage.override_reason, usage.override_justification = notes[usage.name]


def _exit_plans(ctx: PlanContext, spec: OrganisationSpec) -> None:
    ref = ctx.reference_date
    plans = [
        (
            real.M365,
            "Exitstrategie kantoorautomatisering",
            Decimal(2_400_000),
            720,
            "approved",
            None,
            [
                ("Inventariseer gebruik, koppelingen en macro's", "Informatiemanager", 60, True),
                ("Pilot openDesk met twee afdelingen", "Projectleider Werkplek", 120, False),
                ("Exporteer postvakken en bestanden naar open formaten", "Applicatiebeheer", 90, False),
                ("Migreer identiteiten naar een Europees IAM", "Architect", 120, False),
                ("Gefaseerde overgang per afdeling", "Projectleider Werkplek", 330, False),
            ],
        ),
        (
            "Zaakwijs",
            "Exitplan zaaksysteem",
            Decimal(450_000),
            270,
            "tested",
            months_before(ref, 5),
            [
                ("Volledige export via ZGW API's naar testomgeving", "Applicatiebeheer", 20, True),
                ("Valideer dossiers en documenten (steekproef 2 %)", "DIV", 15, True),
                ("Aanbesteding vervangend zaaksysteem", "Inkoop", 150, False),
                ("Conversie en parallel draaien", "Projectleider", 85, False),
            ],
        ),
        (
            "Plein Sociaal Domein",
            "Exitplan sociaal domein",
            Decimal(600_000),
            365,
            "draft",
            None,
            [
                ("Eis volledige export van cliëntdossiers in open formaat", "Contractmanager", 60, False),
                ("Marktverkenning alternatieven", "Informatiemanager", 90, False),
                ("Conversie en berichtenverkeer iWmo/iJw testen", "Applicatiebeheer", 215, False),
            ],
        ),
        (
            "Exact Online (grondbedrijf)",
            "Exitplan financiële administratie grondbedrijf",
            Decimal(40_000),
            90,
            "draft",
            None,
            [
                ("Exporteer grootboek en relaties (XBRL/CSV)", "Controller", 10, False),
                ("Inlezen in Financio", "Applicatiebeheer", 30, False),
                ("Opzeggen abonnement", "Contractmanager", 50, False),
            ],
        ),
    ]
    usages = {u.name for u in spec.usages}
    for usage, title, cost, days, status, tested, steps in plans:
        if usage not in usages:
            continue
        spec.exit_plans.append(
            ExitPlanSpec(
                title=title,
                usage=usage,
                owner="Informatiemanager",
                estimated_cost=cost,
                duration_days=days,
                status=status,
                last_tested=tested,
                notes="",
                steps=[StepSpec(d, o, n, done) for d, o, n, done in steps],
                alternative=real.OPENDESK if usage == real.M365 else None,
            )
        )


def plan_voorbeeld(ctx: PlanContext) -> OrganisationSpec:
    spec = OrganisationSpec(
        name=NAME,
        code=CODE,
        kind="municipality",
        cbs_code=CBS_CODE,
        province="UT",
        inhabitants=INHABITANTS,
        staff=STAFF,
        admin_username="demo",
        member_of=[f.SSC],
    )
    ctx.pinned = {k: v for k, v in PINNED.items() if ctx.catalogue.has_product(v)}
    ctx.hosting = Hosting(services=("SSC Applicatiebeheer",))
    plan_landscape(ctx, spec, PROCESSES, extra_slots=[s.key for s in ALL_SLOTS])
    ref = ctx.reference_date
    for product, _component in f.NICHE:
        usage = UsageSpec(
            name=product,
            product=product,
            component=_component,
            status="in_production",
            production_on=months_before(ref, ctx.rng.randint(6, 110)),
            owner="Functioneel beheer",
        )
        spec.usages.append(usage)
        spec.dependencies.append(
            DependencySpec(kind="runs_on", source=product, target="SSC Applicatiebeheer")
        )
        process = NICHE_PROCESS.get(product)
        if process is not None:
            spec.dependencies.append(DependencySpec(kind="requires", source=process, target=product))
    for usage, process in _transitions(ctx):
        spec.usages.append(usage)
        if usage.status != "retired":
            delivered = [s.name for s in ctx.catalogue.delivered_as_service(usage.product)]
            for target in delivered[:1] or ["SSC Applicatiebeheer"]:
                spec.dependencies.append(DependencySpec(kind="runs_on", source=usage.name, target=target))
        if process is not None:
            spec.dependencies.append(DependencySpec(kind="requires", source=process, target=usage.name))
    _redundancy(ctx, spec)
    _overrides(spec)
    _exit_plans(ctx, spec)
    finish_landscape(ctx, spec, size=INHABITANTS / 50_000)
    return spec
