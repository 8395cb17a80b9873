"""An organisation's own settings and memberships, for its administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regie.accounts.models import Membership
from regie.accounts.permissions import can_admin
from regie.accounts.services import membership_create, membership_delete, membership_update
from regie.register.models import Organisation
from regie.register.services import register_update

from ..forms import MembershipAddForm, MembershipRoleForm, OrganisationForm, add_service_errors
from .common import get_organisation


def _admin_organisation(request: HttpRequest, code: str) -> Organisation:
    organisation = get_organisation(request, code)
    if not can_admin(request.user, organisation):
        raise PermissionDenied(_("Only administrators of this organisation may change its settings."))
    return organisation


def _page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: OrganisationForm | None = None,
    add_form: MembershipAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = (
        Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__username")
    )
    context: dict[str, Any] = {
        "organisation": organisation,
        "section": "settings",
        "form": form or OrganisationForm(instance=Organisation.objects.get(pk=organisation.pk)),
        "add_form": add_form or MembershipAddForm(),
        "members": [
            (m, MembershipRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships
        ],
    }
    return render(request, "web/org_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def org_settings(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _admin_organisation(request, org)
    if request.method != "POST":
        return _page(request, organisation)
    form = OrganisationForm(request.POST, instance=Organisation.objects.get(pk=organisation.pk))
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "trusted_countries"}
        try:
            register_update(
                actor=request.user,
                instance=organisation,
                data=data,
                m2m={"trusted_countries": form.cleaned_data["trusted_countries"]},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("web:org_settings", org=organisation.code)
    return _page(request, organisation, form=form)


@login_required
@require_POST
def member_add(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _admin_organisation(request, org)
    add_form = MembershipAddForm(request.POST)
    if add_form.is_valid():
        try:
            membership_create(
                actor=request.user,
                organisation=organisation,
                username=add_form.cleaned_data["username"],
                role=add_form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("The member was added."))
            return redirect("web:org_settings", org=organisation.code)
    return _page(request, organisation, add_form=add_form)


def _membership(organisation: Organisation, pk: int) -> Membership:
    membership = Membership.objects.filter(organisation=organisation, pk=pk).select_related("user").first()
    if membership is None:
        raise Http404("No such member.")
    return membership


@login_required
@require_POST
def member_role(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _admin_organisation(request, org)
    membership = _membership(organisation, pk)
    form = MembershipRoleForm(request.POST, prefix=f"m{pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("web:org_settings", org=organisation.code)
    try:
        membership_update(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role of %(user)s was changed.") % {"user": membership.user})
    return redirect("web:org_settings", org=organisation.code)


@login_required
@require_POST
def member_remove(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _admin_organisation(request, org)
    membership = _membership(organisation, pk)
    user = str(membership.user)
    try:
        membership_delete(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(user)s is no longer a member.") % {"user": user})
    return redirect("web:org_settings", org=organisation.code)
