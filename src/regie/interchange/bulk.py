"""Creating many new records of one kind at once, with the guarantees of ``register_create``.

A large spreadsheet adds tens of thousands of records; checking each through
``register_create`` costs a dozen queries a record (Django evaluates every check constraint
with a query). Here the same guarantees are kept in fewer statements: the actor's right to
write is checked per organisation, every record is validated in Python (field validators,
``clean()``), the database enforces the unique and check constraints on insert, and every
record gets its own audit entry. When the database refuses the batch, the caller falls back
to ``register_create`` record by record, which names the record and the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from django.db import models, transaction

from regie.audit.context import current_request_id
from regie.audit.models import AuditAction, AuditEntry
from regie.audit.services import snapshot_of
from regie.register.services import check_write_permission

if TYPE_CHECKING:
    from regie.register.services import Actor

M = TypeVar("M", bound=models.Model)
BATCH = 1000


def validate_new(instance: models.Model) -> None:
    """Field validation and ``clean()``, without the per-record queries of foreign keys,
    uniqueness and check constraints (the database enforces those on insert)."""
    foreign_keys = [f.name for f in instance._meta.concrete_fields if f.many_to_one]
    instance.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)


def bulk_create_audited(*, actor: Actor, model: type[M], instances: Sequence[M]) -> list[M]:
    """Insert validated new records and one audit entry each, inside one transaction."""
    if not instances:
        return []
    checked: set[object] = set()
    for instance in instances:
        owner = getattr(instance, "organisation_id", None)
        if owner not in checked:
            check_write_permission(actor=actor, instance=instance)
            checked.add(owner)
    user = actor if actor is not None and actor.is_authenticated else None
    label = user.get_username() if user is not None else "system"
    request_id = current_request_id()
    with transaction.atomic():
        created = model._default_manager.bulk_create(list(instances), batch_size=BATCH)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=user,
                    actor_label=label,
                    organisation_id=getattr(obj, "organisation_id", None),
                    action=AuditAction.CREATE,
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    after=snapshot_of(obj),
                    request_id=request_id,
                )
                for obj in created
            ],
            batch_size=BATCH,
        )
    return created
