"""Creating, checking and revoking personal API tokens (services and selectors in one place)."""

from __future__ import annotations

import copy
import datetime
import hashlib
import secrets
import threading
import time
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
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
# A token's principal (its narrowed user) is rebuilt at least this often; every request still
# checks the token, its user and the role in the database (see token_principal).
PRINCIPAL_SECONDS = 30.0


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


# One statement per request for a token narrowed to one organisation: whether the token is
# active, whether its last use is to be recorded, the user's flags and the user's role in the
# token's organisation. Everything that decides what the principal may do is read here, every
# time; only the Python objects are kept between requests.
_PRINCIPAL_SQL = (
    "SELECT t.id, t.user_id, t.organisation_id, t.scope, "
    "CASE WHEN t.revoked_at IS NULL AND t.expires_at > %s THEN 1 ELSE 0 END, "
    "CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END, "
    "u.is_active, u.is_superuser, u.is_catalogue_maintainer, "
    "(SELECT m.role FROM accounts_membership m WHERE m.user_id = t.user_id "
    "AND m.organisation_id = t.organisation_id), "
    # the data revision (regie.api.revision) read with it, before anything is computed
    "(SELECT o.code FROM register_organisation o WHERE o.id = t.organisation_id), "
    "COALESCE((SELECT r.value FROM api_datarevision r WHERE r.scope = 0), 0), "
    "COALESCE((SELECT r.value FROM api_datarevision r WHERE r.scope = t.organisation_id), 0) "
    "FROM api_apitoken t JOIN accounts_user u ON u.id = t.user_id WHERE t.secret_hash = %s"
)

_principals: dict[str, tuple[float, tuple[object, ...], User]] = {}
_principals_lock = threading.Lock()
MAX_PRINCIPALS = 1024


def forget_principals() -> None:
    """Drop every kept principal (tests)."""
    with _principals_lock:
        _principals.clear()


def token_principal(secret: str) -> tuple[str, User] | None:
    """The token's scope and its narrowed user (:func:`acting_user`), or None when the token is
    unknown, expired or revoked or its user inactive: revocation takes effect at once.

    A token narrowed to one organisation is checked with one query; its principal object is
    kept for up to :data:`PRINCIPAL_SECONDS` while what was read (scope, organisation, the
    user's role and flags) is unchanged. Other tokens take :func:`token_authenticate`."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_PRINCIPAL_SQL, [now, now - LAST_USED_RESOLUTION, digest])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, user_id, organisation_id, scope, active, record_use = row[:6]
    user_active, superuser, maintainer, role, code, catalogue, revision = row[6:]
    if not active or not user_active:
        return None
    if organisation_id is None:  # every organisation of the user: the full path
        token = token_authenticate(secret)
        return None if token is None else (token.scope, acting_user(token))
    if record_use:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    stamp = (token_id, user_id, organisation_id, scope, bool(superuser), bool(maintainer), role)
    clock = time.monotonic()
    with _principals_lock:
        kept = _principals.get(digest)
    if kept is None or kept[1] != stamp or clock - kept[0] > PRINCIPAL_SECONDS:
        token = ApiToken.objects.select_related("user", "organisation").get(pk=token_id)
        kept = (clock, stamp, acting_user(token))
        with _principals_lock:
            if len(_principals) >= MAX_PRINCIPALS:
                _principals.clear()
            _principals[digest] = kept
    user = copy.copy(kept[2])  # per request: the role cache is the request's own
    user._regie_roles = dict(kept[2]._regie_roles)  # type: ignore[attr-defined]
    # (organisation code, its id, (catalogue, organisation) revision), for regie.api.crud
    user._regie_revision = (code, organisation_id, (int(catalogue), int(revision)))  # type: ignore[attr-defined]
    return str(scope), user
