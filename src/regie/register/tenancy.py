"""Which organisation a register object belongs to."""

from __future__ import annotations

from django.db import models

from .models.organisation import Organisation, TenantModel

# Child records that belong to the organisation of their parent.
_PARENT_OF: dict[str, str] = {
    "register.contractclause": "contract",
    "register.exitplanstep": "plan",
}

# Records outside the register that belong to one organisation through a plain foreign key.
_OWNED_BY: dict[str, str] = {
    "accounts.membership": "organisation",
}

# Shared records: visible to every signed-in user, changed only by catalogue maintainers.
CATALOGUE_MODELS: frozenset[str] = frozenset(
    {
        "register.country",
        "register.law",
        "register.gemmaelement",
        "register.legalentity",
        "register.product",
        "register.service",
        "register.servicelocation",
        "register.servicedependency",
        "register.alternative",
        "register.provenance",
    }
)

# Neither an organisation's nor the catalogue's: derived tables, the audit trail, user accounts
# and the system's own bookkeeping. The register services never write them for anyone but the
# system or a superuser, and the register selectors show them to superusers only (the closure
# of the control chain is readable like the catalogue it is derived from).
INTERNAL_MODELS: frozenset[str] = frozenset(
    {
        "register.legalentityancestor",
        "audit.auditentry",
        "accounts.user",
        "reference.bundleload",
        "api.apitoken",
        "api.datarevision",
    }
)

# Organisation records of other apps that have their own services and scoped selectors, and
# their own tests of that scoping (tests/policy, tests/sector): findings and acceptances,
# figure snapshots, scorecards, rule-set adoptions, sharing settings. The register services
# and selectors do not handle them.
APP_OWNED_MODELS: frozenset[str] = frozenset(
    {
        "interchange.importjob",
        "policy.acceptance",
        "policy.finding",
        "policy.findingevent",
        "policy.figuresnapshot",
        "policy.policyadoption",
        "policy.scorecard",
        "policy.scorecardanswer",
        "sector.sharingsettings",
        "procurement.tender",
        "procurement.bid",
        "procurement.decision",
    }
)

# Internal records no register service writes, not even for the system: the closure is kept by
# database triggers and the audit trail is written only by regie.audit.services.
NOT_WRITTEN_BY_SERVICES: frozenset[str] = frozenset(
    {"register.legalentityancestor", "audit.auditentry", "api.datarevision"}
)

# Internal records that every signed-in user may read, like the catalogue they derive from.
READABLE_INTERNAL_MODELS: frozenset[str] = frozenset({"register.legalentityancestor"})

# Tenant records that only the organisation's administrators may change.
ADMIN_MODELS: frozenset[str] = frozenset({"register.organisation", "accounts.membership"})


def is_tenant_model(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    return issubclass(model, TenantModel) or label in _PARENT_OF or label in _OWNED_BY


def is_shared_model(model: type[models.Model]) -> bool:
    """Readable by every signed-in user: the catalogue and what is derived from it."""
    label = model._meta.label_lower
    return label in CATALOGUE_MODELS or label in READABLE_INTERNAL_MODELS


def organisation_id_of(instance: models.Model) -> int | None:
    """The organisation that owns this object, or None for shared catalogue records.

    A tenant record whose owner is not set yet also gives None; callers refuse it.
    """
    if isinstance(instance, Organisation):
        return instance.pk
    if isinstance(instance, TenantModel):
        return instance.organisation_id
    label = instance._meta.label_lower
    if label in _OWNED_BY:
        owner_id: int | None = getattr(instance, f"{_OWNED_BY[label]}_id")
        return owner_id
    parent = _PARENT_OF.get(label)
    if parent is not None:
        if getattr(instance, f"{parent}_id") is None:
            return None
        return organisation_id_of(getattr(instance, parent))
    return None


def organisation_lookup(model: type[models.Model]) -> str | None:
    """The ORM lookup from this model to its organisation id, or None for catalogue models."""
    if model is Organisation:
        return "pk"
    if issubclass(model, TenantModel):
        return "organisation_id"
    label = model._meta.label_lower
    if label in _OWNED_BY:
        return f"{_OWNED_BY[label]}_id"
    parent = _PARENT_OF.get(label)
    if parent is not None:
        return f"{parent}__organisation_id"
    return None
