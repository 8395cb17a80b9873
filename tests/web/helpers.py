"""Helpers for the web tests: URLs of the generic pages and form data read back from a page."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.urls import reverse

from regie.web.registry import RegisterType, get_type, types_in

ORG_CODE = "a"


def all_types() -> list[RegisterType]:
    return [*types_in("org"), *types_in("catalogue")]


def rtype_of(slug: str) -> RegisterType:
    rtype = get_type("org", slug) or get_type("catalogue", slug)
    assert rtype is not None, slug
    return rtype


def url(rtype: RegisterType, action: str, pk: Any = None, org: str = ORG_CODE) -> str:
    kwargs: dict[str, Any] = {"slug": rtype.slug}
    if pk is not None:
        kwargs["pk"] = pk
    if rtype.is_org:
        return reverse(f"web:org_{action}", kwargs={**kwargs, "org": org})
    return reverse(f"web:cat_{action}", kwargs=kwargs)


def form_data(form: BaseForm) -> dict[str, Any]:
    """What a browser would post back for an unchanged form."""
    data: dict[str, Any] = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[bound.html_name] = str(value)
    return data
