"""``{% overrides_in_use organisation %}``: the organisation's local overrides that its figures use."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from regie.reference.selectors import overrides_of
from regie.register.models import LegalEntity

register = template.Library()


@register.inclusion_tag("reference/_overrides_in_use.html", takes_context=True)
def overrides_in_use(context: dict[str, Any], organisation: Any) -> dict[str, Any]:
    """The overrides the caller may see (scoped like every read), for a notice above the figures."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or organisation is None:
        return {"overrides": []}
    rows = overrides_of(user=user, organisation=organisation).order_by("field", "pk")
    return {
        "organisation": organisation,
        "overrides": [
            {
                "subject": o.entity if o.entity_id is not None else o.service,
                "fact": o.get_field_display(),
                "value": display_value(o.value),
                "justification": o.justification,
                "source": o.provenance.source if o.provenance is not None else "",
                "checked_on": o.provenance.checked_on if o.provenance is not None else None,
            }
            for o in rows
        ],
    }


def display_value(value: Any) -> str:
    """An override's value in words: country codes joined, a parent by name."""
    if value is None:
        return _("unknown")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        state = value.get("state")
        if state == "known":
            parent = LegalEntity.objects.filter(pk=int(value.get("entity") or 0)).first()
            return str(parent) if parent is not None else _("unknown")
        return _("no parent") if state == "none" else _("unknown")
    return str(value)
