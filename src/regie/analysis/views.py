"""The analysis pages of an organisation under /o/<code>/analysis/. Thin: find the organisation in
the caller's scope (404 otherwise), run the analysis through the selectors, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from regie.api import representations
from regie.api.revision import revision
from regie.core.facts import DIMENSIONS
from regie.reference.templatetags.reference_tags import overrides_in_use
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .cache import report_for
from .dependency import process_graph, supplier_graph
from .report import Report, chart_data
from .selectors import visible_organisation


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        org = visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    if request.session.get("regie_org") != org.code:  # assigning marks the session for saving
        request.session["regie_org"] = org.code
    return org


def _rise(request: HttpRequest) -> float:
    try:
        value = float(request.GET.get("rise", "10"))
    except ValueError:
        return 10.0
    return min(max(value, 0.0), 1000.0)


def _report(request: HttpRequest, org: Organisation, rise: float = 10.0) -> Report:
    return report_for(user=request.user, organisation=org, rise_percent=rise)


def _page(request: HttpRequest, template: str, org: Organisation, **context: Any) -> HttpResponse:
    return render(request, f"analysis/{template}", {"organisation": org, "section": "analysis", **context})


@login_required
@require_GET
def dashboard(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    read_at = revision(organisation.pk)  # before anything is computed (ADR 0125)

    def body() -> str:
        # Rendered without the request: nothing of the caller can end up in the kept HTML.
        report = _report(request, organisation)
        context = {"organisation": organisation, "report": report, "chart": chart_data(report)}
        return render_to_string("analysis/_dashboard_body.html", {**context, "dimensions": DIMENSIONS})

    def notice() -> str:
        # The organisation's local overrides. The caller may see the organisation (checked
        # above), and every caller who may see it sees all of them: the notice is the same for
        # each of them, and its rows bump the organisation's revision (ADR 0125, 0133).
        return render_to_string(
            "reference/_overrides_in_use.html", overrides_in_use({"request": request}, organisation)
        )

    key = ("dashboard", organisation.pk, get_language())
    html = representations.cached_bytes(key, read_at, body, len)
    overrides = representations.cached_bytes(("dashboard-overrides", *key[1:]), read_at, notice, len)
    return _page(
        request, "dashboard.html", organisation, body=SafeString(html), overrides_notice=SafeString(overrides)
    )


@login_required
@require_GET
def exposure(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    report = _report(request, organisation)
    country = request.GET.get("country") or None
    dimension = request.GET.get("dimension") or None
    items = [
        (pe, e)
        for pe in report.analysis.process_exposures
        for e in pe.exposures
        if (country is None or e.country == country or (country == "unknown" and e.country is None))
        and (dimension is None or e.dimension == dimension)
        and (country is not None or not e.trusted)
    ]
    return _page(
        request,
        "exposure.html",
        organisation,
        report=report,
        items=items,
        country=country,
        dimension=dimension,
        dimensions=DIMENSIONS,
    )


@login_required
@require_GET
def continuity(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    return _page(request, "continuity.html", organisation, report=_report(request, organisation))


@login_required
@require_GET
def lock_in(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    return _page(request, "lock_in.html", organisation, report=_report(request, organisation))


@login_required
@require_GET
def price_power(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    rise = _rise(request)
    return _page(request, "price_power.html", organisation, report=_report(request, organisation, rise))


@login_required
@require_GET
def process_dependencies(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    report = _report(request, organisation)
    snap = report.analysis.graph.snap
    if pk not in snap.process_index:
        raise Http404("No such process in this organisation.")
    name = snap.orgs.process_names[snap.process_index[pk]]
    exposures = next((p for p in report.analysis.process_exposures if p.process == pk), None)
    return _page(
        request,
        "dependencies.html",
        organisation,
        graph=process_graph(report.analysis, pk),
        title=name,
        subject="process",
        exposures=exposures,
        spofs=[s for s in report.spofs if s.spof.process == pk],
    )


@login_required
@require_GET
def supplier_dependencies(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    report = _report(request, organisation)
    cat = report.analysis.graph.snap.catalogue
    if pk not in cat.entity_index:
        raise Http404("No such legal entity.")
    root = cat.cols.entity_names[cat.group_entity[cat.group_of_entity_key(pk)]]
    blast = next(
        (b for b in report.blast if cat.group_of_entity_key(b.group) == cat.group_of_entity_key(pk)), None
    )
    group = next(
        (
            g
            for g in report.groups
            if g.group is not None and cat.group_of_entity_key(g.group) == cat.group_of_entity_key(pk)
        ),
        None,
    )
    return _page(
        request,
        "dependencies.html",
        organisation,
        graph=supplier_graph(report.analysis, pk),
        title=root,
        subject="supplier",
        blast=blast,
        group=group,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    from .scenario_views import scenario_page

    return scenario_page(request, organisation)
