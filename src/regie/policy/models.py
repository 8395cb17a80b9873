"""The strategic framework in the database: adoptions, findings and their history (domain.md §4).

Rule sets themselves are files (versioned YAML); the database records which sets apply to
whom, with which tightened thresholds, and what evaluation found.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.register.models import Organisation, OrganisationKind, Province


class PolicyAdoption(models.Model):
    """A rule set applied to one organisation or to a group of organisations.

    Exactly one of ``organisation``, ``organisation_kind``, ``province`` or
    ``joint_arrangement`` says to whom. ``parameters`` holds tightened thresholds as
    ``{rule id: {parameter: value}}``; looser values are refused by the service.
    """

    ruleset = models.CharField(_("rule set"), max_length=64)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="policy_adoptions"
    )
    organisation_kind = models.CharField(
        _("all organisations of kind"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    province = models.CharField(
        _("all organisations in province"), max_length=2, choices=Province.choices, blank=True
    )
    joint_arrangement = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="policy_adoptions_for_members",
        verbose_name=_("all members of joint arrangement"),
    )
    active = models.BooleanField(_("applies"), default=True)
    parameters = models.JSONField(_("tightened thresholds"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rule set adoption")
        verbose_name_plural = _("rule set adoptions")
        ordering = ("ruleset", "pk")

    def __str__(self) -> str:
        return f"{self.ruleset} → {self.audience}"

    @property
    def audience(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        if self.organisation_kind:
            return str(self.get_organisation_kind_display())
        if self.province:
            return str(self.get_province_display())
        return str(self.joint_arrangement)


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted (explained)")
    RESOLVED = "resolved", _("resolved")


class Finding(models.Model):
    """A rule that holds for one subject of one organisation; kept after it is resolved."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(_("rule"), max_length=140)  # ruleset/rule id
    ruleset_version = models.PositiveIntegerField(default=1)
    severity = models.CharField(_("severity"), max_length=8)
    subject_kind = models.CharField(_("subject kind"), max_length=16)
    subject_key = models.CharField(_("subject"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    fingerprint = models.CharField(max_length=32)
    evidence = models.JSONField(default=dict)
    message_nl = models.TextField()
    message_en = models.TextField()
    first_seen = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ("status", "-severity", "rule", "subject_key")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "rule", "subject_kind", "subject_key"), name="policy_finding_unique"
            )
        ]
        indexes = [models.Index(fields=("organisation", "status"))]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject_kind}:{self.subject_key}"

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_nl

    @property
    def current_acceptance(self) -> Acceptance | None:
        return self.acceptances.filter(ended_at__isnull=True).order_by("-pk").first()


class Acceptance(models.Model):
    """'Leg uit': a finding accepted with a justification, an owner, an approver and an expiry.

    It holds for the evidence it was given for (``fingerprint``); it ends when it expires,
    when the evidence changes or when the finding is resolved.
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="acceptances")
    justification = models.TextField(_("justification"))
    owner = models.CharField(_("accountable owner"), max_length=120)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approved_acceptances",
        verbose_name=_("approver"),
    )
    expires_on = models.DateField(_("expires on"))
    fingerprint = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.finding} accepted until {self.expires_on}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("opened")
    ACCEPTED = "accepted", _("accepted")
    EXPIRED = "expired", _("reopened: acceptance expired")
    EVIDENCE = "evidence", _("reopened: evidence changed")
    RECURRED = "recurred", _("reopened: holds again")
    CHANGED = "changed", _("evidence changed")
    RESOLVED = "resolved", _("resolved")


class AppendOnly(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Finding history is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Finding history is append-only.")


class FindingEvent(models.Model):
    """One transition of a finding (append-only)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    fingerprint = models.CharField(max_length=32)
    note = models.TextField(blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.finding} {self.kind}"


class FigureSnapshot(models.Model):
    """The figures and finding counts of one organisation on one day (append-only; trends)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="figure_snapshots")
    day = models.DateField()
    figures = models.JSONField(default=dict)
    findings = models.JSONField(default=dict)  # {"open": {"fail": n, ...}, "accepted": {...}}
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ("day",)
        constraints = [
            models.UniqueConstraint(fields=("organisation", "day"), name="policy_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.day}"


class Scorecard(models.Model):
    """An organisation's sovereignty assessment of one catalogue service or product."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scorecards")
    service = models.ForeignKey(
        "register.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="scorecards"
    )
    product = models.ForeignKey(
        "register.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="scorecards"
    )
    weights = models.CharField(_("weight set"), max_length=32, default="eucsf-1.2.1")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sovereignty scorecard")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False, product__isnull=True)
                | models.Q(service__isnull=True, product__isnull=False),
                name="policy_scorecard_one_subject",
            ),
            models.UniqueConstraint(fields=("organisation", "service"), name="policy_scorecard_service"),
            models.UniqueConstraint(fields=("organisation", "product"), name="policy_scorecard_product"),
        ]

    def __str__(self) -> str:
        return str(self.service or self.product)

    def answers_map(self) -> dict[str, str]:
        return dict(self.answers.values_list("question", "option"))


class ScorecardAnswer(models.Model):
    """One answer, with its evidence and where it comes from."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=16)
    option = models.CharField(max_length=32)
    evidence = models.TextField(_("evidence"), blank=True)
    provenance = models.ForeignKey("register.Provenance", on_delete=models.PROTECT, null=True, blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("scorecard", "question"), name="policy_answer_unique")]

    def __str__(self) -> str:
        return f"{self.question}={self.option}"
