"""The web interface: an organisation's register under /o/<org>/, the catalogue under /catalogue/.

The generic patterns match only the slugs declared in the registry, so that other apps can
mount their own pages under /o/<org>/ (the analysis dashboard, for one) in any order.
"""

import re

from django.urls import path, register_converter

from .registry import types_in
from .views import generic, pages, settings


class _SlugsOf:
    def __init__(self, scope: str) -> None:
        slugs = sorted((t.slug for t in types_in(scope)), key=len, reverse=True)  # type: ignore[arg-type]
        self.regex = "|".join(re.escape(s) for s in slugs)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class OrgTypeConverter(_SlugsOf):
    def __init__(self) -> None:
        super().__init__("org")


class CatalogueTypeConverter(_SlugsOf):
    def __init__(self) -> None:
        super().__init__("catalogue")


register_converter(OrgTypeConverter, "orgtype")
register_converter(CatalogueTypeConverter, "cattype")

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("switch", pages.switch_organisation, name="switch"),
    path("o/<slug:org>/", pages.org_home, name="org_home"),
    path("o/<slug:org>/settings/", settings.org_settings, name="org_settings"),
    path("o/<slug:org>/settings/members/add", settings.member_add, name="member_add"),
    path("o/<slug:org>/settings/members/<int:pk>/role", settings.member_role, name="member_role"),
    path("o/<slug:org>/settings/members/<int:pk>/remove", settings.member_remove, name="member_remove"),
    path("o/<slug:org>/<orgtype:slug>/", generic.org_list, name="org_list"),
    path("o/<slug:org>/<orgtype:slug>/add", generic.org_add, name="org_add"),
    path("o/<slug:org>/<orgtype:slug>/<str:pk>/", generic.org_detail, name="org_detail"),
    path("o/<slug:org>/<orgtype:slug>/<str:pk>/edit", generic.org_edit, name="org_edit"),
    path("o/<slug:org>/<orgtype:slug>/<str:pk>/delete", generic.org_delete, name="org_delete"),
    path("catalogue/", pages.catalogue_home, name="catalogue"),
    path("catalogue/facts-to-check/", pages.facts_to_check, name="facts_to_check"),
    path("catalogue/<cattype:slug>/", generic.cat_list, name="cat_list"),
    path("catalogue/<cattype:slug>/add", generic.cat_add, name="cat_add"),
    path("catalogue/<cattype:slug>/<str:pk>/", generic.cat_detail, name="cat_detail"),
    path("catalogue/<cattype:slug>/<str:pk>/edit", generic.cat_edit, name="cat_edit"),
    path("catalogue/<cattype:slug>/<str:pk>/delete", generic.cat_delete, name="cat_delete"),
]
