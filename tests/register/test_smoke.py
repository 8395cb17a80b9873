from __future__ import annotations

import pytest

from regie.audit.models import AuditEntry
from tests.factories import Landscape


@pytest.mark.django_db
def test_landscape_fixture_writes_through_audited_services(landscape: Landscape) -> None:
    assert landscape.a.org.pk != landscape.b.org.pk
    assert AuditEntry.objects.filter(organisation_id=landscape.a.org.pk).count() >= 9
    assert [e.name for e in landscape.provider.control_chain()] == [
        "Hyperscaler Ireland Ltd (fictitious)",
        "Hyperscaler Inc. (fictitious)",
    ]


@pytest.mark.django_db
def test_an_organisation_with_redundancy_groups_can_be_deleted_whole(landscape: Landscape) -> None:
    from regie.register.models import Dependency, RedundancyGroup
    from regie.register.services import register_delete

    org = landscape.a.org
    assert Dependency.objects.filter(organisation=org, group__isnull=False).exists()
    register_delete(actor=None, instance=org)
    assert not RedundancyGroup.objects.filter(organisation_id=landscape.a.org.pk).exists()
    assert RedundancyGroup.objects.filter(organisation=landscape.b.org).exists()


@pytest.mark.django_db
def test_a_redundancy_group_in_use_cannot_be_deleted_on_its_own(landscape: Landscape) -> None:
    from django.core.exceptions import ValidationError

    from regie.register.services import register_delete

    with pytest.raises(ValidationError):
        register_delete(actor=None, instance=landscape.a.group)
