"""A small hand-made register whose figures the tests work out by hand.

Organisation ``t1`` has two processes:

* *Vergunningen* (critical, availability 3, tolerable downtime 4 h) needs the application
  *Zaken*, which runs on the SaaS *Zaak Cloud* of *Cloud Ireland Ltd* (data at rest and
  processing in Ireland, support access from the United States). Cloud Ireland's parent is
  *Cloud Holdings Inc.* in the United States.
* *Website* (not critical, availability 2, tolerable downtime unknown) needs *CMS*, which
  runs on *Web Hosting* of *Hosting BV* (everything in the Netherlands, no parent).

Contracts: EUR 90,000 a year with Cloud Ireland (no price cap) and EUR 10,000 with Hosting BV
(with a price cap).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from regie.register import services
from regie.register.models import (
    Contract,
    ContractClause,
    Dependency,
    LegalEntity,
    Organisation,
    Process,
    Product,
    Provenance,
    Service,
    ServiceLocation,
    Usage,
)
from tests.factories import country


@dataclass
class SmallRegister:
    org: Organisation
    vergunningen: Process
    website: Process
    zaken: Usage
    cms: Usage
    holding: LegalEntity
    cloud_ie: LegalEntity
    hosting: LegalEntity
    zaak_cloud: Service
    web_hosting: Service
    other_cloud: Service
    provenance: Provenance


def make_small_register(code: str = "t1") -> SmallRegister:
    create = services.register_create
    us = country("US", "United States")
    ie = country("IE", "Ireland", eu=True)
    nl = country("NL", "Netherlands", eu=True)
    de = country("DE", "Germany", eu=True)
    prov = Provenance.objects.create(
        source="https://example.org/annual-report-2025", checked_on=datetime.date(2026, 1, 15)
    )
    holding = create(
        actor=None,
        model=LegalEntity,
        data={
            "name": "Cloud Holdings Inc.",
            "hq_country": us,
            "hq_country_provenance": prov,
            "registration_country": us,
            "parent_state": "none",
        },
    )
    cloud_ie = create(
        actor=None,
        model=LegalEntity,
        data={
            "name": "Cloud Ireland Ltd",
            "hq_country": ie,
            "registration_country": ie,
            "parent_state": "known",
            "parent": holding,
            "parent_provenance": prov,
        },
    )
    hosting = create(
        actor=None,
        model=LegalEntity,
        data={"name": "Hosting BV", "hq_country": nl, "registration_country": nl, "parent_state": "none"},
    )
    euro = create(
        actor=None,
        model=LegalEntity,
        data={"name": "Euro Cloud SE", "hq_country": de, "registration_country": de, "parent_state": "none"},
    )
    zaak_product = create(actor=None, model=Product, data={"name": "Zaak Suite", "supplier": cloud_ie})
    cms_product = create(actor=None, model=Product, data={"name": "Open CMS", "supplier": hosting})
    zaak_cloud = create(
        actor=None,
        model=Service,
        data={"name": "Zaak Cloud", "provider": cloud_ie, "kind": "saas", "product": zaak_product},
    )
    web_hosting = create(
        actor=None, model=Service, data={"name": "Web Hosting", "provider": hosting, "kind": "saas"}
    )
    other_cloud = create(
        actor=None, model=Service, data={"name": "Euro Zaak Cloud", "provider": euro, "kind": "saas"}
    )
    for service, role, where in (
        (zaak_cloud, "rest", ie),
        (zaak_cloud, "processing", ie),
        (zaak_cloud, "access", us),
        (web_hosting, "rest", nl),
        (web_hosting, "processing", nl),
        (web_hosting, "access", nl),
        (other_cloud, "rest", de),
        (other_cloud, "processing", de),
        (other_cloud, "access", de),
    ):
        create(
            actor=None,
            model=ServiceLocation,
            data={"service": service, "role": role, "country": where, "provenance": prov},
        )
    org = create(
        actor=None,
        model=Organisation,
        data={"name": f"Testgemeente {code}", "code": code, "kind": "municipality"},
    )
    vergunningen = create(
        actor=None,
        model=Process,
        data={
            "organisation": org,
            "name": "Vergunningen",
            "availability": 3,
            "integrity": 2,
            "confidentiality": 2,
            "critical": True,
            "max_tolerable_downtime_hours": 4,
            "personal_data": "personal",
        },
    )
    website = create(
        actor=None,
        model=Process,
        data={
            "organisation": org,
            "name": "Website",
            "availability": 2,
            "integrity": 1,
            "confidentiality": 1,
            "critical": False,
            "personal_data": "none",
        },
    )
    zaken = create(
        actor=None, model=Usage, data={"organisation": org, "name": "Zaken", "product": zaak_product}
    )
    cms = create(actor=None, model=Usage, data={"organisation": org, "name": "CMS", "product": cms_product})
    for process, usage, service in ((vergunningen, zaken, zaak_cloud), (website, cms, web_hosting)):
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
    for counterparty, value, usage, cap in ((cloud_ie, 90_000, zaken, "no"), (hosting, 10_000, cms, "yes")):
        contract = create(
            actor=None,
            model=Contract,
            data={
                "organisation": org,
                "reference": f"{code}-{usage.name}",
                "title": usage.name,
                "counterparty": counterparty,
                "start_date": datetime.date(2025, 1, 1),
                "annual_value": value,
            },
            m2m={"usages": [usage]},
        )
        create(
            actor=None, model=ContractClause, data={"contract": contract, "kind": "price_cap", "present": cap}
        )
    return SmallRegister(
        org=org,
        vergunningen=vergunningen,
        website=website,
        zaken=zaken,
        cms=cms,
        holding=holding,
        cloud_ie=cloud_ie,
        hosting=hosting,
        zaak_cloud=zaak_cloud,
        web_hosting=web_hosting,
        other_cloud=other_cloud,
        provenance=prov,
    )
