"""Stale and unverified facts, for the pages that ask for a re-check."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from regie.reference.bundle import BundleReport
from regie.reference.selectors import stale_facts, unverified_facts
from regie.register import services
from regie.register.models import LegalEntity, Service

pytestmark = pytest.mark.django_db


def _recheck(entity_name: str, *, days_ago: int) -> None:
    """Give one entity's headquarters fact a source checked ``days_ago`` days ago."""
    entity = LegalEntity.objects.get(name=entity_name)
    prov = services.provenance_create(
        actor=None,
        source="Handelsregister extract (fictitious test source)",
        checked_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    services.register_update(actor=None, instance=entity, data={"hq_country_provenance": prov})


def test_a_freshly_checked_bundle_has_no_stale_facts(loaded: BundleReport) -> None:
    today = timezone.localdate()
    checked = datetime.date(2026, 11, 28)
    expected_stale = (today - checked).days > 365
    assert bool(stale_facts(kinds={"entity", "service", "law"})) is expected_stale


def test_a_fact_checked_longer_ago_than_the_threshold_is_stale(loaded: BundleReport) -> None:
    _recheck("Cyso", days_ago=400)
    _recheck("Leafcloud", days_ago=10)
    stale = stale_facts(older_than_days=365, kinds={"entity"})
    names = {(f.subject_name, f.field) for f in stale}
    assert ("Cyso", "hq_country") in names
    assert ("Leafcloud", "hq_country") not in names
    cyso = next(f for f in stale if f.subject_name == "Cyso")
    assert cyso.value == "NL"
    assert cyso.source == "Handelsregister extract (fictitious test source)"
    assert cyso.subject_kind == "entity"
    assert cyso.subject_id == LegalEntity.objects.get(name="Cyso").pk


def test_the_threshold_defaults_to_the_setting(loaded: BundleReport) -> None:
    _recheck("Cyso", days_ago=40)
    with override_settings(REGIE_STALE_AFTER_DAYS=30):
        assert "Cyso" in {f.subject_name for f in stale_facts(kinds={"entity"})}
    with override_settings(REGIE_STALE_AFTER_DAYS=50):
        assert "Cyso" not in {f.subject_name for f in stale_facts(kinds={"entity"})}


def test_a_fact_never_checked_is_stale(loaded: BundleReport) -> None:
    prov = services.provenance_create(actor=None, source="Supplier's statement (fictitious)", checked_on=None)
    service = Service.objects.get(name="Leafcloud")
    services.register_update(
        actor=None, instance=service, data={"recovery_hours": 4, "recovery_provenance": prov}
    )
    stale = stale_facts(kinds={"service"})
    assert [(f.subject_name, f.field, f.checked_on) for f in stale] == [("Leafcloud", "recovery_hours", None)]


def test_unverified_facts_list_what_facts_md_marks_to_verify(loaded: BundleReport) -> None:
    facts = {(f.subject_kind, f.subject_name, f.field) for f in unverified_facts()}
    assert ("entity", "Exoscale", "parent") in facts
    assert ("entity", "PinkRoccade Local Government", "parent") in facts
    assert ("entity", "Microsoft Ireland Operations Limited", "hq_country") in facts
    assert ("law", "US CLOUD Act", "triggers") in facts
    assert ("entity", "Visma", "parent") not in facts
    assert ("entity", "Microsoft Corporation", "hq_country") not in facts
    assert all(not f.verified for f in unverified_facts())


def test_unverified_facts_can_be_limited_to_kinds(loaded: BundleReport) -> None:
    kinds = {f.subject_kind for f in unverified_facts(kinds={"law"})}
    assert kinds == {"law"}
