"""Scenarios change exactly the figures they should (hand-worked on tests/analysis/registers.py),
through the API and the scenario page; the register itself is never changed."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from regie.analysis.scenarios import ScenarioError, parse_changes, run_for
from regie.analysis.selectors import organisation_snapshot
from regie.register.models import Dependency
from tests.analysis.registers import SmallRegister, make_small_register
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.analysis.api_urls")]


@pytest.fixture
def small() -> SmallRegister:
    return make_small_register()


def member(small: SmallRegister) -> Client:
    from regie.accounts.models import Membership, Role

    user = make_user("t1-viewer")
    Membership.objects.create(user=user, organisation=small.org, role=Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def changed(small: SmallRegister, *changes: dict[str, object]) -> dict[str, tuple[float, float, float]]:
    snap = organisation_snapshot(small.org)
    outcome = run_for(small.org, snap, parse_changes(list(changes)))
    return {r.name: (r.before, r.after, r.delta) for r in outcome.changed}


def test_replacing_the_us_controlled_saas_changes_exposure_and_blast_only(small: SmallRegister) -> None:
    holding, euro = small.holding.pk, small.other_cloud.provider_id
    diff = changed(small, {"kind": "replaceService", "old": small.zaak_cloud.pk, "new": small.other_cloud.pk})
    assert set(diff) == {
        "exposure.control.exposed",
        "exposure.control.none",
        "exposure.access.exposed",
        "exposure.access.none",
        f"reliance.{euro}",
        f"blast.{holding}.processes",
        f"blast.{holding}.critical",
        f"blast.{holding}.impact",
        f"blast.{euro}.processes",
        f"blast.{euro}.critical",
        f"blast.{euro}.impact",
    }
    assert diff["exposure.control.exposed"] == (1, 0, -1)
    assert diff["exposure.access.exposed"] == (1, 0, -1)
    assert diff[f"blast.{holding}.impact"] == (9, None, -9)
    assert diff[f"blast.{euro}.impact"] == (None, 9, 9)
    # the product still comes from Cloud Ireland: the critical process still relies on its group
    assert f"reliance.{holding}" not in diff
    # the register is untouched
    assert Dependency.objects.filter(to_service=small.zaak_cloud).count() == 1


def test_a_price_cap_less_rise_of_20_percent_doubles_the_price_figures(small: SmallRegister) -> None:
    diff = changed(small, {"kind": "priceRise", "percent": 20})
    assert diff["price.rise_cost"] == (9_000, 18_000, 9_000)
    assert diff["price.inescapable"] == (9_000, 18_000, 9_000)
    assert all(name.startswith("price.") for name in diff)


def test_moving_data_to_the_us_exposes_the_website(small: SmallRegister) -> None:
    diff = changed(small, {"kind": "moveData", "service": small.web_hosting.pk, "country": "US"})
    assert set(diff) == {"exposure.location.exposed", "exposure.location.none"}
    assert diff["exposure.location.exposed"] == (0, 1, 1)


def test_a_redundant_provider_removes_the_single_point_of_failure_and_survives_a_us_cut_off(
    small: SmallRegister,
) -> None:
    diff = changed(
        small,
        {
            "kind": "addRedundantProvider",
            "usage": small.zaken.pk,
            "alongside": small.zaak_cloud.pk,
            "service": small.other_cloud.pk,
        },
        {"kind": "failure", "controlledFrom": ["US"]},
    )
    assert diff["spof.count"] == (2, 1, -1)  # only the application itself is left
    assert diff["failure0.processes"] == (1, 0, -1)  # a US cut-off no longer stops Vergunningen
    assert diff["failure0.critical_failed"] == (1, 0, -1)


def test_acquisition_of_the_dutch_host_by_a_chinese_parent(small: SmallRegister) -> None:
    from tests.factories import country

    country("CN", "China")
    diff = changed(
        small,
        {
            "kind": "acquisition",
            "entity": small.hosting.pk,
            "newParentName": "Parent Co",
            "newParentCountry": "CN",
        },
    )
    assert diff["exposure.control.exposed"] == (1, 2, 1)


def test_unknown_references_are_refused_with_the_field(small: SmallRegister) -> None:
    snap = organisation_snapshot(small.org)
    with pytest.raises(ScenarioError) as err:
        run_for(
            small.org,
            snap,
            parse_changes([{"kind": "replaceService", "old": small.zaak_cloud.pk, "new": 999999}]),
        )
    assert err.value.field == "changes[0].new"


def test_api_runs_a_scenario_with_before_after_and_delta(small: SmallRegister) -> None:
    body = {"changes": [{"kind": "priceRise", "percent": 20}]}
    response = member(small).post(
        "/api/v1/organisations/t1/scenarios", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    rise = next(f for f in data["figures"] if f["name"] == "price.rise_cost")
    assert (rise["before"], rise["after"], rise["delta"]) == (9_000, 18_000, 9_000)
    assert "price.rise_cost" in data["changed"]


def test_api_scenario_errors_are_problems(small: SmallRegister) -> None:
    body = {"changes": [{"kind": "replaceService", "old": small.zaak_cloud.pk, "new": 999999}]}
    response = member(small).post(
        "/api/v1/organisations/t1/scenarios", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "changes[0].new"


def test_api_scenario_of_another_organisation_is_not_found(small: SmallRegister) -> None:
    make_small_register("t2")
    body = {"changes": [{"kind": "priceRise", "percent": 20}]}
    response = member(small).post(
        "/api/v1/organisations/t2/scenarios", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 404


def test_scenario_page_adds_a_change_and_shows_the_differences(small: SmallRegister) -> None:
    client = member(small)
    page = client.get("/o/t1/analysis/scenario/")
    assert page.status_code == 200
    assert b'hx-post="/o/t1/analysis/scenario/"' in page.content
    response = client.post(
        "/o/t1/analysis/scenario/",
        {"add": "replaceService", "rs-old": small.zaak_cloud.pk, "rs-new": small.other_cloud.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # an htmx fragment
    assert 'data-figure="exposure.control.exposed"' in html
    assert 'name="change"' in html  # the change travels with the form
    # adding a second change keeps the first
    first = json.dumps(
        {"kind": "replaceService", "old": str(small.zaak_cloud.pk), "new": str(small.other_cloud.pk)}
    )
    response = client.post(
        "/o/t1/analysis/scenario/",
        {"change": [first], "add": "priceRise", "pr-percent": "20"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.count('name="change"') == 2
    assert 'data-figure="price.rise_cost"' in html


def test_scenario_page_reports_an_incomplete_change(small: SmallRegister) -> None:
    response = member(small).post(
        "/o/t1/analysis/scenario/", {"add": "moveData", "md-service": small.zaak_cloud.pk}
    )
    assert response.status_code == 200
    assert b'role="alert"' in response.content
