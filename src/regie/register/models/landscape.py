"""An organisation's landscape: processes, usages, the dependencies between them, data sets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Product, Service, TriState
from .organisation import TenantModel
from .reference import GemmaElement

BIV_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3)]


class PersonalData(models.TextChoices):
    NONE = "none", _("none")
    PERSONAL = "personal", _("personal data")
    SPECIAL = "special", _("special categories of personal data")
    BSN = "bsn", _("citizen service number (BSN)")


class Process(TenantModel):
    """A business process or public service of the organisation."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(_("process owner"), max_length=120, blank=True)
    gemma_function = models.ForeignKey(
        GemmaElement,
        verbose_name=_("GEMMA business function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "bedrijfsfunctie"},
    )
    gemma_process = models.ForeignKey(
        GemmaElement,
        verbose_name=_("GEMMA business process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "bedrijfsproces"},
    )
    availability = models.PositiveSmallIntegerField(_("availability (B)"), validators=BIV_VALIDATORS)
    integrity = models.PositiveSmallIntegerField(_("integrity (I)"), validators=BIV_VALIDATORS)
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality (V)"), validators=BIV_VALIDATORS)
    critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("A critical or important function: its disruption would materially harm citizens."),
    )
    max_tolerable_downtime_hours = models.DecimalField(
        _("maximum tolerable downtime (hours)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rto_hours = models.DecimalField(_("RTO (hours)"), max_digits=8, decimal_places=2, null=True, blank=True)
    rpo_hours = models.DecimalField(_("RPO (hours)"), max_digits=8, decimal_places=2, null=True, blank=True)
    personal_data = models.CharField(
        _("personal data"), max_length=10, choices=PersonalData.choices, default=PersonalData.NONE
    )
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="process_unique_name"),
            *(
                models.CheckConstraint(condition=models.Q(**{f"{f}__range": (1, 3)}), name=f"process_{f}_1_3")
                for f in ("availability", "integrity", "confidentiality")
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__isnull": True}) | models.Q(**{f"{f}__gte": 0}),
                    name=f"process_{f}_not_negative",
                )
                for f in ("max_tolerable_downtime_hours", "rto_hours", "rpo_hours")
            ),
            models.CheckConstraint(
                condition=models.Q(personal_data__in=[p.value for p in PersonalData]),
                name="process_personal_data_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LifecycleStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACQUIRING = "acquiring", _("being acquired")
    IN_PRODUCTION = "in_production", _("in production")
    PHASING_OUT = "phasing_out", _("phasing out")
    RETIRED = "retired", _("retired")


class Substitutability(models.TextChoices):
    """The DORA vocabulary (b_07.01, column 0050)."""

    EASY = "easy", _("easily substitutable")
    MEDIUM = "medium", _("medium complexity in terms of substitutability")
    HIGH = "high", _("highly complex substitutability")
    NOT_SUBSTITUTABLE = "none", _("not substitutable")


class SubstitutabilityReason(models.TextChoices):
    NO_ALTERNATIVES = "no_alternatives", _("lack of real alternatives")
    MIGRATION = "migration", _("difficulties in migrating or reintegrating")
    BOTH = "both", _("both")


class Usage(TenantModel):
    """The organisation uses a product ("gebruik"), delivered through services, for processes."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("How the organisation calls this application.")
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="usages"
    )
    reference_component = models.ForeignKey(
        GemmaElement,
        verbose_name=_("GEMMA reference component"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "referentiecomponent"},
    )
    status = models.CharField(
        _("lifecycle status"),
        max_length=16,
        choices=LifecycleStatus.choices,
        default=LifecycleStatus.IN_PRODUCTION,
    )
    planned_on = models.DateField(_("planned since"), null=True, blank=True)
    acquiring_on = models.DateField(_("acquisition started"), null=True, blank=True)
    production_on = models.DateField(_("in production since"), null=True, blank=True)
    phasing_out_on = models.DateField(_("phasing out since"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    owner = models.CharField(_("application owner"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    substitutability_override = models.CharField(
        _("substitutability (assessed)"), max_length=8, choices=Substitutability.choices, blank=True
    )
    substitutability_reason = models.CharField(
        _("reason"), max_length=16, choices=SubstitutabilityReason.choices, blank=True
    )
    override_justification = models.TextField(_("justification of the assessment"), blank=True)

    class Meta:
        verbose_name = _("usage")
        verbose_name_plural = _("usages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="usage_unique_name"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in LifecycleStatus]),
                name="usage_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(retired_on__isnull=True)
                | models.Q(production_on__isnull=True)
                | models.Q(retired_on__gte=models.F("production_on")),
                name="usage_retired_after_production",
            ),
            models.CheckConstraint(
                condition=models.Q(phasing_out_on__isnull=True)
                | models.Q(production_on__isnull=True)
                | models.Q(phasing_out_on__gte=models.F("production_on")),
                name="usage_phase_out_after_production",
            ),
            models.CheckConstraint(
                condition=models.Q(production_on__isnull=True)
                | models.Q(acquiring_on__isnull=True)
                | models.Q(production_on__gte=models.F("acquiring_on")),
                name="usage_production_after_acquisition",
            ),
            models.CheckConstraint(
                condition=models.Q(substitutability_override="") | ~models.Q(override_justification=""),
                name="usage_override_needs_justification",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RedundancyGroup(TenantModel):
    """Alternatives for one dependant: it keeps working while at least k members work."""

    name = models.CharField(_("name"), max_length=200)
    k = models.PositiveSmallIntegerField(
        _("members needed (k)"), default=1, help_text=_("1 means fail-over: one working member suffices.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("redundancy group")
        verbose_name_plural = _("redundancy groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="redundancygroup_unique_name"),
            models.CheckConstraint(condition=models.Q(k__gte=1), name="redundancygroup_k_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (k={self.k})"


class DependencyKind(models.TextChoices):
    REQUIRES = "requires", _("process requires application")
    RUNS_ON = "runs_on", _("application runs on service")
    INTEGRATION = "integration", _("integration between applications")


class Direction(models.TextChoices):
    OUTGOING = "out", _("sends to")
    INCOMING = "in", _("receives from")
    BOTH = "both", _("both ways")


class Dependency(TenantModel):
    """A typed, directed edge: the source depends on the target.

    Without a redundancy group the edge is required; within one, the source keeps working
    while at least k members of the group still work.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=DependencyKind.choices)
    from_process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependencies",
    )
    from_usage = models.ForeignKey(
        Usage,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependencies",
    )
    to_usage = models.ForeignKey(
        Usage,
        verbose_name=_("depends on application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependants",
    )
    to_service = models.ForeignKey(
        Service,
        verbose_name=_("runs on service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        RedundancyGroup,
        verbose_name=_("redundancy group"),
        null=True,
        blank=True,
        # A group in use cannot be deleted on its own, but goes with its organisation.
        on_delete=models.RESTRICT,
        related_name="members",
        help_text=_("Empty: required."),
    )
    standard = models.CharField(_("standard used"), max_length=120, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, blank=True)
    proprietary = models.CharField(
        _("proprietary coupling"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        # An organisation's dependencies in id order (the API's default list order): without it,
        # PostgreSQL walks the primary key of all 1.7 million national rows for a late organisation.
        indexes = [models.Index(fields=["organisation", "id"], name="dependency_org_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=DependencyKind.REQUIRES,
                        from_process__isnull=False,
                        to_usage__isnull=False,
                        from_usage__isnull=True,
                        to_service__isnull=True,
                    )
                    | models.Q(
                        kind=DependencyKind.RUNS_ON,
                        from_usage__isnull=False,
                        to_service__isnull=False,
                        from_process__isnull=True,
                        to_usage__isnull=True,
                    )
                    | models.Q(
                        kind=DependencyKind.INTEGRATION,
                        from_usage__isnull=False,
                        to_usage__isnull=False,
                        from_process__isnull=True,
                        to_service__isnull=True,
                    )
                ),
                name="dependency_endpoints_match_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(from_usage__isnull=True)
                | models.Q(to_usage__isnull=True)
                | ~models.Q(from_usage=models.F("to_usage")),
                name="dependency_not_self",
            ),
            models.UniqueConstraint(
                fields=["from_process", "to_usage"],
                condition=models.Q(kind=DependencyKind.REQUIRES),
                name="dependency_unique_requires",
            ),
            models.UniqueConstraint(
                fields=["from_usage", "to_service"],
                condition=models.Q(kind=DependencyKind.RUNS_ON),
                name="dependency_unique_runs_on",
            ),
            models.UniqueConstraint(
                fields=["from_usage", "to_usage"],
                condition=models.Q(kind=DependencyKind.INTEGRATION),
                name="dependency_unique_integration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    @property
    def source(self) -> Process | Usage | None:
        return self.from_process or self.from_usage

    @property
    def target(self) -> Usage | Service | None:
        return self.to_usage or self.to_service

    def clean(self) -> None:
        super().clean()
        org = self.organisation_id
        for field in ("from_process", "from_usage", "to_usage", "group"):
            related = getattr(self, field)
            if related is not None and related.organisation_id != org:
                raise ValidationError({field: _("Belongs to another organisation.")})
        if self.group_id is not None:
            sibling = Dependency.objects.filter(group_id=self.group_id).exclude(pk=self.pk).first()
            if sibling is not None and (
                sibling.from_process_id != self.from_process_id or sibling.from_usage_id != self.from_usage_id
            ):
                raise ValidationError(
                    {"group": _("All members of a redundancy group must have the same dependant.")}
                )


class DataClassification(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    CONFIDENTIAL = "confidential", _("confidential")
    SECRET = "secret", _("secret")


class DataSet(TenantModel):
    """Data the organisation holds in an application."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    usage = models.ForeignKey(
        Usage, verbose_name=_("held in"), on_delete=models.CASCADE, related_name="datasets"
    )
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=DataClassification.choices,
        default=DataClassification.INTERNAL,
    )
    personal_data = models.CharField(
        _("personal data"), max_length=10, choices=PersonalData.choices, default=PersonalData.NONE
    )
    volume_gb = models.DecimalField(_("volume (GB)"), max_digits=12, decimal_places=2, null=True, blank=True)
    records = models.PositiveBigIntegerField(_("records"), null=True, blank=True)
    export_formats = models.CharField(_("export formats"), max_length=300, blank=True)
    export_open_format = models.CharField(
        _("export in an open format"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="dataset_unique_name"),
            models.CheckConstraint(
                condition=models.Q(volume_gb__isnull=True) | models.Q(volume_gb__gte=0),
                name="dataset_volume_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.usage_id is not None and self.usage.organisation_id != self.organisation_id:
            raise ValidationError({"usage": _("Belongs to another organisation.")})
