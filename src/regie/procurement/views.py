"""Pages of the procurement assessment under /o/<code>/tenders/. Thin: scope, selector or
service, render. The assessment matrix re-ranks with other weights through htmx without
saving; "save weights" stores them on the tender."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from regie.accounts.permissions import can_edit
from regie.analysis.selectors import visible_organisation
from regie.policy.sovereignty import OBJECTIVES
from regie.register.models import ClauseKind, Organisation
from regie.register.selectors import NotVisibleError

from .forms import CRITERION_LABELS, CRITERION_SHORT, BidForm, DecisionForm, TenderForm, WeightsForm
from .models import Bid, Tender
from .scoring import CRITERIA, MEASURES, WeightError
from .selectors import assessment_for, bid_for, decisions_for, history_for, tender_for, tenders_for
from .services import bid_create, bid_delete, bid_update, decision_record, tender_create, tender_update


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        org = visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    request.session["regie_org"] = org.code
    return org


def _tender(request: HttpRequest, org: Organisation, pk: int) -> Tender:
    try:
        return tender_for(user=request.user, organisation=org, pk=pk)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc


def _page(request: HttpRequest, template: str, org: Organisation, **context: Any) -> HttpResponse:
    return render(request, f"procurement/{template}", {"organisation": org, "section": "tenders", **context})


def _lang() -> str:
    return get_language() or "nl"


def _refused(form: Form, exc: ValidationError) -> None:
    """Put a service's refusal on the field it names (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            name = field if field in form.fields else None
            if field.startswith("min_seal."):
                name = "min_" + field.split(".", 1)[1]
            elif field.startswith("answers."):
                name = "q_" + field.split(".", 1)[1]
            elif field.startswith("clauses."):
                name = "c_" + field.split(".", 1)[1]
            for m in msgs:
                form.add_error(name if name in form.fields else None, m)
    else:
        for m in exc.messages:
            form.add_error(None, m)


