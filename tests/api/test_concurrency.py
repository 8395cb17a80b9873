"""Optimistic concurrency: two edits of the same object; neither is lost silently."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from regie.register.models import Process
from tests.api.conftest import Api, api_for
from tests.factories import Landscape, make_landscape


def test_stale_update_gets_412_and_succeeds_after_rereading(landscape: Landscape) -> None:
    first = api_for(landscape.a.editor, organisation=landscape.a.org)
    second = api_for(landscape.a.admin, organisation=landscape.a.org)
    path = f"/organisations/a/processes/{landscape.a.process.pk}"
    tag_first, tag_second = first.get(path)["ETag"], second.get(path)["ETag"]
    assert second.patch(path, {"owner": "Tweede"}, **{"If-Match": tag_second}).status_code == 200
    stale = first.patch(path, {"description": "Eerste"}, **{"If-Match": tag_first})
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    fresh = first.get(path)
    assert fresh.json()["owner"] == "Tweede"
    retried = first.patch(path, {"description": "Eerste"}, **{"If-Match": fresh["ETag"]})
    assert retried.status_code == 200
    assert retried.json() | {"updatedAt": None} == fresh.json() | {"description": "Eerste", "updatedAt": None}


def test_etag_is_stable_while_nothing_changes(landscape: Landscape, editor_a: Api) -> None:
    path = f"/organisations/a/contracts/{landscape.a.contract.pk}"
    assert editor_a.get(path)["ETag"] == editor_a.get(path)["ETag"]


def test_changing_many_to_many_changes_the_etag(landscape: Landscape, editor_a: Api) -> None:
    path = f"/organisations/a/contracts/{landscape.a.contract.pk}"
    before = editor_a.get(path)["ETag"]
    response = editor_a.patch(path, {"usages": [landscape.a.other_usage.pk]}, **{"If-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert response.json()["usages"] == [landscape.a.other_usage.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_one_wins_the_other_gets_412() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent transactions need PostgreSQL (SQLite in memory is one connection per thread)."
        )
    landscape = make_landscape()
    path = f"/organisations/a/processes/{landscape.a.process.pk}"
    editors = [
        api_for(landscape.a.editor, organisation=landscape.a.org),
        api_for(landscape.a.admin, organisation=landscape.a.org),
    ]
    tag = editors[0].get(path)["ETag"]
    barrier = threading.Barrier(2)
    results: dict[int, Any] = {}

    def edit(index: int) -> None:
        try:
            api = Api(Client(), editors[index].token)
            barrier.wait(timeout=10)
            results[index] = api.patch(path, {"owner": f"editor {index}"}, **{"If-Match": tag})
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200, 412]
    winner = next(i for i, r in results.items() if r.status_code == 200)
    loser = 1 - winner
    assert Process.objects.get(pk=landscape.a.process.pk).owner == f"editor {winner}"
    # The loser re-reads, sees the winner's change, and retries successfully.
    fresh = editors[loser].get(path)
    assert fresh.json()["owner"] == f"editor {winner}"
    retry = editors[loser].patch(path, {"owner": f"editor {loser}"}, **{"If-Match": fresh["ETag"]})
    assert retry.status_code == 200
    assert Process.objects.get(pk=landscape.a.process.pk).owner == f"editor {loser}"
