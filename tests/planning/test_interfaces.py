"""The roadmap and the suggestions through the API, the pages and `regie roadmap`; another
organisation's roadmap is not found (404), never forbidden."""

from __future__ import annotations

import argparse
import json

import pytest
from django.test import Client

from regie.planning import commands
from tests.factories import make_user
from tests.planning.landscape import ExitLandscape, make_exit_landscape, make_other_organisation, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def land() -> ExitLandscape:
    land = make_exit_landscape()
    plan(land, "Exit Zaak Cloud", land.zaken, land.euro_zaak, 40_000)
    plan(land, "Exit Tax Cloud", land.heffing, land.euro_tax, 20_000)
    plan(land, "Exit zonder kosten", land.cms, land.euro_cms, None)
    return land


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_api_roadmap_in_order_with_the_unranked_apart(land: ExitLandscape) -> None:
    response = client_for(land.viewer).get("/api/v1/organisations/ex1/roadmap")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [s["title"] for s in data["steps"]] == ["Exit Tax Cloud", "Exit Zaak Cloud"]
    assert data["steps"][0]["riskReduction"] == pytest.approx(20.0, abs=1e-4)
    assert data["steps"][0]["perMillionEuro"] == pytest.approx(1000.0, abs=1e-3)
    assert [u["title"] for u in data["unranked"]] == ["Exit zonder kosten"]
    assert data["termsBefore"]["control"] == pytest.approx(50 / 3, abs=1e-4)


def test_api_suggestions_for_a_usage_and_a_service(land: ExitLandscape) -> None:
    client = client_for(land.viewer)
    usage = client.get(f"/api/v1/organisations/ex1/usages/{land.zaken.pk}/alternatives").json()
    assert [a["name"] for a in usage["alternatives"]] == ["Vapour", "Euro Zaak"]
    assert usage["alternatives"][1]["effort"]["level"] == "medium"
    service = client.get(f"/api/v1/organisations/ex1/services/{land.zaak_cloud.pk}/alternatives").json()
    assert [a["name"] for a in service["alternatives"]] == ["Vapour", "Euro Zaak"]


def test_api_other_organisation_is_not_found(land: ExitLandscape) -> None:
    stranger = client_for(make_user("stranger"))
    assert stranger.get("/api/v1/organisations/ex1/roadmap").status_code == 404
    response = stranger.get(f"/api/v1/organisations/ex1/usages/{land.zaken.pk}/alternatives")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert Client().get("/api/v1/organisations/ex1/roadmap").status_code == 401


def test_api_usage_of_another_organisation_under_ones_own_code_is_not_found(land: ExitLandscape) -> None:
    _org, usage, _viewer = make_other_organisation(land)
    response = client_for(land.viewer).get(f"/api/v1/organisations/ex1/usages/{usage.pk}/alternatives")
    assert response.status_code == 404


def test_pages_show_the_roadmap_and_a_plan_with_its_suggestions(land: ExitLandscape) -> None:
    client = client_for(land.viewer)
    page = client.get("/o/ex1/roadmap/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Exit Tax Cloud") < html.index("Exit Zaak Cloud")
    assert 'id="roadmap-data"' in html
    assert "planning/roadmap.js" in html
    assert "Exit zonder kosten" in html
    zaak = land.zaken.exit_plans.get()
    detail = client.get(f"/o/ex1/roadmap/plans/{zaak.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Euro Zaak" in text
    assert "Vapour" in text


def test_pages_of_another_organisation_are_not_found(land: ExitLandscape) -> None:
    stranger = client_for(make_user("stranger"))
    assert stranger.get("/o/ex1/roadmap/").status_code == 404
    zaak = land.zaken.exit_plans.get()
    _org, _usage, viewer = make_other_organisation(land)
    # a plan of ex1 looked up under ex2's code, by ex2's own member: not found
    assert client_for(viewer).get(f"/o/ex2/roadmap/plans/{zaak.pk}/").status_code == 404


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="regie")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_the_steps_in_order_and_json(
    land: ExitLandscape, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "roadmap", "--org", "ex1", "--lang", "en")
    assert code == 0
    assert out.index("1. Exit Tax Cloud") < out.index("2. Exit Zaak Cloud")
    assert "Exit zonder kosten: cost unknown" in out
    code, out, _ = _run(capsys, "roadmap", "--org", "ex1", "--json")
    assert code == 0
    assert [s["title"] for s in json.loads(out)["steps"]] == ["Exit Tax Cloud", "Exit Zaak Cloud"]


def test_cli_names_an_unknown_organisation(land: ExitLandscape, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "roadmap", "--org", "nope")
    assert code == 2
    assert "nope" in err


def test_the_register_page_of_an_exit_plan_links_to_its_effect_and_says_what_is_missing(
    land: ExitLandscape,
) -> None:
    unknown = land.cms.exit_plans.get()
    page = client_for(land.viewer).get(f"/o/ex1/exit-plans/{unknown.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/o/ex1/roadmap/plans/{unknown.pk}/" in html
    assert "nooit als gratis" in html  # Dutch first: cost unknown, never ranked as free


def test_api_names_a_malformed_id(land: ExitLandscape) -> None:
    response = client_for(land.viewer).get("/api/v1/organisations/ex1/usages/abc/alternatives")
    assert response.status_code in (400, 422)
    assert "usage" in response.content.decode().lower()
