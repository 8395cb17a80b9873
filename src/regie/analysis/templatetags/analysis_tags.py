"""Template helpers for the analysis pages: numbers, vocabulary labels and links to the register."""

from __future__ import annotations

from collections.abc import Hashable

from django import template
from django.urls import NoReverseMatch, reverse

from regie.analysis import labels
from regie.analysis.text import number
from regie.register.models import OrganisationKind

register = template.Library()

#: Where each kind of node of an evidence path lives in the register (scope, slug).
_REGISTER_PAGES = {
    "process": ("org", "processes"),
    "usage": ("org", "usages"),
    "contract": ("org", "contracts"),
    "service": ("cat", "services"),
    "entity": ("cat", "legal-entities"),
    "product": ("cat", "products"),
    "law": ("cat", "laws"),
}
_VOCABULARIES = {
    "dimension": labels.DIMENSIONS,
    "state": labels.STATES,
    "band": labels.BANDS,
    "substitutability": labels.SUBSTITUTABILITY,
    "reason": labels.REASONS,
    "kind": labels.NODE_KINDS,
    "recovery": labels.RECOVERY_STATES,
    "organisation_kind": dict(OrganisationKind.choices),
    "service_kind": labels.SERVICE_KINDS,
}


@register.simple_tag
def node_url(kind: str, key: Hashable, org: str) -> str:
    """The register page of a node on an evidence path ('' when there is none)."""
    page = _REGISTER_PAGES.get(kind)
    if page is None or key is None:
        return ""
    scope, slug = page
    try:
        if scope == "org":
            return reverse("web:org_detail", kwargs={"org": org, "slug": slug, "pk": key})
        return reverse("web:cat_detail", kwargs={"slug": slug, "pk": key})
    except NoReverseMatch:
        return ""


@register.filter
def vocab(value: str | None, vocabulary: str) -> str:
    """The label of a vocabulary value: ``{{ band|vocab:"band" }}``."""
    return labels.label(_VOCABULARIES[vocabulary], value)


@register.filter
def pct(value: float | None) -> str:
    return number(value, "%")


@register.filter
def eur(value: float | None) -> str:
    return number(value, "EUR")


@register.filter
def num(value: float | None) -> str:
    return number(value)


@register.filter
def hhi(value: float | None) -> str:
    return number(value, "HHI")


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return "–"
    text = number(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")
