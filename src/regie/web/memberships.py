"""Writes to memberships: who has which role in an organisation. Checked, atomic and audited.

These belong with the accounts app; they live here until ``regie.accounts`` has services of its
own, and follow the same rules as ``regie.register.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.accounts.models import Membership, Role, User
from regie.accounts.permissions import forget_roles, require_admin
from regie.audit.models import AuditAction
from regie.audit.services import audit_record, snapshot_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.register.models import Organisation


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
