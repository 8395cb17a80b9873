from __future__ import annotations

from tests.api.conftest import Api
from tests.factories import Landscape


def test_editor_reads_processes_of_own_organisation(landscape: Landscape, editor_a: Api) -> None:
    response = editor_a.get("/organisations/a/processes")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["name"] == "Burgerzaken"
    assert response["API-Version"] == "1.0.0"
