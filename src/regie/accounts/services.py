"""Writes to accounts and memberships, audited like every other change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from regie.audit.models import AuditAction
from regie.audit.services import audit_record

from .models import Membership, Role, User
from .permissions import forget_roles, require_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.register.models import Organisation


def _user_state(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "email": user.email,
        "is_superuser": user.is_superuser,
        "is_active": user.is_active,
        "is_catalogue_maintainer": user.is_catalogue_maintainer,
        "is_sector_analyst": user.is_sector_analyst,
    }


def user_create(
    *,
    actor: User | AnonymousUser | None,
    username: str,
    password: str | None,
    email: str = "",
    superuser: bool = False,
    catalogue_maintainer: bool = False,
    sector_analyst: bool = False,
    check_password: bool = True,
) -> User:
    """Create a user. Only the system or a superuser may; the password is validated."""
    if actor is not None and not actor.is_superuser:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only an administrator of Regie may add users.")
    if password is not None and check_password:
        validate_password(password)
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        user.is_superuser = user.is_staff = superuser
        user.is_catalogue_maintainer = catalogue_maintainer
        user.is_sector_analyst = sector_analyst
        user.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=user,
            object_repr=user.username,
            after=_user_state(user),
        )
    return user


def membership_set(
    *,
    actor: User | AnonymousUser | None,
    user: User,
    organisation: Organisation,
    role: Role | str | None,
) -> Membership | None:
    """Give a user a role in an organisation, change it, or remove it (role None).

    Only administrators of the organisation (or the system) may change its memberships.
    """
    if actor is not None:
        require_admin(actor, organisation.pk)
    with transaction.atomic():
        existing = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
        before = {"user": user.username, "role": existing.role} if existing else None
        if role is None:
            if existing is None:
                return None
            existing.delete()
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                object_type="accounts.membership",
                object_id=str(existing.pk),
                object_repr=f"{user.username} @ {organisation}",
                organisation_id=organisation.pk,
                before=before,
            )
            forget_roles(user)
            return None
        role_value = Role(role).value
        if existing is None:
            membership = Membership.objects.create(user=user, organisation=organisation, role=role_value)
            action = AuditAction.CREATE
        elif existing.role != role_value:
            existing.role = role_value
            existing.save(update_fields=["role"])
            membership, action = existing, AuditAction.UPDATE
        else:
            return existing
        audit_record(
            actor=actor,
            action=action,
            instance=membership,
            object_repr=f"{user.username} @ {organisation}",
            organisation_id=organisation.pk,
            before=before,
            after={"user": user.username, "role": role_value},
        )
        forget_roles(user)
        return membership
