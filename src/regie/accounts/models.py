"""Users and their role in each organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles per organisation live in :class:`Membership`."""

    is_catalogue_maintainer = models.BooleanField(
        _("catalogue maintainer"),
        default=False,
        help_text=_("May change shared catalogue records: legal entities, products, services."),
    )
    is_sector_analyst = models.BooleanField(
        _("sector analyst"),
        default=False,
        help_text=_("May see aggregates over all organisations, never one organisation's register."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    VIEWER = "viewer", _("viewer")
    EDITOR = "editor", _("editor")
    ADMIN = "admin", _("administrator")


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "register.Organisation", on_delete=models.CASCADE, related_name="user_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"
