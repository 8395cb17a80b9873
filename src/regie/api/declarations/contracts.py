"""Contracts with their clauses, and exit plans with their steps."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import FilterLookup
from pydantic import Field, StrictBool, StrictInt

from regie.register.models import ClauseKind, Contract, ContractClause, ExitPlan, ExitPlanStep, TriState
from regie.register.models.contracts import ExitPlanStatus, RenewalDecision

from ..resources import Resource, register
from ..schema_base import CamelFilter, CamelInput, CamelSchema
from .landscape import TenantOut
from .organisations import ORGANISATIONS
from .types import Date, Days, Id, Money, Name, Number, QueryId, Text

TAG = "Contracten / contracts"


class ContractOut(TenantOut):
    reference: str
    title: str
    counterparty_id: int
    usages: list[int]
    services: list[int]
    start_date: datetime.date
    end_date: datetime.date | None
    notice_days: int | None
    provider_notice_days: int | None
    auto_renewal: bool
    renewal_months: int | None
    annual_value: Number | None
    governing_law_id: str | None
    governing_law_provenance_id: int | None
    renewal_decision: RenewalDecision
    decision_notes: str

    @staticmethod
    def resolve_usages(obj: Contract) -> list[int]:
        return sorted(u.pk for u in obj.usages.all())

    @staticmethod
    def resolve_services(obj: Contract) -> list[int]:
        return sorted(s.pk for s in obj.services.all())


class ContractCreate(CamelInput):
    reference: str = Field(min_length=1, max_length=80)
    title: Name
    counterparty_id: Id
    usages: list[Id] = Field(default_factory=list, max_length=1000)
    services: list[Id] = Field(default_factory=list, max_length=1000)
    start_date: Date
    end_date: Date | None = None
    notice_days: Days | None = None
    provider_notice_days: Days | None = None
    auto_renewal: StrictBool = False
    renewal_months: StrictInt | None = Field(None, ge=0, le=32767)
    annual_value: Money | None = None
    governing_law_id: str | None = Field(None, max_length=2)
    governing_law_provenance_id: Id | None = None
    renewal_decision: RenewalDecision = RenewalDecision.UNDECIDED
    decision_notes: Text = ""


class ContractFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup(["reference__icontains", "title__icontains"])] = None
    counterparty_id: QueryId | None = None
    end_date_before: Annotated[datetime.date | None, FilterLookup("end_date__lte")] = None
    end_date_after: Annotated[datetime.date | None, FilterLookup("end_date__gte")] = None
    auto_renewal: bool | None = None


CONTRACTS = register(
    Resource(
        path="contracts",
        name="Contract",
        plural="Contracts",
        model=Contract,
        out=ContractOut,
        create=ContractCreate,
        filters=ContractFilter,
        sort=("reference", "title", "start_date", "end_date", "annual_value", "created_at"),
        param="contractId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
        prefetch_related=("usages", "services"),
    )
)


class ClauseOut(CamelSchema):
    id: int
    contract_id: int
    kind: ClauseKind
    present: TriState
    detail: str
    provenance_id: int | None


class ClauseCreate(CamelInput):
    kind: ClauseKind
    present: TriState = TriState.UNKNOWN
    detail: str = Field("", max_length=300)
    provenance_id: Id | None = None


class ClauseFilter(CamelFilter):
    kind: ClauseKind | None = None
    present: TriState | None = None


register(
    Resource(
        path="clauses",
        name="ContractClause",
        plural="ContractClauses",
        model=ContractClause,
        out=ClauseOut,
        create=ClauseCreate,
        filters=ClauseFilter,
        sort=("kind", "present"),
        param="clauseId",
        parent=CONTRACTS,
        parent_field="contract",
        tag=TAG,
        immutable=("kind",),
    )
)


class ExitPlanOut(TenantOut):
    title: str
    usage_id: int | None
    service_id: int | None
    alternative_id: int | None
    owner: str
    estimated_cost: Number | None
    duration_days: int | None
    last_tested: datetime.date | None
    status: ExitPlanStatus
    notes: str


class ExitPlanCreate(CamelInput):
    title: Name
    usage_id: Id | None = None
    service_id: Id | None = None
    alternative_id: Id | None = None
    owner: str = Field("", max_length=120)
    estimated_cost: Money | None = None
    duration_days: Days | None = None
    last_tested: Date | None = None
    status: ExitPlanStatus = ExitPlanStatus.DRAFT
    notes: Text = ""


class ExitPlanFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("title__icontains")] = None
    usage_id: QueryId | None = None
    service_id: QueryId | None = None
    status: ExitPlanStatus | None = None


EXIT_PLANS = register(
    Resource(
        path="exit-plans",
        name="ExitPlan",
        plural="ExitPlans",
        model=ExitPlan,
        out=ExitPlanOut,
        create=ExitPlanCreate,
        filters=ExitPlanFilter,
        sort=("title", "status", "last_tested", "estimated_cost", "created_at"),
        param="exitPlanId",
        parent=ORGANISATIONS,
        parent_field="organisation",
        tag=TAG,
    )
)


class StepOut(CamelSchema):
    id: int
    plan_id: int
    order: int
    description: str
    owner: str
    duration_days: int | None
    done: bool


class StepCreate(CamelInput):
    order: StrictInt = Field(ge=0, le=32767)
    description: str = Field(min_length=1, max_length=300)
    owner: str = Field("", max_length=120)
    duration_days: Days | None = None
    done: StrictBool = False


class StepFilter(CamelFilter):
    done: bool | None = None


register(
    Resource(
        path="steps",
        name="ExitPlanStep",
        plural="ExitPlanSteps",
        model=ExitPlanStep,
        out=StepOut,
        create=StepCreate,
        filters=StepFilter,
        sort=("order", "done"),
        param="stepId",
        parent=EXIT_PLANS,
        parent_field="plan",
        tag=TAG,
    )
)
