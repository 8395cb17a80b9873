"""Tenders, bids and decisions: the procurement assessment ("afwegingskader", ADR 0110).

A tender belongs to one organisation; its bids and decisions belong to the organisation of the
tender. Requirements and weights are columns with their bounds checked in the database;
scorecard answers and offered clauses are small maps validated by the services against
``regie.policy.sovereignty`` and ``ClauseKind``. A decision is never changed: a new one
supersedes it and the history stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regie.register.models import GemmaElement, LegalEntity, Organisation, Process, Product, Service

#: Objective code -> name of the column holding its minimum SEAL.
MIN_SEAL_FIELDS: dict[str, str] = {f"SOV-{i}": f"min_seal_sov{i}" for i in range(1, 9)}

#: Criterion -> name of the column holding its weight (order = order of display).
WEIGHT_FIELDS: dict[str, str] = {
    "price": "weight_price",
    "sovereignty": "weight_sovereignty",
    "exposure": "weight_exposure",
    "concentration": "weight_concentration",
    "continuity": "weight_continuity",
    "lockin": "weight_lockin",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "price": 40.0,
    "sovereignty": 20.0,
    "exposure": 15.0,
    "concentration": 10.0,
    "continuity": 10.0,
    "lockin": 5.0,
}


class TenderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for bids")
    ASSESSED = "assessed", _("assessed")
    DECIDED = "decided", _("decided")


def _seal_field(i: int) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(_("minimum SEAL"), null=True, blank=True, help_text=f"SOV-{i}")


def _weight_field(name: Any, default: float) -> models.FloatField[Any, Any]:
    return models.FloatField(name, default=default)


class Tender(models.Model):
    """A procurement with its scope, minimum requirements and award weights."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="tenders"
    )
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TenderStatus.choices, default=TenderStatus.DRAFT
    )
    processes = models.ManyToManyField(
        Process, verbose_name=_("processes in scope"), blank=True, related_name="+"
    )
    reference_components = models.ManyToManyField(
        GemmaElement,
        verbose_name=_("reference components in scope"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "referentiecomponent"},
    )
    min_seal_sov1 = _seal_field(1)
    min_seal_sov2 = _seal_field(2)
    min_seal_sov3 = _seal_field(3)
    min_seal_sov4 = _seal_field(4)
    min_seal_sov5 = _seal_field(5)
    min_seal_sov6 = _seal_field(6)
    min_seal_sov7 = _seal_field(7)
    min_seal_sov8 = _seal_field(8)
    required_clauses = models.JSONField(_("required clauses"), default=list, blank=True)
    weight_price = _weight_field(_("weight: price"), DEFAULT_WEIGHTS["price"])
    weight_sovereignty = _weight_field(_("weight: sovereignty"), DEFAULT_WEIGHTS["sovereignty"])
    weight_exposure = _weight_field(_("weight: exposure"), DEFAULT_WEIGHTS["exposure"])
    weight_concentration = _weight_field(_("weight: concentration"), DEFAULT_WEIGHTS["concentration"])
    weight_continuity = _weight_field(_("weight: continuity"), DEFAULT_WEIGHTS["continuity"])
    weight_lockin = _weight_field(_("weight: lock-in"), DEFAULT_WEIGHTS["lockin"])
    contract_months = models.PositiveSmallIntegerField(
        _("contract term (months)"), default=48, help_text=_("Used to compare annual prices with totals.")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="tender_unique_reference"),
            models.CheckConstraint(condition=~Q(title=""), name="tender_title_not_empty"),
            models.CheckConstraint(condition=~Q(reference=""), name="tender_reference_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TenderStatus]), name="tender_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(contract_months__gte=1), name="tender_contract_months_positive"
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("published_on")),
                name="tender_closes_after_publication",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__range": (0, 4)}),
                    name=f"tender_{f}_0_4",
                )
                for f in MIN_SEAL_FIELDS.values()
            ),
            *(
                models.CheckConstraint(condition=Q(**{f"{f}__gte": 0}), name=f"tender_{f}_non_negative")
                for f in WEIGHT_FIELDS.values()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def min_seals(self) -> dict[str, int | None]:
        return {obj: getattr(self, f) for obj, f in MIN_SEAL_FIELDS.items()}

    @property
    def weights(self) -> dict[str, float]:
        return {c: float(getattr(self, f)) for c, f in WEIGHT_FIELDS.items()}


class Bid(models.Model):
    """A bid on a tender: who, what, on which services, at what price, with which answers."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="bids"
    )
    bidder = models.ForeignKey(
        LegalEntity, verbose_name=_("bidder"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services it runs on"),
        blank=True,
        related_name="+",
        help_text=_("The catalogue services the bid would run on; their supply chain is the hosting chain."),
    )
    annual_price = models.DecimalField(
        _("annual price (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_value = models.DecimalField(
        _("total contract value (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    answers = models.JSONField(_("scorecard answers"), default=dict, blank=True)
    clauses = models.JSONField(_("offered clauses"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ("tender", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_price__isnull=True) | Q(annual_price__gte=0),
                name="bid_annual_price_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_value__isnull=True) | Q(total_value__gte=0),
                name="bid_total_value_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.bidder.name if self.product is None else f"{self.bidder.name} — {self.product.name}"

    @property
    def organisation_id(self) -> int:
        return self.tender.organisation_id


class Decision(models.Model):
    """The award of a tender to one bid, with its justification. Never changed once recorded."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="decisions"
    )
    # RESTRICT: a chosen bid cannot be deleted on its own, but goes with its tender
    bid = models.ForeignKey(Bid, verbose_name=_("chosen bid"), on_delete=models.RESTRICT, related_name="+")
    justification = models.TextField(_("justification"))
    weights = models.JSONField(_("weights at the time of the decision"), default=dict)
    scores = models.JSONField(_("scores at the time of the decision"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"))
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ("tender", "-created_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=~Q(justification=""), name="decision_justification_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference}: {self.bid}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: a recorded decision is superseded by a new one, never changed."""
        if not self._state.adding:
            raise ValueError("A decision is never changed; record a new decision instead.")
        super().save(*args, **kwargs)

    @property
    def organisation_id(self) -> int:
        return self.tender.organisation_id
