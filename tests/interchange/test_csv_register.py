"""Which register a CSV holds: named (form, command line, API), from the file name, or from
columns that fit one register only; never a guess between several. And problem texts in the
reader's language on the import page."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from regie.interchange.problems import ImportReport
from regie.interchange.services import import_file
from regie.interchange.sheets.layout import sheet_for_filename, sheet_for_title
from regie.register.models import Process, RedundancyGroup
from tests.api.conftest import BASE, api_for
from tests.factories import Landscape

from .helpers import csv_bytes, workbook

pytestmark = pytest.mark.django_db

# Name and description only: columns of processes, redundancy groups and data sets alike.
AMBIGUOUS = b"Naam;Omschrijving\nBackup;Tweede rekencentrum\n"


def _import(landscape: Landscape, data: bytes, filename: str, **options: str) -> ImportReport:
    return import_file(
        actor=landscape.a.editor,
        organisation=landscape.a.org,
        path_or_bytes=data,
        format="csv",
        filename=filename,
        **options,  # type: ignore[arg-type]
    )


def test_columns_that_fit_several_registers_are_a_problem_naming_the_file(landscape: Landscape) -> None:
    report = _import(landscape, AMBIGUOUS, "export.csv")
    assert not report.ok
    [problem] = report.problems
    assert problem.file == "export.csv"
    assert "Cannot tell which register 'export.csv' holds" in problem.message
    assert "Processen, Redundantiegroepen, Gegevens" in problem.message
    assert "--sheet" in problem.message
    assert "export-processen.csv" in problem.message
    assert not RedundancyGroup.objects.filter(name="Backup").exists()


def test_the_register_named_as_an_option_is_used(landscape: Landscape) -> None:
    report = _import(landscape, AMBIGUOUS, "export.csv", sheet="redundancy_groups")
    assert report.ok, report.summary()
    assert RedundancyGroup.objects.get(organisation=landscape.a.org, name="Backup").description == (
        "Tweede rekencentrum"
    )
    # As a process the same file misses the required BIV columns.
    report = _import(landscape, AMBIGUOUS, "export.csv", sheet="Processen")
    assert any("'Beschikbaarheid (B)'" in p.message and "is missing" in p.message for p in report.problems)


def test_an_unknown_register_name_is_a_problem_listing_the_registers(landscape: Landscape) -> None:
    report = _import(landscape, AMBIGUOUS, "export.csv", sheet="kwetsbaarheden")
    assert not report.ok
    assert "'kwetsbaarheden' is not a register of the template" in report.problems[0].message
    assert "redundancy_groups (Redundantiegroepen)" in report.problems[0].message


@pytest.mark.parametrize(
    ("filename", "key"),
    [
        ("redundantiegroepen.csv", "redundancy_groups"),
        ("gm0363-Redundancy groups.csv", "redundancy_groups"),
        ("gm0363_processen.csv", "processes"),
        ("register-exit-plan-steps.csv", "exit_plan_steps"),
        ("exitplanstappen.csv", "exit_plan_steps"),
        ("exitplannen.csv", "exit_plans"),
        ("2026-data_sets.csv", "data_sets"),
        ("contractclausules.csv", "clauses"),
    ],
)
def test_the_file_name_may_end_with_the_register(filename: str, key: str) -> None:
    found = sheet_for_filename(filename)
    assert found is not None
    assert found.key == key


def test_a_file_name_that_names_no_register_names_none() -> None:
    assert sheet_for_filename("export.csv") is None
    assert sheet_for_filename("persoonsgegevens.csv") is None  # not "gegevens" at a word's end
    assert sheet_for_title("Exit-plan steps") is not None


def test_the_file_name_convention_decides_an_ambiguous_file(landscape: Landscape) -> None:
    report = _import(landscape, AMBIGUOUS, "gm-a-redundantiegroepen.csv")
    assert report.ok, report.summary()
    assert RedundancyGroup.objects.filter(organisation=landscape.a.org, name="Backup").exists()


def test_columns_that_fit_one_register_need_no_name(landscape: Landscape) -> None:
    data = csv_bytes(
        "processes", [{"name": "Uniek", "availability": 1, "integrity": 1, "confidentiality": 1}]
    )
    report = _import(landscape, data, "upload.csv")
    assert report.ok, report.summary()
    assert Process.objects.filter(organisation=landscape.a.org, name="Uniek").exists()


def test_the_register_over_the_api_and_on_the_import_page(landscape: Landscape) -> None:
    api = api_for(landscape.a.editor, scope="write", organisation=landscape.a.org)
    response = api.client.post(
        f"{BASE}/organisations/a/imports?dryRun=false&sheet=redundancy_groups",
        {"file": SimpleUploadedFile("export.csv", AMBIGUOUS)},
        headers=api._headers(),
    )
    assert response.json()["ok"] is True, response.content
    assert RedundancyGroup.objects.filter(organisation=landscape.a.org, name="Backup").exists()
    client = Client()
    client.force_login(landscape.a.editor)
    page = client.post("/o/a/import", {"file": SimpleUploadedFile("export.csv", AMBIGUOUS), "dry_run": "on"})
    assert "Niet te bepalen welk register" in page.content.decode()
    page = client.post(
        "/o/a/import",
        {"file": SimpleUploadedFile("export.csv", AMBIGUOUS), "dry_run": "on", "sheet": "redundancy_groups"},
    )
    assert "Niet te bepalen welk register" not in page.content.decode()
    assert page.status_code == 200


BROKEN = "\n".join(
    [
        "Naam;Beschikbaarheid (B);Integriteit (I);Vertrouwelijkheid (V);Kritiek;Persoonsgegevens;Eigenaarr",
        "Paspoorten;9;1;1;misschien;bsm;",
        "Paspoorten;x;1;1;ja;bsn;",
    ]
).encode()


def test_the_dutch_import_page_shows_dutch_problem_messages(landscape: Landscape) -> None:
    client = Client()
    client.force_login(landscape.a.editor)
    html = client.post(
        "/o/a/import", {"file": SimpleUploadedFile("processen.csv", BROKEN), "dry_run": "on"}
    ).content.decode()
    assert "Onbekende kolom &#x27;Eigenaarr&#x27;. Bedoelt u &#x27;Proceseigenaar&#x27;?" in html
    assert "Unknown column" not in html
    # The unknown column stops the file before its rows; with it gone, the rows' problems.
    fixed = BROKEN.replace(b";Eigenaarr", b"").replace(b";\n", b"\n")
    html = client.post(
        "/o/a/import", {"file": SimpleUploadedFile("processen.csv", fixed), "dry_run": "on"}
    ).content.decode()
    for dutch in (
        "9 is hoger dan het maximum 3.",
        "&#x27;misschien&#x27; is geen ja of nee; schrijf &#x27;ja&#x27; of &#x27;nee&#x27;.",
        "&#x27;bsm&#x27; is niet een van: none, personal, special, bsn. Bedoelt u &#x27;bsn&#x27;?",
        "&#x27;x&#x27; is geen geheel getal.",
        "Dubbele sleutel (Naam): dezelfde als in rij 2.",
    ):
        assert dutch in html, dutch
    assert "is above the maximum" not in html
    # The English page, and the report as JSON, keep English.
    client.post("/i18n/setlang", {"language": "en", "next": "/o/a/import"})
    html = client.post(
        "/o/a/import", {"file": SimpleUploadedFile("processen.csv", fixed), "dry_run": "on"}
    ).content.decode()
    assert "9 is above the maximum 3." in html


def test_the_dutch_page_sums_up_a_clean_import_in_dutch(landscape: Landscape) -> None:
    client = Client()
    client.force_login(landscape.a.editor)
    row = {"name": "Schoon", "availability": 1, "integrity": 1, "confidentiality": 1}
    html = client.post(
        "/o/a/import",
        {"file": SimpleUploadedFile("processen.csv", csv_bytes("processes", [row])), "dry_run": "on"},
    ).content.decode()
    assert "Geen problemen. Zou worden aangemaakt: 1 processen. Zou worden bijgewerkt: geen." in html


def test_a_stored_report_keeps_its_messages_translatable(landscape: Landscape) -> None:
    report = _import(landscape, BROKEN.replace(b";Eigenaarr", b"").replace(b";\n", b"\n"), "processen.csv")
    stored = ImportReport.from_dict(json.loads(json.dumps(report.as_dict(stored=True))))
    assert [p.message for p in stored.problems] == [p.message for p in report.problems]
    with translation.override("nl"):
        texts = [p.text for p in stored.problems]
        places = [p.localized() for p in stored.problems]
    assert "9 is hoger dan het maximum 3." in texts
    assert any(place.startswith("processen.csv, blad 'Processen', rij 2, kolom") for place in places)
    with translation.override("en"):
        assert "9 is above the maximum 3." in [p.text for p in stored.problems]


def test_a_broken_workbook_on_the_dutch_page(landscape: Landscape) -> None:
    book = workbook({"processes": [{"name": "Vergunningen", "availability": 0, "integrity": 2,
                                    "confidentiality": "hoog", "personal_data": "geen"}]})  # fmt: skip
    client = Client()
    client.force_login(landscape.a.editor)
    html = client.post(
        "/o/a/import", {"file": SimpleUploadedFile("register.xlsx", book), "dry_run": "on"}
    ).content.decode()
    assert "0 is lager dan het minimum 1." in html
    assert "&#x27;hoog&#x27; is geen geheel getal." in html
    assert "is below the minimum" not in html


def test_archimate_problems_on_the_dutch_page(landscape: Landscape) -> None:
    model = (
        b'<?xml version="1.0"?><model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><name>M</name><elements>'
        b'<element identifier="a" xsi:type="ApplicationComponent"><name>App</name></element></elements>'
        b'<relationships><relationship identifier="r" xsi:type="Flow" source="a" target="weg"/>'
        b"</relationships></model>"
    )
    client = Client()
    client.force_login(landscape.a.editor)
    html = client.post(
        "/o/a/import", {"file": SimpleUploadedFile("model.xml", model), "dry_run": "on"}
    ).content.decode()
    assert "Relatie r verwijst naar &#x27;weg&#x27;, dat geen element van het model is." in html
    html = client.post(
        "/o/a/import", {"file": SimpleUploadedFile("model.xml", model[:-8]), "dry_run": "on"}
    ).content.decode()
    assert "De XML is onjuist op regel 1" in html


def test_publiccode_and_gleif_problems_on_the_dutch_page(landscape: Landscape) -> None:
    client = Client()
    client.force_login(landscape.a.editor)
    html = client.post(
        "/o/a/import",
        {"file": SimpleUploadedFile("publiccode.yml", b"publiccodeYmlVersion: '0.4'\n"), "dry_run": "on"},
    ).content.decode()
    assert "De sleutel &#x27;name&#x27; is verplicht." in html
    html = client.post(
        "/o/a/import",
        {"file": SimpleUploadedFile("gleif.csv", b"Naam;Land\nX;NL\n"), "format": "gleif", "dry_run": "on"},
    ).content.decode()
    assert "Deze CSV is geen GLEIF-bestand van niveau 1" in html
