"""Reading an override from a form: which record, which fact, and the value in its shape.

Bad input becomes a message naming the field (``target``, ``value``, ...), never a 500.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from regie.register.models import LegalEntity, Service

from .models import ENTITY_FIELDS, OverridableField


class FormInputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class OverrideInput:
    field: str
    value: Any
    justification: str
    source: str
    checked_on: dt.date | None
    verified: bool
    entity: LegalEntity | None = None
    service: Service | None = None


def _entity_named(name: str, field: str) -> LegalEntity:
    if name.isdigit():
        found = LegalEntity.objects.filter(pk=int(name)).first()
        if found is not None:
            return found
    matches = list(LegalEntity.objects.filter(name__iexact=name)[:2])
    if len(matches) != 1:
        message = _("No single legal entity in the catalogue is called %(name)s.")
        raise FormInputError(field, message % {"name": name})
    return matches[0]


def _service_named(name: str) -> Service:
    matches = list(Service.objects.filter(name__iexact=name)[:2])
    if len(matches) != 1:
        message = _("No single service in the catalogue is called %(name)s.")
        raise FormInputError("target", message % {"name": name})
    return matches[0]


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


def _parent(text: str) -> dict[str, Any]:
    lowered = text.lower()
    if lowered in ("", "unknown", "onbekend"):
        return {"state": "unknown"}
    if lowered in ("none", "geen"):
        return {"state": "none"}
    return {"state": "known", "entity": _entity_named(text, "value").pk}


def _hours(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(decimal.Decimal(text.replace(",", ".")))
    except decimal.InvalidOperation as exc:
        raise FormInputError("value", _("Give a number of hours.")) from exc


def _keys(text: str) -> str:
    return {"ja": "yes", "nee": "no", "onbekend": "unknown"}.get(text.lower(), text.lower() or "unknown")


def parse_value(field: str, text: str) -> Any:
    """The form's text as the value shape of ``field`` (empty: unknown)."""
    text = text.strip()
    if field in (OverridableField.HQ_COUNTRY, OverridableField.REGISTRATION_COUNTRY):
        return text.upper() or None
    if field.startswith("locations."):
        return _codes(text) or None
    parsers = {
        OverridableField.PARENT: _parent,
        OverridableField.CUSTOMER_HELD_KEYS: _keys,
        OverridableField.RECOVERY_HOURS: _hours,
    }
    if field not in parsers:
        raise FormInputError("field", _("Choose a fact."))
    return parsers[OverridableField(field)](text)


def read_form(data: Any) -> OverrideInput:
    """The override a submitted form asks for; FormInputError naming the field otherwise."""
    field = str(data.get("field", ""))
    if field not in OverridableField.values:
        raise FormInputError("field", _("Choose a fact."))
    name = str(data.get("target", "")).strip()
    if not name:
        raise FormInputError("target", _("Name the legal entity or service."))
    entity = _entity_named(name, "target") if field in ENTITY_FIELDS else None
    service = None if field in ENTITY_FIELDS else _service_named(name)
    checked_text = str(data.get("checked_on", "")).strip()
    try:
        checked = dt.date.fromisoformat(checked_text) if checked_text else None
    except ValueError as exc:
        raise FormInputError("checked_on", _("Give a date as YYYY-MM-DD.")) from exc
    if not str(data.get("source", "")).strip():
        raise FormInputError("source", _("Say where the organisation's value comes from."))
    return OverrideInput(
        field=field,
        value=parse_value(field, str(data.get("value", ""))),
        justification=str(data.get("justification", "")),
        source=str(data.get("source", "")).strip(),
        checked_on=checked,
        verified=data.get("verified") == "on",
        entity=entity,
        service=service,
    )
