"""The writer of the JSON document (ADR 0128, 0137): every organisation in one pass over each
table, or one organisation alone (``export_json``) with only the shared records its document
brings along. A document does not depend on the other organisations of its batch, nor on which
shared records were read; it imports into an empty instance."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.interchange.jsondoc.bulkexport import export_every_organisation, organisation_document
from regie.interchange.jsondoc.export import canonical, encode, export_json
from regie.interchange.jsondoc.shared import SLOT, load_shared
from regie.policy.models import Finding
from regie.policy.services import figures_snapshot
from regie.register import services
from regie.register.models import GemmaElement, LegalEntity, Organisation, Product, Usage
from tests.factories import Landscape
from tests.interchange.test_json_document import _enrich, _framework, _procurement, _regie, _reimported

pytestmark = pytest.mark.django_db

STAMP = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
EVERY_KIND = (
    *("findings", "acceptances", "finding_events", "scorecards", "scorecard_answers", "tenders", "bids"),
    *("decisions", "audit", "exit_plans", "exit_plan_steps", "contract_clauses", "provenance"),
)


def _everything(landscape: Landscape) -> None:
    """Both organisations with records of every kind, history, findings; org A also with an
    acceptance, a scorecard, tenders, bids and decisions; a product with two reference
    components (a list of ids sorted in each document) and a third, empty organisation."""
    components = [
        services.register_create(
            actor=None, model=GemmaElement, data={"kind": "referentiecomponent", "name": name}
        )
        for name in ("Zaken 10", "Zaken 2")
    ]
    services.register_update(
        actor=None, instance=landscape.product, data={}, m2m={"reference_components": components}
    )
    _enrich(landscape)
    _framework(landscape)
    _procurement(landscape)
    figures_snapshot(organisation=landscape.b.org, day=timezone.localdate())
    services.register_create(
        actor=None, model=Organisation, data={"name": "Leeg", "code": "leeg", "kind": "other"}
    )


def _export_all(tmp_path: Path, *, batch: int = 50) -> dict[str, bytes]:
    directory = tmp_path / f"all-{batch}"
    result = export_every_organisation(directory, batch=batch, exported_at=STAMP)
    files = {p.stem: p.read_bytes() for p in directory.iterdir()}
    assert result.organisations == len(files) == Organisation.objects.count()
    assert result.bytes == sum(len(data) for data in files.values())
    return files


def test_a_document_does_not_depend_on_the_other_organisations_of_its_batch(
    landscape: Landscape, tmp_path: Path
) -> None:
    """All organisations in one batch, in batches of two, each alone among every shared record,
    and alone with only the shared records it brings along (``export_json``): the same bytes."""
    _everything(landscape)
    landscape.a.org.joint_arrangements.add(landscape.b.org)
    files = _export_all(tmp_path)
    assert Organisation.objects.count() >= 3
    for batch in (1, 2):
        assert _export_all(tmp_path, batch=batch) == files, batch
    for organisation in Organisation.objects.all():
        assert files[organisation.code] == export_json(organisation, exported_at=STAMP), organisation.code
    document = json.loads(files[landscape.a.org.code])
    for key in EVERY_KIND:
        assert document[key], key  # the comparison covered every kind of record
    assert json.loads(files[landscape.b.org.code])["findings"]
    assert any(len(p["reference_components"]) == 2 for p in document["products"])
    assert document["organisation"]["joint_arrangements"] == [landscape.b.org.code]
    assert json.loads(files["leeg"])["processes"] == []


def test_the_text_writer_gives_the_bytes_of_the_dictionary_writer(landscape: Landscape) -> None:
    """A document assembled from templates and fragments (the fast path) is the dictionary of
    the slow path as ``encode`` writes it, for every organisation and kind of record."""
    _everything(landscape)
    for organisation in Organisation.objects.all():
        document = organisation_document(organisation.pk, STAMP.isoformat())
        assert document.encoded() == encode(document.dictionary()), organisation.code


def test_records_orjson_refuses_or_a_template_cannot_hold_take_the_slow_path_in_any_batch(
    landscape: Landscape, tmp_path: Path
) -> None:
    _everything(landscape)
    finding = Finding.objects.filter(organisation=landscape.a.org).first()
    assert finding is not None
    Finding.objects.filter(pk=finding.pk).update(evidence={"count": 2**70})  # beyond 64 bits
    Product.objects.filter(pk=landscape.product.pk).update(description=f"{SLOT} and 100%")
    files = _export_all(tmp_path)
    for organisation in Organisation.objects.all():
        assert files[organisation.code] == export_json(organisation, exported_at=STAMP), organisation.code
    assert str(2**70) in files[landscape.a.org.code].decode()
    products = json.loads(files[landscape.a.org.code])["products"]
    assert f"{SLOT} and 100%" in [p["description"] for p in products]


def test_one_organisations_export_reads_only_the_shared_records_its_document_brings_along(
    landscape: Landscape,
) -> None:
    """Not every catalogue record (ADR 0137): a product only organisation b uses, and a legal
    entity no one refers to, are not read for organisation a's document."""
    theirs = services.register_create(
        actor=None, model=Product, data={"name": "Alleen B", "supplier": landscape.provider}
    )
    services.register_create(
        actor=None, model=Usage, data={"organisation": landscape.b.org, "name": "Eigen", "product": theirs}
    )
    nobodys = services.register_create(actor=None, model=LegalEntity, data={"name": "Niemand BV"})
    every = load_shared().index
    assert theirs.pk in every[Product]
    assert nobodys.pk in every[LegalEntity]
    read = organisation_document(landscape.a.org.pk, STAMP.isoformat()).shared.index
    assert landscape.product.pk in read[Product]
    assert landscape.provider.pk in read[LegalEntity]
    assert theirs.pk not in read[Product]
    assert nobodys.pk not in read[LegalEntity]
    b = json.loads(export_json(landscape.b.org, exported_at=STAMP))
    assert "Alleen B" in [p["name"] for p in b["products"]]


