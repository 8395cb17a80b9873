"""Consent and sharing settings of an organisation for the government-wide view."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.register.models import Organisation


class SharingSettings(models.Model):
    """What an organisation consents to. Absent row: the defaults below (name private; counted,
    anonymously and above the group minimum, in aggregates). Registers are never shared with
    other organisations (ADR 106)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sharing_settings", primary_key=True
    )
    share_name_in_joint_procurement = models.BooleanField(
        _("name us to other opted-in organisations in a joint procurement cluster"), default=False
    )
    include_in_benchmarks = models.BooleanField(
        _("include us, anonymously, in sector aggregates and peer benchmarks"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sharing settings")
        verbose_name_plural = _("sharing settings")

    def __str__(self) -> str:
        return f"sharing settings of {self.organisation_id}"
