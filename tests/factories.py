"""Small, explicit builders for test data, written through the register services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from regie.accounts.models import Membership, Role, User
from regie.register import services
from regie.register.models import (
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    LegalEntity,
    Organisation,
    Process,
    Product,
    RedundancyGroup,
    Service,
    ServiceLocation,
    Usage,
)


def make_user(username: str, *, superuser: bool = False, catalogue: bool = False) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    user.is_superuser = superuser
    user.is_staff = superuser
    user.is_catalogue_maintainer = catalogue
    user.save()
    return user


def country(code: str, name: str, *, eu: bool = False, eea: bool | None = None) -> Country:
    obj, _ = Country.objects.get_or_create(
        code=code,
        defaults={
            "name_en": name,
            "name_nl": name,
            "eu_member": eu,
            "eea_member": eu if eea is None else eea,
        },
    )
    return obj


@dataclass
class OrgData:
    org: Organisation
    viewer: User
    editor: User
    admin: User
    process: Process
    usage: Usage
    other_usage: Usage
    group: RedundancyGroup
    dependency: Dependency
    dataset: DataSet
    contract: Contract
    clause: ContractClause
    exit_plan: ExitPlan
    step: ExitPlanStep

    def objects(self) -> dict[str, Any]:
        return {
            "process": self.process,
            "usage": self.usage,
            "group": self.group,
            "dependency": self.dependency,
            "dataset": self.dataset,
            "contract": self.contract,
            "clause": self.clause,
            "exit_plan": self.exit_plan,
            "step": self.step,
        }


@dataclass
class Landscape:
    a: OrgData
    b: OrgData
    maintainer: User
    outsider: User
    parent: LegalEntity
    provider: LegalEntity
    product: Product
    service: Service
    catalogue: dict[str, Any] = field(default_factory=dict)


def make_org_data(code: str, product: Product, service: Service, provider: LegalEntity) -> OrgData:
    org = services.register_create(
        actor=None,
        model=Organisation,
        data={"name": f"Gemeente {code.upper()}", "code": code, "kind": "municipality"},
    )
    users = {}
    for role in Role:
        user = make_user(f"{code}-{role.value}")
        Membership.objects.create(user=user, organisation=org, role=role)
        users[role.value] = user
    create = services.register_create
    process = create(
        actor=None,
        model=Process,
        data={
            "organisation": org,
            "name": "Burgerzaken",
            "availability": 3,
            "integrity": 3,
            "confidentiality": 3,
            "critical": True,
            "personal_data": "bsn",
        },
    )
    usage = create(
        actor=None, model=Usage, data={"organisation": org, "name": "Zaaksysteem", "product": product}
    )
    other = create(actor=None, model=Usage, data={"organisation": org, "name": "Archief", "product": product})
    group = create(actor=None, model=RedundancyGroup, data={"organisation": org, "name": "Hosting", "k": 1})
    dependency = create(
        actor=None,
        model=Dependency,
        data={"organisation": org, "kind": "requires", "from_process": process, "to_usage": usage},
    )
    create(
        actor=None,
        model=Dependency,
        data={
            "organisation": org,
            "kind": "runs_on",
            "from_usage": usage,
            "to_service": service,
            "group": group,
        },
    )
    dataset = create(
        actor=None, model=DataSet, data={"organisation": org, "name": "Zaakdossiers", "usage": usage}
    )
    contract = create(
        actor=None,
        model=Contract,
        data={
            "organisation": org,
            "reference": f"{code}-2024-01",
            "title": "Zaaksysteem SaaS",
            "counterparty": provider,
            "start_date": datetime.date(2024, 1, 1),
            "end_date": datetime.date(2027, 12, 31),
            "annual_value": 120000,
        },
        m2m={"usages": [usage]},
    )
    clause = create(
        actor=None, model=ContractClause, data={"contract": contract, "kind": "price_cap", "present": "no"}
    )
    plan = create(
        actor=None, model=ExitPlan, data={"organisation": org, "title": "Exit zaaksysteem", "usage": usage}
    )
    step = create(
        actor=None, model=ExitPlanStep, data={"plan": plan, "order": 1, "description": "Export all cases"}
    )
    return OrgData(
        org=org,
        viewer=users["viewer"],
        editor=users["editor"],
        admin=users["admin"],
        process=process,
        usage=usage,
        other_usage=other,
        group=group,
        dependency=dependency,
        dataset=dataset,
        contract=contract,
        clause=clause,
        exit_plan=plan,
        step=step,
    )


def make_landscape() -> Landscape:
    us = country("US", "United States")
    ie = country("IE", "Ireland", eu=True)
    country("NL", "Netherlands", eu=True)
    create = services.register_create
    parent = create(
        actor=None,
        model=LegalEntity,
        data={
            "name": "Hyperscaler Inc. (fictitious)",
            "hq_country": us,
            "registration_country": us,
            "parent_state": "none",
        },
    )
    provider = create(
        actor=None,
        model=LegalEntity,
        data={
            "name": "Hyperscaler Ireland Ltd (fictitious)",
            "hq_country": ie,
            "registration_country": ie,
            "parent_state": "known",
            "parent": parent,
        },
    )
    product = create(actor=None, model=Product, data={"name": "Zaak365 (fictitious)", "supplier": provider})
    service = create(
        actor=None,
        model=Service,
        data={"name": "Zaak365 SaaS", "provider": provider, "kind": "saas", "product": product},
    )
    create(actor=None, model=ServiceLocation, data={"service": service, "role": "rest", "country": ie})
    return Landscape(
        a=make_org_data("a", product, service, provider),
        b=make_org_data("b", product, service, provider),
        maintainer=make_user("maintainer", catalogue=True),
        outsider=make_user("outsider"),
        parent=parent,
        provider=provider,
        product=product,
        service=service,
    )
