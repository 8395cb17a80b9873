"""Writes to the register. Every change is checked, saved atomically and audited here.

Views, API endpoints, importers and the demo loader all write through these functions;
nothing else saves register objects.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from regie.accounts.permissions import require_admin, require_catalogue, require_edit
from regie.audit.models import AuditAction
from regie.audit.services import audit_record, snapshot_of

from .hooks import changed
from .models import Organisation, Provenance
from .tenancy import (
    ADMIN_MODELS,
    CATALOGUE_MODELS,
    NOT_WRITTEN_BY_SERVICES,
    is_tenant_model,
    organisation_id_of,
    organisation_lookup,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

    Actor = User | AnonymousUser | None

M = TypeVar("M", bound=models.Model)


def check_write_permission(*, actor: Actor, instance: models.Model) -> None:
    """Raise PermissionDenied unless the actor may write this object.

    ``actor=None`` is the system itself (migrations, reference bundles, the demo loader).
    The control-chain closure and the audit trail are written by nobody through these services.
    """
    label = instance._meta.label_lower
    if label in NOT_WRITTEN_BY_SERVICES:
        raise PermissionDenied("This record is maintained by Regie itself and cannot be changed.")
    if actor is None:
        return
    if isinstance(instance, Organisation):
        if instance._state.adding:
            if not actor.is_superuser:
                raise PermissionDenied("Only an administrator of Regie may add organisations.")
        else:
            require_admin(actor, instance.pk)
        return
    org_id = organisation_id_of(instance)
    if org_id is not None:
        if label in ADMIN_MODELS:
            require_admin(actor, org_id)
        else:
            require_edit(actor, org_id)
    elif is_tenant_model(type(instance)):
        raise PermissionDenied("This record must belong to an organisation.")
    elif label in CATALOGUE_MODELS:
        require_catalogue(actor)
    elif not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied("Only an administrator of Regie may change this record.")


def register_create(
    *,
    actor: Actor,
    model: type[M],
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> M:
    """Create a register object from field values, check it, save it and audit it."""
    instance = model(**data)
    check_write_permission(actor=actor, instance=instance)
    _check_m2m_owners(instance, m2m)
    with transaction.atomic():
        _save(instance)
        _set_m2m(instance, m2m)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=instance,
            organisation_id=organisation_id_of(instance),
            after=snapshot_of(instance),
        )
        changed(organisation_id_of(instance))
    return instance


def register_update(
    *,
    actor: Actor,
    instance: M,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> M:
    """Change fields of a register object. Moving a record to another organisation is refused.

    Its identity cannot change either: a primary key in ``data`` would overwrite another row.
    """
    check_write_permission(actor=actor, instance=instance)
    pk_names = {"pk", instance._meta.pk.name, instance._meta.pk.attname}
    if pk_names & set(data):
        raise ValidationError({instance._meta.pk.name: "The identity of a record cannot change."})
    owner = organisation_id_of(instance)
    before = snapshot_of(instance)
    for field, value in data.items():
        if field in ("organisation", "organisation_id") and owner != getattr(value, "pk", value):
            raise ValidationError({"organisation": "A record cannot move to another organisation."})
    for field, value in data.items():
        setattr(instance, field, value)
    if organisation_id_of(instance) != owner:
        raise ValidationError({"organisation": "A record cannot move to another organisation."})
    check_write_permission(actor=actor, instance=instance)
    _check_m2m_owners(instance, m2m)
    with transaction.atomic():
        _save(instance)
        _set_m2m(instance, m2m)
        after = snapshot_of(instance)
        if after != before:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=instance,
                organisation_id=owner,
                before=before,
                after=after,
            )
            changed(organisation_id_of(instance))
    return instance


def register_delete(*, actor: Actor, instance: models.Model) -> None:
    """Delete a register object and audit it. Objects still in use are refused with a message."""
    check_write_permission(actor=actor, instance=instance)
    before = snapshot_of(instance)
    org_id = organisation_id_of(instance)
    label, pk, text = instance._meta.label_lower, str(instance.pk), str(instance)
    try:
        with transaction.atomic():
            instance.delete()
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                object_type=label,
                object_id=pk,
                object_repr=text,
                organisation_id=org_id,
                before=before,
            )
            changed(org_id)
    except models.ProtectedError as exc:
        users = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
        raise ValidationError(f"Still in use by: {users}.") from exc
    except models.RestrictedError as exc:
        users = ", ".join(sorted({str(obj) for obj in exc.restricted_objects})[:5])
        raise ValidationError(f"Still in use by: {users}.") from exc


def provenance_create(
    *,
    actor: Actor,
    source: str,
    checked_on: datetime.date | None,
    verified: bool = True,
    note: str = "",
    entered_by_label: str = "",
) -> Provenance:
    """Record where a fact comes from. Provenance records are never changed afterwards."""
    if actor is not None and not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to record where a fact comes from.")
    user = actor if actor is not None and actor.is_authenticated else None
    provenance = Provenance(
        source=source.strip(),
        checked_on=checked_on,
        entered_by=user,
        entered_by_label=entered_by_label or (user.get_username() if user else "system"),
        verified=verified,
        note=note,
    )
    provenance.full_clean()
    provenance.save()
    return provenance


def _save(instance: models.Model) -> None:
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc


def _set_m2m(instance: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(list(values))


def _check_m2m_owners(instance: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> None:
    """Refuse links from one organisation's record to another organisation's records."""
    owner = organisation_id_of(instance)
    if owner is None or isinstance(instance, Organisation):
        return
    for name, values in (m2m or {}).items():
        related = instance._meta.get_field(name).related_model
        if not isinstance(related, type) or related is Organisation:
            continue
        lookup = organisation_lookup(related)
        if lookup is None:
            continue
        pks = [getattr(value, "pk", value) for value in values]
        if related._default_manager.filter(pk__in=pks).exclude(**{lookup: owner}).exists():
            raise ValidationError({name: "Belongs to another organisation."})


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc)
    if "legalentityancestor" in text:
        # The closure trigger could not add a link: the new parent is already a descendant.
        return "This parent would make the control chain a cycle."
    return f"The database refused this change: {text.splitlines()[0] if text else 'constraint violated'}."
