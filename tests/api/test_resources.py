"""Behaviour of the generic resource operations: list, read, create, update, delete."""

from __future__ import annotations

from regie.audit.models import AuditEntry
from regie.register.models import Process
from tests.api.conftest import Api
from tests.factories import Landscape

PROCESS = {"name": "Vergunningen", "availability": 2, "integrity": 2, "confidentiality": 1}


def test_create_returns_camel_case_representation_with_etag(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.post("/organisations/a/processes", {**PROCESS, "maxTolerableDowntimeHours": 24})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Vergunningen"
    assert body["maxTolerableDowntimeHours"] == 24
    assert body["personalData"] == "none"
    assert response["ETag"].startswith('"')
    assert Process.objects.get(pk=body["id"]).organisation == landscape.a.org


def test_create_is_audited_with_the_token_user(landscape: Landscape, editor_a: Api) -> None:
    body = editor_a.post("/organisations/a/processes", PROCESS).json()
    entry = AuditEntry.objects.get(object_type="register.process", object_id=str(body["id"]))
    assert entry.actor == landscape.a.editor
    assert entry.action == "create"


def test_bad_input_is_problem_json_naming_the_field(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.post("/organisations/a/processes", {**PROCESS, "availability": 7})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Bad Request"
    assert [p["name"] for p in problem["invalidParams"]] == ["availability"]


def test_unknown_property_is_refused_not_ignored(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.post("/organisations/a/processes", {**PROCESS, "availabilty": 1})
    assert response.status_code == 400
    assert "availabilty" in {p["name"] for p in response.json()["invalidParams"]}


def test_model_validation_error_names_the_api_field(landscape: Landscape, editor_a: Api) -> None:
    body = {
        "kind": "requires",
        "fromProcessId": landscape.a.process.pk,
        "toUsageId": landscape.a.other_usage.pk,
        "groupId": landscape.a.group.pk,  # its members belong to another dependant
    }
    response = editor_a.post("/organisations/a/dependencies", body)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["groupId"]


def test_uniqueness_is_reported_as_a_400(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.post("/organisations/a/processes", {**PROCESS, "name": "Burgerzaken"})
    assert response.status_code == 400
    assert "Burgerzaken" not in response.json()["detail"]
    assert response.json()["detail"]


def test_reference_to_another_organisations_object_is_not_found(landscape: Landscape, editor_a: Api) -> None:
    body = {"name": "Zaken", "usageId": landscape.b.usage.pk}
    response = editor_a.post("/organisations/a/data-sets", body)
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "usageId"


def test_list_filters_sorts_and_paginates(landscape: Landscape, editor_a: Api) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        editor_a.post("/organisations/a/processes", {**PROCESS, "name": name, "critical": name == "Beta"})
    page = editor_a.get("/organisations/a/processes", {"sort": "-name", "pageSize": 2}).json()
    assert [p["name"] for p in page["results"]] == ["Gamma", "Burgerzaken"]
    assert page["count"] == 4
    assert page["next"].endswith("page=2&pageSize=2&sort=-name")
    second = editor_a.get("/organisations/a/processes", {"sort": "-name", "pageSize": 2, "page": 2}).json()
    assert [p["name"] for p in second["results"]] == ["Beta", "Alpha"]
    assert second["next"] is None
    critical = editor_a.get("/organisations/a/processes", {"critical": "true", "q": "bet"}).json()
    assert [p["name"] for p in critical["results"]] == ["Beta"]


def test_unknown_sort_field_is_a_400_naming_sort(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.get("/organisations/a/processes", {"sort": "secret"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "sort"


def test_update_needs_if_match(landscape: Landscape, editor_a: Api) -> None:
    path = f"/organisations/a/processes/{landscape.a.process.pk}"
    assert editor_a.patch(path, {"owner": "X"}).status_code == 428
    etag = editor_a.get(path)["ETag"]
    response = editor_a.patch(path, {"owner": "X"}, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == "X"
    assert response["ETag"] != etag
    assert editor_a.patch(path, {"owner": "Y"}, **{"If-Match": etag}).status_code == 412


def test_delete_needs_if_match_and_removes(landscape: Landscape, editor_a: Api) -> None:
    created = editor_a.post("/organisations/a/processes", PROCESS)
    path = f"/organisations/a/processes/{created.json()['id']}"
    assert editor_a.delete(path).status_code == 428
    assert editor_a.delete(path, **{"If-Match": created["ETag"]}).status_code == 204
    assert editor_a.get(path).status_code == 404


def test_delete_of_object_in_use_is_a_conflict(landscape: Landscape, maintainer: Api) -> None:
    path = f"/legal-entities/{landscape.provider.pk}"
    response = maintainer.delete(path, **{"If-Match": maintainer.get(path)["ETag"]})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"


def test_viewer_may_read_but_not_write(landscape: Landscape) -> None:
    from tests.api.conftest import api_for

    viewer = api_for(landscape.a.viewer)
    assert viewer.get("/organisations/a/processes").status_code == 200
    assert viewer.post("/organisations/a/processes", PROCESS).status_code == 403


def test_legal_entity_detail_shows_control_chain_and_ultimate_parent(
    landscape: Landscape, editor_a: Api
) -> None:
    body = editor_a.get(f"/legal-entities/{landscape.provider.pk}").json()
    assert [link["id"] for link in body["controlChain"]] == [landscape.provider.pk, landscape.parent.pk]
    assert body["ultimateParent"]["id"] == landscape.parent.pk
    assert body["ultimateParent"]["hqCountryId"] == "US"


def test_catalogue_writes_need_a_maintainer(landscape: Landscape, editor_a: Api, maintainer: Api) -> None:
    body = {"name": "Nieuw BV", "hqCountryId": "NL", "parentState": "none"}
    assert editor_a.post("/legal-entities", body).status_code == 403
    assert maintainer.post("/legal-entities", body).status_code == 201


def test_nested_clauses_live_under_their_contract(landscape: Landscape, editor_a: Api) -> None:
    path = f"/organisations/a/contracts/{landscape.a.contract.pk}/clauses"
    response = editor_a.post(path, {"kind": "exit_assistance", "present": "yes"})
    assert response.status_code == 201, response.content
    kinds = {c["kind"] for c in editor_a.get(path).json()["results"]}
    assert kinds == {"price_cap", "exit_assistance"}


def test_organisation_update_is_for_admins(landscape: Landscape, editor_a: Api, admin_a: Api) -> None:
    etag = admin_a.get("/organisations/a")["ETag"]
    assert editor_a.patch("/organisations/a", {"inhabitants": 5}, **{"If-Match": etag}).status_code == 403
    response = admin_a.patch("/organisations/a", {"inhabitants": 5}, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response.json()["inhabitants"] == 5


def test_unknown_address_and_method_are_problems_with_version(landscape: Landscape, editor_a: Api) -> None:
    missing = editor_a.get("/no-such-thing")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing["API-Version"] == "1.0.0"
    not_allowed = editor_a.delete("/organisations")
    assert not_allowed.status_code == 405
    assert not_allowed["Content-Type"] == "application/problem+json"


def test_provenance_can_be_recorded_and_read(landscape: Landscape, editor_a: Api) -> None:
    created = editor_a.post(
        "/provenance-records", {"source": "https://example.org/jaarverslag", "checkedOn": "2025-01-31"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["checkedOn"] == "2025-01-31"
    assert created.json()["enteredByLabel"] == "a-editor"


def test_address_with_a_newline_is_a_problem_too(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.get("/products/1%0A2")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
