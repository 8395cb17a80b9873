"""Fixtures for API tests: personal tokens and a client that sends them."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from regie.accounts.models import User
from regie.api.tokens import token_create
from regie.register.models import Organisation
from tests.factories import Landscape

BASE = "/api/v1"


@dataclass
class Api:
    """A test client that talks JSON to /api/v1 with a bearer token."""

    client: Client
    token: str | None = None

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self._headers(headers))

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self._headers(headers)
        )

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.patch(
            BASE + path, json.dumps(body), content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.put(
            BASE + path, json.dumps(body), content_type="application/json", headers=self._headers(headers)
        )

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(BASE + path, headers=self._headers(headers))


def make_token(
    user: User,
    *,
    scope: str = "write",
    organisation: Organisation | None = None,
    days: int = 30,
) -> str:
    _token, secret = token_create(
        user=user,
        name="test",
        scope=scope,
        organisation=organisation,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return secret


def api_for(user: User, *, scope: str = "write", organisation: Organisation | None = None) -> Api:
    return Api(Client(), make_token(user, scope=scope, organisation=organisation))


@pytest.fixture
def editor_a(landscape: Landscape) -> Api:
    return api_for(landscape.a.editor, organisation=landscape.a.org)


@pytest.fixture
def admin_a(landscape: Landscape) -> Api:
    return api_for(landscape.a.admin, organisation=landscape.a.org)


@pytest.fixture
def maintainer(landscape: Landscape) -> Api:
    return api_for(landscape.maintainer)
