"""A small hand-built landscape whose risk measure the roadmap tests work out by hand.

Organisation ``ex1`` has three critical processes, each needing one application:

* *Vergunningen* → *Zaken* (product Zaak Suite) on *Zaak Cloud*;
* *Belastingen* → *Heffing* (product Tax Suite) on *Tax Cloud*;
* *Website* → *CMS* (product Open CMS) on *Web Hosting* of Hosting BV (Netherlands).

Zaak Cloud and Tax Cloud are run by Cloud Ireland Ltd, whose parent Cloud Holdings Inc. is in
the United States; their data is in Ireland, support access from the United States. Every
location and parent is known, so no exposure is unknown.

The catalogue offers *Euro Zaak* (Euro Cloud SE, Germany, service Euro Zaak Cloud), *Euro Tax*
(Tax BV, Netherlands, service Euro Tax Cloud) and *Euro CMS* (CMS BV, Netherlands, service
Euro CMS Hosting), each replacing one product, and *Vapour* (no product, no provider).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from regie.accounts.models import Membership, Role, User
from regie.register import services
from regie.register.models import (
    Alternative,
    Dependency,
    ExitPlan,
    LegalEntity,
    Organisation,
    Process,
    Product,
    Provenance,
    Service,
    ServiceLocation,
    Usage,
)
from tests.factories import country, make_user


@dataclass
class ExitLandscape:
    org: Organisation
    viewer: User
    editor: User
    zaken: Usage
    heffing: Usage
    cms: Usage
    zaak_cloud: Service
    euro_zaak: Alternative
    euro_tax: Alternative
    euro_cms: Alternative
    vapour: Alternative
    zaak_product: Product


def _entity(name: str, where: object, parent: LegalEntity | None = None) -> LegalEntity:
    data: dict[str, object] = {"name": name, "hq_country": where, "registration_country": where}
    data.update({"parent_state": "known", "parent": parent} if parent else {"parent_state": "none"})
    result: LegalEntity = services.register_create(actor=None, model=LegalEntity, data=data)
    return result


def _service(name: str, provider: LegalEntity, product: Product, rest: object, access: object) -> Service:
    create = services.register_create
    prov = Provenance.objects.get_or_create(
        source="https://example.org/exit-test", checked_on=datetime.date(2026, 1, 1)
    )[0]
    service: Service = create(
        actor=None,
        model=Service,
        data={"name": name, "provider": provider, "kind": "saas", "product": product},
    )
    for role, where in (("rest", rest), ("processing", rest), ("access", access)):
        create(
            actor=None,
            model=ServiceLocation,
            data={"service": service, "role": role, "country": where, "provenance": prov},
        )
    return service


def _alternative(
    name: str, product: Product | None, replaces: Product | None, **facts: object
) -> Alternative:
    alt: Alternative = services.register_create(
        actor=None,
        model=Alternative,
        data={
            "name": name,
            "category": "test",
            "product": product,
            "provider": product.supplier if product else None,
            **facts,
        },
        m2m={"replaces_products": [replaces] if replaces else []},
    )
    return alt


def make_exit_landscape(code: str = "ex1") -> ExitLandscape:
    create = services.register_create
    us, ie = country("US", "United States"), country("IE", "Ireland", eu=True)
    nl, de = country("NL", "Netherlands", eu=True), country("DE", "Germany", eu=True)
    holding = _entity("Cloud Holdings Inc.", us)
    cloud_ie = _entity("Cloud Ireland Ltd", ie, holding)
    hosting, euro, tax_bv, cms_bv = (
        _entity("Hosting BV", nl),
        _entity("Euro Cloud SE", de),
        _entity("Tax BV", nl),
        _entity("CMS BV", nl),
    )

    def product(name: str, supplier: LegalEntity) -> Product:
        result: Product = create(actor=None, model=Product, data={"name": name, "supplier": supplier})
        return result

    zaak_p, tax_p, cms_p = (
        product("Zaak Suite", cloud_ie),
        product("Tax Suite", cloud_ie),
        product("Open CMS", hosting),
    )
    euro_zaak_p, euro_tax_p, euro_cms_p = (
        product("Euro Zaak", euro),
        product("Euro Tax", tax_bv),
        product("Euro CMS", cms_bv),
    )
    zaak_cloud = _service("Zaak Cloud", cloud_ie, zaak_p, ie, us)
    tax_cloud = _service("Tax Cloud", cloud_ie, tax_p, ie, us)
    web_hosting = _service("Web Hosting", hosting, cms_p, nl, nl)
    _service("Euro Zaak Cloud", euro, euro_zaak_p, de, de)
    _service("Euro Tax Cloud", tax_bv, euro_tax_p, nl, nl)
    _service("Euro CMS Hosting", cms_bv, euro_cms_p, nl, nl)
    org = create(
        actor=None,
        model=Organisation,
        data={"name": f"Exitgemeente {code}", "code": code, "kind": "municipality"},
    )
    usages = []
    for process_name, usage_name, prod, service in (
        ("Vergunningen", "Zaken", zaak_p, zaak_cloud),
        ("Belastingen", "Heffing", tax_p, tax_cloud),
        ("Website", "CMS", cms_p, web_hosting),
    ):
        process = create(
            actor=None,
            model=Process,
            data={
                "organisation": org,
                "name": process_name,
                "availability": 3,
                "integrity": 2,
                "confidentiality": 2,
                "critical": True,
                "personal_data": "personal",
            },
        )
        usage = create(
            actor=None, model=Usage, data={"organisation": org, "name": usage_name, "product": prod}
        )
        create(
            actor=None,
            model=Dependency,
            data={"organisation": org, "kind": "requires", "from_process": process, "to_usage": usage},
        )
        create(
            actor=None,
            model=Dependency,
            data={"organisation": org, "kind": "runs_on", "from_usage": usage, "to_service": service},
        )
        usages.append(usage)
    viewer, editor = make_user(f"{code}-viewer"), make_user(f"{code}-editor")
    Membership.objects.create(user=viewer, organisation=org, role=Role.VIEWER)
    Membership.objects.create(user=editor, organisation=org, role=Role.EDITOR)
    return ExitLandscape(
        org=org,
        viewer=viewer,
        editor=editor,
        zaken=usages[0],
        heffing=usages[1],
        cms=usages[2],
        zaak_cloud=zaak_cloud,
        euro_zaak=_alternative(
            "Euro Zaak", euro_zaak_p, zaak_p, eu_based="yes", open_source="no", fit=4, maturity="proven"
        ),
        euro_tax=_alternative("Euro Tax", euro_tax_p, tax_p, eu_based="yes", fit=3),
        euro_cms=_alternative("Euro CMS", euro_cms_p, cms_p, eu_based="yes", open_source="yes", fit=3),
        vapour=_alternative("Vapour", None, zaak_p, eu_based="unknown", fit=5, maturity="emerging"),
        zaak_product=zaak_p,
    )


def plan(
    land: ExitLandscape, title: str, usage: Usage, alternative: Alternative | None, cost: int | None
) -> ExitPlan:
    result: ExitPlan = services.register_create(
        actor=None,
        model=ExitPlan,
        data={
            "organisation": land.org,
            "title": title,
            "usage": usage,
            "alternative": alternative,
            "estimated_cost": None if cost is None else Decimal(cost),
        },
    )
    return result


def make_other_organisation(land: ExitLandscape, code: str = "ex2") -> tuple[Organisation, Usage, User]:
    """A second organisation on the same catalogue: one application (Zaak Suite) and a viewer."""
    create = services.register_create
    org = create(
        actor=None, model=Organisation, data={"name": f"Andere {code}", "code": code, "kind": "municipality"}
    )
    usage = create(
        actor=None, model=Usage, data={"organisation": org, "name": "Zaken", "product": land.zaak_product}
    )
    viewer = make_user(f"{code}-viewer")
    Membership.objects.create(user=viewer, organisation=org, role=Role.VIEWER)
    return org, usage, viewer
