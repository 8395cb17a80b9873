"""Re-evaluate findings after a register change (registered in PolicyConfig.ready)."""

from __future__ import annotations

import logging

from django.conf import settings

from regie.register.models import Organisation

from .services import findings_refresh

log = logging.getLogger(__name__)


def refresh_after_change(organisation_id: int | None) -> None:
    """Refresh the findings of the changed organisation. A catalogue change (None) touches
    every organisation; those are left to the nightly ``regie findings snapshot``.

    Only that organisation is re-analysed and evaluated; its stored findings are compared as
    tuples and only those that move are written (``findings_apply``, ADR 0093), so a small
    edit costs one organisation's analysis plus a few queries."""
    if organisation_id is None or not getattr(settings, "POLICY_REFRESH_ON_CHANGE", True):
        return
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is not None:
        findings_refresh(organisation=org)
