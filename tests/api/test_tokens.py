"""Personal API tokens: the page, the secret shown once and stored hashed, revocation, expiry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from regie.api.models import ApiToken
from regie.api.tokens import hash_secret, token_authenticate, token_create
from tests.api.conftest import Api
from tests.factories import Landscape


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_page_creates_a_token_and_shows_the_secret_once(landscape: Landscape) -> None:
    client = signed_in(landscape.a.editor)
    response = client.post(
        "/api-tokens/", {"name": "Import-script", "organisation": "a", "scope": "write", "lifetime": "90"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("regie_")
    token = ApiToken.objects.get(user=landscape.a.editor)
    assert token.secret_hash == hash_secret(secret)
    assert secret not in token.secret_hash
    assert token.organisation == landscape.a.org
    assert secret not in client.get("/api-tokens/").content.decode()
    assert Api(Client(), secret).get("/organisations/a").status_code == 200


def test_page_refuses_an_organisation_the_user_is_not_in(landscape: Landscape) -> None:
    client = signed_in(landscape.a.editor)
    response = client.post(
        "/api-tokens/", {"name": "x", "organisation": "b", "scope": "read", "lifetime": "30"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoked_token_stops_working_at_once(landscape: Landscape) -> None:
    token, secret = token_create(
        user=landscape.a.viewer,
        name="t",
        scope="read",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    api = Api(Client(), secret)
    assert api.get("/organisations").status_code == 200
    response = signed_in(landscape.a.viewer).post(f"/api-tokens/{token.pk}/revoke")
    assert response.status_code == 302
    assert api.get("/organisations").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(landscape: Landscape) -> None:
    token, _secret = token_create(
        user=landscape.a.viewer,
        name="t",
        scope="read",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert signed_in(landscape.b.viewer).post(f"/api-tokens/{token.pk}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_last_used_is_recorded(landscape: Landscape) -> None:
    token, secret = token_create(
        user=landscape.a.viewer,
        name="t",
        scope="read",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert token.last_used_at is None
    assert token_authenticate(secret) is not None
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("days", [0, 400])
def test_expiry_must_lie_within_a_year(landscape: Landscape, days: int) -> None:
    with pytest.raises(ValidationError):
        token_create(
            user=landscape.a.viewer,
            name="t",
            scope="read",
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )


def test_session_writes_need_the_csrf_token(landscape: Landscape) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(landscape.a.editor)
    body = '{"name": "Via sessie", "availability": 1, "integrity": 1, "confidentiality": 1}'
    path = "/api/v1/organisations/a/processes"
    assert client.get(path).status_code == 200
    refused = client.post(path, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    client.get("/api-tokens/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(path, body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201, accepted.content
