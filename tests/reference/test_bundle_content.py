"""The shipped bundle: valid, every fact sourced, 'to verify' facts unverified, chains acyclic."""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal

import pytest
import yaml
from jsonschema import Draft202012Validator

from regie.reference.bundle import BundleReport
from regie.reference.reading import DEFAULT_BUNDLE, SCHEMA_PATH, read_bundle
from regie.register.models import (
    Alternative,
    Country,
    GemmaElement,
    Law,
    LegalEntity,
    ParentState,
    Product,
    Service,
    ServiceLocation,
)

pytestmark = pytest.mark.django_db


def test_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_shipped_bundle_validates_against_its_schema_and_checks() -> None:
    bundle = read_bundle()
    assert bundle.version == "2026.11.0"
    assert len(bundle.entities) >= 35
    assert len(bundle.gemma) == 171 + 60 + 44 + 56 + 48 + 200


def test_manifest_attributes_the_gemma_taxonomy_to_vng_realisatie() -> None:
    manifest = yaml.safe_load((DEFAULT_BUNDLE / "bundle.yaml").read_text(encoding="utf-8"))
    gemma = next(a for a in manifest["attribution"] if a["file"] == "gemma-taxonomy.json")
    assert (gemma["publisher"], gemma["commit"], gemma["licence"]) == (
        "VNG Realisatie",
        "13846a57",
        "EUPL-1.2",
    )


def test_only_the_checked_lei_is_shipped() -> None:
    """facts.md: LEIs other than Microsoft's are to resolve through GLEIF, never guessed."""
    bundle = read_bundle()
    leis = {e["name"]: e["lei"] for e in bundle.entities if e.get("lei")}
    assert leis == {"Microsoft Corporation": "INR2EJN1ERAN0W5ZP974"}


def test_every_loaded_fact_has_a_source(loaded: BundleReport) -> None:
    for e in LegalEntity.objects.all():
        if e.hq_country_id:
            assert e.hq_country_provenance is not None, e
        if e.registration_country_id:
            assert e.registration_country_provenance is not None, e
        if e.parent_state != ParentState.UNKNOWN:
            assert e.parent_provenance is not None, e
    assert not Country.objects.filter(provenance__isnull=True).exists()
    assert not Law.objects.filter(provenance__isnull=True).exists()
    assert not Product.objects.filter(provenance__isnull=True).exists()
    assert not Alternative.objects.filter(provenance__isnull=True).exists()
    assert not ServiceLocation.objects.filter(provenance__isnull=True).exists()
    assert not Service.objects.filter(recovery_hours__isnull=False, recovery_provenance__isnull=True).exists()
    for e in LegalEntity.objects.exclude(hq_country_provenance=None).select_related("hq_country_provenance"):
        prov = e.hq_country_provenance
        assert prov.checked_on is not None
        assert prov.entered_by_label == "Regie reference bundle 2026.11.0"


def test_facts_marked_to_verify_ship_unverified_or_unknown(loaded: BundleReport) -> None:
    exoscale = LegalEntity.objects.get(name="Exoscale")
    assert exoscale.parent.name == "A1 Telekom Austria"
    assert exoscale.parent_provenance.verified is False
    pinkroccade = LegalEntity.objects.get(name="PinkRoccade Local Government")
    assert pinkroccade.parent_provenance.verified is False
    centric = LegalEntity.objects.get(name="Centric")
    assert centric.parent_state == ParentState.UNKNOWN
    assert centric.parent is None
    cloud_act = Law.objects.get(code="us-cloud-act")
    assert cloud_act.trigger_control
    assert cloud_act.provenance.verified is False
    assert "conservative assumption" in cloud_act.provenance.note
    assert not Law.objects.filter(name__icontains="12333").exists()


def test_checked_ownership_facts_are_verified(loaded: BundleReport) -> None:
    a1 = LegalEntity.objects.get(name="A1 Telekom Austria")
    assert a1.parent.name == "América Móvil"
    assert a1.parent_share == Decimal("56.55")
    assert a1.parent_provenance.verified is True
    assert LegalEntity.objects.get(name="Visma").parent_provenance.verified is True


