"""Writes of the sector app: an organisation's consent and sharing settings, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from regie.accounts.permissions import require_admin
from regie.audit.models import AuditAction
from regie.audit.services import audit_record, snapshot_of
from regie.register.models import Organisation

from .models import SharingSettings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


def sharing_settings_of(organisation: Organisation) -> SharingSettings:
    """The organisation's settings, or the defaults (unsaved) when it never chose."""
    found = SharingSettings.objects.filter(organisation=organisation).first()
    return found or SharingSettings(organisation=organisation)


def sharing_settings_update(
    *,
    actor: User | AnonymousUser | None,
    organisation: Organisation,
    share_name_in_joint_procurement: bool,
    include_in_benchmarks: bool,
) -> SharingSettings:
    """Change what the organisation consents to. Only its administrators (or the system,
    ``actor=None``) may; the old and new values go into the audit trail."""
    if actor is not None:
        require_admin(actor, organisation.pk)
    with transaction.atomic():
        current = SharingSettings.objects.select_for_update().filter(organisation=organisation).first()
        adding = current is None
        settings_ = current or SharingSettings(organisation=organisation)
        before = None if adding else snapshot_of(settings_)
        settings_.share_name_in_joint_procurement = share_name_in_joint_procurement
        settings_.include_in_benchmarks = include_in_benchmarks
        settings_.full_clean()
        settings_.save()
        after = snapshot_of(settings_)
        if before != after:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if adding else AuditAction.UPDATE,
                instance=settings_,
                organisation_id=organisation.pk,
                before=before,
                after=after,
                message="sharing settings changed",
            )
    return settings_
