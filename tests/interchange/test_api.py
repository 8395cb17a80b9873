"""Import and export over the API: same services, same checks, scoped to the caller."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regie.register.models import Process
from tests.api.conftest import BASE, api_for
from tests.factories import Landscape

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db
GOOD = [{"name": "Via API", "availability": 2, "integrity": 2, "confidentiality": 2}]


def _upload(
    landscape: Landscape, rows: list[dict[str, object]], query: str, *, scope: str = "write"
) -> object:
    api = api_for(landscape.a.editor, scope=scope, organisation=landscape.a.org)
    return api.client.post(
        f"{BASE}/organisations/a/imports{query}",
        {"file": SimpleUploadedFile("processen.csv", csv_bytes("processes", rows))},
        headers=api._headers(),
    )


def test_a_dry_run_over_the_api_reports_and_writes_nothing(landscape: Landscape) -> None:
    response = _upload(landscape, GOOD, "")
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    report = response.json()  # type: ignore[attr-defined]
    assert report["ok"] is True
    assert report["dryRun"] is True
    assert report["written"] is False
    assert report["created"] == {"processes": 1}
    assert not Process.objects.filter(name="Via API").exists()


def test_an_import_over_the_api_writes_and_names_problems_by_place(landscape: Landscape) -> None:
    response = _upload(landscape, GOOD, "?dryRun=false")
    assert response.json()["written"] is True  # type: ignore[attr-defined]
    assert Process.objects.filter(organisation=landscape.a.org, name="Via API").exists()
    bad = [{"name": "Fout", "availability": 9, "integrity": 1, "confidentiality": 1}]
    report = _upload(landscape, bad, "?dryRun=false").json()  # type: ignore[attr-defined]
    assert report["ok"] is False
    assert report["problems"][0]["row"] == 2  # the first line holds the column names
    assert "9 is above the maximum 3." in report["problems"][0]["message"]
    assert not Process.objects.filter(name="Fout").exists()


def test_a_read_token_or_a_viewer_cannot_import(landscape: Landscape) -> None:
    assert _upload(landscape, GOOD, "?dryRun=false", scope="read").status_code == 403  # type: ignore[attr-defined]
    viewer = api_for(landscape.a.viewer, organisation=landscape.a.org)
    response = viewer.client.post(
        f"{BASE}/organisations/a/imports",
        {"file": SimpleUploadedFile("p.csv", csv_bytes("processes", GOOD))},
        headers=viewer._headers(),
    )
    assert response.status_code == 403


def test_an_unknown_format_is_a_400_problem(landscape: Landscape) -> None:
    response = _upload(landscape, GOOD, "?format=nope")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]


def test_the_json_export_over_the_api_is_the_organisation_document(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    response = api.get("/organisations/a/exports/json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["organisation"]["code"] == "a"
    assert 'filename="regie-a.json"' in response["Content-Disposition"]
    assert api.get("/organisations/b/exports/json").status_code == 404
    assert api.get("/organisations/a/exports/nope").status_code == 400
