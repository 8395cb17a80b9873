"""An organisation may override a catalogue fact locally, with a justification; audited, tenant-scoped."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.audit.models import AuditEntry
from regie.reference.bundle import BundleReport
from regie.reference.models import FactOverride
from regie.reference.selectors import effective_fact, overrides_for_snapshot, overrides_of
from regie.reference.services import override_remove, override_set
from regie.register.models import LegalEntity, Service
from tests.factories import Landscape, make_landscape

pytestmark = pytest.mark.django_db


@pytest.fixture
def land(loaded: BundleReport) -> Landscape:
    return make_landscape()


def m365() -> Service:
    return Service.objects.get(name="Microsoft 365")


def set_location(land: Landscape) -> FactOverride:
    return override_set(
        actor=land.a.editor,
        organisation=land.a.org,
        service=m365(),
        field="locations.rest",
        value=["IE", "NL"],
        justification="Our contract names the data centres (fictitious example).",
        source="Contract annex B (fictitious)",
    )


def test_an_override_applies_to_its_organisation_only(land: Landscape) -> None:
    override = set_location(land)
    mine = effective_fact(organisation=land.a.org, service=m365(), field="locations.rest")
    assert (mine.value, mine.overridden, mine.override) == (["IE", "NL"], True, override)
    assert mine.provenance is not None
    assert mine.provenance.source == "Contract annex B (fictitious)"
    assert "fictitious example" in mine.justification
    theirs = effective_fact(organisation=land.b.org, service=m365(), field="locations.rest")
    assert (theirs.value, theirs.overridden) == (None, False)  # unknown in the catalogue


def test_setting_an_override_is_audited(land: Landscape) -> None:
    before = AuditEntry.objects.filter(object_type="reference.factoverride").count()
    override = set_location(land)
    entries = AuditEntry.objects.filter(object_type="reference.factoverride", object_id=str(override.pk))
    assert entries.count() == before + 1
    assert entries.get().organisation_id == land.a.org.pk
    assert entries.get().actor == land.a.editor


def test_setting_it_again_replaces_the_value(land: Landscape) -> None:
    first = set_location(land)
    second = override_set(
        actor=land.a.editor,
        organisation=land.a.org,
        service=m365(),
        field="locations.rest",
        value=["NL"],
        justification="Renegotiated (fictitious).",
        source="Contract amendment (fictitious)",
    )
    assert first.pk == second.pk
    assert FactOverride.objects.count() == 1
    assert effective_fact(organisation=land.a.org, service=m365(), field="locations.rest").value == ["NL"]


def test_removing_it_restores_the_catalogue_value(land: Landscape) -> None:
    override_remove(actor=land.a.editor, override=set_location(land))
    assert not effective_fact(organisation=land.a.org, service=m365(), field="locations.rest").overridden


def test_a_viewer_or_another_organisation_may_not_override(land: Landscape) -> None:
    for actor in (land.a.viewer, land.b.editor):
        with pytest.raises(PermissionDenied):
            override_set(
                actor=actor,
                organisation=land.a.org,
                service=m365(),
                field="customer_held_keys",
                value="yes",
                justification="x",
                source="y",
            )
    assert not FactOverride.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "refused_field"),
    [
        ("locations.rest", ["XX"], "value"),
        ("customer_held_keys", "maybe", "value"),
        ("recovery_hours", -1, "value"),
        ("hq_country", "NL", "field"),  # a legal entity's fact, asked of a service
    ],
)
def test_an_invalid_override_is_refused(
    land: Landscape, field: str, value: object, refused_field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        override_set(
            actor=land.a.editor,
            organisation=land.a.org,
            service=m365(),
            field=field,
            value=value,
            justification="Test.",
            source="Test source (fictitious)",
        )
    assert list(refused.value.message_dict) == [refused_field]
    assert not FactOverride.objects.exists()


def test_an_override_needs_a_justification(land: Landscape) -> None:
    with pytest.raises(ValidationError):
        override_set(
            actor=land.a.editor,
            organisation=land.a.org,
            service=m365(),
            field="customer_held_keys",
            value="yes",
            justification="   ",
            source="Test source (fictitious)",
        )


def test_a_parent_override_that_closes_a_cycle_is_refused(land: Landscape) -> None:
    hg = LegalEntity.objects.get(name="Hg")
    roxit = LegalEntity.objects.get(name="Visma Roxit")
    with pytest.raises(ValidationError, match="cycle"):
        override_set(
            actor=land.a.editor,
            organisation=land.a.org,
            entity=hg,
            field="parent",
            value={"state": "known", "entity": roxit.pk},
            justification="Test.",
            source="Test source (fictitious)",
        )


def test_an_entity_override_and_the_catalogue_value(land: Landscape) -> None:
    centric = LegalEntity.objects.get(name="Centric")
    catalogue = effective_fact(organisation=land.a.org, entity=centric, field="parent")
    assert catalogue.value == {"state": "unknown"}
    owner = LegalEntity.objects.get(name="Hg")
    override_set(
        actor=land.a.editor,
        organisation=land.a.org,
        entity=centric,
        field="parent",
        value={"state": "known", "entity": owner.pk},
        justification="Assumption for a scenario (fictitious).",
        source="Own research (fictitious)",
        verified=False,
    )
    local = effective_fact(organisation=land.a.org, entity=centric, field="parent")
    assert local.value == {"state": "known", "entity": owner.pk}
    assert local.provenance is not None
    assert local.provenance.verified is False
    assert overrides_for_snapshot(land.a.org.pk) == {("entity", centric.pk, "parent"): local.value}
    assert overrides_for_snapshot(land.b.org.pk) == {}


def test_overrides_are_read_only_by_members_of_the_organisation(land: Landscape) -> None:
    set_location(land)
    assert overrides_of(user=land.a.viewer, organisation=land.a.org).count() == 1
    assert overrides_of(user=land.b.admin, organisation=land.a.org).count() == 0
    assert overrides_of(user=land.outsider, organisation=land.a.org).count() == 0
