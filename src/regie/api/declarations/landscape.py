"""An organisation's landscape: processes, usages, redundancy groups, dependencies, data sets."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import FilterLookup
from pydantic import Field, StrictBool, StrictInt

from regie.register.models import (
    DataClassification,
    DataSet,
    Dependency,
    DependencyKind,
    LifecycleStatus,
    PersonalData,
    Process,
    RedundancyGroup,
    Substitutability,
    SubstitutabilityReason,
    TriState,
    Usage,
)
from regie.register.models.landscape import Direction

from ..resources import Resource, register
from ..schema_base import CamelFilter, CamelInput, CamelSchema
from .organisations import ORGANISATIONS
from .types import Biv, Date, Hours, Id, Money, Name, Number, QueryId, QueryInt, Text

TAG = "Landschap / landscape"


class TenantOut(CamelSchema):
    id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


# Processes ---------------------------------------------------------------------------------


class ProcessOut(TenantOut):
    name: str
    description: str
    owner: str
    gemma_function_id: int | None
    gemma_process_id: int | None
    availability: int
    integrity: int
    confidentiality: int
    critical: bool
    max_tolerable_downtime_hours: Number | None
    rto_hours: Number | None
    rpo_hours: Number | None
    personal_data: PersonalData
    people_affected: int | None


class ProcessCreate(CamelInput):
    name: Name
    description: Text = ""
    owner: str = Field("", max_length=120)
    gemma_function_id: Id | None = None
    gemma_process_id: Id | None = None
    availability: Biv
    integrity: Biv
    confidentiality: Biv
    critical: StrictBool = False
    max_tolerable_downtime_hours: Hours | None = None
    rto_hours: Hours | None = None
    rpo_hours: Hours | None = None
    personal_data: PersonalData = PersonalData.NONE
    people_affected: StrictInt | None = Field(None, ge=0, le=2_147_483_647)


class ProcessFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    critical: bool | None = None
    personal_data: PersonalData | None = None
    availability: QueryInt | None = None


PROCESSES = register(
    Resource(
        path="processes",
        name="Process",
        plural="Processes",
        model=Process,
        out=ProcessOut,
        create=ProcessCreate,
        filters=ProcessFilter,
        sort=("name", "availability", "integrity", "confidentiality", "critical", "created_at", "updated_at"),
        param="processId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
    )
)


# Usages ------------------------------------------------------------------------------------


class UsageOut(TenantOut):
    name: str
    product_id: int
    reference_component_id: int | None
    status: LifecycleStatus
    planned_on: datetime.date | None
    acquiring_on: datetime.date | None
    production_on: datetime.date | None
    phasing_out_on: datetime.date | None
    retired_on: datetime.date | None
    owner: str
    notes: str
    substitutability_override: Substitutability | None
    substitutability_reason: SubstitutabilityReason | None
    override_justification: str

    @staticmethod
    def resolve_substitutability_override(obj: Usage) -> str | None:
        return obj.substitutability_override or None

    @staticmethod
    def resolve_substitutability_reason(obj: Usage) -> str | None:
        return obj.substitutability_reason or None


class UsageCreate(CamelInput):
    name: Name
    product_id: Id
    reference_component_id: Id | None = None
    status: LifecycleStatus = LifecycleStatus.IN_PRODUCTION
    planned_on: Date | None = None
    acquiring_on: Date | None = None
    production_on: Date | None = None
    phasing_out_on: Date | None = None
    retired_on: Date | None = None
    owner: str = Field("", max_length=120)
    notes: Text = ""
    substitutability_override: Substitutability | None = None
    substitutability_reason: SubstitutabilityReason | None = None
    override_justification: Text = ""


class UsageFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    status: LifecycleStatus | None = None
    product_id: QueryId | None = None
    reference_component_id: QueryId | None = None


USAGES = register(
    Resource(
        path="usages",
        name="Usage",
        plural="Usages",
        model=Usage,
        out=UsageOut,
        create=UsageCreate,
        filters=UsageFilter,
        sort=("name", "status", "production_on", "created_at", "updated_at"),
        param="usageId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
        description="Applications in use ('gebruik'): a product, delivered through services, for processes.",
    )
)


# Redundancy groups ---------------------------------------------------------------------------


class RedundancyGroupOut(TenantOut):
    name: str
    k: int
    description: str


class RedundancyGroupCreate(CamelInput):
    name: Name
    k: StrictInt = Field(1, ge=1, le=1000)
    description: Text = ""


class NameFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None


register(
    Resource(
        path="redundancy-groups",
        name="RedundancyGroup",
        plural="RedundancyGroups",
        model=RedundancyGroup,
        out=RedundancyGroupOut,
        create=RedundancyGroupCreate,
        filters=NameFilter,
        sort=("name", "k", "created_at"),
        param="redundancyGroupId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
    )
)


# Dependencies --------------------------------------------------------------------------------


class DependencyOut(TenantOut):
    kind: DependencyKind
    from_process_id: int | None
    from_usage_id: int | None
    to_usage_id: int | None
    to_service_id: int | None
    group_id: int | None
    standard: str
    direction: Direction | None
    proprietary: TriState
    notes: str

    @staticmethod
    def resolve_direction(obj: Dependency) -> str | None:
        return obj.direction or None


class DependencyCreate(CamelInput):
    kind: DependencyKind
    from_process_id: Id | None = None
    from_usage_id: Id | None = None
    to_usage_id: Id | None = None
    to_service_id: Id | None = None
    group_id: Id | None = None
    standard: str = Field("", max_length=120)
    direction: Direction | None = None
    proprietary: TriState = TriState.UNKNOWN
    notes: Text = ""


class DependencyFilter(CamelFilter):
    kind: DependencyKind | None = None
    from_process_id: QueryId | None = None
    from_usage_id: QueryId | None = None
    to_usage_id: QueryId | None = None
    to_service_id: QueryId | None = None
    group_id: QueryId | None = None


DEPENDENCIES = register(
    Resource(
        path="dependencies",
        name="Dependency",
        plural="Dependencies",
        model=Dependency,
        out=DependencyOut,
        create=DependencyCreate,
        filters=DependencyFilter,
        sort=("kind", "created_at", "updated_at"),
        param="dependencyId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
        immutable=("kind",),
        description=(
            "Typed, directed edges: requires (process → usage), runs_on (usage → service), "
            "integration (usage → usage). Without a group the edge is required."
        ),
    )
)


# Data sets ------------------------------------------------------------------------------------


class DataSetOut(TenantOut):
    name: str
    description: str
    usage_id: int
    classification: DataClassification
    personal_data: PersonalData
    volume_gb: Number | None
    records: int | None
    export_formats: str
    export_open_format: TriState


class DataSetCreate(CamelInput):
    name: Name
    description: Text = ""
    usage_id: Id
    classification: DataClassification = DataClassification.INTERNAL
    personal_data: PersonalData = PersonalData.NONE
    volume_gb: Money | None = None
    records: StrictInt | None = Field(None, ge=0, le=9_223_372_036_854_775_807)
    export_formats: str = Field("", max_length=300)
    export_open_format: TriState = TriState.UNKNOWN


class DataSetFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    usage_id: QueryId | None = None
    classification: DataClassification | None = None
    personal_data: PersonalData | None = None


register(
    Resource(
        path="data-sets",
        name="DataSet",
        plural="DataSets",
        model=DataSet,
        out=DataSetOut,
        create=DataSetCreate,
        filters=DataSetFilter,
        sort=("name", "classification", "volume_gb", "created_at"),
        param="dataSetId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
    )
)

__all__ = ["DEPENDENCIES", "PROCESSES", "USAGES"]
