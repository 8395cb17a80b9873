"""SQL queries per request: few, and not growing with the number of rows (no N+1)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.api.tokens import hash_secret, token_authenticate
from regie.register.models import Dependency, Process, Usage
from regie.register.services import register_create
from tests.api.conftest import Api, api_for
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measure the path that computes a representation (ADR 0125 keeps them otherwise)."""
    monkeypatch.setenv("REGIE_REPRESENTATION_CACHE", "0")


# path -> most queries allowed: the token, the user's memberships, the parent organisation,
# the count, the page, and one per prefetched relation.
LISTS = {
    "/organisations/a/usages?pageSize=100": 5,
    "/organisations/a/processes?pageSize=100&sort=-availability": 5,
    "/organisations/a/dependencies?pageSize=100": 5,
    "/legal-entities?pageSize=100": 4,
    "/services?pageSize=100": 4,
    "/products?pageSize=100": 6,  # reference components and standards, prefetched
}


def queries(api: Api, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(captured), [q["sql"] for q in captured.captured_queries]


def grow(landscape: Landscape, n: int) -> None:
    """Add ``n`` usages, processes and dependencies to organisation A, through the services."""
    org = landscape.a.org
    for i in range(n):
        usage = register_create(
            actor=None,
            model=Usage,
            data={"organisation": org, "name": f"App {i}", "product": landscape.product},
        )
        process = register_create(
            actor=None,
            model=Process,
            data={
                "organisation": org,
                "name": f"Proces {i}",
                "availability": 2,
                "integrity": 2,
                "confidentiality": 2,
            },
        )
        register_create(
            actor=None,
            model=Dependency,
            data={"organisation": org, "kind": "requires", "from_process": process, "to_usage": usage},
        )


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize(("path", "most"), LISTS.items())
def test_a_list_costs_a_fixed_number_of_queries(landscape: Landscape, path: str, most: int) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    api.get(path)  # records the token's last use (once a minute at most)
    before, sql = queries(api, path)
    assert before <= most, "\n".join(sql)
    grow(landscape, 15)
    after, sql = queries(api, path)
    assert after == before, sql


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize("kind", ["usages", "processes"])
def test_a_detail_costs_four_queries(landscape: Landscape, kind: str) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    obj = landscape.a.usage if kind == "usages" else landscape.a.process
    path = f"/organisations/a/{kind}/{obj.pk}"
    api.get(path)
    count, sql = queries(api, path)
    assert count == 3, sql  # the token with its role, the organisation, the object (and its ETag)


@pytest.mark.usefixtures("uncached")
def test_a_superusers_token_for_one_organisation_does_not_list_every_organisation(
    landscape: Landscape, superuser: object
) -> None:
    api = api_for(superuser, scope="read", organisation=landscape.a.org)  # type: ignore[arg-type]
    api.get("/organisations/a/usages")
    count, sql = queries(api, "/organisations/a/usages")
    assert count == 4, sql
    assert not any('FROM "register_organisation" ORDER BY' in q for q in sql), sql


def test_a_token_is_checked_with_one_sha256_and_one_query(landscape: Landscape) -> None:
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    assert api.token is not None
    assert hash_secret(api.token) == hashlib.sha256(api.token.encode()).hexdigest()
    token_authenticate(api.token)  # records the last use
    with CaptureQueriesContext(connection) as captured:
        assert token_authenticate(api.token) is not None
    assert len(captured) == 1


@pytest.mark.parametrize("path", [*LISTS, "/organisations/a/usages/{usage}", "/services/{service}"])
def test_a_kept_representation_costs_one_query(landscape: Landscape, path: str) -> None:
    """The token, with the role and the data revision: nothing is counted or serialised again."""
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    path = path.format(usage=landscape.a.usage.pk, service=landscape.service.pk)
    first, _sql = queries(api, path)
    again, sql = queries(api, path)
    assert again == 1, sql
    assert first > again
    everywhere = api_for(landscape.a.viewer, scope="read")  # a token for all the user's organisations
    queries(everywhere, path)
    again, sql = queries(everywhere, path)
    assert again == 4, sql  # the token checked, the token loaded, the memberships, the revision


@pytest.mark.usefixtures("uncached")
def test_a_legal_entitys_detail_reads_its_control_chain_once(landscape: Landscape) -> None:
    """``controlChain`` and ``ultimateParent`` show the same chain: one query for both."""
    api = api_for(landscape.a.viewer, scope="read", organisation=landscape.a.org)
    path = f"/legal-entities/{landscape.provider.pk}"
    api.get(path)
    count, sql = queries(api, path)
    chains = [q for q in sql if "register_legalentityancestor" in q]
    assert len(chains) == 1, sql
    assert count == 3, sql  # the token, the entity, its chain
    body = api.get(path).json()
    assert [link["id"] for link in body["controlChain"]] == [landscape.provider.pk, landscape.parent.pk]
    assert body["ultimateParent"]["id"] == landscape.parent.pk
