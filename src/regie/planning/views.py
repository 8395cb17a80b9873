"""The exit-planning pages of an organisation under /o/<code>/roadmap/. Thin: find the
organisation (and plan) in the caller's scope (404 otherwise), call a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regie.analysis.selectors import visible_organisation
from regie.register.models import ExitPlan, Organisation
from regie.register.selectors import NotVisibleError, of_organisation

from .risk import WEIGHTS
from .roadmap import Roadmap, effect_of, roadmap_for
from .suggestions import alternatives_for
from .text import term_label


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        org = visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    request.session["regie_org"] = org.code
    return org


def measure_rows(terms: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """The risk measure's terms with their weights (and points, when given)."""
    return [
        {"key": k, "label": term_label(k), "weight": w, "points": (terms or {}).get(k)}
        for k, w in WEIGHTS.items()
    ]


def chart_data(road: Roadmap) -> dict[str, Any]:
    """Risk after each step against the money spent so far (the first point: now)."""
    return {
        "cost": [0.0, *(s.cumulative_cost for s in road.steps)],
        "risk": [road.risk_before, *(s.risk_after for s in road.steps)],
        "titles": ["—", *(s.title for s in road.steps)],
        "labels": {"x": _("cumulative cost (EUR)"), "y": _("risk (points, 0–100)")},
    }


@login_required
@require_GET
def roadmap(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    road = roadmap_for(user=request.user, organisation=organisation)
    return render(
        request,
        "planning/roadmap.html",
        {
            "organisation": organisation,
            "section": "roadmap",
            "road": road,
            "measure": measure_rows(road.terms_before),
            "chart": chart_data(road),
        },
    )


@login_required
@require_GET
def plan(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    found = (
        of_organisation(user=request.user, model=ExitPlan, organisation=organisation)
        .select_related("usage__product", "service__product", "alternative", "organisation")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(f"No exit plan with id {pk}.")
    suggestions = (
        alternatives_for(user=request.user, usage=found.usage)
        if found.usage is not None
        else alternatives_for(user=request.user, service=found.service, organisation=organisation)
    )
    effect = effect_of(found)
    return render(
        request,
        "planning/plan.html",
        {
            "organisation": organisation,
            "section": "roadmap",
            "plan": found,
            "steps": found.steps.all(),
            "suggestions": suggestions,
            "effect": effect,
            "measure": measure_rows(effect.terms_before),
        },
    )
