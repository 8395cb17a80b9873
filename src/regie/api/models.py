"""Personal API tokens. The secret is shown once; only its SHA-256 hash is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class ApiToken(models.Model):
    """A personal token: it acts for its user, never with more rights than the user has.

    It can be narrowed to one organisation and to reading only. The secret has 256 bits of
    entropy, so a fast hash (SHA-256) is enough: it cannot be guessed from the hash.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every organisation the user belongs to."),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(
        _("prefix"), max_length=16, help_text=_("The first characters, to recognise it.")
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=[s.value for s in TokenScope]), name="apitoken_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class DataRevision(models.Model):
    """A counter per organisation (``scope`` = its id) and one for the catalogue (``scope`` = 0).

    Written only by database triggers on the register's tables (migration 0002, ADR 0125), in
    the same transaction as the write; read by :mod:`regie.api.revision`.
    """

    scope = models.BigIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"
