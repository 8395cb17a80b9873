"""An import running in the background of the web page, so the page can show its progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.register.models import Organisation


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One upload on the import page: its state, its progress and, at the end, its report.

    The import itself is all or nothing (one transaction); this record lives outside that
    transaction, so it survives a rollback and the page can read it while the import runs.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=32, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    sheet = models.CharField(_("register"), max_length=32, blank=True)  # a CSV's register, when named
    state = models.CharField(_("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    phase = models.CharField(_("phase"), max_length=16, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="interchange_importjob_state"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=("queued", "running"), finished_at__isnull=True)
                | models.Q(state__in=("done", "failed"), finished_at__isnull=False),
                name="interchange_importjob_finished_when_done",
            ),
            models.CheckConstraint(
                condition=models.Q(rows_validated__lte=models.F("rows_total"))
                & models.Q(rows_written__lte=models.F("rows_total")),
                name="interchange_importjob_rows_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
