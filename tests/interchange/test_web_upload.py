"""The import page: upload, dry run, the report of problems, and the downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from regie.register.models import Process
from tests.factories import Landscape

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db
GOOD = [{"name": "Web", "availability": 1, "integrity": 1, "confidentiality": 1}]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_sees_the_upload_form_with_template_and_export_links(landscape: Landscape) -> None:
    response = _client(landscape.a.editor).get("/o/a/import")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-encoding="multipart/form-data"' in html
    assert "upload-progress" in html
    assert "/o/a/import/template.xlsx" in html
    assert "/o/a/export/json" in html


def test_a_viewer_may_not_import_and_an_outsider_does_not_see_the_organisation(landscape: Landscape) -> None:
    assert _client(landscape.a.viewer).get("/o/a/import").status_code == 403
    assert _client(landscape.outsider).get("/o/a/import").status_code == 404


def test_a_dry_run_upload_reports_problems_and_writes_nothing(landscape: Landscape) -> None:
    bad = csv_bytes("processes", [{"name": "X", "availability": 9, "integrity": 1, "confidentiality": 1}])
    response = _client(landscape.a.editor).post(
        "/o/a/import",
        {"file": SimpleUploadedFile("processen.csv", bad), "dry_run": "on"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the report only, for htmx
    assert "Beschikbaarheid (B)" in html
    assert "9 is above the maximum 3." in html
    assert not Process.objects.filter(name="X").exists()


def test_an_upload_without_dry_run_imports(landscape: Landscape) -> None:
    response = _client(landscape.a.editor).post(
        "/o/a/import", {"file": SimpleUploadedFile("processen.csv", csv_bytes("processes", GOOD))}
    )
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert Process.objects.filter(organisation=landscape.a.org, name="Web").exists()


def test_an_upload_over_the_limit_is_refused_by_the_form(landscape: Landscape) -> None:
    with override_settings(REGIE_MAX_UPLOAD_BYTES=10):
        response = _client(landscape.a.editor).post(
            "/o/a/import", {"file": SimpleUploadedFile("processen.csv", csv_bytes("processes", GOOD))}
        )
    assert (
        "; the limit is 10 bytes." in response.content.decode()
        or "de grens is 10 bytes" in response.content.decode()
    )
    assert not Process.objects.filter(name="Web").exists()


def test_exports_and_the_template_download(landscape: Landscape) -> None:
    client = _client(landscape.a.viewer)
    response = client.get("/o/a/export/json")
    assert response["Content-Type"] == "application/json"
    assert 'filename="regie-a.json"' in response["Content-Disposition"]
    assert client.get("/o/a/export/xlsx").content[:2] == b"PK"
    assert client.get("/o/a/import/template.xlsx").content[:2] == b"PK"
    assert client.get("/o/a/export/nonsense").status_code == 404
    assert _client(landscape.outsider).get("/o/a/export/json").status_code == 404


def test_the_json_schema_is_published(db: None) -> None:
    response = Client().get("/schema/regie-organisation-1.schema.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert b'"regie-organisation"' in response.content
