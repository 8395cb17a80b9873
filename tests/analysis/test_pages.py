"""The analysis pages render for a member, are not found for anyone else, and explain figures."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.analysis.registers import SmallRegister, make_small_register
from tests.factories import Landscape, make_user

pytestmark = pytest.mark.django_db

PAGES = ["", "exposure/", "continuity/", "lock-in/", "price-power/"]


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_member_sees_the_page(landscape: Landscape, page: str) -> None:
    response = client_for(landscape.a.viewer).get(f"/o/a/analysis/{page}")
    assert response.status_code == 200
    assert b"Gemeente A" in response.content


@pytest.mark.parametrize("page", [*PAGES, "scenario/"])
def test_other_organisation_is_not_found(landscape: Landscape, page: str) -> None:
    assert client_for(landscape.a.viewer).get(f"/o/b/analysis/{page}").status_code == 404
    assert client_for(landscape.outsider).get(f"/o/a/analysis/{page}").status_code == 404


def test_anonymous_visitor_is_sent_to_login(landscape: Landscape) -> None:
    response = Client().get("/o/a/analysis/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_dashboard_links_each_figure_to_its_evidence(landscape: Landscape) -> None:
    html = client_for(landscape.a.viewer).get("/o/a/analysis/").content.decode()
    # exposure by jurisdiction: the US control exposure links to its evidence
    assert '/o/a/analysis/exposure/?country=US&amp;dimension=control">1</a>' in html
    # the group relied on links to its dependency view; the chart data is a JSON block, not a script
    assert f"/o/a/analysis/suppliers/{landscape.parent.pk}/" in html
    assert '<script id="concentration-data" type="application/json">' in html
    assert "/static/plotly/plotly.min.js" in html
    # key figures lead to the page that explains them
    assert 'href="/o/a/analysis/continuity/"' in html
    assert 'href="/o/a/analysis/price-power/"' in html
    # no inline script or style (the CSP allows neither)
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert "style=" not in html


def test_exposure_evidence_shows_the_path_and_the_provenance(landscape: Landscape) -> None:
    from regie.register.models import LegalEntity, Provenance

    prov = Provenance.objects.create(source="https://example.org/group-structure")
    LegalEntity.objects.filter(pk=landscape.provider.pk).update(parent_provenance=prov)
    html = (
        client_for(landscape.a.viewer)
        .get("/o/a/analysis/exposure/?country=US&dimension=control")
        .content.decode()
    )
    for name in ("Burgerzaken", "Zaaksysteem", "Zaak365 SaaS", "Hyperscaler Ireland Ltd", "Hyperscaler Inc."):
        assert name in html
    assert "https://example.org/group-structure" in html


def test_unknown_location_is_shown_as_unknown(landscape: Landscape) -> None:
    html = (
        client_for(landscape.a.viewer)
        .get("/o/a/analysis/exposure/?country=unknown&dimension=access")
        .content.decode()
    )
    assert "Zaak365 SaaS" in html  # the service whose access location is not recorded
    assert "badge-risk" in html


def test_process_dependency_view_draws_every_path(landscape: Landscape) -> None:
    html = (
        client_for(landscape.a.viewer)
        .get(f"/o/a/analysis/processes/{landscape.a.process.pk}/")
        .content.decode()
    )
    assert "<svg" in html
    for kind in ("node--process", "node--usage", "node--service", "node--entity"):
        assert kind in html
    # process→usage→service→provider→parent, and usage→supplier of its product
    assert html.count('class="edge ') == 5
    assert "edge--supplier" in html


def test_process_of_another_organisation_is_not_found(landscape: Landscape) -> None:
    response = client_for(landscape.a.viewer).get(f"/o/a/analysis/processes/{landscape.b.process.pk}/")
    assert response.status_code == 404


def test_supplier_view_shows_the_processes_that_depend_on_the_group(landscape: Landscape) -> None:
    html = (
        client_for(landscape.a.viewer)
        .get(f"/o/a/analysis/suppliers/{landscape.provider.pk}/")
        .content.decode()
    )
    assert "Hyperscaler Inc. (fictitious)" in html  # the group is named by its ultimate parent
    assert "Burgerzaken" in html


def test_superuser_sees_any_organisation(landscape: Landscape) -> None:
    root = make_user("root2", superuser=True)
    assert client_for(root).get("/o/b/analysis/").status_code == 200


def test_dashboard_of_the_small_register_has_the_hand_worked_figures() -> None:
    small: SmallRegister = make_small_register()
    root = make_user("root3", superuser=True)
    client = client_for(root)
    client.post("/i18n/setlang", {"language": "en", "next": "/"})
    html = client.get("/o/t1/analysis/").content.decode()
    assert "8\N{NARROW NO-BREAK SPACE}200" in html  # HHI of spend
    assert "EUR 9\N{NARROW NO-BREAK SPACE}000" in html  # inescapable price rise
    assert small.holding.name in html


def test_dashboard_names_the_service_kinds_of_its_concentration_table() -> None:
    make_small_register()
    html = client_for(make_user("root4", superuser=True)).get("/o/t1/analysis/").content.decode()
    assert "Concentratie per referentiecomponent en dienstsoort" in html
    assert "<li>SaaS: " in html  # the kind's label, not its code "saas"
    assert "<li>saas: " not in html
