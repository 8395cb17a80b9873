"""How register values look on a page: choices, links to related records, unknown facts, sources."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from regie.register.models import LegalEntity, Provenance
from regie.register.tenancy import organisation_id_of

from .registry import RegisterType, type_for_model

EMPTY = mark_safe('<span class="muted">—</span>')


def unknown_badge() -> SafeString:
    return format_html('<span class="badge badge-risk">{}</span>', _("unknown"))


def label_of(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001  (an audit snapshot may name a field that no longer exists)
        return name
    label = getattr(field, "verbose_name", name)
    return str(label)


def url_of(obj: models.Model, org_code: str | None = None) -> str | None:
    """The detail URL of any registered object, or None when it has no page."""
    rtype = type_for_model(type(obj))
    if rtype is None:
        return None
    if rtype.is_org:
        code = org_code
        org_id = organisation_id_of(obj)
        if code is None or org_id is None:
            return None
        return reverse("web:org_detail", kwargs={"org": code, "slug": rtype.slug, "pk": obj.pk})
    return reverse("web:cat_detail", kwargs={"slug": rtype.slug, "pk": obj.pk})


def link_to(obj: models.Model, org_code: str | None) -> SafeString:
    url = url_of(obj, org_code)
    if url is None:
        return format_html("{}", obj)
    return format_html('<a href="{}">{}</a>', url, obj)


def is_fact_field(rtype: RegisterType | None, name: str) -> bool:
    return rtype is not None and rtype.fact_for(name) is not None


def render_value(obj: models.Model, name: str, org_code: str | None = None) -> SafeString:  # noqa: PLR0911
    """The value of one field of an object, as safe HTML."""
    model = type(obj)
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a field of {model.__name__}"
    rtype = type_for_model(model)
    fact = is_fact_field(rtype, name)
    if field.many_to_many:
        related = list(getattr(obj, name).all())
        if not related:
            return EMPTY
        return format_html_join(", ", "{}", ((link_to(r, org_code),) for r in related))
    value = getattr(obj, name)
    if rtype is not None and name in rtype.value_names and value not in ("", None):
        return format_html("{}", rtype.value_name(name, value))
    if isinstance(field, models.ForeignKey):
        if value is None and isinstance(obj, LegalEntity) and name == "parent" and obj.parent_state == "none":
            return format_html('<span class="muted">{}</span>', _("none: top of its group"))
        if value is None:
            return unknown_badge() if fact or _empty_means_unknown(field) else EMPTY
        return link_to(value, org_code)
    if field.choices:
        if value in ("", None):
            return unknown_badge() if fact else EMPTY
        text = getattr(obj, f"get_{name}_display")()
        if value == "unknown":
            return unknown_badge()
        return format_html("{}", text)
    return _render_plain(value, field, fact=fact)


def _empty_means_unknown(field: models.Field[Any, Any]) -> bool:
    return "unknown" in str(field.help_text).lower()


def _render_plain(value: Any, field: models.Field[Any, Any], *, fact: bool) -> SafeString:  # noqa: PLR0911
    if value is None or value == "":
        return unknown_badge() if fact or _empty_means_unknown(field) else EMPTY
    if isinstance(value, bool):
        return format_html("{}", _("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        return format_html("{}", formats.date_format(timezone.localtime(value), "DATETIME_FORMAT"))
    if isinstance(value, datetime.date):
        return format_html("{}", formats.date_format(value, "DATE_FORMAT"))
    if isinstance(value, Decimal | float | int):
        return format_html("{}", formats.number_format(value, use_l10n=True, force_grouping=True))
    if isinstance(field, models.URLField):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', value, value)
    return format_html("{}", value)


@dataclass(frozen=True)
class SourceInfo:
    """What a page shows about the provenance of one fact."""

    provenance: Provenance | None
    stale: bool
    unverified: bool

    @property
    def missing(self) -> bool:
        return self.provenance is None

    @property
    def source_is_url(self) -> bool:
        return self.provenance is not None and self.provenance.source.startswith(("http://", "https://"))

    @property
    def entered_by(self) -> str:
        if self.provenance is None:
            return ""
        user = self.provenance.entered_by
        return user.get_username() if user is not None else self.provenance.entered_by_label


def source_info(provenance: Provenance | None) -> SourceInfo:
    if provenance is None:
        return SourceInfo(provenance=None, stale=False, unverified=False)
    limit = timezone.localdate() - datetime.timedelta(days=settings.REGIE_STALE_AFTER_DAYS)
    stale = provenance.checked_on is None or provenance.checked_on < limit
    return SourceInfo(provenance=provenance, stale=stale, unverified=not provenance.verified)
