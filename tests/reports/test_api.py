"""GET /api/v1/organisations/{code}/reports/...: the report as a file, scoped, audited."""

from __future__ import annotations

import pytest
from django.test import Client

from regie.audit.models import AuditEntry
from regie.procurement.services import decision_record
from tests.api.conftest import make_token
from tests.procurement.conftest import TenderCase

from .conftest import Reported
from .test_pdf import flat, pdf_text

pytestmark = pytest.mark.django_db


def test_dependency_report_as_pdf(reported: Reported) -> None:
    token = make_token(reported.ls.a.viewer)
    r = Client().get("/api/v1/organisations/a/reports/dependency", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert r["Content-Disposition"].startswith('attachment; filename="regie-a-dependency-')
    assert r["API-Version"]
    assert AuditEntry.objects.filter(
        object_type="reports.report", organisation_id=reported.ls.a.org.pk, actor=reported.ls.a.viewer
    ).exists()


def test_dependency_report_as_html_in_english(reported: Reported) -> None:
    token = make_token(reported.ls.a.viewer)
    r = Client().get(
        "/api/v1/organisations/a/reports/dependency?format=html&lang=en", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    assert b"Key figures" in r.content
    assert b"<svg " in r.content


def test_another_organisations_report_is_not_found(reported: Reported) -> None:
    token = make_token(reported.ls.a.viewer)
    for path in ("/reports/dependency", "/reports/procurement?tender=1"):
        r = Client().get(f"/api/v1/organisations/b{path}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 404
        assert r["Content-Type"] == "application/problem+json"
    assert not AuditEntry.objects.filter(object_type="reports.report").exists()


def test_bad_format_is_a_problem_naming_the_field(reported: Reported) -> None:
    token = make_token(reported.ls.a.viewer)
    r = Client().get(
        "/api/v1/organisations/a/reports/dependency?format=docx", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert r.status_code == 400
    assert b"format" in r.content


def test_procurement_decision_report(case: TenderCase) -> None:
    decision_record(
        actor=case.ls.a.editor,
        tender=case.tender,
        bid=case.nl_bid,
        justification="Europese aanbieder met exitbepaling; prijsverschil aanvaardbaar.",
    )
    token = make_token(case.ls.a.viewer)
    r = Client().get(
        f"/api/v1/organisations/a/reports/procurement?tender={case.tender.pk}&lang=nl",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200, r.content[:300]
    assert r.content.startswith(b"%PDF")
    reader, text = pdf_text(r.content)
    body = flat(text)
    assert "Aanbestedingsbesluit" in body
    assert "T-2027-01 · Zaaksysteem 2027 (fictitious)" in reader.pages[0].extract_text()
    assert "T-2027-01" in body
    for bidder in ("Polder Zaak BV (fictitious)", "Dijk Software BV (fictitious)", "Hyperscaler Ireland Ltd"):
        assert bidder in body
    assert "Europese aanbieder met exitbepaling; prijsverschil aanvaardbaar." in body
    assert "voldoet niet aan de minimumeisen" in body  # the US-controlled bid misses SEAL 2 for SOV-2
    assert "Soevereiniteit per doelstelling" in body
    assert "SOV-2 Juridisch en jurisdictie" in body
    r = Client().get(
        "/api/v1/organisations/a/reports/procurement?tender=999999", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert r.status_code == 404
