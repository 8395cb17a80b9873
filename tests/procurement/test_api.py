"""The procurement API at /api/v1: camelCase, problem+json naming the field, 404 for another
organisation's tender, ETag and If-Match on changes, weights given per read or saved."""

from __future__ import annotations

import pytest
from django.test import Client

from regie.procurement.models import Decision
from tests.api.conftest import Api, make_token

from .conftest import TenderCase

pytestmark = pytest.mark.django_db


def _api(user) -> Api:  # type: ignore[no-untyped-def]
    return Api(Client(), make_token(user))


def _base(case: TenderCase) -> str:
    return f"/organisations/{case.ls.a.org.code}/tenders"


def test_list_and_read_in_camel_case(case: TenderCase) -> None:
    api = _api(case.ls.a.viewer)
    rows = api.get(_base(case)).json()
    assert [r["reference"] for r in rows] == ["T-2027-01"]
    assert {"minimumSeal", "requiredClauses", "referenceComponents", "contractMonths"} <= set(rows[0])
    one = api.get(f"{_base(case)}/{case.tender.pk}")
    assert one.status_code == 200
    assert one["ETag"]
    assert one.json()["minimumSeal"] == {"SOV-2": 2}


def test_another_organisations_tender_is_not_found(case: TenderCase) -> None:
    outsider = _api(case.ls.b.admin)
    assert outsider.get(_base(case)).status_code == 404
    # B's own address with A's tender id: not found either
    other = f"/organisations/{case.ls.b.org.code}/tenders/{case.tender.pk}"
    for path in (other, f"{other}/assessment", f"{other}/bids", f"{other}/decisions"):
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


def test_assessment_with_weights_for_this_read_only(case: TenderCase) -> None:
    api = _api(case.ls.a.viewer)
    url = f"{_base(case)}/{case.tender.pk}/assessment"
    by_price = api.get(url, {"price": 100, "sovereignty": 10}).json()
    by_sov = api.get(url, {"price": 10, "sovereignty": 100}).json()
    first = lambda body: next(b["bid"] for b in body["bids"] if b["rank"] == 1)  # noqa: E731
    assert first(by_price) == case.nl2_bid.pk
    assert first(by_sov) == case.nl_bid.pk
    us = next(b for b in by_price["bids"] if b["bid"] == case.us_bid.pk)
    assert us["eligible"] is False
    assert us["reasons"]
    assert any(e["name"] == "exposure.control.exposed" and e["delta"] == 1 for e in us["effects"])
    bad = api.get(url, {"price": -5})
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "weights.price"


def test_saving_weights_needs_if_match_and_an_editor(case: TenderCase) -> None:
    url = f"{_base(case)}/{case.tender.pk}"
    editor = _api(case.ls.a.editor)
    etag = editor.get(url)["ETag"]
    assert (
        editor.client.put(
            "/api/v1" + url + "/weights",
            '{"price": 10}',
            content_type="application/json",
            headers={"Authorization": f"Bearer {editor.token}"},
        ).status_code
        == 428
    )
    response = editor.client.put(
        "/api/v1" + url + "/weights",
        '{"price": 10}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {editor.token}", "If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["weights"]["price"] == 10
    stale = editor.patch(url, {"title": "Nieuw"}, **{"If-Match": etag})
    assert stale.status_code == 412
    viewer = _api(case.ls.a.viewer)
    refused = viewer.patch(url, {"title": "Nieuw"}, **{"If-Match": response["ETag"]})
    assert refused.status_code == 403


def test_bad_input_names_the_field(case: TenderCase) -> None:
    editor = _api(case.ls.a.editor)
    bad_clause = editor.post(_base(case), {"reference": "T-2", "title": "X", "requiredClauses": ["magic"]})
    assert bad_clause.status_code == 400
    assert bad_clause.json()["invalidParams"][0]["name"] == "requiredClauses"
    bad_seal = editor.post(_base(case), {"reference": "T-2", "title": "X", "minimumSeal": {"SOV-2": 7}})
    assert bad_seal.status_code == 400
    assert bad_seal.json()["invalidParams"][0]["name"] == "minimumSeal.SOV-2"
    duplicate = editor.post(_base(case), {"reference": "T-2027-01", "title": "X"})
    assert duplicate.status_code == 400
    assert duplicate.json()["invalidParams"][0]["name"] == "reference"
    bids = f"{_base(case)}/{case.tender.pk}/bids"
    bad_answer = editor.post(bids, {"bidder": case.ls.provider.pk, "answers": {"SOV-2.1": "maybe"}})
    assert bad_answer.status_code == 400
    assert bad_answer.json()["invalidParams"][0]["name"] == "answers.SOV-2.1"
    assert "maybe" in bad_answer.json()["invalidParams"][0]["reason"]
    no_entity = editor.post(bids, {"bidder": 999999})
    assert no_entity.json()["invalidParams"][0]["name"] == "bidder"
    unknown_field = editor.post(bids, {"bidder": case.ls.provider.pk, "colour": "red"})
    assert unknown_field.status_code == 400


def test_bids_are_created_changed_and_deleted(case: TenderCase) -> None:
    editor = _api(case.ls.a.editor)
    bids = f"{_base(case)}/{case.tender.pk}/bids"
    created = editor.post(
        bids, {"bidder": case.ls.provider.pk, "services": [case.ls.service.pk], "annualPrice": "1000.50"}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["annualPrice"] in ("1000.50", 1000.5)
    url = f"{bids}/{body['id']}"
    changed = editor.patch(url, {"notes": "Na gesprek"}, **{"If-Match": created["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["notes"] == "Na gesprek"
    assert editor.delete(url, **{"If-Match": changed["ETag"]}).status_code == 204
    assert editor.get(url).status_code == 404


def test_decisions_through_the_api(case: TenderCase) -> None:
    editor = _api(case.ls.a.editor)
    url = f"{_base(case)}/{case.tender.pk}/decisions"
    refused = editor.post(url, {"bid": case.us_bid.pk, "justification": "Goedkoopst"})
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["name"] == "bid"
    made = editor.post(url, {"bid": case.nl_bid.pk, "justification": "Hoogste score, geen CLOUD Act"})
    assert made.status_code == 201, made.content
    again = editor.post(url, {"bid": case.nl2_bid.pk, "justification": "Heroverwogen na bezwaar"})
    assert again.status_code == 201
    history = editor.get(url).json()
    assert [d["bid"] for d in history] == [case.nl2_bid.pk, case.nl_bid.pk]
    assert history[0]["current"] is True
    assert history[0]["supersedes"] == history[1]["id"]
    assert Decision.objects.count() == 2
