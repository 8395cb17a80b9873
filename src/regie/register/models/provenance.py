"""Where a fact comes from: its source, when it was checked and who entered it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.Model):
    """The provenance of one or more facts. A fact without provenance has no recorded source.

    One record can back many facts (every fact read from one GLEIF publication, say). A fact
    whose value is *unknown* still has provenance: who looked, where, and when.
    """

    source = models.CharField(_("source"), max_length=500, help_text=_("A URL or the title of a document."))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by_label = models.CharField(
        _("entered by (name)"),
        max_length=150,
        blank=True,
        help_text=_("Kept when the user account is removed; also names importers and bundles."),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    verified = models.BooleanField(
        _("verified"),
        default=True,
        help_text=_("False when the fact is believed true but was not read in a source."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenance records")
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=""), name="provenance_source_not_empty"),
        ]

    def __str__(self) -> str:
        checked = self.checked_on.isoformat() if self.checked_on else "?"
        return f"{self.source} ({checked})"
