"""Writes of the reference app: an organisation's local overrides of catalogue facts.

Each override is written through the register services, so the permission check (editor of
the organisation), validation and the audit entry are the same as for any register record.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from regie.register.models import LegalEntity, Organisation, Service
from regie.register.services import (
    check_write_permission,
    provenance_create,
    register_create,
    register_delete,
    register_update,
)

from .models import FactOverride

if TYPE_CHECKING:
    from regie.register.services import Actor


def override_set(
    *,
    actor: Actor,
    organisation: Organisation,
    field: str,
    value: Any,
    justification: str,
    source: str,
    checked_on: datetime.date | None = None,
    verified: bool = True,
    entity: LegalEntity | None = None,
    service: Service | None = None,
) -> FactOverride:
    """Set (create or replace) the organisation's own value for one catalogue fact.

    ``source`` says where the organisation's value comes from (a contract, a supplier's
    statement); ``justification`` why it departs from the catalogue. Both are required.
    """
    target: dict[str, Any] = {"entity": entity} if entity is not None else {"service": service}
    existing = FactOverride.objects.filter(organisation=organisation, field=field, **target).first()
    # Permission first, so that no provenance record is left by a refused write.
    check_write_permission(
        actor=actor, instance=existing or FactOverride(organisation=organisation, **target)
    )
    with transaction.atomic():
        provenance = provenance_create(
            actor=actor, source=source, checked_on=checked_on, verified=verified, note="Local override"
        )
        data = {"value": value, "justification": justification.strip(), "provenance": provenance}
        if existing is not None:
            return register_update(actor=actor, instance=existing, data=data)
        return register_create(
            actor=actor,
            model=FactOverride,
            data={"organisation": organisation, "field": field, "entity": entity, "service": service, **data},
        )


def override_remove(*, actor: Actor, override: FactOverride) -> None:
    """Remove an override: the catalogue value applies again for this organisation."""
    register_delete(actor=actor, instance=override)
