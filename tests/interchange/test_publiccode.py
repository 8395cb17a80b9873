"""publiccode.yml into the alternatives catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.interchange.services import import_file
from regie.register.models import Alternative

pytestmark = pytest.mark.django_db
FILE = Path(__file__).parent / "data" / "publiccode.yml"


def test_a_publiccode_file_becomes_an_alternative_with_its_source(db: None) -> None:
    report = import_file(actor=None, organisation=None, path_or_bytes=FILE, format="publiccode")
    assert report.ok, report.summary()
    alternative = Alternative.objects.get(name="Open Zaak (voorbeeld)")
    assert alternative.description == "Zaakregistratiecomponent volgens de ZGW API's"
    assert (alternative.licence, alternative.open_source, alternative.maturity) == (
        "EUPL-1.2",
        "yes",
        "proven",
    )
    assert alternative.category == "case-management"
    assert alternative.provenance is not None
    assert alternative.provenance.checked_on.isoformat() == "2025-06-01"
    again = import_file(actor=None, organisation=None, path_or_bytes=FILE, format="publiccode")
    assert not again.created
    assert not again.updated


def test_broken_yaml_is_refused_with_its_line(db: None) -> None:
    data = b"publiccodeYmlVersion: '0.4'\nname: [x\n"
    report = import_file(
        actor=None, organisation=None, path_or_bytes=data, format="publiccode", filename="publiccode.yml"
    )
    assert "line" in report.problems[0].message
    assert report.problems[0].file == "publiccode.yml"


def test_yaml_tags_that_would_build_objects_are_refused(db: None) -> None:
    data = b"publiccodeYmlVersion: '0.4'\nname: !!python/object/apply:os.system ['id']\n"
    report = import_file(actor=None, organisation=None, path_or_bytes=data, format="publiccode")
    assert not report.ok
    assert not Alternative.objects.exists()
