"""Shared reference data: countries, laws with extraterritorial reach, the GEMMA taxonomy."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """A country (ISO 3166-1 alpha-2) and the facts that decide whether it is trusted."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    eu_member = models.BooleanField(_("EU member"), default=False)
    eea_member = models.BooleanField(_("EEA member"), default=False)
    gdpr_adequacy = models.BooleanField(
        _("GDPR adequacy decision"),
        null=True,
        blank=True,
        help_text=_("Whether the European Commission decided the country offers adequate protection."),
    )
    provenance = models.ForeignKey(
        "register.Provenance", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso_alpha2"
            ),
            models.CheckConstraint(
                condition=models.Q(eu_member=False) | models.Q(eea_member=True),
                name="country_eu_member_is_eea_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @staticmethod
    def name_field() -> str:
        """The field of the name in the active language: Dutch when Dutch is active, else English."""
        return "name_nl" if (get_language() or "nl").startswith("nl") else "name_en"

    @property
    def name(self) -> str:
        name: str = getattr(self, self.name_field())
        return name


class LawTrigger(models.TextChoices):
    CONTROL = "control", _("control by an entity of that country")
    LOCATION = "location", _("data located there")
    ACCESS = "access", _("access from there")


class Law(models.Model):
    """A law with reach outside its country, and what triggers it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="laws"
    )
    citation = models.CharField(_("citation"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    trigger_control = models.BooleanField(_("triggered by control"), default=False)
    trigger_location = models.BooleanField(_("triggered by location"), default=False)
    trigger_access = models.BooleanField(_("triggered by access"), default=False)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty: no end date known.")
    )
    provenance = models.ForeignKey(
        "register.Provenance", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["country_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(in_force_until__isnull=True)
                | models.Q(in_force_from__isnull=True)
                | models.Q(in_force_until__gte=models.F("in_force_from")),
                name="law_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def triggers(self) -> frozenset[str]:
        return frozenset(
            t
            for t, on in (
                (LawTrigger.CONTROL.value, self.trigger_control),
                (LawTrigger.LOCATION.value, self.trigger_location),
                (LawTrigger.ACCESS.value, self.trigger_access),
            )
            if on
        )


class GemmaKind(models.TextChoices):
    REFERENCE_COMPONENT = "referentiecomponent", _("GEMMA reference component")
    BUSINESS_FUNCTION = "bedrijfsfunctie", _("GEMMA business function")
    BUSINESS_PROCESS = "bedrijfsproces", _("GEMMA business process")
    NATIONAL_FACILITY = "voorziening", _("national facility")
    TECHNOLOGY_COMPONENT = "technologiecomponent", _("technology component")
    STANDARD = "standaard", _("standard")


class GemmaElement(models.Model):
    """One element of the GEMMA taxonomy (VNG Realisatie, EUPL-1.2)."""

    kind = models.CharField(_("kind"), max_length=32, choices=GemmaKind.choices)
    name = models.CharField(_("name"), max_length=200)
    bbn = models.CharField(_("BBN level"), max_length=120, blank=True)
    availability = models.PositiveSmallIntegerField(_("availability"), null=True, blank=True)
    integrity = models.PositiveSmallIntegerField(_("integrity"), null=True, blank=True)
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("GEMMA element")
        verbose_name_plural = _("GEMMA elements")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="gemma_unique_kind_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in GemmaKind]), name="gemma_kind_valid"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__isnull": True}) | models.Q(**{f"{f}__range": (1, 3)}),
                    name=f"gemma_{f}_1_3",
                )
                for f in ("availability", "integrity", "confidentiality")
            ),
        ]

    def __str__(self) -> str:
        return self.name
