"""Reading the audit trail, scoped to what the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from regie.accounts.permissions import can_edit_catalogue, organisation_ids

from .models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db import models

    from regie.accounts.models import User


def audit_history_for(*, user: User | AnonymousUser, instance: models.Model) -> QuerySet[AuditEntry]:
    """The history of one object. Catalogue history is visible to all signed-in users;
    an organisation's history only to its members."""
    entries = AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))
    return _scope(user, entries)


def audit_list(*, user: User | AnonymousUser, organisation_id: int | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if organisation_id is not None:
        entries = entries.filter(organisation_id=organisation_id)
    return _scope(user, entries)


def _scope(user: User | AnonymousUser, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    if not user.is_authenticated:
        return entries.none()
    visible = organisation_ids(user)
    if visible is None:
        return entries
    shared = Q(organisation_id__isnull=True)
    if not can_edit_catalogue(user):
        shared &= ~Q(object_type__startswith="accounts.")
    return entries.filter(shared | Q(organisation_id__in=visible))