@login_required
@require_http_methods(["GET", "POST"])
def tenders(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    editable = can_edit(request.user, organisation)
    form = TenderForm(request.POST or None, organisation_id=organisation.pk, lang=_lang())
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                tender = tender_create(
                    actor=request.user, organisation=organisation, **form.service_arguments()
                )
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The tender is created. Add the bids next."))
                return redirect("procurement:tender", org=organisation.code, pk=tender.pk)
    rows = tenders_for(user=request.user, organisation=organisation)
    return _page(request, "tenders.html", organisation, rows=rows, form=form if editable else None)


def _assessment_context(
    request: HttpRequest, tender: Tender, weights: dict[str, Any] | None
) -> dict[str, Any]:
    a = assessment_for(user=request.user, tender=tender, weights=weights)
    rows = sorted(a.bids, key=lambda b: (b.rank or 10**6, b.bid.pk))
    return {
        "assessment": a,
        "rows": [(b, [b.scores[c] for c in CRITERIA]) for b in rows],
        "explained": [
            (
                b,
                [
                    (CRITERION_LABELS[c], b.measures.get("cost" if c == "price" else c), b.scores[c])
                    for c in CRITERIA
                ],
            )
            for b in rows
        ],
        "criteria": [(c, CRITERION_SHORT[c], MEASURES.get(c, "")) for c in CRITERIA],
        "objectives": list(OBJECTIVES),
    }


@login_required
@require_http_methods(["GET", "POST"])
def tender(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """The tender with its bids and the assessment matrix; POST saves the weights."""
    organisation = _organisation(request, org)
    obj = _tender(request, organisation, pk)
    editable = can_edit(request.user, organisation)
    data = request.POST if request.method == "POST" else (request.GET if "price" in request.GET else None)
    form = WeightsForm(data, initial_weights=obj.weights)
    weights = form.weights() if data is not None and form.is_valid() else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if weights is not None:
            tender_update(actor=request.user, tender=obj, weights=weights)
            messages.success(request, _("The weights are saved on the tender."))
            return redirect("procurement:tender", org=organisation.code, pk=obj.pk)
    try:
        context = _assessment_context(request, obj, weights)
    except WeightError as exc:  # the form checks the same bounds; kept for safety
        form.add_error(None, str(exc))
        context = _assessment_context(request, obj, None)
    labels = dict(ClauseKind.choices)
    context.update(
        weights_form=form,
        can_edit=editable,
        tender=obj,
        required_clauses=[labels.get(k, k) for k in obj.required_clauses],
    )
    if getattr(request, "htmx", False):
        return _page(request, "_assessment.html", organisation, **context)
    history = history_for(user=request.user, tender=obj)
    return _page(
        request,
        "tender.html",
        organisation,
        decisions=list(decisions_for(user=request.user, tender=obj)),
        history=history,
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tender_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    obj = _tender(request, organisation, pk)
    if not can_edit(request.user, organisation):
        raise PermissionDenied
    form = TenderForm(request.POST or None, organisation_id=organisation.pk, lang=_lang(), tender=obj)
    if request.method == "POST" and form.is_valid():
        try:
            tender_update(actor=request.user, tender=obj, **form.service_arguments())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The tender is saved."))
            return redirect("procurement:tender", org=organisation.code, pk=obj.pk)
    return _page(request, "tender_form.html", organisation, tender=obj, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def bid_form(request: HttpRequest, org: str, pk: int, bid: int | None = None) -> HttpResponse:
    organisation = _organisation(request, org)
    obj = _tender(request, organisation, pk)
    if not can_edit(request.user, organisation):
        raise PermissionDenied
    existing: Bid | None = None
    if bid is not None:
        try:
            existing = bid_for(user=request.user, tender=obj, pk=bid)
        except NotVisibleError as exc:
            raise Http404(str(exc)) from exc
    initial = {}
    if existing is not None:
        initial = {
            "bidder": existing.bidder_id,
            "product": existing.product_id,
            "services": list(existing.services.values_list("pk", flat=True)),
            "annual_price": existing.annual_price,
            "total_value": existing.total_value,
            "notes": existing.notes,
        }
    form = BidForm(
        request.POST or None,
        initial=initial,
        lang=_lang(),
        answers=dict(existing.answers) if existing else {},
        clauses=dict(existing.clauses) if existing else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                bid_create(actor=request.user, tender=obj, data=form.data_fields())
            else:
                bid_update(actor=request.user, bid=existing, data=form.data_fields())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The bid is saved."))
            return redirect("procurement:tender", org=organisation.code, pk=obj.pk)
    return _page(request, "bid_form.html", organisation, tender=obj, bid=existing, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    obj = _tender(request, organisation, pk)
    if not can_edit(request.user, organisation):
        raise PermissionDenied
    a = assessment_for(user=request.user, tender=obj)
    eligible = [(b.bid.pk, f"#{b.rank} {b.bid} ({b.total:.3f})") for b in a.ranked]
    form = DecisionForm(request.POST or None, bids=eligible)
    if request.method == "POST" and form.is_valid():
        chosen = obj.bids.filter(pk=form.cleaned_data["bid"]).first()
        if chosen is None:
            form.add_error("bid", _("Not a bid on this tender."))
        else:
            try:
                decision_record(
                    actor=request.user,
                    tender=obj,
                    bid=chosen,
                    justification=form.cleaned_data["justification"],
                    decided_on=form.cleaned_data["decided_on"],
                )
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("procurement:tender", org=organisation.code, pk=obj.pk)
    return _page(request, "decision.html", organisation, tender=obj, form=form, assessment=a)


@login_required
@require_http_methods(["POST"])
def bid_remove(request: HttpRequest, org: str, pk: int, bid: int) -> HttpResponse:
    """Delete a bid (editors; a bid that a decision chose stays)."""
    organisation = _organisation(request, org)
    obj = _tender(request, organisation, pk)
    if not can_edit(request.user, organisation):
        raise PermissionDenied
    try:
        existing = bid_for(user=request.user, tender=obj, pk=bid)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    try:
        bid_delete(actor=request.user, bid=existing)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The bid is deleted."))
    return redirect("procurement:tender", org=organisation.code, pk=obj.pk)
