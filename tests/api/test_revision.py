"""Kept representations are never stale: every write bumps the data revision in its own
transaction (database triggers, ADR 0125), and the very next read on every kept surface shows it.

Nothing in the process is told about a write: the only signal is the revision in the database.
A write in plain SQL is therefore what a write by another server process looks like here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client

from regie.accounts.models import Membership
from regie.api import representations
from regie.api.revision import revision
from regie.api.tokens import token_revoke
from regie.interchange.bulk import bulk_create_audited
from regie.register.models import Contract, Usage
from regie.register.services import register_update
from tests.api.conftest import Api, api_for
from tests.factories import Landscape

pytestmark = pytest.mark.django_db

NOT_TRIGGERED = {"register_legalentityancestor"}  # written only by the legal entity's triggers


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'regie_revision'"
            )
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE name LIKE 'regie_revision_%'")
        return {row[0] for row in cursor.fetchall()}


def test_every_register_table_and_the_overrides_bump_the_revision() -> None:
    """A new register table (or many-to-many table) without a trigger fails here: add it to a
    migration like api.0002, or its rows could be shown stale."""
    tables = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label == "register" or m._meta.label_lower == "reference.factoverride"
    }
    assert tables - NOT_TRIGGERED - _triggered_tables() == set()


def test_a_write_bumps_its_organisation_or_the_catalogue_in_its_own_transaction(
    landscape: Landscape,
) -> None:
    a, b = landscape.a.org.pk, landscape.b.org.pk
    before_a, before_b = revision(a), revision(b)
    with transaction.atomic():
        Usage.objects.filter(pk=landscape.a.usage.pk).update(name="X")
        inside = revision(a)
        assert inside[1] != before_a[1]  # seen inside the writing transaction already
    assert revision(b) == before_b  # another organisation's data is untouched
    contract = Contract.objects.filter(organisation_id=a).first()
    assert contract is not None
    contract.usages.remove(landscape.a.usage)
    step = revision(a)
    contract.usages.add(landscape.a.usage)  # a many-to-many row, one step from the organisation
    assert revision(a)[1] != step[1]
    catalogue = revision(None)[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE register_service SET name = 'Y' WHERE id = %s", [landscape.service.pk])
    assert revision(None)[0] != catalogue
    assert revision(b)[1] == before_b[1]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_rolled_back_revision_is_never_given_to_other_data(landscape: Landscape) -> None:
    a = landscape.a.org.pk
    seen: list[object] = []

    def write_then_fail() -> None:
        with transaction.atomic():
            Usage.objects.filter(pk=landscape.a.usage.pk).update(name="Teruggedraaid")
            seen.append(revision(a))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    Usage.objects.filter(pk=landscape.a.usage.pk).update(name="Echt")
    assert revision(a) != seen[0]


# --- the next read on every kept surface ---------------------------------------------------


def _surfaces(landscape: Landscape, api: Api) -> dict[str, Callable[[], bytes]]:
    web = Client()
    web.force_login(landscape.a.viewer)
    usage = landscape.a.usage.pk

    def get(path: str) -> bytes:
        response = api.get(path)
        assert response.status_code == 200, response.content
        return bytes(response.content)

    def page(path: str) -> bytes:
        response = web.get(path)
        assert response.status_code == 200
        return bytes(response.content)

    return {
        "list": lambda: get("/organisations/a/usages?pageSize=100"),
        "detail": lambda: get(f"/organisations/a/usages/{usage}"),
        "analysis": lambda: get("/organisations/a/analysis"),
        "dashboard": lambda: page("/o/a/analysis/"),
    }


def _patch(landscape: Landscape, name: str) -> None:
    api = api_for(landscape.a.editor, scope="write", organisation=landscape.a.org)
    path = f"/organisations/a/usages/{landscape.a.usage.pk}"
    response = api.patch(path, {"name": name}, **{"If-Match": api.get(path)["ETag"]})
    assert response.status_code == 200, response.content


def _service(landscape: Landscape, name: str) -> None:
    usage = Usage.objects.get(pk=landscape.a.usage.pk)
    register_update(actor=landscape.a.editor, instance=usage, data={"name": name}, m2m={})


def _plain_sql(landscape: Landscape, name: str) -> None:
    with connection.cursor() as cursor:  # no updated_at, no audit entry: as another process might
        cursor.execute("UPDATE register_usage SET name = %s WHERE id = %s", [name, landscape.a.usage.pk])


WRITES: dict[str, Callable[[Landscape, str], None]] = {
    "api": _patch,
    "service": _service,
    "plain SQL": _plain_sql,
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_is_visible_in_the_very_next_read_on_every_kept_surface(
    landscape: Landscape, write: str
) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    surfaces = _surfaces(landscape, api)
    for name, fetch in surfaces.items():
        assert b"Zaaksysteem" in fetch(), name
    hits = representations.STORE.hits
    for fetch in surfaces.values():
        fetch()
    # kept: the list, the detail, the dashboard's content and its overrides notice (ADR 0133);
    # the analysis has its own store
    assert representations.STORE.hits == hits + len(surfaces)
    hits = representations.STORE.hits
    WRITES[write](landscape, "Nieuwe naam 42")
    for name, fetch in surfaces.items():
        body = fetch()
        assert b"Nieuwe naam 42" in body, f"{name} is stale after a write ({write})"
    assert representations.STORE.hits >= hits


def test_an_import_in_bulk_is_visible_in_the_next_list(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    path = "/organisations/a/usages?pageSize=100"
    count = api.get(path).json()["count"]
    assert api.get(path).json()["count"] == count
    new = [
        Usage(organisation=landscape.a.org, name=f"Geïmporteerd {i}", product=landscape.product)
        for i in range(3)
    ]
    bulk_create_audited(actor=landscape.a.editor, model=Usage, instances=new)
    body = api.get(path).json()
    assert body["count"] == count + 3
    assert {"Geïmporteerd 0", "Geïmporteerd 2"} <= {u["name"] for u in body["results"]}


def test_a_catalogue_write_is_visible_in_the_next_read(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    detail, listing = f"/services/{landscape.service.pk}", "/services?pageSize=100"
    before = api.get(detail).json()["name"]
    assert api.get(listing).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE register_service SET name = %s WHERE id = %s", ["Nieuwe dienst", landscape.service.pk]
        )
    assert api.get(detail).json()["name"] == "Nieuwe dienst" != before
    assert "Nieuwe dienst" in {s["name"] for s in api.get(listing).json()["results"]}


def test_a_kept_representation_is_not_shown_to_someone_who_may_not_see_it(landscape: Landscape) -> None:
    path = f"/organisations/a/usages/{landscape.a.usage.pk}"
    assert api_for(landscape.a.viewer, scope="read").get(path).status_code == 200  # now kept
    assert api_for(landscape.b.viewer, scope="read").get(path).status_code == 404
    narrowed_to_b = api_for(landscape.b.viewer, scope="read", organisation=landscape.b.org)
    assert narrowed_to_b.get(path).status_code == 404


# --- the token's principal -----------------------------------------------------------------


def _principal_kept(api: Api) -> Any:
    assert api.get("/organisations/a/usages").status_code == 200
    assert api.get("/organisations/a/usages").status_code == 200  # principal and page kept


def test_revoking_a_token_takes_effect_at_once(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    _principal_kept(api)
    from regie.api.models import ApiToken

    token = ApiToken.objects.get(user=landscape.a.viewer)
    token_revoke(user=landscape.a.viewer, token=token)
    assert api.get("/organisations/a/usages").status_code == 401


def test_losing_the_membership_or_the_account_takes_effect_at_once(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    _principal_kept(api)
    Membership.objects.filter(user=landscape.a.viewer).update(role="editor")
    assert api.get("/organisations/a/usages").status_code == 200  # a new principal, same rights to read
    Membership.objects.filter(user=landscape.a.viewer).delete()
    assert api.get("/organisations/a/usages").status_code == 404
    landscape.a.viewer.is_active = False
    landscape.a.viewer.save()
    assert api.get("/organisations/a/usages").status_code == 401


def test_an_expired_token_is_refused_at_once(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    _principal_kept(api)
    from django.utils import timezone

    from regie.api.models import ApiToken

    ApiToken.objects.filter(user=landscape.a.viewer).update(expires_at=timezone.now())
    assert api.get("/organisations/a/usages").status_code == 401
