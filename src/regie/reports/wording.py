"""Figures written for people in the active language: 1.234.567 in Dutch, 1,234,567 in English."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _dutch() -> bool:
    return not (get_language() or "nl").startswith("en")


def number(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return _("unknown")
    text = f"{value:,.{decimals}f}"
    if _dutch():
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def eur(value: float | None) -> str:
    return _("unknown") if value is None else f"€ {number(value)}"


def percent(share: float | None, decimals: int = 0) -> str:
    """A share (0-1) as a percentage."""
    return _("unknown") if share is None else f"{number(100 * share, decimals)}%"


def hours(value: float | None) -> str:
    return (
        _("unknown") if value is None else _("%(n)s h") % {"n": number(value, 0 if value.is_integer() else 1)}
    )


def day(value: dt.date | None) -> str:
    """A date written out (28 november 2026 / 28 November 2026)."""
    return _("unknown") if value is None else str(formats.date_format(value, "j F Y"))


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return _("unknown")
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return str(formats.date_format(local, "j F Y, H:i"))
