"""The reports page of an organisation: only for its members, with downloads and a preview that
Regie's own page may frame."""

from __future__ import annotations

import pytest
from django.test import Client

from regie.accounts.models import User
from regie.audit.models import AuditEntry

from .conftest import Reported

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_page_lists_the_downloads_and_the_preview(reported: Reported) -> None:
    page = client_for(reported.ls.a.viewer).get("/o/a/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/o/a/reports/dependency.pdf?lang=nl" in html
    assert "/o/a/reports/dependency.html?lang=en" in html
    assert "<iframe" in html
    assert "preview=1" in html


def test_the_menu_and_the_dashboard_link_to_the_reports(reported: Reported) -> None:
    dashboard = client_for(reported.ls.a.viewer).get("/o/a/analysis/").content.decode()
    assert dashboard.count('href="/o/a/reports/"') >= 2  # the menu and the dashboard's button


def test_another_organisation_is_not_found(reported: Reported) -> None:
    c = client_for(reported.ls.a.viewer)
    for path in ("/o/b/reports/", "/o/b/reports/dependency.pdf", "/o/b/reports/dependency.html"):
        assert c.get(path).status_code == 404, path
    assert not AuditEntry.objects.filter(object_type="reports.report").exists()


def test_anonymous_visitors_are_sent_to_log_in(reported: Reported) -> None:
    r = Client().get("/o/a/reports/dependency.pdf")
    assert r.status_code == 302
    assert "/login" in r["Location"]


def test_the_pdf_download_is_audited(reported: Reported) -> None:
    r = client_for(reported.ls.a.viewer).get("/o/a/reports/dependency.pdf?lang=en")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert r["Content-Disposition"].startswith("attachment;")
    entry = AuditEntry.objects.get(object_type="reports.report")
    assert entry.actor == reported.ls.a.viewer
    assert entry.after == {
        "kind": "dependency",
        "format": "pdf",
        "language": "en",
        "tender": None,
        "bytes": len(r.content),
    }


def test_the_preview_may_be_framed_by_regie_and_uses_only_inline_styles(reported: Reported) -> None:
    r = client_for(reported.ls.a.viewer).get("/o/a/reports/dependency.html?lang=nl&preview=1")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("inline;")
    assert r["X-Frame-Options"] == "SAMEORIGIN"
    policy = r["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "script-src 'none'" in policy
    assert b"Kerncijfers" in r.content
