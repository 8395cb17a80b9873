"""The shared catalogue: legal entities and their control chain, products, services, alternatives.

Catalogue records are shared by every organisation and changed only by catalogue maintainers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .provenance import Provenance

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise
from .reference import Country, GemmaElement

PROV = "register.Provenance"


def _provenance(label: str | _StrPromise) -> models.ForeignKey[Provenance | None, Provenance | None]:
    field: models.ForeignKey[Provenance | None, Provenance | None] = models.ForeignKey(
        Provenance,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return field


class TriState(models.TextChoices):
    """Yes, no or unknown, for facts that may be unknown."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


class ParentState(models.TextChoices):
    KNOWN = "known", _("has a parent")
    NONE = "none", _("no parent: this is the top of its group")
    UNKNOWN = "unknown", _("unknown")


class ControlBasis(models.TextChoices):
    OWNERSHIP = "ownership", _("majority ownership")
    VOTING = "voting", _("voting rights")
    CONTRACT = "contract", _("control by contract")
    PUBLIC = "public", _("public body under the parent's authority")
    OTHER = "other", _("other")


class LegalEntity(models.Model):
    """A company or public body that supplies something; its parent gives the control chain."""

    name = models.CharField(_("name"), max_length=200)
    lei = models.CharField(_("LEI"), max_length=20, blank=True)
    kvk = models.CharField(_("KvK number"), max_length=8, blank=True)
    euid = models.CharField(_("EUID"), max_length=60, blank=True)
    vat = models.CharField(_("VAT number"), max_length=20, blank=True)
    is_public_body = models.BooleanField(_("public body"), default=False)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    registration_country = models.ForeignKey(
        Country,
        verbose_name=_("country of registration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: unknown."),
    )
    registration_country_provenance = _provenance(_("source of the country of registration"))
    hq_country = models.ForeignKey(
        Country,
        verbose_name=_("country of headquarters"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: unknown."),
    )
    hq_country_provenance = _provenance(_("source of the country of headquarters"))
    parent_state = models.CharField(
        _("parent"), max_length=8, choices=ParentState.choices, default=ParentState.UNKNOWN
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("direct parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    parent_basis = models.CharField(
        _("basis of control"), max_length=16, choices=ControlBasis.choices, blank=True
    )
    parent_share = models.DecimalField(
        _("share held by the parent (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    parent_provenance = _provenance(_("source of the parent"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["lei"], condition=~models.Q(lei=""), name="legalentity_unique_lei"
            ),
            models.CheckConstraint(
                condition=models.Q(lei="") | models.Q(lei__regex=r"^[A-Z0-9]{18}[0-9]{2}$"),
                name="legalentity_lei_format",
            ),
            models.CheckConstraint(
                condition=models.Q(kvk="") | models.Q(kvk__regex=r"^[0-9]{8}$"),
                name="legalentity_kvk_format",
            ),
            models.CheckConstraint(
                condition=(models.Q(parent_state=ParentState.KNOWN) & models.Q(parent__isnull=False))
                | (~models.Q(parent_state=ParentState.KNOWN) & models.Q(parent__isnull=True)),
                name="legalentity_parent_matches_state",
            ),
            models.CheckConstraint(
                condition=models.Q(parent_state__in=[s.value for s in ParentState]),
                name="legalentity_parent_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="legalentity_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(parent_share__isnull=True)
                | models.Q(parent_share__gte=0, parent_share__lte=100),
                name="legalentity_parent_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def control_chain(self) -> list[LegalEntity]:
        """This entity and its ancestors, nearest first; the last is the ultimate parent."""
        ancestors = [
            link.ancestor
            for link in LegalEntityAncestor.objects.filter(descendant=self)
            .select_related("ancestor", "ancestor__hq_country")
            .order_by("depth")
        ]
        return [self, *ancestors]

    @property
    def ultimate_parent(self) -> LegalEntity:
        return self.control_chain()[-1]


class LegalEntityAncestor(models.Model):
    """The transitive closure of the parent relation, maintained by database triggers.

    Its check constraint (no entity is its own ancestor) is what makes a cycle in a control
    chain impossible, on SQLite and PostgreSQL alike: the trigger that maintains this table
    would have to insert such a row. Application code never writes here.
    """

    descendant = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="+")
    ancestor = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("control-chain link")
        constraints = [
            models.UniqueConstraint(fields=["descendant", "ancestor"], name="legalentityancestor_unique"),
            models.CheckConstraint(
                condition=~models.Q(descendant=models.F("ancestor")),
                name="legalentityancestor_no_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(depth__gte=1), name="legalentityancestor_depth_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.descendant_id} → {self.ancestor_id} ({self.depth})"


class ProductKind(models.TextChoices):
    APPLICATION = "application", _("application")
    SYSTEM_SOFTWARE = "system_software", _("system software")
    MODULE = "module", _("module")


class Product(models.Model):
    """Software from a supplier, realising GEMMA reference components."""

    name = models.CharField(_("name"), max_length=200)
    supplier = models.ForeignKey(
        LegalEntity,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("Empty for community-maintained open source without a supplier."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProductKind.choices, default=ProductKind.APPLICATION
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    open_source = models.CharField(
        _("open source"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    licence = models.CharField(_("licence (SPDX)"), max_length=80, blank=True)
    reference_components = models.ManyToManyField(
        GemmaElement,
        verbose_name=_("GEMMA reference components"),
        blank=True,
        related_name="products",
        limit_choices_to={"kind": "referentiecomponent"},
    )
    standards = models.ManyToManyField(
        GemmaElement,
        verbose_name=_("standards supported"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "standaard"},
    )
    export_formats = models.CharField(
        _("export formats"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. CSV, ODF, StUF.")
    )
    export_open_standard = models.CharField(
        _("export in an open standard"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    export_bulk_api = models.CharField(
        _("bulk export API"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    provenance = _provenance(_("source of the licence and export facts"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "supplier"], name="product_unique_name_supplier"),
        ]

    def __str__(self) -> str:
        return self.name


class DoraServiceType(models.TextChoices):
    """ICT service types of the DORA Register of Information (Implementing Regulation 2024/2956)."""

    S01 = "S01", _("ICT project management")
    S02 = "S02", _("ICT development")
    S03 = "S03", _("ICT help desk and first-level support")
    S04 = "S04", _("ICT security management services")
    S05 = "S05", _("Provision of data")
    S06 = "S06", _("Data analysis")
    S07 = "S07", _("ICT, facilities and hosting services (excluding cloud services)")
    S08 = "S08", _("Computation")
    S09 = "S09", _("Non-cloud data storage")
    S10 = "S10", _("Telecom carrier")
    S11 = "S11", _("Network infrastructure")
    S12 = "S12", _("Hardware and physical devices")
    S13 = "S13", _("Software licencing (excluding SaaS)")
    S14 = "S14", _("ICT operation management (including maintenance)")
    S15 = "S15", _("ICT consulting")
    S16 = "S16", _("ICT risk management")
    S17 = "S17", _("Cloud services: IaaS")
    S18 = "S18", _("Cloud services: PaaS")
    S19 = "S19", _("Cloud services: SaaS")


class ServiceKind(models.TextChoices):
    SAAS = "saas", _("SaaS")
    PAAS = "paas", _("PaaS")
    IAAS = "iaas", _("IaaS")
    ON_PREMISES = "on_premises", _("on-premises / self-managed")
    COLOCATION = "colocation", _("colocation / hosting (not cloud)")
    MANAGED_OPERATION = "managed_operation", _("managed operation")
    SUPPORT = "support", _("support / help desk")
    NETWORK = "network", _("network")
    TELECOM = "telecom", _("telecom carrier")
    IDENTITY = "identity", _("identity and security")
    DATA_PROVISION = "data_provision", _("provision of data")
    DATA_ANALYSIS = "data_analysis", _("data analysis")
    STORAGE = "storage", _("storage (not cloud)")
    COMPUTATION = "computation", _("computation")
    HARDWARE = "hardware", _("hardware")
    DEVELOPMENT = "development", _("development")
    CONSULTING = "consulting", _("consulting")
    PROJECT_MANAGEMENT = "project_management", _("project management")
    RISK_MANAGEMENT = "risk_management", _("ICT risk management")


DORA_TYPE_OF_KIND: dict[str, str] = {
    ServiceKind.PROJECT_MANAGEMENT: DoraServiceType.S01,
    ServiceKind.DEVELOPMENT: DoraServiceType.S02,
    ServiceKind.SUPPORT: DoraServiceType.S03,
    ServiceKind.IDENTITY: DoraServiceType.S04,
    ServiceKind.DATA_PROVISION: DoraServiceType.S05,
    ServiceKind.DATA_ANALYSIS: DoraServiceType.S06,
    ServiceKind.COLOCATION: DoraServiceType.S07,
    ServiceKind.COMPUTATION: DoraServiceType.S08,
    ServiceKind.STORAGE: DoraServiceType.S09,
    ServiceKind.TELECOM: DoraServiceType.S10,
    ServiceKind.NETWORK: DoraServiceType.S11,
    ServiceKind.HARDWARE: DoraServiceType.S12,
    ServiceKind.ON_PREMISES: DoraServiceType.S13,
    ServiceKind.MANAGED_OPERATION: DoraServiceType.S14,
    ServiceKind.CONSULTING: DoraServiceType.S15,
    ServiceKind.RISK_MANAGEMENT: DoraServiceType.S16,
    ServiceKind.IAAS: DoraServiceType.S17,
    ServiceKind.PAAS: DoraServiceType.S18,
    ServiceKind.SAAS: DoraServiceType.S19,
}


class Service(models.Model):
    """Something delivered and run by a provider. Its dependencies form the supply chain."""

    name = models.CharField(_("name"), max_length=200)
    provider = models.ForeignKey(
        LegalEntity, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ServiceKind.choices)
    description = models.TextField(_("description"), blank=True)
    customer_held_keys = models.CharField(
        _("customer-held keys"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    certifications = models.CharField(
        _("certifications"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. ISO 27001, BIO, C5."),
    )
    recovery_hours = models.DecimalField(
        _("provider's recovery time (hours)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The recovery time the provider commits to. Empty: unknown."),
    )
    recovery_provenance = _provenance(_("source of the recovery time"))
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("runs on / uses"),
        through="ServiceDependency",
        symmetrical=False,
        blank=True,
        related_name="dependants",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "provider"], name="service_unique_name_provider"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ServiceKind]), name="service_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(recovery_hours__isnull=True) | models.Q(recovery_hours__gte=0),
                name="service_recovery_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dora_type(self) -> str:
        return DORA_TYPE_OF_KIND[self.kind]


class LocationRole(models.TextChoices):
    DATA_AT_REST = "rest", _("data at rest")
    PROCESSING = "processing", _("processing")
    SUPPORT_ACCESS = "access", _("support / administrative access")


class ServiceLocation(models.Model):
    """A country where a service keeps data, processes it, or is administered from.

    A role without any row is unknown. A row without a country records explicitly that the
    location is unknown (for instance: the provider would not say), with its source.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    role = models.CharField(_("role"), max_length=12, choices=LocationRole.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: unknown."),
    )
    provenance = _provenance(_("source"))

    class Meta:
        verbose_name = _("service location")
        verbose_name_plural = _("service locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "role", "country"], name="servicelocation_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in LocationRole]),
                name="servicelocation_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.get_role_display()} {self.country_id or '?'}"


class ServiceDependency(models.Model):
    """A service runs on or uses another service (supply chain, sub-processor)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    provenance = _provenance(_("source"))

    class Meta:
        verbose_name = _("supply-chain link")
        verbose_name_plural = _("supply-chain links")
        constraints = [
            models.UniqueConstraint(fields=["service", "depends_on"], name="servicedependency_unique"),
            models.CheckConstraint(
                condition=~models.Q(service=models.F("depends_on")),
                name="servicedependency_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} → {self.depends_on}"


class Maturity(models.TextChoices):
    EMERGING = "emerging", _("emerging")
    PROVEN = "proven", _("proven in government")
    WIDESPREAD = "widespread", _("widespread")


class AlternativeCategory(models.TextChoices):
    """The categories of the shipped reference alternatives, with their names. An alternative
    may have another category too (an imported publiccode.yml names its own): it is shown as
    it is."""

    CHAT = "chat", _("chat")
    DIAGRAMS = "diagrams", _("diagrams")
    EMAIL = "email", _("e-mail")
    FILES = "files", _("files (storage and sharing)")
    IAAS = "iaas", _("infrastructure (IaaS)")
    IDENTITY = "identity", _("identity and access")
    KNOWLEDGE = "knowledge", _("knowledge base (wiki)")
    KUBERNETES = "kubernetes", _("container platform (Kubernetes)")
    NOTES = "notes", _("notes")
    OFFICE_COLLABORATION = "office_collaboration", _("office and collaboration suite")
    PROJECT_MANAGEMENT = "project_management", _("project management")
    VIDEO = "video", _("video conferencing")
    WEB_OFFICE = "web_office", _("office documents in the browser")


class Alternative(models.Model):
    """A product or service that can replace another."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    provider = models.ForeignKey(
        LegalEntity,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaces_products = models.ManyToManyField(
        Product, verbose_name=_("replaces products"), blank=True, related_name="alternatives"
    )
    replaces_components = models.ManyToManyField(
        GemmaElement,
        verbose_name=_("replaces for reference components"),
        blank=True,
        related_name="alternatives",
        limit_choices_to={"kind": "referentiecomponent"},
    )
    replaces_description = models.CharField(_("replaces"), max_length=300, blank=True)
    eu_based = models.CharField(
        _("EU-based (provider and all parents)"),
        max_length=8,
        choices=TriState.choices,
        default=TriState.UNKNOWN,
    )
    open_source = models.CharField(
        _("open source"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    licence = models.CharField(_("licence (SPDX)"), max_length=80, blank=True)
    self_hostable = models.CharField(
        _("self-hostable"), max_length=8, choices=TriState.choices, default=TriState.UNKNOWN
    )
    fit = models.PositiveSmallIntegerField(
        _("fit (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    maturity = models.CharField(_("maturity"), max_length=12, choices=Maturity.choices, blank=True)
    migration_notes = models.TextField(_("migration notes"), blank=True)
    website = models.URLField(_("website"), blank=True)
    provenance = _provenance(_("source"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alternative")
        verbose_name_plural = _("alternatives")
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fit__isnull=True) | models.Q(fit__range=(1, 5)),
                name="alternative_fit_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name
