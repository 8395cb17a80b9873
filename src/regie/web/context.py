"""Template context shared by every page: the navigation, the organisation switcher, the version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

import regie
from regie.accounts.permissions import can_admin
from regie.register.selectors import organisations_of

from .registry import types_in


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


#: Pages of other apps about one organisation, shown in the menu when their URL exists:
#: (menu key, label, path below /o/<code>/).
APP_PAGES: tuple[tuple[str, Any, str], ...] = (
    ("analysis", _("Analysis"), "analysis/"),
    ("framework", _("Framework and findings"), "framework/"),
    ("tenders", _("Tenders"), "tenders/"),
    ("reports", _("Reports"), "reports/"),
    ("roadmap", _("Exit roadmap"), "roadmap/"),
    ("sector", _("Compared with peers"), "sector/"),
    ("overrides", _("Local overrides"), "overrides/"),
    ("import", _("Import and export"), "import"),
)


def app_pages(code: str) -> list[NavItem]:
    """The other apps' pages about this organisation that are installed."""
    return [
        NavItem(key, str(label), f"/o/{code}/{path}")
        for key, label, path in APP_PAGES
        if _resolves(f"/o/{code}/{path}")
    ]


def regie_context(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"regie_version": regie.__version__}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    organisations = list(organisations_of(user=user))
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    code = kwargs.get("org") or request.session.get("regie_org")
    current = next((o for o in organisations if o.code == code), None)
    org_nav: list[NavItem] = []
    if current is not None:
        org_nav.append(
            NavItem("home", str(_("Overview")), reverse("web:org_home", kwargs={"org": current.code}))
        )
        org_nav.extend(
            NavItem(
                t.slug,
                capfirst(t.verbose_name_plural),
                reverse("web:org_list", kwargs={"org": current.code, "slug": t.slug}),
            )
            for t in types_in("org")
            if t.parent is None
        )
        org_nav.extend(app_pages(current.code))
        if can_admin(user, current):
            org_nav.append(
                NavItem(
                    "settings", str(_("Settings")), reverse("web:org_settings", kwargs={"org": current.code})
                )
            )
    catalogue_nav = [
        NavItem(t.slug, capfirst(t.verbose_name_plural), reverse("web:cat_list", kwargs={"slug": t.slug}))
        for t in types_in("catalogue")
        if t.parent is None
    ]
    sector_nav: list[NavItem] = []
    if (user.is_superuser or getattr(user, "is_sector_analyst", False)) and _resolves("/sector/"):
        sector_nav = [
            NavItem("sector", str(_("Sector overview")), "/sector/"),
            NavItem("systemic", str(_("Systemic suppliers")), "/sector/systemic/"),
            NavItem("procurement", str(_("Joint procurement")), "/sector/procurement/"),
        ]
    context.update(
        {
            "sector_nav": sector_nav,
            "nav_organisations": organisations,
            "current_organisation": current,
            "org_nav": org_nav,
            "catalogue_nav": catalogue_nav,
            "in_catalogue": bool(match and match.url_name and match.url_name.startswith("cat")),
        }
    )
    return context
