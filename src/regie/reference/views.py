"""The page of an organisation's local overrides: list (members), set and remove (editors).

Thin: the selectors scope the reads, the services check the role, validate and audit.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from regie.accounts.permissions import can_edit
from regie.analysis.selectors import visible_organisation
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .forms import FormInputError, read_form
from .models import OverridableField
from .selectors import overrides_of
from .services import override_remove, override_set
from .templatetags.reference_tags import display_value


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        return visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_http_methods(["GET", "POST"])
def overrides(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_edit(request.user, organisation):
            raise PermissionDenied("Only editors of the organisation override catalogue facts.")
        try:
            given = read_form(request.POST)
            override_set(
                actor=request.user,
                organisation=organisation,
                field=given.field,
                value=given.value,
                justification=given.justification,
                source=given.source,
                checked_on=given.checked_on,
                verified=given.verified,
                entity=given.entity,
                service=given.service,
            )
        except FormInputError as problem:
            errors = {problem.field: [problem.message]}
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            return redirect("reference:overrides", org=organisation.code)
    rows = [
        {"override": o, "subject": o.entity or o.service, "value": display_value(o.value)}
        for o in overrides_of(user=request.user, organisation=organisation).order_by("field", "pk")
    ]
    return render(
        request,
        "reference/overrides.html",
        {
            "organisation": organisation,
            "rows": rows,
            "fields": OverridableField.choices,
            "may_edit": can_edit(request.user, organisation),
            "errors": errors,
            "posted": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def remove(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    found = overrides_of(user=request.user, organisation=organisation).filter(pk=pk).first()
    if found is None:
        raise Http404("No such override.")
    override_remove(actor=request.user, override=found)
    return redirect("reference:overrides", org=organisation.code)
