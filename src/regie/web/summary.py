"""The figures on an organisation's home page, read through the scoped selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from regie.register import selectors
from regie.register.models import Contract, Dependency, DependencyKind, Organisation, Process, Service, Usage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


@dataclass(frozen=True)
class Summary:
    processes: int
    critical_processes: int
    usages: int
    services: int
    suppliers: int
    contracts: int


def organisation_summary(*, user: User | AnonymousUser, organisation: Organisation) -> Summary:
    """Counts of the organisation's register.

    Services are those its applications run on; suppliers are the distinct legal entities that
    supply its products, provide those services or are a party to its contracts.
    """

    def own(model: type[Process] | type[Usage] | type[Contract] | type[Dependency]):  # type: ignore[no-untyped-def]
        return selectors.of_organisation(user=user, model=model, organisation=organisation)

    processes = own(Process)
    usages = own(Usage)
    contracts = own(Contract)
    service_ids = set(
        own(Dependency).filter(kind=DependencyKind.RUNS_ON).values_list("to_service_id", flat=True)
    )
    suppliers = set(usages.exclude(product__supplier=None).values_list("product__supplier_id", flat=True))
    suppliers |= set(
        selectors.visible(user=user, model=Service)
        .filter(pk__in=service_ids)
        .values_list("provider_id", flat=True)
    )
    suppliers |= set(contracts.values_list("counterparty_id", flat=True))
    return Summary(
        processes=processes.count(),
        critical_processes=processes.filter(critical=True).count(),
        usages=usages.count(),
        services=len(service_ids),
        suppliers=len(suppliers),
        contracts=contracts.count(),
    )
