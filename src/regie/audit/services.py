"""Writing audit entries. Only services call this, inside their transaction."""

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.forms.models import model_to_dict

from .context import current_request_id
from .models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


def snapshot_of(instance: models.Model) -> dict[str, Any]:
    """A JSON-friendly picture of a model instance: its fields and many-to-many ids.

    Amounts are written with the field's number of decimals, so that 120000, "120000.0" and the
    stored 120000.00 are the same value and an update that only rewrites them changes nothing.
    """
    data = model_to_dict(instance)
    for field in instance._meta.many_to_many:
        if field.name in data:
            data[field.name] = sorted(getattr(obj, "pk", obj) for obj in data[field.name])
    for key in ("created_at", "updated_at"):
        data.pop(key, None)
    for concrete in instance._meta.concrete_fields:
        value = data.get(concrete.name)
        if isinstance(concrete, models.DecimalField) and isinstance(value, decimal.Decimal):
            data[concrete.name] = value.quantize(decimal.Decimal(1).scaleb(-concrete.decimal_places))
    return {k: (str(v) if isinstance(v, decimal.Decimal) else v) for k, v in data.items()}


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    organisation_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> AuditEntry:
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:300]
        if organisation_id is None:
            organisation_id = getattr(instance, "organisation_id", None)
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user is not None else "system"),
        organisation_id=organisation_id,
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:300],
        before=before,
        after=after,
        message=message[:300],
        request_id=current_request_id(),
    )
