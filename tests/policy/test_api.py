"""The framework API router, mounted on a test API with Regie's auth and problem handlers."""

from __future__ import annotations

import datetime as dt

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from regie.api.problems import install_problem_handlers
from regie.policy.api import router
from regie.policy.models import Finding
from regie.policy.services import findings_refresh
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client() -> TestClient:
    # the session user as the caller (Regie's own auth classes are tested with the API app)
    api = NinjaAPI(urls_namespace="policy-test", auth=lambda request: request.user)
    install_problem_handlers(api)
    api.add_router("", router)
    return TestClient(api)


def test_findings_are_listed_in_camel_case_and_scoped(client: TestClient, landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org)
    response = client.get(
        f"/organisations/{landscape.a.org.code}/framework/findings?lang=en", user=landscape.a.viewer
    )
    assert response.status_code == 200
    body = response.json()
    assert body
    assert {"subjectKind", "subjectKey", "evidence", "message"} <= set(body[0])
    assert body[0]["severity"] == "fail"
    hidden = client.get(f"/organisations/{landscape.a.org.code}/framework/findings", user=landscape.b.viewer)
    assert hidden.status_code == 404


def test_accept_through_the_api(client: TestClient, landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org)
    f = Finding.objects.get(organisation=landscape.a.org, rule="regie-basis/JUR-01")
    url = f"/organisations/{landscape.a.org.code}/framework/findings/{f.pk}/acceptance"
    payload = {
        "justification": "Uitleg",
        "owner": "CIO",
        "approver": landscape.a.admin.username,
        "expiresOn": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }
    assert client.post(url, json=payload, user=landscape.a.viewer).status_code == 403
    response = client.post(url, json=payload, user=landscape.a.editor)
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"
    again = client.post(url, json=payload, user=landscape.a.editor)
    assert again.status_code == 400


def test_framework_and_sovereignty_endpoints(client: TestClient, landscape: Landscape) -> None:
    fw = client.get(f"/organisations/{landscape.a.org.code}/framework", user=landscape.a.viewer).json()
    assert fw["ruleSets"] == [{"id": "regie-basis", "version": 1, "appliesAs": "default"}]
    sov = client.get(
        f"/organisations/{landscape.a.org.code}/framework/sovereignty", user=landscape.a.viewer
    ).json()
    assert sov["criticalProcesses"] == 1
    assert sov["shareAtOrAbove"]["0"] == 1.0
