"""The shared catalogue: legal entities (with their control chain), products, services, alternatives."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import FilterLookup
from pydantic import Field, StrictBool, StrictFloat, StrictInt

from regie.register.models import (
    Alternative,
    ControlBasis,
    LegalEntity,
    LocationRole,
    ParentState,
    Product,
    Service,
    ServiceDependency,
    ServiceKind,
    ServiceLocation,
    TriState,
)
from regie.register.models.catalogue import Maturity, ProductKind

from ..resources import Resource, register
from ..schema_base import CamelFilter, CamelInput, CamelSchema
from .types import Id, Name, Number, QueryId, Text

TAG = "Catalogus / catalogue"
URL = Annotated[str, Field(max_length=200)]


# Legal entities ---------------------------------------------------------------------------


class LegalEntityOut(CamelSchema):
    id: int
    name: str
    lei: str
    kvk: str
    euid: str
    vat: str
    is_public_body: bool
    website: str
    description: str
    registration_country_id: str | None
    registration_country_provenance_id: int | None
    hq_country_id: str | None
    hq_country_provenance_id: int | None
    parent_state: ParentState
    parent_id: int | None
    parent_basis: ControlBasis | None
    parent_share: Number | None
    parent_provenance_id: int | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_parent_basis(obj: LegalEntity) -> str | None:
        return obj.parent_basis or None


class ChainLink(CamelSchema):
    id: int
    name: str
    hq_country_id: str | None
    registration_country_id: str | None


class LegalEntityDetail(LegalEntityOut):
    control_chain: list[ChainLink] = Field(
        description="This entity and its ancestors, nearest first; the last is the ultimate parent."
    )
    ultimate_parent: ChainLink

    @staticmethod
    def resolve_control_chain(obj: LegalEntity) -> list[LegalEntity]:
        return _control_chain(obj)

    @staticmethod
    def resolve_ultimate_parent(obj: LegalEntity) -> LegalEntity:
        return _control_chain(obj)[-1]


def _control_chain(obj: LegalEntity) -> list[LegalEntity]:
    """The chain read once per rendering: both fields above show it (one query, not two)."""
    chain: list[LegalEntity] | None = getattr(obj, "_regie_control_chain", None)
    if chain is None:
        chain = obj.control_chain()
        obj._regie_control_chain = chain  # type: ignore[attr-defined]
    return chain


class LegalEntityCreate(CamelInput):
    name: Name
    lei: str = Field("", max_length=20)
    kvk: str = Field("", max_length=8)
    euid: str = Field("", max_length=60)
    vat: str = Field("", max_length=20)
    is_public_body: StrictBool = False
    website: URL = ""
    description: Text = ""
    registration_country_id: str | None = Field(None, max_length=2)
    registration_country_provenance_id: Id | None = None
    hq_country_id: str | None = Field(None, max_length=2)
    hq_country_provenance_id: Id | None = None
    parent_state: ParentState = ParentState.UNKNOWN
    parent_id: Id | None = None
    parent_basis: ControlBasis | None = None
    parent_share: Annotated[StrictFloat, Field(ge=0, le=100)] | None = None
    parent_provenance_id: Id | None = None


class LegalEntityFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup(["name__icontains", "lei__iexact", "kvk__iexact"])] = None
    hq_country_id: str | None = None
    parent_id: QueryId | None = None
    is_public_body: bool | None = None


register(
    Resource(
        path="legal-entities",
        name="LegalEntity",
        plural="LegalEntities",
        model=LegalEntity,
        out=LegalEntityOut,
        detail=LegalEntityDetail,
        create=LegalEntityCreate,
        filters=LegalEntityFilter,
        sort=("name", "lei", "hq_country_id", "updated_at"),
        param="legalEntityId",
        tag=TAG,
        description="Companies and public bodies; the detail shows the derived control chain.",
    )
)


# Products ---------------------------------------------------------------------------------


class ProductOut(CamelSchema):
    id: int
    name: str
    supplier_id: int | None
    kind: ProductKind
    description: str
    website: str
    open_source: TriState
    licence: str
    reference_components: list[int]
    standards: list[int]
    export_formats: str
    export_open_standard: TriState
    export_bulk_api: TriState
    provenance_id: int | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_reference_components(obj: Product) -> list[int]:
        return sorted(e.pk for e in obj.reference_components.all())

    @staticmethod
    def resolve_standards(obj: Product) -> list[int]:
        return sorted(e.pk for e in obj.standards.all())


class ProductCreate(CamelInput):
    name: Name
    supplier_id: Id | None = None
    kind: ProductKind = ProductKind.APPLICATION
    description: Text = ""
    website: URL = ""
    open_source: TriState = TriState.UNKNOWN
    licence: str = Field("", max_length=80)
    reference_components: list[Id] = Field(default_factory=list, max_length=500)
    standards: list[Id] = Field(default_factory=list, max_length=500)
    export_formats: str = Field("", max_length=300)
    export_open_standard: TriState = TriState.UNKNOWN
    export_bulk_api: TriState = TriState.UNKNOWN
    provenance_id: Id | None = None


class ProductFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    supplier_id: QueryId | None = None
    kind: ProductKind | None = None
    open_source: TriState | None = None


register(
    Resource(
        path="products",
        name="Product",
        plural="Products",
        model=Product,
        out=ProductOut,
        create=ProductCreate,
        filters=ProductFilter,
        sort=("name", "kind", "updated_at"),
        param="productId",
        tag=TAG,
        prefetch_related=("reference_components", "standards"),
    )
)


# Services, their locations and supply chain ----------------------------------------------


class ServiceOut(CamelSchema):
    id: int
    name: str
    provider_id: int
    product_id: int | None
    kind: ServiceKind
    dora_type: str = Field(description="DORA ICT service type, S01–S19.")
    description: str
    customer_held_keys: TriState
    certifications: str
    recovery_hours: Number | None
    recovery_provenance_id: int | None
    updated_at: datetime.datetime


class ServiceCreate(CamelInput):
    name: Name
    provider_id: Id
    product_id: Id | None = None
    kind: ServiceKind
    description: Text = ""
    customer_held_keys: TriState = TriState.UNKNOWN
    certifications: str = Field("", max_length=300)
    recovery_hours: Annotated[StrictFloat, Field(ge=0, le=999_999)] | None = None
    recovery_provenance_id: Id | None = None


class ServiceFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    provider_id: QueryId | None = None
    product_id: QueryId | None = None
    kind: ServiceKind | None = None


SERVICES = register(
    Resource(
        path="services",
        name="Service",
        plural="Services",
        model=Service,
        out=ServiceOut,
        create=ServiceCreate,
        filters=ServiceFilter,
        sort=("name", "kind", "updated_at"),
        param="serviceId",
        tag=TAG,
    )
)


class LocationOut(CamelSchema):
    id: int
    service_id: int
    role: LocationRole
    country_id: str | None = Field(description="Empty: explicitly unknown.")
    provenance_id: int | None


class LocationCreate(CamelInput):
    role: LocationRole
    country_id: str | None = Field(None, max_length=2)
    provenance_id: Id | None = None


class LocationFilter(CamelFilter):
    role: LocationRole | None = None
    country_id: str | None = None


register(
    Resource(
        path="locations",
        name="ServiceLocation",
        plural="ServiceLocations",
        model=ServiceLocation,
        out=LocationOut,
        create=LocationCreate,
        filters=LocationFilter,
        sort=("role", "country_id"),
        param="locationId",
        parent=SERVICES,
        parent_field="service",
        tag=TAG,
    )
)


class SupplyChainLinkOut(CamelSchema):
    id: int
    service_id: int
    depends_on_id: int
    provenance_id: int | None


class SupplyChainLinkCreate(CamelInput):
    depends_on_id: Id
    provenance_id: Id | None = None


class SupplyChainFilter(CamelFilter):
    depends_on_id: QueryId | None = None


register(
    Resource(
        path="supply-chain-links",
        name="SupplyChainLink",
        plural="SupplyChainLinks",
        model=ServiceDependency,
        out=SupplyChainLinkOut,
        create=SupplyChainLinkCreate,
        filters=SupplyChainFilter,
        sort=("id",),
        param="linkId",
        parent=SERVICES,
        parent_field="service",
        tag=TAG,
        description="The services this service runs on or uses (sub-processors).",
    )
)


# Alternatives --------------------------------------------------------------------------------


class AlternativeOut(CamelSchema):
    id: int
    name: str
    category: str
    description: str
    provider_id: int | None
    product_id: int | None
    replaces_products: list[int]
    replaces_components: list[int]
    replaces_description: str
    eu_based: TriState
    open_source: TriState
    licence: str
    self_hostable: TriState
    fit: int | None
    maturity: Maturity | None
    migration_notes: str
    website: str
    provenance_id: int | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_replaces_products(obj: Alternative) -> list[int]:
        return sorted(p.pk for p in obj.replaces_products.all())

    @staticmethod
    def resolve_replaces_components(obj: Alternative) -> list[int]:
        return sorted(e.pk for e in obj.replaces_components.all())

    @staticmethod
    def resolve_maturity(obj: Alternative) -> str | None:
        return obj.maturity or None


class AlternativeCreate(CamelInput):
    name: Name
    category: str = Field(min_length=1, max_length=80)
    description: Text = ""
    provider_id: Id | None = None
    product_id: Id | None = None
    replaces_products: list[Id] = Field(default_factory=list, max_length=500)
    replaces_components: list[Id] = Field(default_factory=list, max_length=500)
    replaces_description: str = Field("", max_length=300)
    eu_based: TriState = TriState.UNKNOWN
    open_source: TriState = TriState.UNKNOWN
    licence: str = Field("", max_length=80)
    self_hostable: TriState = TriState.UNKNOWN
    fit: StrictInt | None = Field(None, ge=1, le=5)
    maturity: Maturity | None = None
    migration_notes: Text = ""
    website: URL = ""
    provenance_id: Id | None = None


class AlternativeFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    category: str | None = None
    eu_based: TriState | None = None
    open_source: TriState | None = None
    replaces_product: Annotated[QueryId | None, FilterLookup("replaces_products__id")] = None


register(
    Resource(
        path="alternatives",
        name="Alternative",
        plural="Alternatives",
        model=Alternative,
        out=AlternativeOut,
        create=AlternativeCreate,
        filters=AlternativeFilter,
        sort=("name", "category", "fit", "updated_at"),
        param="alternativeId",
        tag=TAG,
        prefetch_related=("replaces_products", "replaces_components"),
    )
)
