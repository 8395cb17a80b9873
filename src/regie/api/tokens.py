"""Creating, checking and revoking personal API tokens (services and selectors in one place)."""

from __future__ import annotations

import copy
import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from regie.accounts.models import Membership, Role
from regie.accounts.permissions import can_view
from regie.audit.models import AuditAction
from regie.audit.services import audit_record
from regie.register.models import Organisation

from .models import ApiToken, TokenScope

if TYPE_CHECKING:
    from regie.accounts.models import User

TOKEN_PREFIX = "regie_"  # noqa: S105  (a public marker that makes leaked tokens recognisable)
MAX_LIFETIME = datetime.timedelta(days=366)
# last_used_at is written at most this often, so that reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(seconds=60)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *,
    user: User,
    name: str,
    scope: str,
    expires_at: datetime.datetime,
    organisation: Organisation | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with its secret, which is never shown again."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in to create a token.")
    if organisation is not None and not can_view(user, organisation):
        raise PermissionDenied("You are not a member of this organisation.")
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "The expiry must lie in the future."})
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError({"expires_at": "A token may live at most one year."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        organisation=organisation,
        name=name.strip(),
        scope=scope,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            actor=user,
            action=AuditAction.CREATE,
            instance=token,
            organisation_id=token.organisation_id,
            after={"name": token.name, "scope": token.scope, "expires_at": token.expires_at.isoformat()},
        )
    return token, secret


def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke a token of one's own (superusers may revoke any)."""
    if token.user_id != user.pk and not user.is_superuser:
        raise PermissionDenied("This is not your token.")
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=user,
                action=AuditAction.EVENT,
                instance=token,
                organisation_id=token.organisation_id,
                message="API token revoked",
            )
    return token


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("organisation")


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, or None. Records when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def acting_user(token: ApiToken) -> User:
    """The token's user, narrowed to the token: its organisation and its scope.

    The result is an unsaved copy whose per-request role cache (the one that
    ``regie.accounts.permissions`` consults) holds only what the token allows, so every
    selector and service applies the narrowing without knowing about tokens.
    """
    user = token.user
    if user.is_superuser and token.organisation_id is not None:
        roles = {token.organisation_id: Role.ADMIN}  # no need to list every organisation
    elif user.is_superuser:
        roles = dict.fromkeys(Organisation.objects.values_list("pk", flat=True), Role.ADMIN)
    else:
        roles = {
            org_id: Role(role)
            for org_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role")
        }
    if token.organisation_id is not None:
        roles = {k: v for k, v in roles.items() if k == token.organisation_id}
    narrowed = copy.copy(user)
    narrowed.is_superuser = False
    narrowed.is_staff = False
    if token.scope != TokenScope.WRITE:
        roles = dict.fromkeys(roles, Role.VIEWER)
        narrowed.is_catalogue_maintainer = False
    narrowed._regie_roles = roles  # type: ignore[attr-defined]
    narrowed._regie_token = token  # type: ignore[attr-defined]
    return narrowed
