"""The analysis API: every section for a member, 404 (problem+json) for anyone else."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import Landscape

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.analysis.api_urls")]

SECTIONS = ["", "/exposure", "/concentration", "/continuity", "/lock-in", "/price-power"]


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("section", SECTIONS)
def test_member_reads_every_section(landscape: Landscape, section: str) -> None:
    response = client_for(landscape.a.viewer).get(f"/api/v1/organisations/a/analysis{section}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("section", SECTIONS)
def test_other_organisation_is_not_found(landscape: Landscape, section: str) -> None:
    response = client_for(landscape.a.viewer).get(f"/api/v1/organisations/b/analysis{section}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "b" not in response.json().get("detail", "").replace("No organisation with code 'b'", "")


def test_unknown_organisation_and_outsider_look_the_same(landscape: Landscape) -> None:
    outsider = client_for(landscape.outsider).get("/api/v1/organisations/a/analysis")
    unknown = client_for(landscape.a.viewer).get("/api/v1/organisations/zz/analysis")
    assert outsider.status_code == unknown.status_code == 404


def test_anonymous_caller_gets_401(landscape: Landscape) -> None:
    response = Client().get("/api/v1/organisations/a/analysis")
    assert response.status_code == 401


def test_exposure_names_the_us_through_the_irish_subsidiary(landscape: Landscape) -> None:
    data = client_for(landscape.a.viewer).get("/api/v1/organisations/a/analysis/exposure").json()
    us = next(j for j in data["jurisdictions"] if j["country"] == "US")
    assert us["processes"] == {"control": 1, "location": 0, "access": 0}
    assert us["trusted"] is False
    (process,) = data["processExposures"]
    control = next(e for e in process["exposures"] if e["dimension"] == "control" and e["country"] == "US")
    names = [step["name"] for step in control["evidence"]["path"]]
    assert names == [
        "Burgerzaken",
        "Zaaksysteem",
        "Zaak365 SaaS",
        "Hyperscaler Ireland Ltd (fictitious)",
        "Hyperscaler Inc. (fictitious)",
    ]
    # property names are lowerCamelCase; figure names stay as they are
    assert "processExposures" in data
    assert "process_exposures" not in data


def test_full_analysis_keeps_figure_names(landscape: Landscape) -> None:
    data = client_for(landscape.a.viewer).get("/api/v1/organisations/a/analysis").json()
    assert data["figures"]["exposure.control.exposed"] == 1
    assert data["figures"][f"reliance.{landscape.parent.pk}"] == 1.0
    assert data["pricePower"]["risePercent"] == 10.0


def test_price_power_takes_the_rise_from_the_query(landscape: Landscape) -> None:
    data = (
        client_for(landscape.a.viewer)
        .get("/api/v1/organisations/a/analysis/price-power?risePercent=25")
        .json()
    )
    assert data["risePercent"] == 25.0
    assert data["riseCost"] == pytest.approx(0.25 * 120_000)  # the contract has no price cap


def test_token_in_the_wrong_scheme_is_refused(landscape: Landscape) -> None:
    response = Client().get("/api/v1/organisations/a/analysis", HTTP_AUTHORIZATION="Basic abc")
    assert response.status_code == 401
