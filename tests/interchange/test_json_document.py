"""The lossless JSON document: schema, idempotent re-import, and a round trip into an empty instance."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.interchange.jsondoc.export import build_document, canonical
from regie.interchange.jsondoc.schema import SCHEMA_PATH, schema_text, validate_document
from regie.interchange.services import export_organisation, import_file
from regie.policy.models import Acceptance, Finding, FindingEvent
from regie.policy.scorecards import scorecard_answer, scorecard_get_or_create
from regie.policy.services import figures_snapshot, finding_accept
from regie.procurement.models import Bid, Decision, Tender
from regie.procurement.services import bid_create, decision_record, tender_create
from regie.register import services
from regie.register.models import Contract, GemmaElement, Process, Provenance
from tests.factories import Landscape
from tests.procurement.conftest import ALL_CLAUSES, ALL_FOUR

from .conftest import forged_audit_entry

pytestmark = pytest.mark.django_db


def _enrich(landscape: Landscape) -> None:
    """Facts with provenance and a changed record, so the document carries history."""
    prov = services.provenance_create(actor=None, source="Contract, bijlage 2", checked_on=None)
    contract = landscape.a.contract
    services.register_update(
        actor=None, instance=contract, data={"governing_law_provenance": prov, "notice_days": 90}
    )
    services.register_update(actor=None, instance=landscape.a.process, data={"rto_hours": "4.50"})


def _framework(landscape: Landscape) -> None:
    """Findings with an acceptance ('leg uit') and their history, a scorecard, the daily figures."""
    today = timezone.localdate()  # the import's own refresh of the findings runs today as well
    figures_snapshot(organisation=landscape.a.org, day=today)  # refreshes the findings first
    finding = Finding.objects.filter(organisation=landscape.a.org, subject_kind="process").first()
    assert finding is not None
    finding_accept(
        actor=landscape.a.editor,
        finding=finding,
        justification="Migratie gepland in 2027.",
        owner="CIO",
        approver=landscape.a.admin,
        expires_on=today + dt.timedelta(days=90),
        today=today,
    )
    card = scorecard_get_or_create(actor=None, organisation=landscape.a.org, service=landscape.service)
    scorecard_answer(actor=None, scorecard=card, question="SOV-1.1", option=_first_option("SOV-1.1"),
                     evidence="Jaarverslag", source="Jaarverslag 2025", checked_on=today)  # fmt: skip


def _procurement(landscape: Landscape) -> None:
    """A tender in scope of a process and a reference component, two bids with scorecard answers
    and offered clauses, and two decisions: the second supersedes the first."""
    ls = landscape
    component = services.register_create(
        actor=None, model=GemmaElement, data={"kind": "referentiecomponent", "name": "Zaaksysteem"}
    )
    tender = tender_create(
        actor=ls.a.editor,
        organisation=ls.a.org,
        data={"reference": "T-2027-01", "title": "Zaaksysteem 2027", "status": "open",
              "contract_months": 60, "published_on": dt.date(2026, 3, 1), "closes_on": dt.date(2026, 4, 1)},
        processes=[ls.a.process],
        reference_components=[component],
        min_seal={"SOV-2": 1},
        required_clauses=["data_return_open_format"],
        weights={"price": 55.5, "sovereignty": 20, "exposure": 10, "concentration": 5, "continuity": 5,
                 "lockin": 4.5},
    )  # fmt: skip
    bids = [
        bid_create(
            actor=ls.a.editor,
            tender=tender,
            data={
                "bidder": ls.provider,
                "product": ls.product,
                "services": [ls.service],
                "annual_price": price,
                "answers": dict(ALL_FOUR, **{"SOV-1.2": "partial"}),
                "clauses": ALL_CLAUSES,
                "notes": "Inschrijving",
            },
        )
        for price in ("80000.50", "90000.00")
    ]
    bid_create(actor=ls.a.editor, tender=tender, data={"bidder": ls.provider, "total_value": "123.45"})
    decision_record(actor=ls.a.editor, tender=tender, bid=bids[0], justification="Laagste prijs.",
                    decided_on=dt.date(2026, 5, 1))  # fmt: skip
    decision_record(actor=ls.a.admin, tender=tender, bid=bids[1], justification="Herzien na bezwaar.",
                    decided_on=dt.date(2026, 6, 1))  # fmt: skip


def _first_option(question: str) -> str:
    from regie.policy.sovereignty import QUESTION_BY_ID

    return str(QUESTION_BY_ID[question].options[0].key)


def test_the_shipped_schema_is_the_one_regie_derives_from_its_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "regenerate organisation.schema.json"


def test_an_export_is_valid_against_the_published_schema(landscape: Landscape) -> None:
    _enrich(landscape)
    document = json.loads(
        export_organisation(actor=landscape.a.viewer, organisation=landscape.a.org, format="json")
    )
    assert validate_document(document) == []
    assert {p["name"] for p in document["processes"]} == {"Burgerzaken"}
    assert document["legal_entities"][0]["name"].startswith("Hyperscaler")
    assert any(e["object_type"] == "register.contract" and e["action"] == "update" for e in document["audit"])


def test_an_export_never_contains_another_organisations_records(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    contracts = [c["reference"] for c in document["contracts"]]
    assert contracts == ["a-2024-01"]


def test_importing_an_organisations_own_export_changes_nothing(landscape: Landscape) -> None:
    _enrich(landscape)
    org = landscape.a.org
    data = export_organisation(actor=None, organisation=org, format="json")
    before = (
        Process.objects.count(),
        Contract.objects.count(),
        Provenance.objects.count(),
        AuditEntry.objects.count(),
    )
    report = import_file(actor=landscape.a.editor, organisation=org, path_or_bytes=data, format="json")
    assert report.ok, report.summary()
    assert not report.created
    assert not report.updated
    after = (
        Process.objects.count(),
        Contract.objects.count(),
        Provenance.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before


def test_a_document_with_a_dangling_reference_is_refused_with_its_place(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    document["usages"][0]["product"] = "product-99"
    document["processes"][0]["availability"] = "hoog"
    report = import_file(
        actor=None,
        organisation=landscape.a.org,
        path_or_bytes=json.dumps(document).encode(),
        format="json",
        filename="a.json",
    )
    messages = {(p.sheet, p.message) for p in report.problems}
    assert ("processes[0].availability", "'hoog' is not of type 'integer'") in messages
    assert not report.written


def test_a_reference_to_a_record_of_the_wrong_kind_is_refused(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    document["usages"][0]["product"] = document["processes"][0]["id"]
    report = import_file(
        actor=None, organisation=landscape.a.org, path_or_bytes=json.dumps(document).encode(), format="json"
    )
    assert any("not of kind products" in p.message and p.sheet == "usages[0]" for p in report.problems)


def test_parents_that_form_a_cycle_are_refused_before_anything_is_written(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    entities = document["legal_entities"]
    entities[0]["parent"], entities[0]["parent_state"] = entities[1]["id"], "known"
    entities[1]["parent"], entities[1]["parent_state"] = entities[0]["id"], "known"
    report = import_file(
        actor=None, organisation=None, path_or_bytes=json.dumps(document).encode(), format="json"
    )
    assert any("cycle" in p.message for p in report.problems)
    assert not report.written


def _regie(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-m", "regie.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _reimported(original: dict[str, object], tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """Import ``original`` into an empty instance (its own SQLite file) through the command
    line and export organisation ``a`` again: the database and the document it gives."""
    source = tmp_path / "a.json"
    source.write_text(json.dumps(original), encoding="utf-8")
    db = tmp_path / "empty.sqlite3"
    imported = _regie(db, "import", str(source), "--format", "json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    out = tmp_path / "again.json"
    exported = _regie(db, "export", "--org", "a", "--format", "json", "--output", str(out))
    assert exported.returncode == 0, exported.stderr
    again: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return db, again


def test_importing_an_export_into_an_empty_instance_reproduces_the_organisation(
    landscape: Landscape, tmp_path: Path
) -> None:
    _enrich(landscape)
    _framework(landscape)
    _procurement(landscape)
    original = build_document(landscape.a.org)
    for key in ("findings", "acceptances", "finding_events", "scorecards", "scorecard_answers",
                "figure_snapshots", "tenders", "bids", "decisions"):  # fmt: skip
        assert original[key], key
    assert validate_document(original) == []
    first, second = sorted(original["decisions"], key=lambda d: d["decided_on"])
    assert (first["supersedes"], second["supersedes"]) == (None, first["id"])
    assert second["decided_by"] == landscape.a.admin.username
    bid_ids = {b["id"] for b in original["bids"]}
    assert len(bid_ids) == 3
    assert set(second["scores"]) == bid_ids  # keyed by the bids' document ids, not database ids
    assert {b["bidder"] for b in original["bids"]} <= {e["id"] for e in original["legal_entities"]}
    assert original["tenders"][0]["reference_components"][0].startswith("gemma-")
    assert original["acceptances"][0]["approver"] == landscape.a.admin.username
    assert any(f["subject"] == original["processes"][0]["id"] for f in original["findings"])
    ids = ("process", "usage", "contract", "organisation")  # subjects whose key is a database id
    assert all(f["subject"] for f in original["findings"] if f["subject_kind"] in ids)
    assert any(f["subject"] == "organisation" for f in original["findings"])
    _, again = _reimported(original, tmp_path)
    for key, records in canonical(original).items():  # section by section: a failure names the record
        if isinstance(records, list):
            mismatched = [(a, b) for a, b in zip(canonical(again)[key], records, strict=False) if a != b]
            differences = [{k: (v, b.get(k)) for k, v in a.items() if v != b.get(k)} for a, b in mismatched]
            assert not differences, (key, differences[:1])
    assert canonical(again) == canonical(original)


def test_reimporting_tenders_bids_and_decisions_changes_nothing(landscape: Landscape) -> None:
    _procurement(landscape)
    data = export_organisation(actor=None, organisation=landscape.a.org, format="json")
    before = (
        Tender.objects.count(),
        Bid.objects.count(),
        Decision.objects.count(),
        AuditEntry.objects.count(),
    )
    report = import_file(actor=None, organisation=landscape.a.org, path_or_bytes=data, format="json")
    assert report.ok, report.summary()
    assert not report.created
    assert not report.updated
    assert report.unchanged["decisions"] == 2
    after = (
        Tender.objects.count(),
        Bid.objects.count(),
        Decision.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before


def test_a_decision_that_supersedes_no_decision_of_the_document_is_refused(landscape: Landscape) -> None:
    _procurement(landscape)
    document = build_document(landscape.a.org)
    document["decisions"][1]["supersedes"] = document["bids"][0]["id"]
    document["bids"][0]["services"] = ["decision-1"]
    report = import_file(
        actor=None, organisation=landscape.a.org, path_or_bytes=json.dumps(document).encode(), format="json"
    )
    places = {(p.sheet, p.column) for p in report.problems}
    assert ("decisions[1]", "supersedes") in places
    assert ("bids[0]", "services") in places
    assert not report.written


def test_an_editor_cannot_write_history_through_a_document(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    document["audit"].append(forged_audit_entry("mallory", "forged"))
    report = import_file(
        actor=landscape.a.editor,
        organisation=landscape.a.org,
        path_or_bytes=json.dumps(document).encode(),
        format="json",
    )
    assert report.ok, report.summary()
    assert not AuditEntry.objects.filter(actor_label="mallory").exists()
    assert any("not restored" in str(n) for n in report.notices)


def test_an_editor_cannot_restore_findings_through_a_document(landscape: Landscape) -> None:
    _framework(landscape)
    document = build_document(landscape.a.org)
    Acceptance.objects.all().delete()
    events = FindingEvent.objects.count()
    report = import_file(
        actor=landscape.a.editor,
        organisation=landscape.a.org,
        path_or_bytes=json.dumps(document).encode(),
        format="json",
    )
    assert report.ok, report.summary()
    assert not Acceptance.objects.exists()
    assert FindingEvent.objects.count() == events
    assert any("framework records" in str(n) for n in report.notices)


def test_a_finding_about_a_record_not_in_the_document_is_refused_with_its_place(landscape: Landscape) -> None:
    _framework(landscape)
    document = build_document(landscape.a.org)
    index = next(i for i, f in enumerate(document["findings"]) if f["subject"])
    document["findings"][index]["subject"] = "process-99"
    document["acceptances"][0]["finding"] = "finding-999"
    report = import_file(
        actor=None, organisation=landscape.a.org, path_or_bytes=json.dumps(document).encode(), format="json"
    )
    places = {(p.sheet, p.column) for p in report.problems}
    assert (f"findings[{index}]", "subject") in places
    assert ("acceptances[0]", "finding") in places
    assert not report.written
