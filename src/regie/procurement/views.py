"""Pages of the procurement assessment under /o/<code>/tenders/. Thin: scope, selector or
service, render. The assessment matrix re-ranks with other weights through htmx without
saving; "save weights" stores them on the tender."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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
from .models import Bid, Decision, Tender
from .scoring import CRITERIA, MEASURES, WeightError
from .selectors import assessment_for, bid_for, decisions_for, history_for, tender_for, tenders_for
from .services import bid_create, bid_delete, bid_update, decision_record, tender_create, tender_update

T = TypeVar("T")


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


def _submitted(request: HttpRequest, form: Form, save: Callable[[], T], done: str) -> T | None:
    """What the service made of a valid posted form (``done`` shown as the message), or None:
    nothing posted, the form invalid, or the service refused (its reasons then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except ValidationError as exc:
        _refused(form, exc)
        return None
    messages.success(request, done)
    return saved


def _for_editing(request: HttpRequest, org: str, pk: int) -> tuple[Organisation, Tender]:
    """The organisation and its tender, for an editor of the organisation (403 otherwise)."""
    organisation = _organisation(request, org)
    obj = _tender(request, organisation, pk)
    if not can_edit(request.user, organisation):
        raise PermissionDenied
    return organisation, obj


def _bid(request: HttpRequest, tender: Tender, pk: int) -> Bid:
    try:
        return bid_for(user=request.user, tender=tender, pk=pk)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc


def _tender_form(
    request: HttpRequest,
    organisation: Organisation,
    tender: Tender,
    form: Form,
    *,
    save: Callable[[], object],
    done: str,
    template: str,
    **context: Any,
) -> HttpResponse:
    """A form about the tender: saved, back to the tender's page; else the form's page."""
    if _submitted(request, form, save, done) is not None:
        return redirect("procurement:tender", org=organisation.code, pk=tender.pk)
    return _page(request, template, organisation, tender=tender, form=form, **context)


@login_required
@require_http_methods(["GET", "POST"])
def tenders(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    editable = can_edit(request.user, organisation)
    form = TenderForm(request.POST or None, organisation_id=organisation.pk, lang=_lang())
    if request.method == "POST" and not editable:
        raise PermissionDenied
    created = _submitted(
        request,
        form,
        lambda: tender_create(actor=request.user, organisation=organisation, **form.service_arguments()),
        _("The tender is created. Add the bids next."),
    )
    if created is not None:
        return redirect("procurement:tender", org=organisation.code, pk=created.pk)
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
    organisation, obj = _for_editing(request, org, pk)
    form = TenderForm(request.POST or None, organisation_id=organisation.pk, lang=_lang(), tender=obj)
    return _tender_form(
        request,
        organisation,
        obj,
        form,
        save=lambda: tender_update(actor=request.user, tender=obj, **form.service_arguments()),
        done=_("The tender is saved."),
        template="tender_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def bid_form(request: HttpRequest, org: str, pk: int, bid: int | None = None) -> HttpResponse:
    organisation, obj = _for_editing(request, org, pk)
    existing = None if bid is None else _bid(request, obj, bid)
    form = BidForm(request.POST or None, lang=_lang(), bid=existing)

    def save() -> Bid:
        if existing is None:
            return bid_create(actor=request.user, tender=obj, data=form.data_fields())
        return bid_update(actor=request.user, bid=existing, data=form.data_fields())

    return _tender_form(
        request,
        organisation,
        obj,
        form,
        save=save,
        done=_("The bid is saved."),
        template="bid_form.html",
        bid=existing,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation, obj = _for_editing(request, org, pk)
    a = assessment_for(user=request.user, tender=obj)
    eligible = [(b.bid.pk, f"#{b.rank} {b.bid} ({b.total:.3f})") for b in a.ranked]
    form = DecisionForm(request.POST or None, bids=eligible)

    def save() -> Decision:
        chosen = obj.bids.filter(pk=form.cleaned_data["bid"]).first()
        if chosen is None:
            raise ValidationError({"bid": [_("Not a bid on this tender.")]})
        return decision_record(
            actor=request.user,
            tender=obj,
            bid=chosen,
            justification=form.cleaned_data["justification"],
            decided_on=form.cleaned_data["decided_on"],
        )

    return _tender_form(
        request,
        organisation,
        obj,
        form,
        save=save,
        done=_("The decision is recorded."),
        template="decision.html",
        assessment=a,
    )


@login_required
@require_http_methods(["POST"])
def bid_remove(request: HttpRequest, org: str, pk: int, bid: int) -> HttpResponse:
    """Delete a bid (editors; a bid that a decision chose stays)."""
    organisation, obj = _for_editing(request, org, pk)
    existing = _bid(request, obj, bid)
    try:
        bid_delete(actor=request.user, bid=existing)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The bid is deleted."))
    return redirect("procurement:tender", org=organisation.code, pk=obj.pk)
