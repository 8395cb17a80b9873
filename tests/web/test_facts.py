"""Facts with provenance: sources are recorded when a fact changes, and shown with their state."""

from __future__ import annotations

import datetime

from django.test import Client, override_settings
from django.utils import timezone

from regie.register import services
from regie.register.models import LegalEntity, Provenance
from tests.factories import country
from tests.web.conftest import World, login
from tests.web.helpers import form_data, rtype_of, url

ENTITIES = rtype_of("legal-entities")


def _edit_entity(client: Client, entity: LegalEntity, **changes: str):  # type: ignore[no-untyped-def]
    page = client.get(url(ENTITIES, "edit", entity.pk))
    return client.post(url(ENTITIES, "edit", entity.pk), {**form_data(page.context["form"]), **changes})


def test_changing_a_fact_without_a_source_is_refused_with_a_message(client: Client, world: World) -> None:
    login(client, world.landscape.maintainer)
    provider = world.landscape.provider
    nl = country("NL", "Netherlands", eu=True)
    response = _edit_entity(client, provider, hq_country=nl.pk)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "hq_country_provenance__source" in errors
    assert 'id="id_hq_country_provenance__source_error"' in response.content.decode()
    provider.refresh_from_db()
    assert provider.hq_country_id == "IE"


def test_changing_a_fact_with_a_source_records_its_provenance(client: Client, world: World) -> None:
    maintainer = world.landscape.maintainer
    login(client, maintainer)
    provider = world.landscape.provider
    response = _edit_entity(
        client,
        provider,
        hq_country="NL",
        hq_country_provenance__source="https://example.org/registry/123",
        hq_country_provenance__checked_on="2025-05-01",
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.hq_country_id == "NL"
    provenance = provider.hq_country_provenance
    assert provenance is not None
    assert provenance.source == "https://example.org/registry/123"
    assert provenance.checked_on == datetime.date(2025, 5, 1)
    assert provenance.entered_by == maintainer
    assert provenance.verified
    # The registration country did not change and got no source.
    assert provider.registration_country_provenance is None


def test_a_fact_checked_in_the_future_is_refused(client: Client, world: World) -> None:
    login(client, world.landscape.maintainer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _edit_entity(
        client,
        world.landscape.provider,
        hq_country="NL",
        hq_country_provenance__source="Annual report",
        hq_country_provenance__checked_on=tomorrow,
    )
    assert response.status_code == 200
    assert "hq_country_provenance__checked_on" in response.context["form"].errors


@override_settings(REGIE_STALE_AFTER_DAYS=30)
def test_detail_marks_unknown_unverified_stale_and_unsourced_facts(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    provider = world.landscape.provider
    old = services.provenance_create(
        actor=None, source="Kamer van Koophandel", checked_on=datetime.date(2020, 1, 1), verified=False
    )
    services.register_update(actor=None, instance=provider, data={"hq_country_provenance": old})
    response = client.get(url(ENTITIES, "detail", provider.pk))
    facts = {str(f.label): f for f in response.context["facts"]}
    hq = (
        facts["country of headquarters"]
        if "country of headquarters" in facts
        else facts["land van hoofdkantoor"]
    )
    assert hq.source.unverified
    assert hq.source.stale
    registration = [f for f in response.context["facts"] if f.source.missing]
    assert registration, "the registration country has no source and must be marked"
    body = response.content.decode()
    assert "badge-warn" in body
    assert "badge-risk" in body  # no source, and unknown basis of control
    assert "Kamer van Koophandel" in body


def test_legal_entity_page_shows_the_control_chain_to_the_ultimate_parent(
    client: Client, world: World
) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get(url(ENTITIES, "detail", world.landscape.provider.pk))
    chain = response.context["chain"]
    assert [link.entity for link in chain] == [world.landscape.provider, world.landscape.parent]
    body = response.content.decode()
    assert body.index("Hyperscaler Ireland") < body.index("Hyperscaler Inc.")


def test_unknown_country_is_shown_as_a_risk_not_as_empty(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    entity = services.register_create(actor=None, model=LegalEntity, data={"name": "Onbekend B.V."})
    response = client.get(url(ENTITIES, "detail", entity.pk))
    hq, registration = response.context["facts"][:2]  # declared first: headquarters, registration
    assert "badge-risk" in str(hq.value)
    assert "badge-risk" in str(registration.value)


def test_contract_page_lists_every_clause_kind_with_missing_ones_unknown(
    client: Client, world: World
) -> None:
    login(client, world.landscape.a.viewer)
    contract = world.landscape.a.contract
    response = client.get(url(rtype_of("contracts"), "detail", contract.pk))
    clauses = response.context["clauses"]
    assert len(clauses) == 7
    recorded = [c for c in clauses if c.url is not None]
    assert len(recorded) == 1  # the price-cap clause of the fixture
    assert all("badge-risk" in str(c.value) for c in clauses if c.url is None)


def test_service_page_shows_locations_and_supply_chain_with_sources(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get(url(rtype_of("services"), "detail", world.landscape.service.pk))
    sections = {s.rtype.slug: s for s in response.context["related"]}
    assert len(sections["service-locations"].rows) == 1
    assert sections["service-locations"].has_sources
    assert "Hyper IaaS" in response.content.decode()


def test_provenance_is_not_created_when_the_save_is_refused(client: Client, world: World) -> None:
    login(client, world.landscape.maintainer)
    before = Provenance.objects.count()
    # A LEI in the wrong format is refused by validation, after the source was given.
    response = _edit_entity(
        client,
        world.landscape.provider,
        lei="not-a-lei",
        hq_country="NL",
        hq_country_provenance__source="Annual report",
    )
    assert response.status_code == 200
    assert Provenance.objects.count() == before


def test_history_shows_the_old_and_new_fact_by_name(client: Client, world: World) -> None:
    login(client, world.landscape.maintainer)
    provider = world.landscape.provider
    _edit_entity(client, provider, hq_country="NL", hq_country_provenance__source="Handelsregister")
    response = client.get(url(ENTITIES, "detail", provider.pk))
    latest = response.context["history"][0]
    assert latest.entry.action == "update"
    changes = {str(c.label): c for c in latest.changes}
    hq = changes.get("land van hoofdkantoor") or changes["country of headquarters"]
    assert "(IE)" in str(hq.before)
    assert "(NL)" in str(hq.after)
    source = (
        changes.get("bron van het land van hoofdkantoor") or changes["source of the country of headquarters"]
    )
    assert source.before is None
    assert "Handelsregister" in str(source.after)
