"""OIDC login through mozilla-django-oidc, with users matched on a configurable claim.

A user who signs in through OIDC for the first time is created without any membership: an
administrator of an organisation grants roles, exactly as for local accounts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from regie.accounts.models import User


def _username(claims: dict[str, Any]) -> str:
    claim = getattr(settings, "REGIE_OIDC_USERNAME_CLAIM", "preferred_username")
    return str(claims.get(claim) or claims.get("sub") or "")[:150]


class RegieOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Match the account on the username claim; keep name and e-mail up to date."""

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        username = _username(claims)
        if not username:
            return User.objects.none()
        return User.objects.filter(username__iexact=username)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(_username(claims))

    def create_user(self, claims: dict[str, Any]) -> User:
        user = User.objects.create_user(username=_username(claims), email=claims.get("email", ""))
        return self.update_user(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user.email = claims.get("email", user.email)
        user.first_name = claims.get("given_name", user.first_name)[:150]
        user.last_name = claims.get("family_name", user.last_name)[:150]
        user.save(update_fields=["email", "first_name", "last_name"])
        return user


def _when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "REGIE_OIDC_ENABLED", False):
            raise Http404("OIDC login is not configured.")
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns: list[URLPattern] = [
    path(
        "authenticate",
        _when_enabled(OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback",
        _when_enabled(OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
