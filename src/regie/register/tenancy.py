"""Which organisation a register object belongs to."""

from __future__ import annotations

from django.db import models

from .models.organisation import Organisation, TenantModel

# Child records that belong to the organisation of their parent.
_PARENT_OF: dict[str, str] = {
    "register.contractclause": "contract",
    "register.exitplanstep": "plan",
}


def is_tenant_model(model: type[models.Model]) -> bool:
    return issubclass(model, TenantModel) or model._meta.label_lower in _PARENT_OF


def organisation_id_of(instance: models.Model) -> int | None:
    """The organisation that owns this object, or None for shared catalogue records."""
    if isinstance(instance, Organisation):
        return instance.pk
    if isinstance(instance, TenantModel):
        return instance.organisation_id
    parent = _PARENT_OF.get(instance._meta.label_lower)
    if parent is not None:
        owner = getattr(instance, parent)
        return organisation_id_of(owner)
    return None


def organisation_lookup(model: type[models.Model]) -> str | None:
    """The ORM lookup from this model to its organisation id, or None for catalogue models."""
    if model is Organisation:
        return "pk"
    if issubclass(model, TenantModel):
        return "organisation_id"
    parent = _PARENT_OF.get(model._meta.label_lower)
    if parent is not None:
        return f"{parent}__organisation_id"
    return None
