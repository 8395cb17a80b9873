"""Reads from the register, always scoped to what the caller may see.

Catalogue records are visible to every signed-in user. Organisation records are visible only
to members of that organisation (superusers see all). Internal records (user accounts, the
audit trail, tokens) only to superusers: they have selectors of their own. An object outside
the caller's scope is reported as not found, never as forbidden, so that its existence does
not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from regie.accounts.permissions import can_view, organisation_ids

from .models import Organisation
from .tenancy import is_shared_model, organisation_lookup

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

M = TypeVar("M", bound=models.Model)


class NotVisibleError(LookupError):
    """The object does not exist or the caller may not see it (deliberately indistinguishable)."""


def visible(*, user: User | AnonymousUser, model: type[M]) -> QuerySet[M]:
    """Every object of this model the user may see."""
    objects: QuerySet[M] = model._default_manager.all()
    if not user.is_authenticated or not user.is_active:
        return objects.none()
    lookup = organisation_lookup(model)
    if lookup is None:
        return objects if is_shared_model(model) or user.is_superuser else objects.none()
    ids = organisation_ids(user)
    if ids is None:
        return objects
    return objects.filter(**{f"{lookup}__in": ids})


def of_organisation(
    *, user: User | AnonymousUser, model: type[M], organisation: Organisation | int
) -> QuerySet[M]:
    """The objects of one organisation, if the user may see that organisation."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    lookup = organisation_lookup(model)
    if lookup is None:
        raise TypeError(f"{model.__name__} is a shared catalogue model, not an organisation's.")
    if not can_view(user, org_id):
        return model._default_manager.none()
    return model._default_manager.filter(**{lookup: org_id})


def get_visible(*, user: User | AnonymousUser, model: type[M], pk: Any) -> M:
    """One object the user may see; NotVisibleError otherwise."""
    try:
        return visible(user=user, model=model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise NotVisibleError(f"No {model._meta.verbose_name} with id {pk}.") from exc


def organisations_of(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations the user is a member of (all of them for a superuser)."""
    return visible(user=user, model=Organisation)
