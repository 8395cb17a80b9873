"""The start page, an organisation's home page and the organisation switcher."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regie.register import selectors

from ..registry import get_type, types_in
from ..summary import organisation_summary
from .common import get_organisation


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Go to the last organisation used, or the first one; without any, show the catalogue."""
    organisations = selectors.organisations_of(user=request.user)
    remembered = request.session.get("regie_org")
    org = organisations.filter(code=remembered).first() if remembered else None
    org = org or organisations.first()
    if org is not None:
        return redirect("web:org_home", org=org.code)
    return render(request, "web/no_organisation.html", {"section": "home"})


@login_required
@require_GET
def org_home(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_organisation(request, org)
    summary = organisation_summary(user=request.user, organisation=organisation)

    def url(slug: str, query: str = "") -> str:
        base = reverse("web:org_list", kwargs={"org": organisation.code, "slug": slug})
        return f"{base}?{query}" if query else base

    cards = [
        (summary.processes, _("Processes"), url("processes")),
        (summary.critical_processes, _("Critical processes"), url("processes", "critical=1")),
        (summary.usages, _("Applications in use"), url("usages")),
        (summary.services, _("Services used"), url("dependencies", "kind=runs_on")),
        (summary.suppliers, _("Suppliers"), reverse("web:cat_list", kwargs={"slug": "legal-entities"})),
        (summary.contracts, _("Contracts"), url("contracts")),
    ]
    return render(
        request,
        "web/org_home.html",
        {"organisation": organisation, "summary": summary, "cards": cards, "section": "home"},
    )


@login_required
@require_GET
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Go to the same register in another organisation (the switcher in the header)."""
    organisation = get_organisation(request, request.GET.get("org", ""))
    section = request.GET.get("section", "")
    if section and get_type("org", section) is not None:
        return redirect("web:org_list", org=organisation.code, slug=section)
    if section == "settings":
        return redirect("web:org_settings", org=organisation.code)
    next_url = request.GET.get("next", "")
    if (
        next_url
        and not next_url.startswith("/o/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    ):
        return redirect(next_url)
    return redirect("web:org_home", org=organisation.code)


@login_required
@require_GET
def catalogue_home(request: HttpRequest) -> HttpResponse:
    """The shared catalogue: every catalogue register with its size."""
    entries = [
        (
            rtype,
            selectors.visible(user=request.user, model=rtype.model).count(),
            reverse("web:cat_list", kwargs={"slug": rtype.slug}),
        )
        for rtype in types_in("catalogue")
        if rtype.parent is None
    ]
    return render(request, "web/catalogue_home.html", {"entries": entries, "section": "catalogue"})


_SLUG_OF_KIND = {
    "entity": "legal-entities",
    "service": "services",
    "product": "products",
    "country": "countries",
    "law": "laws",
    "alternative": "alternatives",
}


@login_required
@require_GET
def facts_to_check(request: HttpRequest) -> HttpResponse:
    """Catalogue facts whose source is old (stale) or that were never read in a source."""
    from regie.reference.selectors import FactRef, stale_facts, unverified_facts

    def rows(refs: list[FactRef]) -> list[tuple[FactRef, str]]:
        return [
            (
                ref,
                reverse(
                    "web:cat_detail", kwargs={"slug": _SLUG_OF_KIND[ref.subject_kind], "pk": ref.subject_id}
                ),
            )
            for ref in refs
            if ref.subject_kind in _SLUG_OF_KIND
        ]

    context = {
        "section": "facts-to-check",
        "stale": rows(stale_facts()),
        "unverified": rows(unverified_facts()),
        "stale_after_days": settings.REGIE_STALE_AFTER_DAYS,
    }
    return render(request, "web/facts_to_check.html", context)
