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
from .tenancy import is_tenant_model, organisation_id_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

    Actor = User | AnonymousUser | None

M = TypeVar("M", bound=models.Model)


def check_write_permission(*, actor: Actor, instance: models.Model) -> None:
    """Raise PermissionDenied unless the actor may write this object.

    ``actor=None`` is the system itself (migrations, reference bundles, the demo loader).
    """
    if actor is None:
        return
    if isinstance(instance, Organisation):
        if instance.pk is None:
            if not actor.is_superuser:
                raise PermissionDenied("Only an administrator of Regie may add organisations.")
        else:
            require_admin(actor, instance.pk)
        return
    org_id = organisation_id_of(instance)
    if org_id is not None:
        require_edit(actor, org_id)
    elif is_tenant_model(type(instance)):
        raise PermissionDenied("This record must belong to an organisation.")
    else:
        require_catalogue(actor)


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
    with transaction.atomic():
        _save(instance)
        _set_m2m(instance, m2m)
        audit_record(actor=actor, action=AuditAction.CREATE, instance=instance, after=snapshot_of(instance))
        changed(organisation_id_of(instance))
    return instance


def register_update(
    *,
    actor: Actor,
    instance: M,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> M:
    """Change fields of a register object. Moving a record to another organisation is refused."""
    check_write_permission(actor=actor, instance=instance)
    before = snapshot_of(instance)
    for field, value in data.items():
        if field in ("organisation", "organisation_id") and organisation_id_of(instance) != getattr(
            value, "pk", value
        ):
            raise ValidationError({"organisation": "A record cannot move to another organisation."})
        setattr(instance, field, value)
    check_write_permission(actor=actor, instance=instance)
    with transaction.atomic():
        _save(instance)
        _set_m2m(instance, m2m)
        after = snapshot_of(instance)
        if after != before:
            audit_record(
                actor=actor, action=AuditAction.UPDATE, instance=instance, before=before, after=after
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


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc)
    if "legalentityancestor_no_cycle" in text or ("CHECK constraint failed" in text and "ancestor" in text):
        return "This parent would make the control chain a cycle."
    return f"The database refused this change: {text.splitlines()[0] if text else 'constraint violated'}."
