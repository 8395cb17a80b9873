"""Pages of the strategic framework under /o/<code>/framework/. Thin: scope, selector or service, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regie.accounts.permissions import can_admin, can_edit
from regie.analysis.selectors import visible_organisation
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .forms import AcceptForm, ThresholdForm
from .models import FindingStatus
from .rules import builtin_rulesets
from .selectors import finding_for, findings_for, framework_of, trend_for
from .services import adoption_save, finding_accept, findings_refresh

SEVERITIES = ("fail", "warn", "info")


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        org = visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    request.session["regie_org"] = org.code
    return org


def _page(request: HttpRequest, template: str, org: Organisation, **context: Any) -> HttpResponse:
    return render(request, f"policy/{template}", {"organisation": org, "section": "framework", **context})


@login_required
@require_http_methods(["GET", "POST"])
def findings(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    if request.method == "POST":
        if not can_edit(request.user, organisation):
            raise PermissionDenied
        result = findings_refresh(organisation=organisation)
        messages.success(
            request,
            _("Re-evaluated: %(opened)s new, %(reopened)s reopened, %(resolved)s resolved.")
            % result.to_dict(),
        )
        return redirect("policy:findings", org=organisation.code)
    status = request.GET.get("status") or None
    if status not in (None, *FindingStatus.values):
        status = None
    rows = findings_for(user=request.user, organisation=organisation, status=status)
    counts = {s: sum(1 for f in rows if f.severity == s) for s in SEVERITIES}
    lang = get_language() or "nl"
    items = [(f, f.message(lang)) for f in rows]
    return _page(
        request,
        "findings.html",
        organisation,
        items=items,
        counts=counts,
        status=status,
        statuses=FindingStatus.choices,
        can_edit=can_edit(request.user, organisation),
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    try:
        obj = finding_for(user=request.user, organisation=organisation, pk=pk)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    editable = can_edit(request.user, organisation)
    form = AcceptForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                finding_accept(
                    actor=request.user,
                    finding=obj,
                    justification=form.cleaned_data["justification"],
                    owner=form.cleaned_data["owner"],
                    approver=form.cleaned_data["approver"],
                    expires_on=form.cleaned_data["expires_on"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The finding is accepted (comply or explain)."))
                return redirect("policy:finding", org=organisation.code, pk=obj.pk)
    rule = _rule(obj.rule)
    return _page(
        request,
        "finding.html",
        organisation,
        finding=obj,
        message=obj.message(get_language() or "nl"),
        rule=rule,
        lang="en" if (get_language() or "nl").startswith("en") else "nl",
        evidence=sorted(obj.evidence.items()),
        events=list(obj.events.select_related("actor")),
        acceptances=list(obj.acceptances.select_related("approver", "created_by")),
        form=form if editable and obj.status == FindingStatus.OPEN else None,
    )


def _rule(qualified: str) -> Any:
    rsid, _sep, rid = qualified.partition("/")
    rs = builtin_rulesets().get(rsid)
    if rs is None:
        return None
    try:
        return rs.rule(rid)
    except KeyError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def framework(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    fw, adoptions = framework_of(user=request.user, organisation=organisation)
    admin = can_admin(request.user, organisation)
    sets = builtin_rulesets()
    basis = sets["regie-basis"]
    effective = {ar.rule.id: dict(ar.params) for ar in fw.applied if ar.rule.ruleset == basis.id}
    rules = [(r, effective.get(r.id, {})) for r in basis.rules if r.parameters]
    form = ThresholdForm(request.POST or None, rules=rules) if admin else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            defaults = {r.id: {n: p.default for n, p in r.parameters.items()} for r in basis.rules}
            try:
                adoption_save(
                    actor=request.user,
                    ruleset=basis.id,
                    organisation=organisation,
                    parameters=form.parameters(defaults),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Thresholds saved."))
                return redirect("policy:framework", org=organisation.code)
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return _page(
        request,
        "framework.html",
        organisation,
        framework=fw,
        adoptions=adoptions,
        lang=lang,
        rulesets=[(rs, src, list(rs.rules)) for rs, src in fw.rulesets],
        effective=effective,
        form=form,
    )


@login_required
@require_GET
def trend(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    snaps = trend_for(user=request.user, organisation=organisation)
    data: dict[str, Any] = {
        "days": [s.day.isoformat() for s in snaps],
        "series": {sev: [s.findings.get("open", {}).get(sev, 0) for s in snaps] for sev in SEVERITIES},
        "accepted": [sum(s.findings.get("accepted", {}).values()) for s in snaps],
        "labels": {
            "fail": _("open: fail"),
            "warn": _("open: warn"),
            "info": _("open: info"),
            "accepted": _("accepted"),
            "axis": _("findings"),
        },
    }
    rows = [(s.day, s.findings, s.figures) for s in reversed(snaps)]
    return _page(request, "trend.html", organisation, chart=data, rows=rows, chart_json=json.dumps(data))


@login_required
@require_GET
def scorecards(request: HttpRequest, org: str) -> HttpResponse:
    from .models import Scorecard
    from .scorecards import scorecard_score, sovereignty_rollup

    organisation = _organisation(request, org)
    cards = list(
        Scorecard.objects.filter(organisation=organisation)
        .select_related("service", "product")
        .prefetch_related("answers")
    )
    rows = [(c, scorecard_score(c)) for c in cards]
    rollup = sovereignty_rollup(user=request.user, organisation=organisation)
    from regie.register.models import Service

    services = Service.objects.order_by("name")[:500]
    return _page(
        request,
        "scorecards.html",
        organisation,
        rows=rows,
        rollup=sorted(rollup["share_at_or_above"].items()),
        critical=rollup["critical_processes"],
        services=services,
        can_edit=can_edit(request.user, organisation),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request: HttpRequest, org: str, kind: str, pk: int) -> HttpResponse:
    from regie.register.models import Product, Service

    from .forms import ScorecardForm
    from .scorecards import scorecard_answer, scorecard_get_or_create, scorecard_score
    from .sovereignty import OBJECTIVES

    organisation = _organisation(request, org)
    target: Service | Product | None = None
    if kind == "service":
        target = Service.objects.filter(pk=pk).first()
    elif kind == "product":
        target = Product.objects.filter(pk=pk).first()
    if target is None:
        raise Http404("No such service or product.")
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    from .models import Scorecard

    card = Scorecard.objects.filter(organisation=organisation, **{kind: target}).first()
    answers = {a.question: a for a in card.answers.all()} if card else {}
    form = ScorecardForm(request.POST or None, lang=lang, answers=answers)
    if request.method == "POST":
        if not can_edit(request.user, organisation):
            raise PermissionDenied
        if form.is_valid():
            card = card or scorecard_get_or_create(
                actor=request.user,
                organisation=organisation,
                service=target if isinstance(target, Service) else None,
                product=target if isinstance(target, Product) else None,
            )
            for q in form.questions:
                option = form.cleaned_data.get(q.id)
                if option:
                    scorecard_answer(
                        actor=request.user,
                        scorecard=card,
                        question=q.id,
                        option=option,
                        evidence=form.cleaned_data.get(f"{q.id}__evidence") or "",
                        source=form.cleaned_data.get(f"{q.id}__source") or "",
                    )
            messages.success(request, _("Scorecard saved."))
            return redirect("policy:scorecard", org=organisation.code, kind=kind, pk=pk)
    result = scorecard_score(card) if card else None
    objectives = [
        (o, names[1] if lang == "en" else names[0], result.objectives[o] if result else 0)
        for o, names in OBJECTIVES.items()
    ]
    return _page(
        request,
        "scorecard.html",
        organisation,
        target=target,
        form=form,
        result=result,
        objectives=objectives,
    )
