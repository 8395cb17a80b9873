"""OIDC login (NL GOV profile) against a stub provider on 127.0.0.1: no network."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings
from jwt.algorithms import RSAAlgorithm

from regie.accounts.models import User
from regie.api.oidc_settings import oidc_settings

CLIENT_ID = "regie-test"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class StubProvider(BaseHTTPRequestHandler):
    """Token, userinfo and JWKS endpoints of a minimal OpenID provider."""

    issuer = ""
    nonce = ""
    token_requests: ClassVar[list[dict[str, list[str]]]] = []
    claims: ClassVar[dict[str, Any]] = {
        "sub": "f3a1",
        "preferred_username": "j.jansen",
        "email": "j.jansen@gemeente.example",
        "given_name": "Jan",
        "family_name": "Jansen",
    }

    def log_message(self, fmt: str, *args: Any) -> None:
        return

    def _json(self, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.endswith("/certs"):
            jwk = RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
            self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        elif self.path.endswith("/userinfo"):
            self._json(self.claims)
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        type(self).token_requests.append(form)
        now = int(time.time())
        id_token = jwt.encode(
            {
                **self.claims,
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": self.nonce,
            },
            KEY,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        self._json({"access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "id_token": id_token})


@pytest.fixture
def provider() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubProvider)
    issuer = f"http://127.0.0.1:{server.server_address[1]}/realms/gemeente"
    StubProvider.issuer = issuer
    StubProvider.token_requests.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield issuer
    server.shutdown()
    server.server_close()


def test_oidc_is_off_without_configuration(db: None) -> None:
    assert oidc_settings({})["REGIE_OIDC_ENABLED"] is False
    assert Client().get("/oidc/authenticate").status_code == 404


def test_settings_follow_the_nl_gov_profile() -> None:
    config = oidc_settings({"REGIE_OIDC_ISSUER": "https://idp.example/realms/x", "REGIE_OIDC_CLIENT_ID": "c"})
    assert config["OIDC_USE_PKCE"] is True
    assert config["OIDC_PKCE_CODE_CHALLENGE_METHOD"] == "S256"
    assert config["OIDC_USE_NONCE"] is True
    assert config["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert config["OIDC_OP_JWKS_ENDPOINT"] == "https://idp.example/realms/x/protocol/openid-connect/certs"
    assert "regie.api.oidc.RegieOIDCBackend" in config["AUTHENTICATION_BACKENDS"]


def test_login_through_the_stub_provider_creates_and_signs_in_the_user(db: None, provider: str) -> None:
    config = oidc_settings(
        {
            "REGIE_OIDC_ISSUER": provider,
            "REGIE_OIDC_CLIENT_ID": CLIENT_ID,
            "REGIE_OIDC_CLIENT_SECRET": "s3cret",
        }
    )
    client = Client()
    with override_settings(**config):
        start = client.get("/oidc/authenticate")
        assert start.status_code == 302
        redirect = urlparse(start["Location"])
        query = {k: v[0] for k, v in parse_qs(redirect.query).items()}
        assert start["Location"].startswith(config["OIDC_OP_AUTHORIZATION_ENDPOINT"])
        assert query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256"
        assert query["response_type"] == "code"
        StubProvider.nonce = query["nonce"]

        done = client.get("/oidc/callback", {"code": "code-1", "state": query["state"]})

    assert done.status_code == 302, done.content
    user = User.objects.get(username="j.jansen")
    assert (user.email, user.first_name, user.last_name) == ("j.jansen@gemeente.example", "Jan", "Jansen")
    assert user.memberships.count() == 0
    assert client.session["_auth_user_id"] == str(user.pk)
    sent = StubProvider.token_requests[0]
    assert sent["code"] == ["code-1"]
    assert sent["code_verifier"][0]


def test_login_with_a_wrong_nonce_is_refused(db: None, provider: str) -> None:
    config = oidc_settings(
        {
            "REGIE_OIDC_ISSUER": provider,
            "REGIE_OIDC_CLIENT_ID": CLIENT_ID,
            "REGIE_OIDC_CLIENT_SECRET": "s3cret",
        }
    )
    client = Client()
    with override_settings(**config):
        start = client.get("/oidc/authenticate")
        state = parse_qs(urlparse(start["Location"]).query)["state"][0]
        StubProvider.nonce = "not-the-one"
        client.get("/oidc/callback", {"code": "code-2", "state": state})
    assert not User.objects.filter(username="j.jansen").exists()
    assert "_auth_user_id" not in client.session
