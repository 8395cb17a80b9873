"""A tender on organisation A's "Burgerzaken" process with bids from a US-controlled and two
Dutch providers (all fictitious), on the shared test landscape."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from regie.procurement.models import Bid, Tender
from regie.procurement.services import bid_create, tender_create
from regie.register import services
from regie.register.models import Dependency, LegalEntity, Product, Service, ServiceLocation
from tests.factories import Landscape, country

#: Answers that reach SEAL 4 on every objective.
ALL_FOUR = {
    "SOV-1.1": "eu",
    "SOV-1.2": "yes",
    "SOV-2.1": "no",
    "SOV-2.2": "nl",
    "SOV-3.1": "eu_own_keys",
    "SOV-3.2": "yes",
    "SOV-4.1": "eu_cleared",
    "SOV-4.2": "yes",
    "SOV-5.1": "known_eu",
    "SOV-5.2": "no",
    "SOV-6.1": "open",
    "SOV-6.2": "yes",
    "SOV-7.1": "eucs_high",
    "SOV-7.2": "yes",
    "SOV-8.1": "yes",
}
ALL_CLAUSES = {"exit_assistance": "yes", "data_return_open_format": "yes", "price_cap": "yes"}


@dataclass
class TenderCase:
    ls: Landscape
    tender: Tender
    us_bid: Bid  # cheapest, US-controlled, SEAL 1 for SOV-2
    nl_bid: Bid  # dearer, Dutch, SEAL 4
    nl2_bid: Bid  # dearest, Dutch, on a second provider
    nl_service: Service


def _nl_provider(name: str, product_name: str) -> tuple[LegalEntity, Product, Service]:
    nl = country("NL", "Netherlands", eu=True)
    create = services.register_create
    entity = create(
        actor=None,
        model=LegalEntity,
        data={"name": name, "hq_country": nl, "registration_country": nl, "parent_state": "none"},
    )
    product = create(actor=None, model=Product, data={"name": product_name, "supplier": entity})
    service = create(
        actor=None,
        model=Service,
        data={"name": f"{product_name} SaaS", "provider": entity, "kind": "saas", "product": product},
    )
    for role in ("rest", "processing", "access"):
        create(actor=None, model=ServiceLocation, data={"service": service, "role": role, "country": nl})
    return entity, product, service


@pytest.fixture
def case(landscape: Landscape) -> TenderCase:
    ls = landscape
    nl_entity, nl_product, nl_service = _nl_provider("Polder Zaak BV (fictitious)", "PolderZaak (fictitious)")
    nl2_entity, nl2_product, nl2_service = _nl_provider(
        "Dijk Software BV (fictitious)", "DijkZaak (fictitious)"
    )
    # Organisation A's case system runs on a Dutch service today, so a US bid adds exposure.
    Dependency.objects.filter(organisation=ls.a.org, kind="runs_on", from_usage=ls.a.usage).update(
        to_service=nl_service
    )
    tender = tender_create(
        actor=ls.a.editor,
        organisation=ls.a.org,
        data={"title": "Zaaksysteem 2027 (fictitious)", "reference": "T-2027-01", "status": "open"},
        processes=[ls.a.process],
        min_seal={"SOV-2": 2},
        required_clauses=["data_return_open_format"],
        weights={
            "price": 60,
            "sovereignty": 20,
            "exposure": 10,
            "concentration": 0,
            "continuity": 5,
            "lockin": 5,
        },
    )
    us_answers = dict(ALL_FOUR, **{"SOV-1.1": "non_eu", "SOV-2.1": "yes", "SOV-2.2": "eu", "SOV-5.2": "yes"})
    us_bid = bid_create(
        actor=ls.a.editor,
        tender=tender,
        data={
            "bidder": ls.provider,
            "product": ls.product,
            "services": [ls.service],
            "annual_price": 80000,
            "answers": us_answers,
            "clauses": ALL_CLAUSES,
        },
    )
    nl_bid = bid_create(
        actor=ls.a.editor,
        tender=tender,
        data={
            "bidder": nl_entity,
            "product": nl_product,
            "services": [nl_service],
            "annual_price": 110000,
            "answers": ALL_FOUR,
            "clauses": ALL_CLAUSES,
        },
    )
    nl2_answers = dict(ALL_FOUR, **{"SOV-1.2": "partial", "SOV-6.1": "escrow"})
    nl2_bid = bid_create(
        actor=ls.a.editor,
        tender=tender,
        data={
            "bidder": nl2_entity,
            "product": nl2_product,
            "services": [nl2_service],
            "total_value": 400000,
            "answers": nl2_answers,
            "clauses": ALL_CLAUSES,
        },
    )
    return TenderCase(ls, tender, us_bid, nl_bid, nl2_bid, nl_service)
