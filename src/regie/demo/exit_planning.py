"""Exit plans with costs and real alternatives from the catalogue, so that the roadmap of a few
demo organisations is meaningful (ADR 0119).

The alternatives are the reference bundle's (openDesk, Nubus, STACKIT Cloud, IONOS Cloud,
OVHcloud Public Cloud). openDesk and Nubus are self-hosted software without a service in the
bundle, so the demo adds two invented hosted services at the invented Dutch data centre
Polderwolk, marked "(fictief)" with the demo's provenance. Voorbeeld's plan for Microsoft 365
(openDesk, written by :mod:`regie.demo.voorbeeld`) becomes computable through it. Costs and
durations are invented, like everything else about the demo organisations. No randomness:
the same plans every build.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from regie.register import services
from regie.register.models import (
    Alternative,
    Country,
    ExitPlan,
    ExitPlanStep,
    LegalEntity,
    Organisation,
    Product,
    Provenance,
    Service,
    ServiceLocation,
    Usage,
)

from . import fictional

__all__ = ["HOSTED", "PLANS", "write_exit_planning"]

# (service name, product from the bundle, kind)
HOSTED: tuple[tuple[str, str, str], ...] = (
    ("openDesk Werkplek bij Polderwolk (fictief)", "openDesk", "saas"),
    ("Nubus Identiteit bij Polderwolk (fictief)", "Nubus", "identity"),
)

_STEPS = {
    "werkplek": (
        ("Inventariseer gebruik, koppelingen en macro's", "Informatiemanager", 60),
        ("Pilot openDesk met twee afdelingen", "Projectleider Werkplek", 120),
        ("Gefaseerde overgang per afdeling", "Projectleider Werkplek", 330),
    ),
    "identiteit": (
        ("Breng applicaties en hun aanmeldprotocollen (SAML, OIDC) in kaart", "Architect", 40),
        ("Richt Nubus in naast het huidige IAM", "Applicatiebeheer", 90),
        ("Zet applicaties één voor één over en schakel het oude IAM uit", "Applicatiebeheer", 110),
    ),
    "cloud": (
        ("Inventariseer workloads, afhankelijkheden en gebruikte platformdiensten", "Architect", 45),
        ("Bouw de landingszone bij de Europese aanbieder", "Infrastructuurbeheer", 90),
        ("Migreer workloads per applicatie en test terugval", "Infrastructuurbeheer", 180),
    ),
}


@dataclass(frozen=True)
class DemoPlan:
    org: str
    title: str
    alternative: str
    steps: str
    cost: int | None
    days: int
    product: str | None = None  # the usage's product (a usage plan) ...
    service: str | None = None  # ... or the service left (a service plan)


PLANS: tuple[DemoPlan, ...] = (
    DemoPlan("gm9999", "Exitplan identiteitsbeheer", "Nubus (openDesk)", "identiteit", 350_000, 240,
             product="Microsoft Entra ID"),
    DemoPlan("gm9914", "Exitplan Microsoft Azure", "STACKIT Cloud", "cloud", 900_000, 315,
             service="Microsoft Azure"),
    DemoPlan("gm9914", "Exitplan identiteitsbeheer", "Nubus (openDesk)", "identiteit", 300_000, 240,
             product="Microsoft Entra ID"),
    DemoPlan("gm9915", "Exitplan Amazon Web Services", "IONOS Cloud", "cloud", 750_000, 315,
             service="Amazon Web Services"),
    DemoPlan("gm9915", "Exitstrategie kantoorautomatisering", "openDesk", "werkplek", 1_800_000, 510,
             product="Microsoft 365"),
    DemoPlan("gm9915", "Exitplan identiteitsbeheer", "Nubus (openDesk)", "identiteit", None, 240,
             product="Microsoft Entra ID"),
    DemoPlan("pv-middenland", "Exitplan Microsoft Azure", "OVHcloud Public Cloud", "cloud", 1_200_000, 365,
             service="Microsoft Azure"),
    DemoPlan("pv-middenland", "Exitstrategie kantoorautomatisering", "openDesk", "werkplek", 2_000_000, 510,
             product="Microsoft 365"),
)  # fmt: skip


def _create(model: type[Any], data: dict[str, Any]) -> Any:
    return services.register_create(actor=None, model=model, data=data)


def _hosted(provenance: Provenance) -> int:
    provider = LegalEntity.objects.get(name=fictional.POLDERWOLK)
    nl = Country.objects.get(code="NL")
    count = 0
    for name, product, kind in HOSTED:
        service = _create(
            Service,
            {
                "name": name,
                "provider": provider,
                "product": Product.objects.get(name=product),
                "kind": kind,
                "description": f"{product}, gehost in het datacenter van Polderwolk (fictief).",
            },
        )
        for role in ("rest", "processing", "access"):
            _create(
                ServiceLocation, {"service": service, "role": role, "country": nl, "provenance": provenance}
            )
        count += 4
    return count


def write_exit_planning(organisations: dict[str, Organisation], provenance: Provenance) -> int:
    """Write the hosted services and the exit plans; returns the number of records written."""
    count = _hosted(provenance)
    alternatives = {a.name: a for a in Alternative.objects.filter(name__in={p.alternative for p in PLANS})}
    for spec in PLANS:
        org = organisations.get(spec.org)
        if org is None:
            continue
        usage = (
            Usage.objects.filter(organisation=org, product__name=spec.product).first()
            if spec.product
            else None
        )
        service = Service.objects.filter(name=spec.service).first() if spec.service else None
        if usage is None and service is None:
            continue  # this organisation does not use it in this build
        plan = _create(
            ExitPlan,
            {
                "organisation": org,
                "title": spec.title,
                "usage": usage,
                "service": None if usage is not None else service,
                "alternative": alternatives[spec.alternative],
                "owner": "Informatiemanager",
                "estimated_cost": None if spec.cost is None else Decimal(spec.cost),
                "duration_days": spec.days,
                "status": "draft",
            },
        )
        for order, (description, owner, days) in enumerate(_STEPS[spec.steps], start=1):
            _create(
                ExitPlanStep,
                {
                    "plan": plan,
                    "order": order,
                    "description": description,
                    "owner": owner,
                    "duration_days": days,
                },
            )
        count += 1 + len(_STEPS[spec.steps])
    return count
