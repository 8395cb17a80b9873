"""GLEIF golden-copy files fill LEI, countries and parents, with provenance; recorded files, no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regie.interchange.services import import_file
from regie.register.models import LegalEntity
from tests.factories import country

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
LEVEL1 = DATA / "20251105-0800-gleif-goldencopy-lei2-golden-copy.csv"
LEVEL2 = DATA / "20251105-0800-gleif-goldencopy-rr-golden-copy.csv"


@pytest.fixture
def countries(db: None) -> None:
    country("US", "United States")
    country("IE", "Ireland", eu=True)
    country("NL", "Netherlands", eu=True)


def test_level_1_and_level_2_fill_the_control_chain_with_provenance(countries: None) -> None:
    first = import_file(actor=None, organisation=None, path_or_bytes=LEVEL1, format="gleif")
    assert first.ok, first.summary()
    microsoft = LegalEntity.objects.get(lei="INR2EJN1ERAN0W5ZP974")
    assert microsoft.hq_country_id == "US"
    assert microsoft.hq_country_provenance is not None
    assert microsoft.hq_country_provenance.source == "GLEIF, 2025-11-05"
    second = import_file(actor=None, organisation=None, path_or_bytes=LEVEL2, format="gleif")
    assert second.ok, second.summary()
    irish = LegalEntity.objects.get(lei="5493001KJTIIGC8Y1R12")
    assert irish.parent == microsoft
    assert irish.parent_state == "known"
    assert irish.parent_provenance is not None
    holding = LegalEntity.objects.get(lei="724500AAAAAAAAAAAA12")
    assert holding.parent == irish  # the ultimate parent stands in where no direct parent is reported
    assert holding.ultimate_parent == microsoft
    notices = " ".join(str(n) for n in second.notices)
    assert "529900ZZZZZZZZZZZZ99 is not in the catalogue" in notices
    assert "ultimate parent" in notices


def test_importing_the_same_gleif_files_again_changes_nothing(countries: None) -> None:
    for path in (LEVEL1, LEVEL2):
        import_file(actor=None, organisation=None, path_or_bytes=path, format="gleif")
    for path in (LEVEL1, LEVEL2):
        again = import_file(actor=None, organisation=None, path_or_bytes=path, format="gleif")
        assert again.ok
        assert not again.created
        assert not again.updated


def test_an_existing_entity_without_lei_is_matched_by_name(countries: None) -> None:
    from regie.register import services

    existing = services.register_create(
        actor=None, model=LegalEntity, data={"name": "Voorbeeld Holding B.V. (fictitious)"}
    )
    import_file(actor=None, organisation=None, path_or_bytes=LEVEL1, format="gleif")
    existing.refresh_from_db()
    assert existing.lei == "724500AAAAAAAAAAAA12"
    assert existing.registration_country_id == "NL"


def test_the_golden_copy_json_format_is_read(countries: None) -> None:
    report = import_file(
        actor=None, organisation=None, path_or_bytes=DATA / "gleif-lei2-golden-copy.json", format="gleif"
    )
    assert report.ok, report.summary()
    entity = LegalEntity.objects.get(lei="5493001KJTIIGC8Y1R12")
    assert entity.registration_country_provenance is not None
    assert entity.registration_country_provenance.checked_on.isoformat() == "2025-11-05"


def test_the_gleif_api_json_is_read(countries: None) -> None:
    document = {"data": {"type": "lei-records", "attributes": {"lei": "INR2EJN1ERAN0W5ZP974", "entity": {
        "legalName": {"name": "MICROSOFT CORPORATION"}, "legalAddress": {"country": "US"},
        "headquartersAddress": {"country": "US"}}}}}  # fmt: skip
    report = import_file(actor=None, organisation=None, path_or_bytes=json.dumps(document).encode(),
                         format="gleif", filename="api.json")  # fmt: skip
    assert report.ok, report.summary()
    assert LegalEntity.objects.get(lei="INR2EJN1ERAN0W5ZP974").hq_country_id == "US"


def test_invalid_leis_and_unknown_countries_are_named_and_nothing_is_written(countries: None) -> None:
    data = (
        LEVEL1.read_bytes().replace(b"INR2EJN1ERAN0W5ZP974", b"NOT-A-LEI").replace(b'"IE","IE"', b'"XX","IE"')
    )
    report = import_file(actor=None, organisation=None, path_or_bytes=data, format="gleif", filename="l1.csv")
    messages = [str(p) for p in report.problems]
    assert "l1.csv, GLEIF level '1', record 2, column 'LEI': 'NOT-A-LEI' is not a valid LEI." in messages
    assert any("record 3" in m and "Unknown country code 'XX'" in m for m in messages)
    assert not LegalEntity.objects.exists()


def test_parents_that_would_form_a_cycle_are_refused(countries: None) -> None:
    import_file(actor=None, organisation=None, path_or_bytes=LEVEL1, format="gleif")
    import_file(actor=None, organisation=None, path_or_bytes=LEVEL2, format="gleif")
    loop = (
        b'"Relationship.StartNode.NodeID","Relationship.EndNode.NodeID","Relationship.RelationshipType"\n'
        b'"INR2EJN1ERAN0W5ZP974","724500AAAAAAAAAAAA12","IS_DIRECTLY_CONSOLIDATED_BY"\n'
    )
    report = import_file(
        actor=None, organisation=None, path_or_bytes=loop, format="gleif", filename="loop.csv"
    )
    assert any("cycle" in p.message for p in report.problems)
    assert LegalEntity.objects.get(lei="INR2EJN1ERAN0W5ZP974").parent is None


def test_an_organisation_editor_may_not_change_the_catalogue(countries: None, landscape) -> None:  # type: ignore[no-untyped-def]
    report = import_file(actor=landscape.a.editor, organisation=None, path_or_bytes=LEVEL1, format="gleif")
    assert not report.ok
    assert "catalogue maintainers" in report.problems[0].message
