"""A usage's plan moves that one application, not every application on the same service; an
alternative without a product is found through its provider's service of the same name."""

from __future__ import annotations

import pytest

from regie.analysis.selectors import organisation_snapshot
from regie.core.rehost import rehost
from regie.planning.matching import alternative_service, move_for
from regie.register import services
from regie.register.models import (
    Alternative,
    Dependency,
    LegalEntity,
    Product,
    Service,
    ServiceLocation,
    Usage,
)
from tests.factories import country
from tests.planning.landscape import ExitLandscape, make_exit_landscape, plan

pytestmark = pytest.mark.django_db


def _iaas(land: ExitLandscape) -> tuple[Service, Service, Alternative, Usage]:
    """Zaken and a second application, Archief, both run on Hyper Cloud (US-controlled IaaS);
    EuroInfra Cloud (provider EuroInfra, no product) replaces Hyper Cloud's product."""
    create = services.register_create
    us, de = country("US", "United States"), country("DE", "Germany", eu=True)
    hyper = create(
        actor=None,
        model=LegalEntity,
        data={"name": "Hyper Inc.", "hq_country": us, "registration_country": us, "parent_state": "none"},
    )
    infra = create(
        actor=None,
        model=LegalEntity,
        data={"name": "EuroInfra GmbH", "hq_country": de, "registration_country": de, "parent_state": "none"},
    )
    hyper_product = create(actor=None, model=Product, data={"name": "Hyper Platform", "supplier": hyper})
    hyper_cloud = create(
        actor=None,
        model=Service,
        data={"name": "Hyper Cloud", "provider": hyper, "kind": "iaas", "product": hyper_product},
    )
    euro_infra = create(
        actor=None, model=Service, data={"name": "EuroInfra Cloud", "provider": infra, "kind": "iaas"}
    )
    for service, where in ((hyper_cloud, us), (euro_infra, de)):
        for role in ("rest", "processing", "access"):
            create(
                actor=None,
                model=ServiceLocation,
                data={"service": service, "role": role, "country": where, "provenance": None},
            )
    alternative = create(
        actor=None,
        model=Alternative,
        data={"name": "EuroInfra Cloud", "category": "iaas", "provider": infra, "eu_based": "yes"},
        m2m={"replaces_products": [hyper_product]},
    )
    archief = create(
        actor=None,
        model=Usage,
        data={"organisation": land.org, "name": "Archief", "product": land.zaak_product},
    )
    for usage in (land.zaken, archief):
        create(
            actor=None,
            model=Dependency,
            data={
                "organisation": land.org,
                "kind": "runs_on",
                "from_usage": usage,
                "to_service": hyper_cloud,
            },
        )
    return hyper_cloud, euro_infra, alternative, archief


def test_an_alternative_without_product_has_its_providers_service_of_the_same_name() -> None:
    land = make_exit_landscape()
    _hyper, euro_infra, alternative, _archief = _iaas(land)
    assert alternative_service(alternative) == (euro_infra, None)


def test_a_usage_plan_moves_only_that_usage_off_the_shared_service() -> None:
    land = make_exit_landscape()
    hyper, euro_infra, alternative, archief = _iaas(land)
    exit_plan = plan(land, "Zaken van Hyper af", land.zaken, alternative, 100_000)
    move, reason = move_for(exit_plan)
    assert reason is None
    assert move is not None
    assert move.replacing == (hyper.pk,)
    assert move.services == (euro_infra.pk,)
    assert move.product is None  # the alternative replaces the platform, not Zaak Suite
    assert move.contract is None  # an exit plan leaves contracts and exit plans as they are
    snap = organisation_snapshot(land.org)
    after = rehost(snap, move)
    cols, cat = after.orgs, after.catalogue

    def targets(usage: Usage) -> set[str]:
        u = after.usage_index[usage.pk]
        rows = [i for i in range(len(cols.dep_src)) if cols.dep_src_kind[i] == 1 and cols.dep_src[i] == u]
        return {cat.cols.service_names[cols.dep_dst[i]] for i in rows if cols.dep_dst_kind[i] == 2}

    assert targets(land.zaken) == {"Zaak Cloud", "EuroInfra Cloud"}
    assert targets(archief) == {"Hyper Cloud"}
    # the snapshot given is untouched
    before = snap.usage_index[land.zaken.pk]
    assert any(
        snap.orgs.dep_src[i] == before and cat.cols.service_names[snap.orgs.dep_dst[i]] == "Hyper Cloud"
        for i in range(len(snap.orgs.dep_src))
        if snap.orgs.dep_src_kind[i] == 1 and snap.orgs.dep_dst_kind[i] == 2
    )
