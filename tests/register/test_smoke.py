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
