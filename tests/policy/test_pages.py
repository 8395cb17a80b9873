"""The framework pages: findings, accept flow, rules and thresholds, trend; scoped to the caller."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from regie.policy.models import Finding, FindingStatus, PolicyAdoption
from regie.policy.services import figures_snapshot, findings_refresh
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_findings_page_lists_messages_and_hides_other_organisations(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org)
    url = reverse("policy:findings", kwargs={"org": landscape.a.org.code})
    page = client_for(landscape.a.viewer).get(url)
    assert page.status_code == 200
    assert "Burgerzaken" in page.content.decode()
    assert client_for(landscape.b.viewer).get(url).status_code == 404


def test_viewer_cannot_re_evaluate_but_editor_can(landscape: Landscape) -> None:
    url = reverse("policy:findings", kwargs={"org": landscape.a.org.code})
    assert client_for(landscape.a.viewer).post(url).status_code == 403
    assert client_for(landscape.a.editor).post(url).status_code == 302
    assert Finding.objects.filter(organisation=landscape.a.org).exists()


def test_accept_flow_on_the_detail_page(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org)
    f = Finding.objects.get(organisation=landscape.a.org, rule="regie-basis/JUR-01")
    url = reverse("policy:finding", kwargs={"org": landscape.a.org.code, "pk": f.pk})
    editor = client_for(landscape.a.editor)
    page = editor.get(url)
    assert page.status_code == 200
    assert "process.exposure_control" in page.content.decode()
    response = editor.post(
        url,
        {
            "justification": "Geen alternatief tot de aanbesteding van 2027.",
            "owner": "Afdelingshoofd Burgerzaken",
            "approver": landscape.a.admin.pk,
            "expires_on": (dt.date.today() + dt.timedelta(days=200)).isoformat(),
        },
    )
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.status == FindingStatus.ACCEPTED
    history = editor.get(url).content.decode()
    assert "Geen alternatief" in history
    assert "Afdelingshoofd Burgerzaken" in history


def test_framework_page_tightens_and_refuses_loosening(landscape: Landscape) -> None:
    url = reverse("policy:framework", kwargs={"org": landscape.a.org.code})
    admin = client_for(landscape.a.admin)
    page = admin.get(url)
    assert page.status_code == 200
    assert "CTR-01" in page.content.decode()
    assert admin.post(url, {"CTR-01__threshold_eur": "25000"}).status_code == 302
    adoption = PolicyAdoption.objects.get(organisation=landscape.a.org)
    assert adoption.parameters == {"CTR-01": {"threshold_eur": 25000.0}}
    refused = admin.post(url, {"CTR-01__threshold_eur": "90000"})
    assert refused.status_code == 200
    assert "loosen" in refused.content.decode()
    assert client_for(landscape.a.editor).post(url, {"CTR-01__threshold_eur": "1"}).status_code == 403


def test_trend_page_draws_the_snapshots(landscape: Landscape) -> None:
    figures_snapshot(organisation=landscape.a.org, day=dt.date(2026, 5, 1))
    page = client_for(landscape.a.viewer).get(reverse("policy:trend", kwargs={"org": landscape.a.org.code}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "2026-05-01" in body
    assert "plotly/plotly.min.js" in body
    assert "trend-data" in body


def test_scorecard_form_records_answers_and_shows_the_seal(landscape: Landscape) -> None:
    url = reverse(
        "policy:scorecard",
        kwargs={"org": landscape.a.org.code, "kind": "service", "pk": landscape.service.pk},
    )
    editor = client_for(landscape.a.editor)
    assert editor.get(url).status_code == 200
    response = editor.post(
        url, {"SOV-2.1": "yes", "SOV-2.1__evidence": "Moeder in de VS", "SOV-2.1__source": "jaarverslag"}
    )
    assert response.status_code == 302
    page = editor.get(url).content.decode()
    assert "Moeder in de VS" in page
    listing = editor.get(reverse("policy:scorecards", kwargs={"org": landscape.a.org.code}))
    assert listing.status_code == 200
    assert "SEAL" in listing.content.decode()
    assert client_for(landscape.a.viewer).post(url, {"SOV-2.1": "no"}).status_code == 403


def test_pages_speak_dutch_first(landscape: Landscape) -> None:
    page = client_for(landscape.a.viewer).get(
        reverse("policy:findings", kwargs={"org": landscape.a.org.code})
    )
    assert "Bevindingen van het strategisch kader" in page.content.decode()
