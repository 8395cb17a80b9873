"""The import page: upload, dry run, the report of problems, and the downloads."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from regie.interchange.jobs import job_create, job_start, progress_path
from regie.interchange.models import ImportJob
from regie.interchange.progress import Progress
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
    assert "9 is hoger dan het maximum 3." in html  # the page is Dutch, and so are its problems
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


def test_an_upload_with_htmx_becomes_a_job_whose_page_shows_rows_and_the_report(landscape: Landscape) -> None:
    rows = [
        {"name": f"Proces {i}", "availability": 1, "integrity": 1, "confidentiality": 1} for i in range(30)
    ]
    client = _client(landscape.a.editor)
    response = client.post(
        "/o/a/import",
        {"file": SimpleUploadedFile("processen.csv", csv_bytes("processes", rows))},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    job = ImportJob.objects.get(organisation=landscape.a.org)
    assert job.state == "done"
    assert (job.rows_total, job.rows_validated, job.rows_written) == (30, 30, 30)
    assert job.created_by == landscape.a.editor
    html = response.content.decode()
    assert 'data-state="done"' in html
    assert "hx-get" not in html  # finished: the page stops asking
    assert Process.objects.filter(organisation=landscape.a.org, name__startswith="Proces ").count() == 30
    again = client.get(f"/o/a/import/jobs/{job.pk}")
    assert again.status_code == 200
    assert "Aangemaakt: 30 processen" in again.content.decode()  # the Dutch page sums up in Dutch


def test_a_running_job_shows_its_progress_and_keeps_polling(landscape: Landscape, settings) -> None:  # type: ignore[no-untyped-def]
    job = job_create(
        actor=landscape.a.editor, organisation=landscape.a.org, filename="x.xlsx", format="", dry_run=True
    )
    progress = Progress(progress_path(job))
    progress.start("validating", total=200)
    progress.validated_row(50)
    progress.flush(force=True)
    html = _client(landscape.a.editor).get(f"/o/a/import/jobs/{job.pk}").content.decode()
    assert f'hx-get="/o/a/import/jobs/{job.pk}"' in html
    assert "50" in html
    assert "200" in html
    assert 'value="25"' in html


def test_a_job_without_sign_of_life_is_reported_as_interrupted(landscape: Landscape) -> None:
    job = job_create(
        actor=landscape.a.editor, organisation=landscape.a.org, filename="x.xlsx", format="", dry_run=True
    )
    ImportJob.objects.filter(pk=job.pk).update(
        state="running", created_at=timezone.now() - dt.timedelta(hours=1)
    )
    html = _client(landscape.a.editor).get(f"/o/a/import/jobs/{job.pk}").content.decode()
    assert "interrupted" in html
    assert ImportJob.objects.get(pk=job.pk).state == "failed"


def test_another_organisations_job_is_not_found(landscape: Landscape) -> None:
    job = job_create(
        actor=landscape.a.editor, organisation=landscape.a.org, filename="x.csv", format="", dry_run=True
    )
    assert _client(landscape.b.editor).get(f"/o/b/import/jobs/{job.pk}").status_code == 404
    assert _client(landscape.a.viewer).get(f"/o/a/import/jobs/{job.pk}").status_code == 403


def test_a_dry_run_job_with_problems_stores_the_report_and_writes_nothing(landscape: Landscape) -> None:
    bad = [{"name": f"X{i}", "availability": 9, "integrity": 1, "confidentiality": 1} for i in range(1200)]
    response = _client(landscape.a.editor).post(
        "/o/a/import",
        {"file": SimpleUploadedFile("processen.csv", csv_bytes("processes", bad)), "dry_run": "on"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "1200 problems found; nothing was saved." in html or "1200 problemen" in html
    job = ImportJob.objects.get(organisation=landscape.a.org)
    assert job.report is not None
    assert len(job.report["problems"]) == 1000
    assert job.report["omitted_problems"] == 200
    assert not Process.objects.filter(name__startswith="X").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_a_background_thread_and_commits_all_or_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from tests.factories import make_landscape

    if connection.vendor != "postgresql":
        pytest.skip(
            "A second connection needs committed data: PostgreSQL (SQLite's flush trips the audit trigger)."
        )
    landscape = make_landscape()
    settings.REGIE_IMPORT_IN_BACKGROUND = True
    rows = [
        {"name": f"Achter {i}", "availability": 1, "integrity": 1, "confidentiality": 1} for i in range(20)
    ]
    job = job_create(
        actor=landscape.a.editor, organisation=landscape.a.org, filename="p.csv", format="", dry_run=False
    )
    job_start(job, csv_bytes("processes", rows))
    started = thread_for(job)
    assert started is not None
    started.join(timeout=60)
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.rows_written == 20
    assert Process.objects.filter(name__startswith="Achter ").count() == 20
    assert not progress_path(job).exists()


def thread_for(job: ImportJob) -> threading.Thread | None:
    return next((t for t in threading.enumerate() if t.name == f"import-{job.pk}"), None)


def test_the_formats_are_named_in_the_language_of_the_page(landscape: Landscape) -> None:
    client = _client(landscape.a.editor)
    dutch = client.get("/o/a/import").content.decode()
    assert "Eén blad van het sjabloon als CSV" in dutch  # an import format
    assert "Regie-organisatiedocument (JSON)" in dutch  # import and export
    assert "DORA-informatieregister (CSV-sjablonen in een zip)" in dutch  # an export format
    assert "One sheet of the template as CSV" not in dutch
    client.post("/i18n/setlang", {"language": "en", "next": "/o/a/import"})
    english = client.get("/o/a/import").content.decode()
    assert "One sheet of the template as CSV" in english
    assert "DORA Register of Information (CSV templates in a zip)" in english
