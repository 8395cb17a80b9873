"""Contracts with their clause facts, and exit plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import PROV, Alternative, LegalEntity, Service, TriState
from .landscape import Usage
from .organisation import TenantModel
from .reference import Country


class RenewalDecision(models.TextChoices):
    UNDECIDED = "", _("no decision yet")
    RENEW = "renew", _("renew or extend")
    TENDER = "tender", _("tender anew")
    JOINT_TENDER = "joint_tender", _("tender jointly with other organisations")
    EXIT = "exit", _("end and exit")


class Contract(TenantModel):
    """An agreement with a counterparty covering usages and services."""

    reference = models.CharField(_("reference"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    counterparty = models.ForeignKey(
        LegalEntity, verbose_name=_("counterparty"), on_delete=models.PROTECT, related_name="+"
    )
    usages = models.ManyToManyField(
        Usage, verbose_name=_("applications covered"), blank=True, related_name="contracts"
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services covered"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty: indefinite."))
    notice_days = models.PositiveIntegerField(_("notice period (days)"), null=True, blank=True)
    provider_notice_days = models.PositiveIntegerField(
        _("provider's notice period (days)"), null=True, blank=True
    )
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    renewal_months = models.PositiveSmallIntegerField(_("renewal period (months)"), null=True, blank=True)
    annual_value = models.DecimalField(
        _("annual value (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    governing_law = models.ForeignKey(
        Country,
        verbose_name=_("governing law"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: unknown."),
    )
    governing_law_provenance = models.ForeignKey(
        PROV,
        verbose_name=_("source of the governing law"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    renewal_decision = models.CharField(
        _("decision on renewal"), max_length=16, choices=RenewalDecision.choices, blank=True
    )
    decision_notes = models.TextField(_("notes on the decision"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["end_date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="contract_unique_reference"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_value__isnull=True) | models.Q(annual_value__gte=0),
                name="contract_value_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(renewal_decision__in=[d.value for d in RenewalDecision]),
                name="contract_renewal_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ClauseKind(models.TextChoices):
    EXIT_ASSISTANCE = "exit_assistance", _("exit assistance")
    DATA_RETURN = "data_return_open_format", _("data return in an open format")
    PRICE_CAP = "price_cap", _("price-change cap or indexation")
    UNILATERAL_CHANGE = "unilateral_change", _("unilateral change of terms allowed")
    ESCROW = "escrow", _("source-code escrow")
    AUDIT_RIGHT = "audit_right", _("audit right")
    SUBPROCESSOR_APPROVAL = "subprocessor_approval", _("sub-processor approval")


class ContractClause(models.Model):
    """Whether a contract contains a clause: a fact with its source. No row means unknown."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(_("clause"), max_length=32, choices=ClauseKind.choices)
    present = models.CharField(_("present"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN)
    detail = models.CharField(
        _("detail"), max_length=300, blank=True, help_text=_("Article, cap percentage, …")
    )
    provenance = models.ForeignKey(
        PROV, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contract clause")
        verbose_name_plural = _("contract clauses")
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="contractclause_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ClauseKind]), name="contractclause_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_present_display()}"


class ExitPlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    TESTED = "tested", _("tested")


class ExitPlan(TenantModel):
    """How the organisation would leave a usage or a service."""

    title = models.CharField(_("title"), max_length=200)
    usage = models.ForeignKey(
        Usage,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exit_plans",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alternative = models.ForeignKey(
        Alternative,
        verbose_name=_("intended alternative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    duration_days = models.PositiveIntegerField(_("duration (days)"), null=True, blank=True)
    last_tested = models.DateField(_("last tested"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExitPlanStatus.choices, default=ExitPlanStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("exit plan")
        verbose_name_plural = _("exit plans")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(usage__isnull=False) & models.Q(service__isnull=True))
                | (models.Q(usage__isnull=True) & models.Q(service__isnull=False)),
                name="exitplan_for_usage_or_service",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_cost__isnull=True) | models.Q(estimated_cost__gte=0),
                name="exitplan_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        usage = self.usage if self.usage_id is not None else None
        if usage is not None and usage.organisation_id != self.organisation_id:
            raise ValidationError({"usage": _("Belongs to another organisation.")})


class ExitPlanStep(models.Model):
    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    description = models.CharField(_("step"), max_length=300)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    duration_days = models.PositiveIntegerField(_("duration (days)"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("exit-plan step")
        verbose_name_plural = _("exit-plan steps")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="exitplanstep_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.description}"
