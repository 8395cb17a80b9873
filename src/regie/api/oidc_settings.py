"""OIDC login settings from the environment (REGIE_OIDC_*); off when REGIE_OIDC_ISSUER is unset.

Kept free of Django imports so that ``regie.settings.base`` can call it. The defaults follow
the NL GOV Assurance profile for OAuth 2.0 / OpenID Connect: authorization code flow with
PKCE (S256), a nonce, and ID tokens signed with RS256 and checked against the provider's JWKS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
OIDC_BACKEND = "regie.api.oidc.RegieOIDCBackend"


def oidc_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Django settings for OIDC login, derived from REGIE_OIDC_* variables."""
    issuer = env.get("REGIE_OIDC_ISSUER", "").rstrip("/")
    if not issuer:
        return {"REGIE_OIDC_ENABLED": False, "AUTHENTICATION_BACKENDS": [MODEL_BACKEND]}

    def endpoint(name: str, default_path: str) -> str:
        return env.get(f"REGIE_OIDC_{name}_ENDPOINT", issuer + default_path)

    return {
        "REGIE_OIDC_ENABLED": True,
        "AUTHENTICATION_BACKENDS": [MODEL_BACKEND, OIDC_BACKEND],
        "OIDC_RP_CLIENT_ID": env.get("REGIE_OIDC_CLIENT_ID", ""),
        "OIDC_RP_CLIENT_SECRET": env.get("REGIE_OIDC_CLIENT_SECRET", ""),
        "OIDC_RP_SIGN_ALGO": env.get("REGIE_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env.get("REGIE_OIDC_SCOPES", "openid email profile"),
        # Keycloak's paths are the defaults; other providers set each endpoint explicitly.
        "OIDC_OP_AUTHORIZATION_ENDPOINT": endpoint("AUTHORIZATION", "/protocol/openid-connect/auth"),
        "OIDC_OP_TOKEN_ENDPOINT": endpoint("TOKEN", "/protocol/openid-connect/token"),
        "OIDC_OP_USER_ENDPOINT": endpoint("USERINFO", "/protocol/openid-connect/userinfo"),
        "OIDC_OP_JWKS_ENDPOINT": endpoint("JWKS", "/protocol/openid-connect/certs"),
        "OIDC_OP_LOGOUT_ENDPOINT": env.get("REGIE_OIDC_LOGOUT_ENDPOINT", ""),
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_USE_NONCE": True,
        "OIDC_CREATE_USER": env.get("REGIE_OIDC_CREATE_USERS", "1") == "1",
        "OIDC_VERIFY_SSL": env.get("REGIE_OIDC_VERIFY_TLS", "1") == "1",
        "OIDC_TIMEOUT": 10,
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": (
            {"acr_values": env["REGIE_OIDC_ACR_VALUES"]} if env.get("REGIE_OIDC_ACR_VALUES") else {}
        ),
        "REGIE_OIDC_USERNAME_CLAIM": env.get("REGIE_OIDC_USERNAME_CLAIM", "preferred_username"),
    }
