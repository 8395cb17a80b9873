"""Who is calling: a personal API token (Bearer) or the web session (with CSRF for writes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from .models import TokenScope
from .tokens import token_principal

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

if TYPE_CHECKING:
    from regie.accounts.models import User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer regie_…``. A token that is unknown, expired or revoked gets 401."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if "authorization" in request.headers and not request.headers["authorization"].lower().startswith(
            "bearer "
        ):
            raise AuthenticationError()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        found = token_principal(token)
        if found is None:
            raise AuthenticationError()
        scope, user = found
        if request.method not in SAFE_METHODS and scope != TokenScope.WRITE:
            raise HttpError(403, "This token may only read.")
        return user


class CsrfSessionAuth(SessionAuth):
    """The signed-in web user; unsafe methods need the CSRF token, as in the web interface."""

    def __init__(self) -> None:
        super().__init__(csrf=True)


AUTH = [TokenAuth(), CsrfSessionAuth()]


def caller(request: HttpRequest) -> User:
    """The authenticated (and, for tokens, narrowed) user of this request."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