def test_fisa_702_status_after_april_2026_is_not_claimed(loaded: BundleReport) -> None:
    fisa = Law.objects.get(code="us-fisa-702")
    assert fisa.in_force_until is None
    assert "not established" in fisa.summary


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("Visma Roxit", ["Visma Roxit", "Visma", "Hg"]),
        ("Exact", ["Exact", "KKR & Co. Inc."]),
        (
            "PinkRoccade Local Government",
            ["PinkRoccade Local Government", "Total Specific Solutions", "Constellation Software Inc."],
        ),
        ("Exoscale", ["Exoscale", "A1 Telekom Austria", "América Móvil"]),
        (
            "Microsoft Ireland Operations Limited",
            ["Microsoft Ireland Operations Limited", "Microsoft Corporation"],
        ),
        ("Logius", ["Logius", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"]),
    ],
)
def test_control_chain_of_a_supplier(loaded: BundleReport, name: str, chain: list[str]) -> None:
    assert [e.name for e in LegalEntity.objects.get(name=name).control_chain()] == chain


def test_every_control_chain_resolves_without_cycles(loaded: BundleReport) -> None:
    for entity in LegalEntity.objects.all():
        chain = entity.control_chain()
        assert len({e.pk for e in chain}) == len(chain), entity
        assert chain[-1].parent_state != ParentState.KNOWN, entity
        for child, parent in itertools.pairwise(chain):
            assert child.parent_id == parent.pk


def test_countries_come_from_iso_3166_with_dutch_names(loaded: BundleReport) -> None:
    assert Country.objects.count() == 249
    nl = Country.objects.get(code="NL")
    assert (nl.name_en, nl.name_nl, nl.eu_member, nl.eea_member) == ("Netherlands", "Nederland", True, True)
    assert Country.objects.get(code="DE").name_nl == "Duitsland"
    assert Country.objects.filter(eu_member=True).count() == 27
    assert Country.objects.filter(eea_member=True).count() == 30
    assert Country.objects.get(code="NO").eu_member is False


def test_gdpr_adequacy_with_its_scope(loaded: BundleReport) -> None:
    us = Country.objects.get(code="US")
    assert us.gdpr_adequacy is True
    assert "Data Privacy Framework" in us.provenance.source
    assert Country.objects.get(code="CN").gdpr_adequacy is False
    assert Country.objects.get(code="BR").gdpr_adequacy is None
    assert Country.objects.get(code="NL").gdpr_adequacy is None  # the GDPR applies itself


def test_gemma_taxonomy_is_loaded_with_bbn_and_biv(loaded: BundleReport) -> None:
    counts = {
        kind: GemmaElement.objects.filter(kind=kind).count()
        for kind in (
            "referentiecomponent",
            "bedrijfsfunctie",
            "bedrijfsproces",
            "voorziening",
            "technologiecomponent",
            "standaard",
        )
    }
    assert counts == {
        "referentiecomponent": 171,
        "bedrijfsfunctie": 60,
        "bedrijfsproces": 44,
        "voorziening": 56,
        "technologiecomponent": 48,
        "standaard": 200,
    }
    zrc = GemmaElement.objects.get(kind="referentiecomponent", name="Zaakregistratiecomponent")
    assert zrc.bbn.startswith("BBN ")
    assert zrc.availability in (1, 2, 3)


def test_services_map_to_dora_types_and_have_no_unsourced_locations(loaded: BundleReport) -> None:
    m365 = Service.objects.get(name="Microsoft 365")
    assert m365.dora_type == "S19"
    assert m365.provider.name == "Microsoft Ireland Operations Limited"
    assert Service.objects.get(name="Hetzner Cloud").dora_type == "S17"
    assert not ServiceLocation.objects.exists()  # no source in this bundle establishes a location


def test_alternatives_catalogue_covers_opendesk_and_european_clouds(loaded: BundleReport) -> None:
    categories = set(Alternative.objects.values_list("category", flat=True))
    assert {
        "chat",
        "email",
        "video",
        "files",
        "identity",
        "knowledge",
        "project_management",
        "iaas",
        "kubernetes",
    } <= categories
    nextcloud = Alternative.objects.get(name="Nextcloud (openDesk)")
    assert (nextcloud.open_source, nextcloud.licence, nextcloud.self_hostable) == (
        "yes",
        "AGPL-3.0-or-later",
        "yes",
    )
    assert set(nextcloud.replaces_products.values_list("name", flat=True)) == {
        "Microsoft 365",
        "Google Workspace",
    }
    assert Alternative.objects.get(name="Exoscale Compute").eu_based == "unknown"


def test_every_source_in_the_bundle_backs_a_fact() -> None:
    bundle = read_bundle()
    text = "\n".join(
        (DEFAULT_BUNDLE / bundle.files[key]).read_text(encoding="utf-8")
        for key in ("countries", "laws", "entities", "products", "services", "alternatives")
    )
    unused = [k for k in bundle.sources if not re.search(rf"source:\s*{re.escape(k)}\b", text)]
    assert unused == []
