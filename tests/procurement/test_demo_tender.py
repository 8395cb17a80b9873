"""The demo tender refers to real catalogue records of the reference bundle and shows the
cheapest bid excluded by a SEAL minimum."""

from __future__ import annotations

import pytest

from regie.demo.tender import BIDS, write_demo_tender
from regie.procurement.assessment import assess
from regie.procurement.models import Tender
from regie.reference.bundle import load_bundle
from regie.register.models import LegalEntity, Product, Service
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


def test_the_demo_tender_uses_the_bundle_and_excludes_the_cheapest(landscape: Landscape) -> None:
    load_bundle(actor=None)
    for bidder, product, services, _price, _answers, _clauses, notes in BIDS:
        assert LegalEntity.objects.filter(name=bidder).exists(), bidder
        assert Product.objects.filter(name=product).exists(), product
        assert Service.objects.filter(name__in=services).count() == len(services), services
        assert "(fictief)" in notes
    org = landscape.a.org
    assert write_demo_tender({"gm9999": org}) == 1 + len(BIDS)
    tender = Tender.objects.get(organisation=org)
    assert "(fictief)" in tender.title
    assert tender.reference_components.get().name == "Kantoorautomatiseringcomponent"
    a = assess(tender)
    cheapest = min(a.bids, key=lambda b: b.cost or 0)
    assert not cheapest.eligible
    assert "SOV-2" in cheapest.reasons[0]
    assert len(a.ranked) == len(BIDS) - 1
