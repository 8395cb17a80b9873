"""Analyses are computed once per revision of the organisation's data, and never served stale."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regie.analysis import cache
from regie.register.models import Usage
from tests.api.conftest import Api, api_for
from tests.factories import Landscape

pytestmark = pytest.mark.django_db

LOCK_IN = "/organisations/a/analysis/lock-in"


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The organisations analysed (not served from the cache), in order."""
    calls: list[int] = []
    original = cache.analyse_organisation

    def counting(organisation: Any, options: Any = None) -> Any:
        calls.append(organisation.pk)
        return original(organisation, options)

    monkeypatch.setattr(cache, "analyse_organisation", counting)
    return calls


def fetch(api: Api, path: str) -> bytes:
    response = api.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return bytes(response.content)


def counted(api: Api, path: str) -> tuple[bytes, int]:
    """A response served from the cache, and the queries it took."""
    with CaptureQueriesContext(connection) as captured:
        body = fetch(api, path)
    return body, len(captured)


def test_a_repeated_analysis_is_served_from_the_cache(landscape: Landscape, computed: list[int]) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    first = fetch(api, LOCK_IN)
    assert computed == [landscape.a.org.pk]
    again, served = counted(api, LOCK_IN)
    assert again == first
    assert computed == [landscape.a.org.pk]
    assert served <= 16  # the token, the organisation and the revision stamps


def test_a_change_through_the_api_is_seen_at_once(landscape: Landscape) -> None:
    api = api_for(landscape.a.editor, scope="write", organisation=landscape.a.org)
    usage = landscape.a.usage
    before = fetch(api, LOCK_IN)
    assert b"Zaaksysteem" in before
    etag = api.get(f"/organisations/a/usages/{usage.pk}")["ETag"]
    changed = api.patch(
        f"/organisations/a/usages/{usage.pk}", {"name": "Zaaksysteem 2"}, **{"If-Match": etag}
    )
    assert changed.status_code == 200, changed.content
    assert b"Zaaksysteem 2" in fetch(api, LOCK_IN)


def test_a_write_past_the_services_is_seen_too(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    fetch(api, LOCK_IN)
    Usage.objects.filter(pk=landscape.a.usage.pk).update(name="Bulk geladen", updated_at=timezone.now())
    assert b"Bulk geladen" in fetch(api, LOCK_IN)


def test_another_organisation_changes_nothing_and_sees_nothing(
    landscape: Landscape, computed: list[int]
) -> None:
    api_a = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    first = fetch(api_a, LOCK_IN)
    api_b = api_for(landscape.b.editor, scope="write", organisation=landscape.b.org)
    assert api_b.get(LOCK_IN).status_code == 404  # cached for A, still not visible to B
    usage_b = landscape.b.usage
    etag = api_b.get(f"/organisations/b/usages/{usage_b.pk}")["ETag"]
    api_b.patch(f"/organisations/b/usages/{usage_b.pk}", {"name": "Elders"}, **{"If-Match": etag})
    assert fetch(api_a, LOCK_IN) == first
    assert computed == [landscape.a.org.pk]


def test_the_dashboard_shows_a_change_at_once(landscape: Landscape) -> None:
    client = Client()
    client.force_login(landscape.a.viewer)
    assert client.get("/o/a/analysis/lock-in/").status_code == 200
    Usage.objects.filter(pk=landscape.a.usage.pk).update(name="Nieuwe naam", updated_at=timezone.now())
    page = client.get("/o/a/analysis/lock-in/")
    assert page.status_code == 200
    assert "Nieuwe naam" in page.content.decode()


def test_the_dashboards_overrides_notice_follows_every_change(landscape: Landscape) -> None:
    """The notice is kept per revision (ADR 0133): a set, changed or removed override shows at
    once, for every caller who may see the organisation, and never for one who may not."""
    from regie.reference.services import override_remove, override_set

    viewer, admin, other = Client(), Client(), Client()
    viewer.force_login(landscape.a.viewer)
    admin.force_login(landscape.a.admin)
    other.force_login(landscape.b.viewer)

    def page(client: Client) -> str:
        response = client.get("/o/a/analysis/", headers={"accept-language": "nl"})
        return response.content.decode() if response.status_code == 200 else str(response.status_code)

    assert "lokale afwijking" not in page(viewer)

    def no_parent(why: str) -> Any:
        return override_set(
            actor=landscape.a.editor,
            organisation=landscape.a.org,
            entity=landscape.provider,
            field="parent",
            value={"state": "none"},
            justification=why,
            source="Uittreksel (fictief)",
        )

    override = no_parent("Eerste reden")
    assert "Eerste reden" in page(viewer)
    assert "Eerste reden" in page(admin)  # kept once, the same for every member
    assert page(other) == "404"
    no_parent("Tweede reden")
    assert "Tweede reden" in page(admin)
    assert "Eerste reden" not in page(viewer)
    override.refresh_from_db()
    override_remove(actor=landscape.a.editor, override=override)
    assert "lokale afwijking" not in page(viewer)
