"""Bulk create and update of usages and dependencies: all or nothing, errors per item."""

from __future__ import annotations

from regie.register.models import Dependency, Usage
from tests.api.conftest import Api
from tests.factories import Landscape


def test_bulk_create_saves_every_item(landscape: Landscape, editor_a: Api) -> None:
    items = [{"name": f"App {i}", "productId": landscape.product.pk} for i in range(3)]
    response = editor_a.post("/organisations/a/usages/bulk", {"items": items})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [u["name"] for u in body["results"]] == ["App 0", "App 1", "App 2"]
    assert len(body["etags"]) == 3
    assert Usage.objects.filter(organisation=landscape.a.org, name__startswith="App ").count() == 3


def test_bulk_create_is_all_or_nothing_with_index_and_field(landscape: Landscape, editor_a: Api) -> None:
    items = [
        {"name": "Goed", "productId": landscape.product.pk},
        {"name": "Fout", "productId": 999_999},
        {"name": "Goed", "productId": landscape.product.pk},  # duplicate of item 0
    ]
    response = editor_a.post("/organisations/a/usages/bulk", {"items": items})
    assert response.status_code == 400
    params = response.json()["invalidParams"]
    assert {k: params[0][k] for k in ("name", "index")} == {"name": "items[1].productId", "index": 1}
    assert params[1]["index"] == 2
    assert not Usage.objects.filter(name__in=["Goed", "Fout"]).exists()


def test_bulk_create_schema_errors_name_the_item(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.post("/organisations/a/usages/bulk", {"items": [{"name": "x"}]})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "items[0].productId"


def test_bulk_update_needs_current_etags(landscape: Landscape, editor_a: Api) -> None:
    base = "/organisations/a/dependencies"
    dep = landscape.a.dependency
    etag = editor_a.get(f"{base}/{dep.pk}")["ETag"]
    stale = editor_a.patch(f"{base}/bulk", {"items": [{"id": dep.pk, "etag": '"old"', "notes": "x"}]})
    assert stale.status_code == 412
    assert stale.json()["invalidParams"][0]["index"] == 0
    ok = editor_a.patch(f"{base}/bulk", {"items": [{"id": dep.pk, "etag": etag, "notes": "bijgewerkt"}]})
    assert ok.status_code == 200, ok.content
    assert ok.json()["results"][0]["notes"] == "bijgewerkt"
    assert Dependency.objects.get(pk=dep.pk).notes == "bijgewerkt"


def test_bulk_update_rolls_back_every_item_when_one_fails(landscape: Landscape, editor_a: Api) -> None:
    base = "/organisations/a/usages"
    first, second = landscape.a.usage, landscape.a.other_usage
    items = [
        {"id": first.pk, "etag": editor_a.get(f"{base}/{first.pk}")["ETag"], "owner": "Nieuw"},
        {"id": second.pk, "etag": editor_a.get(f"{base}/{second.pk}")["ETag"], "name": first.name},
    ]
    response = editor_a.patch(f"{base}/bulk", {"items": items})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["index"] == 1
    first.refresh_from_db()
    assert first.owner == ""


def test_bulk_update_of_another_organisations_item_is_not_found(landscape: Landscape, editor_a: Api) -> None:
    item = {"id": landscape.b.usage.pk, "etag": '"x"', "owner": "Inbreker"}
    response = editor_a.patch("/organisations/a/usages/bulk", {"items": [item]})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "items[0].id"
    landscape.b.usage.refresh_from_db()
    assert landscape.b.usage.owner == ""
