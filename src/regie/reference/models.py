"""Reference-data records of Regie itself: bundles loaded, and local overrides of catalogue facts."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.register.models.organisation import TenantModel

TRISTATE = ("yes", "no", "unknown")
PARENT_STATES = ("known", "none", "unknown")


class BundleLoad(models.Model):
    """A reference bundle applied to this database: which version, when, and how much it changed."""

    version = models.CharField(_("version"), max_length=20)
    bundle_date = models.DateField(_("bundle date"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    changes = models.PositiveIntegerField(_("facts changed"), default=0)

    class Meta:
        verbose_name = _("reference bundle load")
        verbose_name_plural = _("reference bundle loads")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.loaded_at:%Y-%m-%d})"


class OverridableField(models.TextChoices):
    """Catalogue facts an organisation may override locally, with the shape of the value.

    Entity facts: a country code (or null: unknown); the parent as {"state": "known", "entity": id},
    {"state": "none"} or {"state": "unknown"}. Service facts: a list of country codes per location
    role (null: unknown); customer-held keys "yes"/"no"/"unknown"; recovery hours a number or null.
    """

    HQ_COUNTRY = "hq_country", _("country of headquarters")
    REGISTRATION_COUNTRY = "registration_country", _("country of registration")
    PARENT = "parent", _("direct parent")
    DATA_AT_REST = "locations.rest", _("locations of data at rest")
    PROCESSING = "locations.processing", _("locations of processing")
    SUPPORT_ACCESS = "locations.access", _("locations of support / administrative access")
    CUSTOMER_HELD_KEYS = "customer_held_keys", _("customer-held keys")
    RECOVERY_HOURS = "recovery_hours", _("provider's recovery time (hours)")


ENTITY_FIELDS = frozenset(
    {OverridableField.HQ_COUNTRY, OverridableField.REGISTRATION_COUNTRY, OverridableField.PARENT}
)
SERVICE_FIELDS = frozenset(set(OverridableField) - ENTITY_FIELDS)


class FactOverride(TenantModel):
    """One organisation's own value for a catalogue fact, with its justification and source.

    The catalogue stays as it is for everyone else; the engine adapter applies the override
    when it builds this organisation's snapshot (see docs/reference-data.md).
    """

    entity = models.ForeignKey(
        "register.LegalEntity",
        verbose_name=_("legal entity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    service = models.ForeignKey(
        "register.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    field = models.CharField(_("fact"), max_length=24, choices=OverridableField.choices)
    value = models.JSONField(_("value"), null=True, blank=True, help_text=_("Empty: unknown."))
    justification = models.TextField(_("justification"))
    provenance = models.ForeignKey(
        "register.Provenance",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("local override of a catalogue fact")
        verbose_name_plural = _("local overrides of catalogue facts")
        ordering = ["field", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(entity__isnull=False) & models.Q(service__isnull=True))
                | (models.Q(entity__isnull=True) & models.Q(service__isnull=False)),
                name="factoverride_one_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(justification=""), name="factoverride_justification_required"
            ),
            models.CheckConstraint(
                condition=models.Q(field__in=[f.value for f in OverridableField]),
                name="factoverride_field_valid",
            ),
            models.UniqueConstraint(
                fields=["organisation", "entity", "field"],
                condition=models.Q(entity__isnull=False),
                name="factoverride_unique_entity_fact",
            ),
            models.UniqueConstraint(
                fields=["organisation", "service", "field"],
                condition=models.Q(service__isnull=False),
                name="factoverride_unique_service_fact",
            ),
        ]

    def __str__(self) -> str:
        target = self.entity if self.entity_id else self.service
        return f"{target}: {self.get_field_display()}"

    def clean(self) -> None:
        super().clean()
        if not self.justification.strip():
            raise ValidationError(
                {"justification": _("Say why this organisation departs from the catalogue.")}
            )
        if self.entity_id is not None and self.field not in ENTITY_FIELDS:
            raise ValidationError({"field": _("This fact belongs to a service, not to a legal entity.")})
        if self.service_id is not None and self.field not in SERVICE_FIELDS:
            raise ValidationError({"field": _("This fact belongs to a legal entity, not to a service.")})
        problem = value_problem(self.field, self.value, entity_id=self.entity_id)
        if problem:
            raise ValidationError({"value": problem})


def _country_problem(value: Any, entity_id: int | None) -> str:
    from regie.register.models import Country

    if not isinstance(value, str) or not Country.objects.filter(code=value).exists():
        return f"{value!r} is not a known country code."
    return ""


def _locations_problem(value: Any, entity_id: int | None) -> str:
    from regie.register.models import Country

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "Give a list of country codes."
    known = set(Country.objects.filter(code__in=value).values_list("code", flat=True))
    unknown = sorted(set(value) - known)
    return f"Unknown country codes: {', '.join(unknown)}." if unknown else ""


def _tristate_problem(value: Any, entity_id: int | None) -> str:
    return "" if value in TRISTATE else "Give yes, no or unknown."


def _hours_problem(value: Any, entity_id: int | None) -> str:
    try:
        ok = not isinstance(value, bool) and decimal.Decimal(str(value)) >= 0
    except decimal.InvalidOperation:
        ok = False
    return "" if ok else "Give a number of hours, zero or more."


def _parent_problem(value: Any, entity_id: int | None) -> str:
    from regie.register.models import LegalEntity, LegalEntityAncestor

    if not isinstance(value, dict) or value.get("state") not in PARENT_STATES:
        return 'Give {"state": "known", "entity": id}, {"state": "none"} or {"state": "unknown"}.'
    if value["state"] != "known":
        return "" if set(value) == {"state"} else "Only a known parent names an entity."
    parent_id = value.get("entity")
    if not isinstance(parent_id, int) or not LegalEntity.objects.filter(pk=parent_id).exists():
        return "The parent must be the id of a legal entity in the catalogue."
    closes_cycle = parent_id == entity_id or (
        entity_id is not None
        and LegalEntityAncestor.objects.filter(descendant_id=parent_id, ancestor_id=entity_id).exists()
    )
    return "This parent would make the control chain a cycle." if closes_cycle else ""


_PROBLEM_OF: dict[str, Callable[[Any, int | None], str]] = {
    OverridableField.HQ_COUNTRY: _country_problem,
    OverridableField.REGISTRATION_COUNTRY: _country_problem,
    OverridableField.PARENT: _parent_problem,
    OverridableField.DATA_AT_REST: _locations_problem,
    OverridableField.PROCESSING: _locations_problem,
    OverridableField.SUPPORT_ACCESS: _locations_problem,
    OverridableField.CUSTOMER_HELD_KEYS: _tristate_problem,
    OverridableField.RECOVERY_HOURS: _hours_problem,
}


def value_problem(field: str, value: Any, *, entity_id: int | None = None) -> str:
    """Why ``value`` is not a valid value for ``field``, or '' when it is. None (unknown) is valid."""
    check = _PROBLEM_OF.get(field)
    if check is None:
        return f"Unknown fact {field!r}."
    return "" if value is None else check(value, entity_id)
