"""A demo tender for Gemeente Voorbeeld: a new digital workplace, with four bids (ADR 0114).

The tender text, prices, scorecard answers and clauses are invented ("(fictief)"); bidders,
products and services are the reference bundle's real catalogue records, looked up by name, so
that the assessment runs on their real control chains and locations. The cheapest bid is excluded
by the minimum SEAL for legal sovereignty. No randomness: the same tender every build.
"""

from __future__ import annotations

import datetime
from typing import Any

from regie.procurement.services import bid_create, tender_create
from regie.register.models import GemmaElement, LegalEntity, Organisation, Product, Service

from . import real

__all__ = ["BIDS", "write_demo_tender"]

_ALL_FOUR = {
    "SOV-1.1": "eu",
    "SOV-1.2": "yes",
    "SOV-2.1": "no",
    "SOV-2.2": "nl",
    "SOV-3.1": "eu",
    "SOV-3.2": "yes",
    "SOV-4.1": "eu",
    "SOV-4.2": "yes",
    "SOV-5.1": "known_eu",
    "SOV-5.2": "no",
    "SOV-6.1": "open",
    "SOV-6.2": "yes",
    "SOV-7.1": "iso27001",
    "SOV-7.2": "yes",
    "SOV-8.1": "aggregate",
}
_US_GROUP = {
    **_ALL_FOUR,
    "SOV-1.1": "non_eu",
    "SOV-1.2": "yes",
    "SOV-2.1": "yes",
    "SOV-2.2": "nl",
    "SOV-4.1": "non_eu",
    "SOV-4.2": "no",
    "SOV-5.1": "known_non_eu",
    "SOV-5.2": "yes",
    "SOV-6.1": "closed",
    "SOV-7.1": "eucs_high",
}
_CLAUSES_FULL = {
    "exit_assistance": "yes",
    "data_return_open_format": "yes",
    "price_cap": "yes",
    "audit_right": "yes",
}

# (bidder, product, services, annual price in euros, answers, clauses, notes)
BIDS: tuple[tuple[str, str, tuple[str, ...], int, dict[str, str], dict[str, str], str], ...] = (
    (
        real.MICROSOFT_EU,
        real.M365,
        ("Microsoft 365",),
        265_000,
        _US_GROUP,
        {**_CLAUSES_FULL, "price_cap": "no", "unilateral_change": "yes"},
        "Inschrijving (fictief): E5-licenties voor 1.100 medewerkers, EU Data Boundary.",
    ),
    (
        real.GOOGLE_EU,
        real.GOOGLE_WORKSPACE,
        ("Google Workspace",),
        280_000,
        {**_US_GROUP, "SOV-3.1": "eu_own_keys", "SOV-2.1": "indirect"},
        {**_CLAUSES_FULL, "price_cap": "no"},
        "Inschrijving (fictief): Enterprise Plus met klantbeheerde sleutels (client-side encryption).",
    ),
    (
        real.ZENDIS,
        real.OPENDESK,
        (real.STACKIT,),
        345_000,
        {**_ALL_FOUR, "SOV-1.1": "eu", "SOV-7.1": "eucs_high", "SOV-8.1": "yes"},
        _CLAUSES_FULL,
        "Inschrijving (fictief): openDesk als beheerde dienst op STACKIT Cloud, inclusief migratie.",
    ),
    (
        real.CYSO_ENTITY,
        real.NEXTCLOUD,
        (real.CYSO,),
        310_000,
        {**_ALL_FOUR, "SOV-1.2": "partial", "SOV-6.2": "partly"},
        {**_CLAUSES_FULL, "audit_right": "unknown"},
        "Inschrijving (fictief): Nextcloud Hub met Collabora Online op Cyso Cloud in Nederland.",
    ),
)


def write_demo_tender(organisations: dict[str, Organisation], code: str = "gm9999") -> int:
    """Write the tender and its bids for the organisation ``code``; returns the records written."""
    org = organisations.get(code)
    if org is None:
        return 0
    components = GemmaElement.objects.filter(
        kind="referentiecomponent", name="Kantoorautomatiseringcomponent"
    )
    tender = tender_create(
        actor=None,
        organisation=org,
        data={
            "reference": "VB-2026-017",
            "title": "Digitale werkplek 2027-2031 (fictief)",
            "description": (
                "Fictieve aanbesteding voor de demonstratie: kantoorautomatisering en samenwerken voor "
                "alle medewerkers, vier jaar. Strategische afhankelijkheid weegt mee: minimaal SEAL 2 "
                "voor juridische soevereiniteit en een clausule voor teruggave van gegevens in een open "
                "formaat."
            ),
            "status": "assessed",
            "contract_months": 48,
            "published_on": datetime.date(2026, 9, 1),
            "closes_on": datetime.date(2026, 10, 15),
        },
        reference_components=list(components),
        min_seal={"SOV-2": 2, "SOV-3": 3},
        required_clauses=["data_return_open_format", "exit_assistance"],
        weights={
            "price": 40,
            "sovereignty": 25,
            "exposure": 15,
            "concentration": 10,
            "continuity": 5,
            "lockin": 5,
        },
    )
    count = 1
    for bidder, product, services, price, answers, clauses, notes in BIDS:
        data: dict[str, Any] = {
            "bidder": LegalEntity.objects.get(name=bidder),
            "product": Product.objects.get(name=product),
            "services": list(Service.objects.filter(name__in=services)),
            "annual_price": price,
            "answers": answers,
            "clauses": clauses,
            "notes": notes,
        }
        bid_create(actor=None, tender=tender, data=data)
        count += 1
    return count
