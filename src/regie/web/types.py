"""The declarations of every register type shown in the web interface."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from regie.register.models import (
    Alternative,
    AlternativeCategory,
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    GemmaElement,
    Law,
    LegalEntity,
    Process,
    Product,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)

from .registry import Fact, RegisterType, Related, register_type

# --- An organisation's own register -------------------------------------------------------

register_type(
    RegisterType(
        slug="processes",
        model=Process,
        scope="org",
        columns=(
            "name",
            "owner",
            "availability",
            "integrity",
            "confidentiality",
            "critical",
            "personal_data",
        ),
        search=("name", "description", "owner"),
        filters=("critical", "personal_data", "availability", "confidentiality"),
        fields=(
            "name",
            "description",
            "owner",
            "gemma_function",
            "gemma_process",
            "availability",
            "integrity",
            "confidentiality",
            "critical",
            "max_tolerable_downtime_hours",
            "rto_hours",
            "rpo_hours",
            "personal_data",
            "people_affected",
        ),
        related=(Related("dependencies", "from_process", _("Applications it requires")),),
    )
)

register_type(
    RegisterType(
        slug="usages",
        model=Usage,
        scope="org",
        columns=("name", "product", "reference_component", "status", "owner"),
        search=("name", "owner", "notes", "product__name"),
        filters=("status", "product", "substitutability_override"),
        select_related=("product", "reference_component"),
        fields=(
            "name",
            "product",
            "reference_component",
            "status",
            "planned_on",
            "acquiring_on",
            "production_on",
            "phasing_out_on",
            "retired_on",
            "owner",
            "notes",
            "substitutability_override",
            "substitutability_reason",
            "override_justification",
        ),
        related=(
            Related("dependencies", "from_usage", _("What it depends on")),
            Related("dependencies", "to_usage", _("What depends on it"), can_add=False),
            Related("datasets", "usage"),
            Related("contracts", "usages", can_add=False),
            Related("exit-plans", "usage"),
        ),
    )
)

register_type(
    RegisterType(
        slug="dependencies",
        model=Dependency,
        scope="org",
        columns=("kind", "from_process", "from_usage", "to_usage", "to_service", "group"),
        search=("from_process__name", "from_usage__name", "to_usage__name", "to_service__name", "standard"),
        filters=("kind", "group", "proprietary"),
        select_related=("from_process", "from_usage", "to_usage", "to_service", "group"),
        fields=(
            "kind",
            "from_process",
            "from_usage",
            "to_usage",
            "to_service",
            "group",
            "standard",
            "direction",
            "proprietary",
            "notes",
        ),
    )
)

register_type(
    RegisterType(
        slug="redundancy-groups",
        model=RedundancyGroup,
        scope="org",
        columns=("name", "k", "description"),
        search=("name", "description"),
        fields=("name", "k", "description"),
        related=(Related("dependencies", "group", _("Members")),),
    )
)

register_type(
    RegisterType(
        slug="datasets",
        model=DataSet,
        scope="org",
        columns=("name", "usage", "classification", "personal_data", "volume_gb", "export_open_format"),
        search=("name", "description", "export_formats"),
        filters=("classification", "personal_data", "usage", "export_open_format"),
        select_related=("usage",),
        fields=(
            "name",
            "description",
            "usage",
            "classification",
            "personal_data",
            "volume_gb",
            "records",
            "export_formats",
            "export_open_format",
        ),
    )
)

register_type(
    RegisterType(
        slug="contracts",
        model=Contract,
        scope="org",
        columns=(
            "reference",
            "title",
            "counterparty",
            "start_date",
            "end_date",
            "annual_value",
            "governing_law",
        ),
        search=("reference", "title", "counterparty__name"),
        filters=("counterparty", "auto_renewal", "renewal_decision", "governing_law"),
        select_related=("counterparty", "governing_law"),
        fields=(
            "reference",
            "title",
            "counterparty",
            "usages",
            "services",
            "start_date",
            "end_date",
            "notice_days",
            "provider_notice_days",
            "auto_renewal",
            "renewal_months",
            "annual_value",
            "governing_law",
            "renewal_decision",
            "decision_notes",
        ),
        facts=(Fact(("governing_law",), "governing_law_provenance"),),
    )
)

register_type(
    RegisterType(
        slug="contract-clauses",
        model=ContractClause,
        scope="org",
        parent="contract",
        columns=("contract", "kind", "present", "detail"),
        search=("detail", "contract__reference", "contract__title"),
        filters=("kind", "present"),
        select_related=("contract", "provenance"),
        fields=("contract", "kind", "present", "detail"),
        facts=(Fact(("present", "detail"), "provenance"),),
    )
)

register_type(
    RegisterType(
        slug="exit-plans",
        model=ExitPlan,
        scope="org",
        columns=("title", "usage", "service", "status", "owner", "last_tested"),
        search=("title", "owner", "notes"),
        filters=("status", "usage"),
        select_related=("usage", "service"),
        fields=(
            "title",
            "usage",
            "service",
            "alternative",
            "owner",
            "estimated_cost",
            "duration_days",
            "last_tested",
            "status",
            "notes",
        ),
        related=(Related("exit-plan-steps", "plan", _("Steps")),),
        extra_detail=("planning/_exit_plan_panel.html",),
    )
)

register_type(
    RegisterType(
        slug="exit-plan-steps",
        model=ExitPlanStep,
        scope="org",
        parent="plan",
        columns=("plan", "order", "description", "owner", "duration_days", "done"),
        search=("description", "owner", "plan__title"),
        filters=("done", "plan"),
        select_related=("plan",),
        fields=("plan", "order", "description", "owner", "duration_days", "done"),
    )
)

# --- The shared catalogue ---------------------------------------------------------------

register_type(
    RegisterType(
        slug="legal-entities",
        model=LegalEntity,
        scope="catalogue",
        columns=("name", "hq_country", "registration_country", "parent", "lei"),
        search=("name", "lei", "kvk", "euid", "vat"),
        filters=("hq_country", "registration_country", "parent_state", "is_public_body"),
        select_related=("hq_country", "registration_country", "parent"),
        fields=(
            "name",
            "lei",
            "kvk",
            "euid",
            "vat",
            "is_public_body",
            "website",
            "description",
            "registration_country",
            "hq_country",
            "parent_state",
            "parent",
            "parent_basis",
            "parent_share",
        ),
        facts=(
            Fact(("hq_country",), "hq_country_provenance"),
            Fact(("registration_country",), "registration_country_provenance"),
            Fact(("parent_state", "parent", "parent_basis", "parent_share"), "parent_provenance"),
        ),
        related=(
            Related("legal-entities", "parent", _("Subsidiaries"), can_add=False),
            Related("products", "supplier"),
            Related("services", "provider"),
        ),
    )
)

register_type(
    RegisterType(
        slug="products",
        model=Product,
        scope="catalogue",
        columns=("name", "supplier", "kind", "open_source", "licence", "export_open_standard"),
        search=("name", "description", "licence", "supplier__name"),
        filters=("kind", "open_source", "export_open_standard", "supplier"),
        select_related=("supplier",),
        fields=(
            "name",
            "supplier",
            "kind",
            "description",
            "website",
            "open_source",
            "licence",
            "reference_components",
            "standards",
            "export_formats",
            "export_open_standard",
            "export_bulk_api",
        ),
        facts=(
            Fact(
                ("open_source", "licence", "export_formats", "export_open_standard", "export_bulk_api"),
                "provenance",
            ),
        ),
        related=(
            Related("services", "product"),
            Related("alternatives", "replaces_products", _("Alternatives"), can_add=False),
        ),
    )
)

register_type(
    RegisterType(
        slug="services",
        model=Service,
        scope="catalogue",
        columns=("name", "provider", "kind", "product", "customer_held_keys"),
        search=("name", "description", "provider__name", "certifications"),
        filters=("kind", "provider", "customer_held_keys"),
        select_related=("provider", "product"),
        fields=(
            "name",
            "provider",
            "product",
            "kind",
            "description",
            "customer_held_keys",
            "certifications",
            "recovery_hours",
        ),
        facts=(Fact(("recovery_hours",), "recovery_provenance"),),
        related=(
            Related("service-locations", "service", _("Locations")),
            Related("supply-chain", "service", _("Runs on / uses")),
            Related("supply-chain", "depends_on", _("Used by"), can_add=False),
        ),
    )
)

register_type(
    RegisterType(
        slug="service-locations",
        model=ServiceLocation,
        scope="catalogue",
        parent="service",
        columns=("service", "role", "country"),
        search=("service__name", "country__name_en", "country__name_nl"),
        filters=("role", "country"),
        select_related=("service", "country", "provenance"),
        fields=("service", "role", "country"),
        facts=(Fact(("country",), "provenance"),),
    )
)

register_type(
    RegisterType(
        slug="supply-chain",
        model=ServiceDependency,
        scope="catalogue",
        parent="service",
        columns=("service", "depends_on"),
        search=("service__name", "depends_on__name"),
        select_related=("service", "depends_on", "provenance"),
        fields=("service", "depends_on"),
        facts=(Fact(("depends_on",), "provenance"),),
    )
)

register_type(
    RegisterType(
        slug="alternatives",
        model=Alternative,
        scope="catalogue",
        columns=("name", "category", "provider", "eu_based", "open_source", "self_hostable", "fit"),
        search=("name", "category", "description", "replaces_description"),
        filters=("category", "eu_based", "open_source", "self_hostable", "maturity"),
        value_names={"category": dict(AlternativeCategory.choices)},
        select_related=("provider",),
        fields=(
            "name",
            "category",
            "description",
            "provider",
            "product",
            "replaces_products",
            "replaces_components",
            "replaces_description",
            "eu_based",
            "open_source",
            "licence",
            "self_hostable",
            "fit",
            "maturity",
            "migration_notes",
            "website",
        ),
        facts=(Fact(("eu_based", "open_source", "licence", "self_hostable"), "provenance"),),
    )
)

register_type(
    RegisterType(
        slug="countries",
        model=Country,
        scope="catalogue",
        columns=("code", "name_nl", "name_en", "eu_member", "eea_member", "gdpr_adequacy"),
        search=("code", "name_nl", "name_en"),
        filters=("eu_member", "eea_member", "gdpr_adequacy"),
        fields=("code", "name_nl", "name_en", "eu_member", "eea_member", "gdpr_adequacy"),
        facts=(Fact(("eu_member", "eea_member", "gdpr_adequacy"), "provenance"),),
        related=(Related("laws", "country"),),
        per_page=50,
    )
)

register_type(
    RegisterType(
        slug="laws",
        model=Law,
        scope="catalogue",
        columns=("name", "country", "citation", "trigger_control", "trigger_location", "trigger_access"),
        search=("name", "code", "citation", "summary"),
        filters=("country", "trigger_control", "trigger_location", "trigger_access"),
        select_related=("country",),
        fields=(
            "code",
            "name",
            "country",
            "citation",
            "summary",
            "trigger_control",
            "trigger_location",
            "trigger_access",
            "in_force_from",
            "in_force_until",
        ),
        facts=(
            Fact(
                ("trigger_control", "trigger_location", "trigger_access", "in_force_from", "in_force_until"),
                "provenance",
            ),
        ),
    )
)

register_type(
    RegisterType(
        slug="gemma",
        model=GemmaElement,
        scope="catalogue",
        columns=("name", "kind", "bbn", "availability", "integrity", "confidentiality"),
        search=("name",),
        filters=("kind", "bbn"),
        fields=("kind", "name", "bbn", "availability", "integrity", "confidentiality", "status"),
        related=(Related("products", "reference_components", _("Products realising it"), can_add=False),),
        per_page=50,
    )
)
