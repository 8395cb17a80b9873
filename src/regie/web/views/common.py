"""What every view needs: the organisation in the URL, the register type, scoped objects."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from regie.accounts.permissions import can_edit, can_edit_catalogue
from regie.register import selectors
from regie.register.models import Organisation

from ..registry import RegisterType, Scope, get_type


def get_organisation(request: HttpRequest, code: str) -> Organisation:
    """The organisation with this code, if the user is a member; 404 otherwise."""
    org = selectors.organisations_of(user=request.user).filter(code=code).first()
    if org is None:
        raise Http404("No such organisation.")
    request.session["regie_org"] = org.code
    return org


def get_register_type(scope: Scope, slug: str) -> RegisterType:
    rtype = get_type(scope, slug)
    if rtype is None:
        raise Http404("No such register.")
    return rtype


def scoped(request: HttpRequest, rtype: RegisterType, org: Organisation | None) -> QuerySet[Any]:
    """Every object of this type that the user may see here."""
    if rtype.is_org:
        assert org is not None
        queryset = selectors.of_organisation(user=request.user, model=rtype.model, organisation=org)
    else:
        queryset = selectors.visible(user=request.user, model=rtype.model)
    if rtype.select_related:
        queryset = queryset.select_related(*rtype.select_related)
    return queryset


def get_object(request: HttpRequest, rtype: RegisterType, org: Organisation | None, pk: str) -> models.Model:
    """One visible object; 404 when it does not exist or belongs to someone else."""
    try:
        obj: models.Model = scoped(request, rtype, org).get(pk=pk)
    except (rtype.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # type: ignore[attr-defined]
        raise Http404(f"No {rtype.verbose_name} with id {pk}.") from exc
    return obj


def may_write(request: HttpRequest, rtype: RegisterType, org: Organisation | None) -> bool:
    if rtype.is_org:
        return org is not None and can_edit(request.user, org)
    return can_edit_catalogue(request.user)


def type_url(rtype: RegisterType, action: str, org: Organisation | None, pk: Any = None) -> str:
    """The URL of a generic page: list, add, detail, edit or delete."""
    kwargs: dict[str, Any] = {"slug": rtype.slug}
    if pk is not None:
        kwargs["pk"] = pk
    if rtype.is_org:
        if org is None:
            raise ValueError("An organisation's register needs the organisation.")
        kwargs["org"] = org.code
        return reverse(f"web:org_{action}", kwargs=kwargs)
    return reverse(f"web:cat_{action}", kwargs=kwargs)
