"""Sector pages. Thin: check the role, call one selector, render. Everything shown has been
through the disclosure gate in the selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from regie.accounts.permissions import can_admin
from regie.analysis.selectors import visible_organisation
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .disclosure import SuppressedError
from .population import GroupFilter
from .selectors import (
    group_choices,
    joint_procurement,
    peer_benchmark,
    require_analyst,
    sector_report,
    systemic_suppliers,
)
from .services import sharing_settings_of, sharing_settings_update


def _chosen(request: HttpRequest) -> GroupFilter:
    return GroupFilter(
        kind=request.GET.get("kind", "")[:32],
        province=request.GET.get("province", "")[:2],
        joint_arrangement=request.GET.get("joint_arrangement", "")[:40],
    )


def _analyst_page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    chosen = _chosen(request)
    return render(
        request,
        f"sector/{template}",
        {"section": "sector", "chosen": chosen, "choices": group_choices(user=request.user), **context},
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require_analyst(request.user)
    try:
        report = sector_report(user=request.user, chosen=_chosen(request))
        refused = ""
    except SuppressedError as exc:
        report, refused = None, str(exc)
    chart = None
    if report is not None:
        shown = [r for r in report["reliance"] if not r["suppressed"]][:15]
        chart = {
            "groups": [r["name"] for r in shown],
            "orgs": [round(100 * r["org_share"], 1) for r in shown],
            "processes": [round(100 * r["process_share"], 1) for r in shown],
        }
    return _analyst_page(request, "overview.html", report=report, refused=refused, chart=chart)


@login_required
@require_GET
def systemic(request: HttpRequest) -> HttpResponse:
    require_analyst(request.user)
    try:
        rows, refused = systemic_suppliers(user=request.user, chosen=_chosen(request)), ""
    except SuppressedError as exc:
        rows, refused = [], str(exc)
    return _analyst_page(request, "systemic.html", rows=rows, refused=refused)


@login_required
@require_GET
def procurement(request: HttpRequest) -> HttpResponse:
    require_analyst(request.user)
    try:
        rows, refused = joint_procurement(user=request.user), ""
    except SuppressedError as exc:
        rows, refused = [], str(exc)
    return _analyst_page(request, "procurement.html", rows=rows, refused=refused)


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        return visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
def organisation_view(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    try:
        bench, bench_refused = peer_benchmark(user=request.user, organisation=organisation), ""
    except SuppressedError as exc:
        bench, bench_refused = None, str(exc)
    try:
        clusters, clusters_refused = joint_procurement(user=request.user, organisation=organisation), ""
    except SuppressedError as exc:
        clusters, clusters_refused = [], str(exc)
    return render(
        request,
        "sector/organisation.html",
        {
            "organisation": organisation,
            "section": "sector",
            "bench": bench,
            "bench_refused": bench_refused,
            "clusters": clusters,
            "clusters_refused": clusters_refused,
            "sharing": sharing_settings_of(organisation),
            "may_admin": can_admin(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    if not can_admin(request.user, organisation):
        raise PermissionDenied("Only an administrator of the organisation changes its sharing settings.")
    if request.method == "POST":
        sharing_settings_update(
            actor=request.user,
            organisation=organisation,
            share_name_in_joint_procurement=request.POST.get("share_name_in_joint_procurement") == "on",
            include_in_benchmarks=request.POST.get("include_in_benchmarks") == "on",
        )
        return redirect("sector:organisation", org=organisation.code)
    return render(
        request,
        "sector/sharing.html",
        {
            "organisation": organisation,
            "section": "sector",
            "sharing": sharing_settings_of(organisation),
        },
    )