def test_a_document_of_the_export_of_everyone_imports_into_an_empty_instance(
    landscape: Landscape, tmp_path: Path
) -> None:
    _everything(landscape)
    original = json.loads(_export_all(tmp_path)[landscape.a.org.code])
    db, reimported = _reimported(original, tmp_path)
    assert canonical(reimported) == canonical(original)
    # the command line, with two processes, writes the same document as the export of one
    everyone = _regie(
        db, "export", "--all", "--format", "json", "--output", str(tmp_path / "cli"), "--jobs", "2"
    )
    assert everyone.returncode == 0, everyone.stderr
    assert "Wrote 1 documents" in everyone.stdout
    again = json.loads((tmp_path / "cli" / "a.json").read_text(encoding="utf-8"))
    assert canonical(again) == canonical(reimported)


def test_the_export_of_everyone_is_json_into_a_directory_from_the_command_line_only(tmp_path: Path) -> None:
    db = tmp_path / "regie.sqlite3"
    wrong = _regie(db, "export", "--all", "--format", "xlsx", "--output", str(tmp_path / "x"))
    assert wrong.returncode == 2
    assert "--format json --output DIR" in wrong.stderr
    both = _regie(db, "export", "--all", "--org", "a", "--format", "json", "--output", str(tmp_path / "x"))
    assert both.returncode == 2
    package = Path(__file__).resolve().parents[2] / "src" / "regie"
    web = [
        p for p in package.rglob("*.py") if p.name in ("views.py", "api.py", "urls.py") or "views" in p.parts
    ]
    assert web
    reaching = [
        str(p) for p in web if "bulkexport" in p.read_text() or "export_every_organisation" in p.read_text()
    ]
    assert reaching == []  # no page or API call exports other organisations' documents


def test_audit_entries_of_other_organisations_stay_in_their_documents(
    landscape: Landscape, tmp_path: Path
) -> None:
    services.register_update(actor=None, instance=landscape.b.process, data={"owner": "Team B"})
    files = _export_all(tmp_path)
    for organisation in (landscape.a.org, landscape.b.org):
        audit = json.loads(files[organisation.code])["audit"]
        expected = AuditEntry.objects.filter(organisation_id=organisation.pk).count()
        assert len(audit) == expected > 0
    assert not any("Team B" in json.dumps(e) for e in json.loads(files[landscape.a.org.code])["audit"])
