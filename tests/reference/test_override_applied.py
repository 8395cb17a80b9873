"""A local override changes its organisation's figures (and only its), and the evidence says so."""

from __future__ import annotations

import json

import pytest

from regie.analysis.selectors import analyse_organisation
from regie.reference.models import FactOverride
from regie.reference.overlay import OverriddenFact
from regie.reference.services import override_remove, override_set
from tests.factories import Landscape, make_landscape

pytestmark = pytest.mark.django_db

WHY = "Bought out by its management (fictitious)."


@pytest.fixture
def land() -> Landscape:
    return make_landscape()


def no_parent(land: Landscape) -> FactOverride:
    return override_set(
        actor=land.a.editor,
        organisation=land.a.org,
        entity=land.provider,
        field="parent",
        value={"state": "none"},
        justification=WHY,
        source="Chamber of commerce extract (fictitious)",
    )


def moved_to_us(land: Landscape) -> None:
    for role in ("rest", "processing"):
        override_set(
            actor=land.a.editor,
            organisation=land.a.org,
            service=land.service,
            field=f"locations.{role}",
            value=["US"],
            justification=WHY,
            source="Supplier statement (fictitious)",
        )


def test_a_parent_override_changes_the_figures_of_its_organisation(land: Landscape) -> None:
    assert analyse_organisation(land.a.org).figures()["exposure.control.exposed"] == 1
    no_parent(land)
    after = analyse_organisation(land.a.org).figures()
    assert (after["exposure.control.exposed"], after["exposure.control.none"]) == (0, 1)
    # the provider is now its own group: reliance moves from the parent's group to it
    assert after[f"reliance.{land.provider.pk}"] == 1
    assert f"reliance.{land.parent.pk}" not in after


def test_another_organisation_keeps_the_catalogue_value(land: Landscape) -> None:
    before = analyse_organisation(land.b.org).figures()
    no_parent(land)
    assert analyse_organisation(land.b.org).figures() == before


def test_removing_the_override_restores_the_figures(land: Landscape) -> None:
    before = analyse_organisation(land.a.org).figures()
    override_remove(actor=land.a.editor, override=no_parent(land))
    assert analyse_organisation(land.a.org).figures() == before


def test_a_location_override_changes_the_location_exposure(land: Landscape) -> None:
    assert analyse_organisation(land.a.org).figures()["exposure.location.unknown"] == 1
    moved_to_us(land)
    after = analyse_organisation(land.a.org).figures()
    assert (after["exposure.location.unknown"], after["exposure.location.exposed"]) == (0, 1)
    assert analyse_organisation(land.b.org).figures()["exposure.location.unknown"] == 1


def test_the_evidence_marks_the_fact_as_locally_overridden(land: Landscape) -> None:
    moved_to_us(land)
    analysis = analyse_organisation(land.a.org)
    cited = [
        f.fact
        for p in analysis.process_exposures
        for e in p.exposures
        for f in e.evidence.facts
        if isinstance(f.fact, OverriddenFact)
    ]
    assert cited
    assert {f.local_override for f in cited} == {WHY}
    assert {f.source for f in cited} == {"Supplier statement (fictitious)"}
    assert WHY in json.dumps(analysis.to_dict())


def test_the_evidence_template_says_lokaal_overschreven(land: Landscape) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    moved_to_us(land)
    analysis = analyse_organisation(land.a.org)
    evidence = [
        e.evidence for p in analysis.process_exposures for e in p.exposures if e.dimension == "location"
    ]
    assert evidence
    with translation.override("nl"):
        html = render_to_string(
            "analysis/_evidence.html", {"evidence": evidence[0], "organisation": land.a.org}
        )
    assert "lokaal overschreven" in html
    assert WHY in html


def test_every_analysis_page_lists_the_overrides_its_figures_use(land: Landscape) -> None:
    from django.test import Client

    no_parent(land)
    client = Client()
    client.force_login(land.a.viewer)
    page = client.get(f"/o/{land.a.org.code}/analysis/", headers={"accept-language": "nl"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Deze cijfers gebruiken 1 lokale afwijking van een catalogusfeit." in html
    assert WHY in html
    assert "geen moederbedrijf" in html
    client.force_login(land.b.viewer)  # another organisation: no override, no notice
    other = client.get(f"/o/{land.b.org.code}/analysis/").content.decode()
    assert WHY not in other
