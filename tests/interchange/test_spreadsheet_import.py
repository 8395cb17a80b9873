"""Importing the spreadsheet layout: checks first, all or nothing, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from regie.audit.models import AuditEntry
from regie.interchange.services import export_organisation, import_file
from regie.interchange.sheets.layout import SHEETS
from regie.interchange.sheets.workbook import template_bytes
from regie.register.models import Contract, ContractClause, Dependency, ExitPlan, Process, Usage
from tests.factories import Landscape

from .helpers import csv_bytes, workbook

pytestmark = pytest.mark.django_db

FULL = {
    "processes": [
        {"name": "Vergunningen", "availability": 2, "integrity": 2, "confidentiality": 1, "critical": "nee"},
        {
            "name": "Sociaal domein",
            "availability": 3,
            "integrity": 3,
            "confidentiality": 3,
            "critical": "ja",
            "personal_data": "special",
            "rto_hours": "4,5",
        },
    ],
    "usages": [
        {
            "name": "Vergunningsysteem",
            "product": "Zaak365 (fictitious)",
            "status": "in productie",
            "production_on": "01-02-2021",
        },
    ],
    "redundancy_groups": [{"name": "Twee DC's", "k": 1}],
    "dependencies": [
        {"kind": "requires", "source": "Vergunningen", "target": "Vergunningsysteem"},
        {"kind": "runs_on", "source": "Vergunningsysteem", "target": "Zaak365 SaaS", "group": "Twee DC's"},
        {
            "kind": "integration",
            "source": "Vergunningsysteem",
            "target": "Zaaksysteem",
            "standard": "ZGW API's",
            "proprietary": "nee",
        },
    ],
    "data_sets": [{"name": "Vergunningdossiers", "usage": "Vergunningsysteem", "volume_gb": 12}],
    "contracts": [
        {
            "reference": "V-2025-1",
            "title": "Vergunningen SaaS",
            "counterparty": "Hyperscaler Ireland Ltd (fictitious)",
            "usages": "Vergunningsysteem; Zaaksysteem",
            "start_date": "2025-01-01",
            "end_date": "2028-12-31",
            "annual_value": "45.000,00",
            "governing_law": "NL",
            "auto_renewal": "ja",
        },
    ],
    "clauses": [
        {
            "contract": "V-2025-1",
            "kind": "data_return_open_format",
            "present": "ja",
            "source": "Contract art. 9",
            "checked_on": "2025-03-01",
        },
    ],
    "exit_plans": [{"title": "Exit vergunningen", "usage": "Vergunningsysteem", "duration_days": 120}],
    "exit_plan_steps": [
        {"plan": "Exit vergunningen", "order": 1, "description": "Gegevens exporteren"},
        {"plan": "Exit vergunningen", "order": 2, "description": "Nieuw systeem inrichten", "done": "nee"},
    ],
}


def test_a_complete_workbook_creates_every_kind_of_record(landscape: Landscape) -> None:
    org = landscape.a.org
    report = import_file(
        actor=landscape.a.editor,
        organisation=org,
        path_or_bytes=workbook(FULL),
        format="xlsx",
        filename="r.xlsx",
    )
    assert report.ok, report.summary()
    assert report.written
    sociaal = Process.objects.get(organisation=org, name="Sociaal domein")
    assert sociaal.critical
    assert sociaal.personal_data == "special"
    assert str(sociaal.rto_hours) == "4.50"
    usage = Usage.objects.get(organisation=org, name="Vergunningsysteem")
    assert usage.status == "in_production"
    assert usage.production_on.isoformat() == "2021-02-01"
    assert Dependency.objects.filter(organisation=org, from_usage=usage).count() == 2
    contract = Contract.objects.get(organisation=org, reference="V-2025-1")
    assert {u.name for u in contract.usages.all()} == {"Vergunningsysteem", "Zaaksysteem"}
    assert str(contract.annual_value) == "45000.00"
    assert contract.governing_law_id == "NL"
    clause = ContractClause.objects.get(contract=contract)
    assert clause.present == "yes"
    assert clause.provenance is not None
    assert clause.provenance.source == "Contract art. 9"
    assert ExitPlan.objects.get(organisation=org, title="Exit vergunningen").steps.count() == 2
    assert report.created["processes"] == 2


def test_importing_the_same_file_again_changes_nothing_and_duplicates_nothing(landscape: Landscape) -> None:
    org, editor = landscape.a.org, landscape.a.editor
    data = workbook(FULL)
    import_file(actor=editor, organisation=org, path_or_bytes=data, format="xlsx")
    audit_before = AuditEntry.objects.count()
    counts = (Process.objects.count(), Dependency.objects.count(), ContractClause.objects.count())
    again = import_file(actor=editor, organisation=org, path_or_bytes=data, format="xlsx")
    assert again.ok
    assert not again.created
    assert not again.updated
    assert (Process.objects.count(), Dependency.objects.count(), ContractClause.objects.count()) == counts
    assert AuditEntry.objects.count() == audit_before


def test_a_changed_value_updates_the_existing_record(landscape: Landscape) -> None:
    org, editor = landscape.a.org, landscape.a.editor
    import_file(actor=editor, organisation=org, path_or_bytes=workbook(FULL), format="xlsx")
    changed = {
        "processes": [{"name": "Vergunningen", "availability": 3, "integrity": 2, "confidentiality": 1}]
    }
    report = import_file(actor=editor, organisation=org, path_or_bytes=workbook(changed), format="xlsx")
    assert report.updated["processes"] == 1
    assert Process.objects.get(organisation=org, name="Vergunningen").availability == 3


def test_a_dry_run_lists_every_problem_with_its_place_and_writes_nothing(landscape: Landscape) -> None:
    org = landscape.a.org
    bad = {
        "processes": [
            {"name": "Goed", "availability": 1, "integrity": 1, "confidentiality": 1},
            {"name": "", "availability": 4, "integrity": "hoog", "confidentiality": 1},
            {"name": "Goed", "availability": 1, "integrity": 1, "confidentiality": 1},
        ],
        "usages": [{"name": "App", "product": "Zaak356 (fictitious)"}],
        "contracts": [{"reference": "X", "title": "X", "counterparty": "Nobody", "start_date": "gisteren"}],
    }
    before = Process.objects.count()
    report = import_file(
        actor=landscape.a.editor,
        organisation=org,
        path_or_bytes=workbook(bad),
        format="xlsx",
        dry_run=True,
        filename="bad.xlsx",
    )
    places = {(p.sheet, p.row, p.column) for p in report.problems}
    assert ("Processen", 3, "Naam") in places
    assert ("Processen", 3, "Beschikbaarheid (B)") in places
    assert ("Processen", 3, "Integriteit (I)") in places
    assert any(p.row == 4 and "same as row 2" in p.message for p in report.problems)
    assert any("Did you mean 'Zaak365 (fictitious)'" in p.message for p in report.problems)
    assert ("Contracten", 2, "Wederpartij") in places
    assert ("Contracten", 2, "Ingangsdatum") in places
    assert all(p.file == "bad.xlsx" for p in report.problems)
    assert not report.written
    assert Process.objects.count() == before


def test_one_bad_row_means_nothing_is_written(landscape: Landscape) -> None:
    rows = dict(FULL)
    rows["exit_plan_steps"] = [{"plan": "Exit vergunningen", "order": 1, "description": "x" * 400}]
    before = (Process.objects.count(), AuditEntry.objects.count())
    report = import_file(
        actor=landscape.a.editor, organisation=landscape.a.org, path_or_bytes=workbook(rows), format="xlsx"
    )
    assert not report.ok
    assert not report.written
    assert report.problems[0].sheet == "Exitplanstappen"
    assert report.problems[0].column.startswith("Stap")
    assert (Process.objects.count(), AuditEntry.objects.count()) == before


def test_a_valid_dry_run_reports_what_would_be_created_and_writes_nothing(landscape: Landscape) -> None:
    before = Process.objects.count()
    report = import_file(
        actor=landscape.a.editor,
        organisation=landscape.a.org,
        path_or_bytes=workbook(FULL),
        format="xlsx",
        dry_run=True,
    )
    assert report.ok
    assert not report.written
    assert report.created["processes"] == 2
    assert Process.objects.count() == before


def test_a_viewer_may_not_import(landscape: Landscape) -> None:
    with pytest.raises(PermissionDenied):
        import_file(
            actor=landscape.a.viewer,
            organisation=landscape.a.org,
            path_or_bytes=workbook(FULL),
            format="xlsx",
        )


def test_english_headers_and_sheet_names_are_accepted(landscape: Landscape) -> None:
    report = import_file(
        actor=landscape.a.editor,
        organisation=landscape.a.org,
        path_or_bytes=workbook({"processes": FULL["processes"]}, english=True),
        format="xlsx",
    )
    assert report.ok, report.summary()
    assert report.created["processes"] == 2


def test_an_unknown_column_is_named_with_a_suggestion(landscape: Landscape) -> None:
    data = csv_bytes("processes", [{"name": "A", "availability": 1, "integrity": 1, "confidentiality": 1}])
    data = data.replace(b"Proceseigenaar", b"x").replace(b"Naam;", b"Naam;Proceseigenar;", 1)
    report = import_file(
        actor=landscape.a.editor, organisation=landscape.a.org, path_or_bytes=data, format="csv"
    )
    assert any(
        "Unknown column 'Proceseigenar'" in p.message and "Proceseigenaar" in p.message
        for p in report.problems
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ";", False), ("utf-8", ",", True), ("cp1252", ";", False), ("cp1252", "\t", False)],
)
def test_csv_in_any_common_encoding_and_delimiter_is_read(
    landscape: Landscape, encoding: str, delimiter: str, bom: bool
) -> None:
    rows = [
        {
            "name": "Beëdiging, café en coördinatie",
            "availability": 1,
            "integrity": 2,
            "confidentiality": 3,
            "owner": "Ré",
        }
    ]
    data = csv_bytes("processes", rows, delimiter=delimiter, encoding=encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    report = import_file(
        actor=landscape.a.editor, organisation=landscape.a.org, path_or_bytes=data, filename="processen.csv"
    )
    assert report.ok, report.summary()
    process = Process.objects.get(organisation=landscape.a.org, name="Beëdiging, café en coördinatie")
    assert process.owner == "Ré"
    assert process.confidentiality == 3


def test_the_template_has_a_sheet_per_register_type_with_lists_and_instructions() -> None:
    book = load_workbook(io.BytesIO(template_bytes()))
    assert book.sheetnames[0] == "Toelichting"
    for sheet in SHEETS:
        ws = book[sheet.nl]
        assert ws.cell(1, 1).value.startswith(sheet.columns[0].nl)
        assert ws.cell(2, 1).value == sheet.columns[0].en
    usages = book["Applicaties"]
    formulas = [dv.formula1 for dv in usages.data_validations.dataValidation]
    assert any("Keuzelijsten" in f for f in formulas)
    assert "Keuzelijsten" in book.sheetnames


def test_the_untouched_template_imports_without_problems_and_creates_nothing(landscape: Landscape) -> None:
    report = import_file(
        actor=landscape.a.editor, organisation=landscape.a.org, path_or_bytes=template_bytes(), format="xlsx"
    )
    assert report.ok, report.summary()
    assert not report.created


def test_the_xlsx_export_imports_back_without_any_change(landscape: Landscape) -> None:
    org, editor = landscape.a.org, landscape.a.editor
    import_file(actor=editor, organisation=org, path_or_bytes=workbook(FULL), format="xlsx")
    exported = export_organisation(actor=editor, organisation=org, format="xlsx")
    report = import_file(actor=editor, organisation=org, path_or_bytes=exported, format="xlsx")
    assert report.ok, report.summary()
    assert not report.created
    assert not report.updated
    assert sum(report.unchanged.values()) > 10


def test_exported_text_that_a_spreadsheet_would_run_is_neutralised(landscape: Landscape) -> None:
    org, editor = landscape.a.org, landscape.a.editor
    rows = {
        "processes": [
            {
                "name": '=HYPERLINK("http://x")',
                "availability": 1,
                "integrity": 1,
                "confidentiality": 1,
                "owner": "@SUM(A1)",
                "description": "-2+3",
            }
        ]
    }
    first = import_file(
        actor=editor, organisation=org, path_or_bytes=csv_bytes("processes", rows["processes"]), format="csv"
    )
    assert first.ok, first.summary()
    exported = export_organisation(actor=editor, organisation=org, format="xlsx")
    ws = load_workbook(io.BytesIO(exported))["Processen"]
    cells = [c.value for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'@SUM(A1)" in cells
    assert "'-2+3" in cells
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    again = import_file(actor=editor, organisation=org, path_or_bytes=exported, format="xlsx")
    assert again.ok
    assert not again.updated
