"""The procurement pages: scoped, Dutch first, weights re-ranked by htmx without saving,
forms that name the field on bad input, and the decision recorded and audited."""

from __future__ import annotations

import pytest
from django.test import Client

from regie.audit.models import AuditEntry
from regie.procurement.models import Decision
from regie.register.models import ClauseKind

from .conftest import TenderCase

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _url(case: TenderCase, tail: str = "") -> str:
    return f"/o/{case.ls.a.org.code}/tenders/{case.tender.pk}/{tail}"


def test_list_and_detail_render_in_dutch(case: TenderCase) -> None:
    c = _client(case.ls.a.viewer)
    listing = c.get(f"/o/{case.ls.a.org.code}/tenders/")
    assert listing.status_code == 200
    assert "T-2027-01" in listing.content.decode()
    page = c.get(_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aanbestedingen" in html  # menu and breadcrumb in Dutch
    assert "Weging" in html
    assert "SEAL 1 voor doelstelling Juridisch en jurisdictie (SOV-2), minimum 2" in html
    assert "Polder Zaak BV" in html


def test_another_organisation_gets_404(case: TenderCase) -> None:
    c = _client(case.ls.b.admin)
    assert c.get(f"/o/{case.ls.a.org.code}/tenders/").status_code == 404
    assert c.get(f"/o/{case.ls.b.org.code}/tenders/{case.tender.pk}/").status_code == 404
    assert c.get(f"/o/{case.ls.b.org.code}/tenders/{case.tender.pk}/decision").status_code == 404


def test_weights_rerank_by_htmx_without_saving(case: TenderCase) -> None:
    c = _client(case.ls.a.viewer)
    weights = {
        "price": 0,
        "sovereignty": 100,
        "exposure": 0,
        "concentration": 0,
        "continuity": 0,
        "lockin": 0,
    }
    fragment = c.get(_url(case), weights, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="assessment">')
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert "Polder Zaak BV" in rows[0]  # most sovereign first
    by_price = c.get(_url(case), weights | {"price": 100, "sovereignty": 0}, headers={"HX-Request": "true"})
    rows = by_price.content.decode().split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert "Dijk Software BV" in rows[0]  # cheapest eligible first
    case.tender.refresh_from_db()
    assert case.tender.weights["price"] == 60


def test_saving_weights_needs_an_editor(case: TenderCase) -> None:
    weights = {"price": 5, "sovereignty": 50, "exposure": 0, "concentration": 0, "continuity": 0, "lockin": 0}
    assert _client(case.ls.a.viewer).post(_url(case), weights).status_code == 403
    response = _client(case.ls.a.editor).post(_url(case), weights)
    assert response.status_code == 302
    case.tender.refresh_from_db()
    assert case.tender.weights["price"] == 5
    bad = _client(case.ls.a.editor).post(_url(case), weights | {"price": -1})
    assert bad.status_code == 200  # shown again with the error on the field
    assert "price" in bad.content.decode() or "prijs" in bad.content.decode()
    case.tender.refresh_from_db()
    assert case.tender.weights["price"] == 5


def test_bid_form_names_the_field(case: TenderCase) -> None:
    c = _client(case.ls.a.editor)
    form = c.get(_url(case, "bids/new"))
    assert form.status_code == 200
    assert "SOV-2.1" in form.content.decode()
    bad = c.post(_url(case, "bids/new"), {"bidder": "", "annual_price": "-3", "c_escrow": "unknown"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert 'id="id_bidder_error"' in html
    assert 'id="id_annual_price_error"' in html
    assert _client(case.ls.a.viewer).get(_url(case, "bids/new")).status_code == 403


def test_a_bid_is_added_through_the_form(case: TenderCase) -> None:
    c = _client(case.ls.a.editor)
    data = {
        "bidder": case.ls.provider.pk,
        "services": [case.ls.service.pk],
        "annual_price": "50000",
        "q_SOV-2.1": "yes",
    }
    data |= {
        f"c_{k}": "unknown"
        for k in (
            "exit_assistance",
            "data_return_open_format",
            "price_cap",
            "unilateral_change",
            "escrow",
            "audit_right",
            "subprocessor_approval",
        )
    }
    response = c.post(_url(case, "bids/new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    bid = case.tender.bids.order_by("-pk").first()
    assert bid is not None
    assert bid.answers == {"SOV-2.1": "yes"}
    assert AuditEntry.objects.filter(
        object_type="procurement.bid", object_id=str(bid.pk), action="create"
    ).exists()


def test_a_bid_is_edited_through_the_same_form(case: TenderCase) -> None:
    c = _client(case.ls.a.editor)
    bid = case.nl_bid
    page = c.get(_url(case, f"bids/{bid.pk}/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{bid.bidder_id}" selected>' in html  # the form starts from the bid
    assert 'value="110000' in html
    data = {
        "bidder": bid.bidder_id,
        "product": bid.product_id,
        "services": [case.nl_service.pk],
        "annual_price": "95000",
    }
    data |= {f"q_{q}": a for q, a in bid.answers.items()}
    data |= {f"c_{k}": bid.clauses.get(k, "unknown") for k in ClauseKind.values}
    bad = c.post(_url(case, f"bids/{bid.pk}/"), data | {"annual_price": "-1"})
    assert bad.status_code == 200
    assert 'id="id_annual_price_error"' in bad.content.decode()
    response = c.post(_url(case, f"bids/{bid.pk}/"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    bid.refresh_from_db()
    assert bid.annual_price == 95000
    assert bid.answers == case.nl_bid.answers
    assert AuditEntry.objects.filter(
        object_type="procurement.bid", object_id=str(bid.pk), action="update"
    ).exists()
    assert c.get(_url(case, f"bids/{bid.pk + 1000}/")).status_code == 404
    assert _client(case.ls.a.viewer).get(_url(case, f"bids/{bid.pk}/")).status_code == 403


def test_decision_is_recorded_audited_and_superseded(case: TenderCase) -> None:
    c = _client(case.ls.a.editor)
    page = c.get(_url(case, "decision"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{case.us_bid.pk}"' not in html  # ineligible bids cannot be chosen
    empty = c.post(
        _url(case, "decision"), {"bid": case.nl_bid.pk, "justification": "", "decided_on": "2026-11-28"}
    )
    assert empty.status_code == 200
    assert 'id="id_justification_error"' in empty.content.decode()
    ok = c.post(
        _url(case, "decision"),
        {"bid": case.nl_bid.pk, "justification": "Beste score; geen CLOUD Act", "decided_on": "2026-11-28"},
    )
    assert ok.status_code == 302
    first = Decision.objects.get()
    entry = AuditEntry.objects.get(object_type="procurement.decision", object_id=str(first.pk))
    assert entry.actor_id == case.ls.a.editor.pk
    assert entry.organisation_id == case.ls.a.org.pk
    assert entry.after["justification"] == "Beste score; geen CLOUD Act"
    assert first.scores[str(case.nl_bid.pk)]["rank"] is not None
    case.tender.refresh_from_db()
    assert case.tender.status == "decided"
    c.post(
        _url(case, "decision"),
        {"bid": case.nl2_bid.pk, "justification": "Heroverwogen", "decided_on": "2026-11-29"},
    )
    second = Decision.objects.order_by("-pk").first()
    assert second is not None
    assert second.supersedes_id == first.pk
    assert Decision.objects.count() == 2
    first.justification = "anders"
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    detail = c.get(_url(case)).content.decode()
    assert "Heroverwogen" in detail
    assert "vervangen" in detail  # superseded, in Dutch


def test_english_when_chosen(case: TenderCase) -> None:
    c = _client(case.ls.a.viewer)
    c.post("/i18n/setlang", {"language": "en", "next": "/"})
    html = c.get(_url(case)).content.decode()
    assert "Scope and minimum requirements" in html
    assert "SEAL 1 for objective Legal and jurisdictional (SOV-2), minimum 2" in html
    assert "Scope en minimumeisen" not in html


def test_tender_create_and_edit_name_the_field(case: TenderCase) -> None:
    c = _client(case.ls.a.editor)
    listing = f"/o/{case.ls.a.org.code}/tenders/"
    base = {"title": "Tweede (fictief)", "status": "draft", "contract_months": "36", "min_SOV-2": "3"}
    duplicate = c.post(listing, base | {"reference": "T-2027-01"})
    assert duplicate.status_code == 200
    assert 'id="id_reference_error"' in duplicate.content.decode()
    created = c.post(listing, base | {"reference": "T-2027-02", "required_clauses": ["escrow"]})
    assert created.status_code == 302
    tender = case.ls.a.org.tenders.get(reference="T-2027-02")
    assert tender.min_seals["SOV-2"] == 3
    assert tender.required_clauses == ["escrow"]
    edit = f"{listing}{tender.pk}/edit"
    assert c.get(edit).status_code == 200
    changed = c.post(edit, base | {"reference": "T-2027-02", "min_SOV-2": "", "contract_months": "0"})
    assert changed.status_code == 200
    assert 'id="id_contract_months_error"' in changed.content.decode()
    assert c.post(edit, base | {"reference": "T-2027-02", "min_SOV-2": ""}).status_code == 302
    tender.refresh_from_db()
    assert tender.min_seals["SOV-2"] is None
    assert _client(case.ls.a.viewer).get(edit).status_code == 403


def test_a_bid_is_deleted_unless_a_decision_chose_it(case: TenderCase) -> None:
    c = _client(case.ls.a.editor)
    assert _client(case.ls.a.viewer).post(_url(case, f"bids/{case.nl2_bid.pk}/delete")).status_code == 403
    assert c.get(_url(case, f"bids/{case.nl2_bid.pk}/delete")).status_code == 405
    assert c.post(_url(case, f"bids/{case.nl2_bid.pk}/delete")).status_code == 302
    assert not case.tender.bids.filter(pk=case.nl2_bid.pk).exists()
    c.post(
        _url(case, "decision"), {"bid": case.nl_bid.pk, "justification": "Beste", "decided_on": "2026-11-28"}
    )
    refused = c.post(_url(case, f"bids/{case.nl_bid.pk}/delete"), follow=True)
    assert case.tender.bids.filter(pk=case.nl_bid.pk).exists()
    assert (
        "kan niet worden verwijderd" in refused.content.decode()
        or "cannot be deleted" in refused.content.decode()
    )
    other = _client(case.ls.b.admin).post(
        f"/o/{case.ls.b.org.code}/tenders/{case.tender.pk}/bids/{case.nl_bid.pk}/delete"
    )
    assert other.status_code == 404
