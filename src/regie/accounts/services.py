"""Writes to accounts and memberships, audited like every other change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.audit.models import AuditAction
from regie.audit.services import audit_record, snapshot_of

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


# --- memberships changed by an organisation's administrators (the settings page) ---------


def membership_create(
    *, actor: User | AnonymousUser, organisation: Organisation, username: str, role: str
) -> Membership:
    """Give an existing user a role in the organisation."""
    require_admin(actor, organisation)
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"username": _("There is no active user with this name.")})
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"username": _("This user is already a member.")})
    membership = Membership(user=user, organisation=organisation, role=role)
    with transaction.atomic():
        membership.full_clean()
        membership.save()
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=membership, after=snapshot_of(membership)
        )
    forget_roles(actor)
    return membership


def membership_update(*, actor: User | AnonymousUser, membership: Membership, role: str) -> Membership:
    """Change a member's role. The last administrator cannot be demoted."""
    require_admin(actor, membership.organisation_id)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _refuse_if_last_admin(membership)
    before = snapshot_of(membership)
    membership.role = role
    with transaction.atomic():
        membership.full_clean()
        membership.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=membership,
            before=before,
            after=snapshot_of(membership),
        )
    forget_roles(actor)
    return membership


def membership_delete(*, actor: User | AnonymousUser, membership: Membership) -> None:
    """Remove a member. The last administrator cannot be removed."""
    require_admin(actor, membership.organisation_id)
    if membership.role == Role.ADMIN:
        _refuse_if_last_admin(membership)
    before = snapshot_of(membership)
    pk, text, org_id = str(membership.pk), str(membership), membership.organisation_id
    with transaction.atomic():
        membership.delete()
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="accounts.membership",
            object_id=pk,
            object_repr=text,
            organisation_id=org_id,
            before=before,
        )
    forget_roles(actor)


def _refuse_if_last_admin(membership: Membership) -> None:
    admins = Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
    if not admins.exclude(pk=membership.pk).exists():
        raise ValidationError(_("An organisation needs at least one administrator."))
