"""The organisation: the tenant that owns a landscape."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    PROVINCE = "province", _("province")
    WATER_AUTHORITY = "water_authority", _("water authority")
    CENTRAL_GOVERNMENT = "central_government", _("central government")
    AGENCY = "agency", _("agency")
    JOINT_ARRANGEMENT = "joint_arrangement", _("joint arrangement / shared service centre")
    OTHER = "other", _("other")


class Province(models.TextChoices):
    DRENTHE = "DR", "Drenthe"
    FLEVOLAND = "FL", "Flevoland"
    FRYSLAN = "FR", "Fryslân"
    GELDERLAND = "GE", "Gelderland"
    GRONINGEN = "GR", "Groningen"
    LIMBURG = "LI", "Limburg"
    NOORD_BRABANT = "NB", "Noord-Brabant"
    NOORD_HOLLAND = "NH", "Noord-Holland"
    OVERIJSSEL = "OV", "Overijssel"
    UTRECHT = "UT", "Utrecht"
    ZEELAND = "ZE", "Zeeland"
    ZUID_HOLLAND = "ZH", "Zuid-Holland"


class Organisation(models.Model):
    """A government organisation. Every organisation-specific record belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short stable code used in URLs and the command line, e.g. the CBS code."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    cbs_code = models.CharField(_("CBS code"), max_length=10, blank=True, help_text="GM0363")
    oin = models.CharField(_("OIN"), max_length=20, blank=True)
    kvk = models.CharField(_("KvK number"), max_length=8, blank=True)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, blank=True)
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    staff = models.PositiveIntegerField(_("staff (FTE)"), null=True, blank=True)
    joint_arrangements = models.ManyToManyField(
        "self",
        verbose_name=_("member of joint arrangements"),
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": OrganisationKind.JOINT_ARRANGEMENT},
    )
    trusted_countries = models.ManyToManyField(
        "register.Country",
        verbose_name=_("trusted jurisdictions"),
        blank=True,
        related_name="+",
        help_text=_("Empty: the EU/EEA countries."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in OrganisationKind]),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(cbs_code="") | models.Q(cbs_code__regex=r"^[A-Z]{2}[0-9]{4}$"),
                name="organisation_cbs_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(oin="") | models.Q(oin__regex=r"^[0-9]{20}$"),
                name="organisation_oin_format",
            ),
            models.CheckConstraint(
                condition=models.Q(kvk="") | models.Q(kvk__regex=r"^[0-9]{8}$"),
                name="organisation_kvk_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Abstract base of every organisation-specific record."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
