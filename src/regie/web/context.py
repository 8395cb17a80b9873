"""Template context shared by every page: the navigation, the organisation switcher, the version.

The menu's items (labels, reversed URLs, which other apps' pages exist) depend only on the
organisation's code, the language, the script prefix and the URL configuration, never on the
caller or the data: they are built once per process for each of those (ADR 0133). What the
caller may see (their organisations, the settings item for administrators, the government-wide
items) is decided on every request.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
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


MenuKey = tuple[str, str, str | None]  # language, script prefix, URL configuration of the thread


def _menu_key() -> MenuKey:
    return (get_language(), get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=4096)
def _org_menu(code: str, key: MenuKey) -> tuple[tuple[NavItem, ...], NavItem]:
    """The organisation's menu for every member, and the settings item for administrators."""
    items = [NavItem("home", str(_("Overview")), reverse("web:org_home", kwargs={"org": code}))]
    items.extend(
        NavItem(
            t.slug,
            capfirst(t.verbose_name_plural),
            reverse("web:org_list", kwargs={"org": code, "slug": t.slug}),
        )
        for t in types_in("org")
        if t.parent is None
    )
    items.extend(app_pages(code))
    settings_item = NavItem("settings", str(_("Settings")), reverse("web:org_settings", kwargs={"org": code}))
    return tuple(items), settings_item


@functools.lru_cache(maxsize=64)
def _catalogue_menu(key: MenuKey) -> tuple[NavItem, ...]:
    return tuple(
        NavItem(t.slug, capfirst(t.verbose_name_plural), reverse("web:cat_list", kwargs={"slug": t.slug}))
        for t in types_in("catalogue")
        if t.parent is None
    )


@functools.lru_cache(maxsize=64)
def _sector_menu(key: MenuKey) -> tuple[NavItem, ...]:
    """The government-wide pages, when the sector app is installed."""
    if not _resolves("/sector/"):
        return ()
    return (
        NavItem("sector", str(_("Sector overview")), "/sector/"),
        NavItem("systemic", str(_("Systemic suppliers")), "/sector/systemic/"),
        NavItem("procurement", str(_("Joint procurement")), "/sector/procurement/"),
    )


@receiver(setting_changed)
def _forget_menus(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "INSTALLED_APPS", "LANGUAGES", "LOCALE_PATHS"}:
        for cached in (_org_menu, _catalogue_menu, _sector_menu):
            cached.cache_clear()


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
    key = _menu_key()
    org_nav: list[NavItem] = []
    if current is not None:
        items, settings_item = _org_menu(current.code, key)
        org_nav.extend(items)
        if can_admin(user, current):
            org_nav.append(settings_item)
    sector_nav: list[NavItem] = []
    if user.is_superuser or getattr(user, "is_sector_analyst", False):
        sector_nav = list(_sector_menu(key))
    context.update(
        {
            "sector_nav": sector_nav,
            "nav_organisations": organisations,
            "current_organisation": current,
            "org_nav": org_nav,
            "catalogue_nav": list(_catalogue_menu(key)),
            "in_catalogue": bool(match and match.url_name and match.url_name.startswith("cat")),
        }
    )
    return context
