"""One set of views for every register type: list, detail, add, edit, delete.

Organisation registers live under /o/<org>/<slug>/, the shared catalogue under
/catalogue/<slug>/. Reads go through the scoped selectors, writes through the register
services; a write the user may not make is a 403, an object outside their scope a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from regie.register.models import Contract, LegalEntity, Organisation
from regie.register.services import provenance_create, register_create, register_delete, register_update
from regie.register.tenancy import is_tenant_model

from ..forms import RegisterForm, add_service_errors, form_class_for
from ..registry import RegisterType, Scope
from . import detail as sections
from .common import get_object, get_organisation, get_register_type, may_write, scoped, type_url
from .listing import list_state


def _resolve(
    request: HttpRequest, scope: Scope, slug: str, org_code: str | None
) -> tuple[RegisterType, Organisation | None]:
    rtype = get_register_type(scope, slug)
    org = get_organisation(request, org_code) if org_code is not None else None
    return rtype, org


def _base_context(rtype: RegisterType, org: Organisation | None, request: HttpRequest) -> dict[str, Any]:
    return {
        "rtype": rtype,
        "organisation": org,
        "can_write": may_write(request, rtype, org),
        "list_url": type_url(rtype, "list", org),
        "add_url": type_url(rtype, "add", org),
        "section": rtype.slug,
    }


def _list(request: HttpRequest, scope: Scope, slug: str, org_code: str | None) -> HttpResponse:
    rtype, org = _resolve(request, scope, slug, org_code)
    state = list_state(rtype, scoped(request, rtype, org), request.GET, request.user, org)
    page = Paginator(state.queryset, rtype.per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        **_base_context(rtype, org, request),
        "state": state,
        "page": page,
        "rows": sections.make_rows(rtype, list(page.object_list), org),
        "querystring": params.urlencode(),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return render(request, "web/_table.html", context)
    return render(request, "web/list.html", context)


def _detail(request: HttpRequest, scope: Scope, slug: str, org_code: str | None, pk: str) -> HttpResponse:
    rtype, org = _resolve(request, scope, slug, org_code)
    obj = get_object(request, rtype, org, pk)
    code = org.code if org is not None else None
    context: dict[str, Any] = {
        **_base_context(rtype, org, request),
        "object": obj,
        "fields": sections.field_rows(rtype, obj, code),
        "facts": sections.fact_rows(rtype, obj, code),
        "related": sections.related_sections(request, rtype, obj, org),
        "history": sections.history(request, rtype, obj),
        "edit_url": type_url(rtype, "edit", org, obj.pk),
        "delete_url": type_url(rtype, "delete", org, obj.pk),
    }
    if isinstance(obj, LegalEntity):
        context["chain"] = sections.control_chain(obj, rtype)
    if isinstance(obj, Contract) and org is not None:
        context["clauses"] = sections.clause_matrix(obj, org)
        clause_type = get_register_type("org", "contract-clauses")
        if may_write(request, clause_type, org):
            context["clause_add_url"] = f"{type_url(clause_type, 'add', org)}?contract={obj.pk}"
    return render(request, "web/detail.html", context)


def _save(
    *, request: HttpRequest, form: RegisterForm, org: Organisation | None, instance: models.Model | None
) -> models.Model:
    """Record the sources the user gave, then create or update through the register services."""
    rtype = form.rtype
    data, m2m = form.register_data()
    with transaction.atomic():
        for fact, source, checked_on, verified in form.source_requests():
            data[fact.provenance] = provenance_create(
                actor=request.user, source=source, checked_on=checked_on, verified=verified
            )
        if instance is None:
            if rtype.is_org and is_tenant_model(rtype.model) and rtype.parent is None:
                data["organisation"] = org
            return register_create(actor=request.user, model=rtype.model, data=data, m2m=m2m)
        return register_update(actor=request.user, instance=instance, data=data, m2m=m2m)


def _form_page(
    request: HttpRequest, scope: Scope, slug: str, org_code: str | None, pk: str | None
) -> HttpResponse:
    rtype, org = _resolve(request, scope, slug, org_code)
    instance = get_object(request, rtype, org, pk) if pk is not None else None
    if not may_write(request, rtype, org):
        raise PermissionDenied(_("You may not change this register."))
    form_class = form_class_for(rtype)
    # The form works on its own copy, so that the service sees the object as it was.
    form_instance = get_object(request, rtype, org, pk) if pk is not None else rtype.model()
    if org is not None and rtype.parent is None and is_tenant_model(rtype.model):
        form_instance.organisation = org  # type: ignore[attr-defined]
    if request.method == "POST":
        form = form_class(request.POST, instance=form_instance, organisation=org)
        if form.is_valid():
            try:
                saved = _save(request=request, form=form, org=org, instance=instance)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                text = _("“%(object)s” was saved.") % {"object": saved}
                messages.success(request, text)
                return redirect(type_url(rtype, "detail", org, saved.pk))
    else:
        initial = {name: request.GET[name] for name in rtype.fields if name in request.GET}
        form = form_class(instance=form_instance, organisation=org, initial=initial)
    context = {
        **_base_context(rtype, org, request),
        "form": form,
        "object": instance,
        "cancel_url": type_url(rtype, "detail", org, instance.pk)
        if instance
        else type_url(rtype, "list", org),
    }
    return render(request, "web/form.html", context)


def _delete(request: HttpRequest, scope: Scope, slug: str, org_code: str | None, pk: str) -> HttpResponse:
    rtype, org = _resolve(request, scope, slug, org_code)
    obj = get_object(request, rtype, org, pk)
    if not may_write(request, rtype, org):
        raise PermissionDenied(_("You may not change this register."))
    error = None
    if request.method == "POST":
        text = str(obj)
        try:
            register_delete(actor=request.user, instance=obj)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("“%(object)s” was deleted.") % {"object": text})
            return redirect(type_url(rtype, "list", org))
    context = {
        **_base_context(rtype, org, request),
        "object": obj,
        "error": error,
        "cancel_url": type_url(rtype, "detail", org, obj.pk),
    }
    return render(request, "web/confirm_delete.html", context, status=400 if error else 200)


# --- URL entry points ------------------------------------------------------------------

_GET = require_http_methods(["GET", "HEAD"])
_FORM = require_http_methods(["GET", "HEAD", "POST"])


@login_required
@_GET
def org_list(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    return _list(request, "org", slug, org)


@login_required
@_GET
def org_detail(request: HttpRequest, org: str, slug: str, pk: str) -> HttpResponse:
    return _detail(request, "org", slug, org, pk)


@login_required
@_FORM
def org_add(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    return _form_page(request, "org", slug, org, None)


@login_required
@_FORM
def org_edit(request: HttpRequest, org: str, slug: str, pk: str) -> HttpResponse:
    return _form_page(request, "org", slug, org, pk)


@login_required
@_FORM
def org_delete(request: HttpRequest, org: str, slug: str, pk: str) -> HttpResponse:
    return _delete(request, "org", slug, org, pk)


@login_required
@_GET
def cat_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _list(request, "catalogue", slug, None)


@login_required
@_GET
def cat_detail(request: HttpRequest, slug: str, pk: str) -> HttpResponse:
    return _detail(request, "catalogue", slug, None, pk)


@login_required
@_FORM
def cat_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, "catalogue", slug, None, None)


@login_required
@_FORM
def cat_edit(request: HttpRequest, slug: str, pk: str) -> HttpResponse:
    return _form_page(request, "catalogue", slug, None, pk)


@login_required
@_FORM
def cat_delete(request: HttpRequest, slug: str, pk: str) -> HttpResponse:
    return _delete(request, "catalogue", slug, None, pk)
