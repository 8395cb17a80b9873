"""Which organisations a change of catalogue facts touches.

An organisation is affected when one of its usages or contracts touches a changed entity or
service, directly or through the control chain or the supply chain:

- the entity changed, or a parent anywhere above it in its control chain changed;
- a service it runs on is provided by such an entity, or (through the supply chain, any depth)
  runs on a service that is, or on a service that changed;
- its usage's product is supplied by such an entity;
- its contract's counterparty is such an entity, or the contract covers such a service.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from regie.register.models import (
    Contract,
    Dependency,
    DependencyKind,
    LegalEntityAncestor,
    Organisation,
    Service,
    ServiceDependency,
    Usage,
)


def entities_below(entity_ids: Iterable[int]) -> set[int]:
    """The entities themselves and every entity whose control chain contains one of them."""
    ids = set(entity_ids)
    below = LegalEntityAncestor.objects.filter(ancestor_id__in=ids).values_list("descendant_id", flat=True)
    return ids | set(below)


def services_touched(entity_ids: set[int], service_ids: Iterable[int] = ()) -> set[int]:
    """Services provided by these entities or changed, and every service that runs on them."""
    touched = set(Service.objects.filter(provider_id__in=entity_ids).values_list("id", flat=True))
    touched |= set(service_ids)
    frontier = set(touched)
    while frontier:
        dependants = set(
            ServiceDependency.objects.filter(depends_on_id__in=frontier).values_list("service_id", flat=True)
        )
        frontier = dependants - touched
        touched |= frontier
    return touched


def affected_organisations(
    changed_entity_ids: Iterable[int], changed_service_ids: Iterable[int] = ()
) -> list[Organisation]:
    """The organisations whose register touches the changed entities or services, by name.

    This is a system-level function (the reference update reports it to the catalogue
    maintainer); pages that show it to a user must filter the result to what the user may see.
    """
    entities = entities_below(changed_entity_ids)
    services = services_touched(entities, changed_service_ids)
    if not entities and not services:
        return []
    via_usage = Usage.objects.filter(product__supplier_id__in=entities).values_list(
        "organisation_id", flat=True
    )
    via_runs_on = Dependency.objects.filter(
        kind=DependencyKind.RUNS_ON, to_service_id__in=services
    ).values_list("organisation_id", flat=True)
    via_contract = (
        Contract.objects.filter(Q(counterparty_id__in=entities) | Q(services__in=services))
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    org_ids = set(via_usage) | set(via_runs_on) | set(via_contract)
    return list(Organisation.objects.filter(id__in=org_ids).order_by("name"))
