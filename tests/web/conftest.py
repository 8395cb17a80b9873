"""Fixtures for the web tests: the landscape plus one object of every catalogue type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from regie.register import services
from regie.register.models import (
    Alternative,
    GemmaElement,
    Law,
    Service,
    ServiceDependency,
    ServiceLocation,
)
from tests.factories import Landscape, country


@dataclass
class World:
    landscape: Landscape
    objects: dict[str, Any]
    create_data: dict[str, dict[str, Any]]


@pytest.fixture
def world(landscape: Landscape) -> World:
    """The landscape, an existing object of every register type, and valid data to add one."""
    lc = landscape
    create = services.register_create
    nl = country("NL", "Netherlands", eu=True)
    us = country("US", "United States")
    iaas = create(
        actor=None, model=Service, data={"name": "Hyper IaaS", "provider": lc.parent, "kind": "iaas"}
    )
    link = create(actor=None, model=ServiceDependency, data={"service": lc.service, "depends_on": iaas})
    location = ServiceLocation.objects.get(service=lc.service)
    alternative = create(actor=None, model=Alternative, data={"name": "Open Zaak", "category": "zaaksysteem"})
    law = create(
        actor=None,
        model=Law,
        data={"code": "cloud-act", "name": "CLOUD Act", "country": us, "trigger_control": True},
    )
    gemma = create(
        actor=None,
        model=GemmaElement,
        data={"kind": "referentiecomponent", "name": "Zaakregistratiecomponent"},
    )
    a = lc.a
    objects: dict[str, Any] = {
        "processes": a.process,
        "usages": a.usage,
        "dependencies": a.dependency,
        "redundancy-groups": a.group,
        "datasets": a.dataset,
        "contracts": a.contract,
        "contract-clauses": a.clause,
        "exit-plans": a.exit_plan,
        "exit-plan-steps": a.step,
        "legal-entities": lc.provider,
        "products": lc.product,
        "services": lc.service,
        "service-locations": location,
        "supply-chain": link,
        "alternatives": alternative,
        "countries": nl,
        "laws": law,
        "gemma": gemma,
    }
    source = {"__source": "https://example.org/annual-report-2024.pdf", "__checked_on": "2025-03-01"}

    def with_source(prefix: str, data: dict[str, Any]) -> dict[str, Any]:
        return {**data, **{prefix + k: v for k, v in source.items()}, f"{prefix}__verified": "on"}

    create_data: dict[str, dict[str, Any]] = {
        "processes": {
            "name": "Vergunningen",
            "availability": "2",
            "integrity": "2",
            "confidentiality": "3",
            "personal_data": "personal",
        },
        "usages": {"name": "Vergunningsysteem", "product": lc.product.pk, "status": "in_production"},
        "dependencies": {
            "kind": "integration",
            "from_usage": a.usage.pk,
            "to_usage": a.other_usage.pk,
            "proprietary": "unknown",
        },
        "redundancy-groups": {"name": "Uitwijk", "k": "1"},
        "datasets": {
            "name": "Vergunningdossiers",
            "usage": a.usage.pk,
            "classification": "internal",
            "personal_data": "none",
            "export_open_format": "unknown",
        },
        "contracts": {
            "reference": "A-2025-07",
            "title": "Hosting",
            "counterparty": lc.provider.pk,
            "start_date": "2025-01-01",
        },
        "contract-clauses": with_source(
            "provenance", {"contract": a.contract.pk, "kind": "exit_assistance", "present": "yes"}
        ),
        "exit-plans": {"title": "Exit hosting", "usage": a.other_usage.pk, "status": "draft"},
        "exit-plan-steps": {
            "plan": a.exit_plan.pk,
            "order": "2",
            "description": "Import into the new system",
        },
        "legal-entities": {"name": "Nieuwe Leverancier B.V.", "parent_state": "unknown"},
        "products": {
            "name": "Zaakgericht Werken",
            "kind": "application",
            "open_source": "unknown",
            "export_open_standard": "unknown",
            "export_bulk_api": "unknown",
        },
        "services": {
            "name": "Backup",
            "provider": lc.provider.pk,
            "kind": "storage",
            "customer_held_keys": "unknown",
        },
        "service-locations": with_source(
            "provenance", {"service": lc.service.pk, "role": "processing", "country": "NL"}
        ),
        "supply-chain": with_source("provenance", {"service": iaas.pk, "depends_on": lc.service.pk}),
        "alternatives": {
            "name": "Nextcloud",
            "category": "bestanden",
            "eu_based": "unknown",
            "open_source": "unknown",
            "self_hostable": "unknown",
        },
        "countries": with_source(
            "provenance",
            {
                "code": "DE",
                "name_nl": "Duitsland",
                "name_en": "Germany",
                "eu_member": "on",
                "eea_member": "on",
            },
        ),
        "laws": {"code": "fisa-702", "name": "FISA section 702", "country": "US"},
        "gemma": {"kind": "referentiecomponent", "name": "Burgerzakencomponent"},
    }
    return World(landscape=lc, objects=objects, create_data=create_data)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client
