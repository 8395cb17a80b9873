"""The plan of one demo organisation: plain values, decided before anything is written.

Catalogue records are named (products, services, legal entities, GEMMA elements); records of
the organisation itself are named within it. The writer resolves the names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ProcessSpec:
    name: str
    function: str
    process: str | None
    availability: int
    integrity: int
    confidentiality: int
    critical: bool
    downtime_hours: Decimal
    rto_hours: Decimal
    rpo_hours: Decimal
    personal_data: str
    people_affected: int | None
    owner: str
    description: str = ""


@dataclass
class UsageSpec:
    name: str
    product: str
    component: str | None
    status: str
    production_on: datetime.date | None
    owner: str
    acquiring_on: datetime.date | None = None
    planned_on: datetime.date | None = None
    phasing_out_on: datetime.date | None = None
    retired_on: datetime.date | None = None
    notes: str = ""
    override: str = ""
    override_reason: str = ""
    override_justification: str = ""


@dataclass
class GroupSpec:
    name: str
    k: int
    description: str


@dataclass
class DependencySpec:
    kind: str  # requires, runs_on, integration
    source: str  # process name (requires) or usage name
    target: str  # usage name or service name (runs_on)
    group: str | None = None
    standard: str = ""
    direction: str = ""
    proprietary: str = "unknown"
    notes: str = ""


@dataclass
class DataSetSpec:
    name: str
    usage: str
    classification: str
    personal_data: str
    volume_gb: Decimal | None
    records: int | None
    export_formats: str
    export_open_format: str
    description: str = ""


@dataclass
class ClauseSpec:
    kind: str
    present: str
    detail: str = ""


@dataclass
class ContractSpec:
    reference: str
    title: str
    counterparty: str
    usages: list[str]
    services: list[str]
    start_date: datetime.date
    end_date: datetime.date | None
    notice_days: int | None
    provider_notice_days: int | None
    auto_renewal: bool
    renewal_months: int | None
    annual_value: Decimal | None
    governing_law: str | None
    clauses: list[ClauseSpec]
    renewal_decision: str = ""
    decision_notes: str = ""


@dataclass
class StepSpec:
    description: str
    owner: str
    duration_days: int
    done: bool = False


@dataclass
class ExitPlanSpec:
    title: str
    usage: str
    owner: str
    estimated_cost: Decimal
    duration_days: int
    status: str
    last_tested: datetime.date | None
    notes: str
    steps: list[StepSpec]
    alternative: str | None = None


@dataclass
class OrganisationSpec:
    name: str
    code: str
    kind: str
    cbs_code: str
    province: str
    inhabitants: int | None
    staff: int | None
    admin_username: str
    member_of: list[str] = field(default_factory=list)
    processes: list[ProcessSpec] = field(default_factory=list)
    usages: list[UsageSpec] = field(default_factory=list)
    groups: list[GroupSpec] = field(default_factory=list)
    dependencies: list[DependencySpec] = field(default_factory=list)
    datasets: list[DataSetSpec] = field(default_factory=list)
    contracts: list[ContractSpec] = field(default_factory=list)
    exit_plans: list[ExitPlanSpec] = field(default_factory=list)
