"""Consent and sharing settings of an organisation for the government-wide view."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.register.models import Organisation


class RegisterSharing(models.TextChoices):
    NONE = "none", _("nobody")
    JOINT_ARRANGEMENTS = "joint_arrangements", _("our joint arrangements")
    ALL = "all", _("every government organisation")


class SharingSettings(models.Model):
    """What an organisation consents to. Absent row: the defaults below (names and register
    private; counted, anonymously and above the group minimum, in aggregates)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sharing_settings", primary_key=True
    )
    share_name_in_joint_procurement = models.BooleanField(
        _("name us to other opted-in organisations in a joint procurement cluster"), default=False
    )
    share_register_with = models.CharField(
        _("share our register with"),
        max_length=32,
        choices=RegisterSharing.choices,
        default=RegisterSharing.NONE,
    )
    include_in_benchmarks = models.BooleanField(
        _("include us, anonymously, in sector aggregates and peer benchmarks"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sharing settings")
        verbose_name_plural = _("sharing settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_register_with__in=[c.value for c in RegisterSharing]),
                name="sector_sharing_register_valid",
            )
        ]

    def __str__(self) -> str:
        return f"sharing settings of {self.organisation_id}"
