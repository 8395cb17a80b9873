"""A small sector: ten municipalities (six in Noord-Holland, four in Utrecht) and one water
authority, all on the same fictitious US-controlled SaaS (the shared test landscape)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from regie.accounts.models import User
from regie.register.models import Organisation
from regie.sector.population import forget
from tests.factories import Landscape, OrgData, make_landscape, make_org_data, make_user

PROVINCES = ["NH", "NH", "NH", "NH", "NH", "NH", "UT", "UT", "UT", "UT"]
INHABITANTS = [12_000, 15_000, 18_000, 19_000, 14_000, 30_000, 35_000, 40_000, 16_000, 17_000]


@dataclass
class Sector:
    landscape: Landscape
    orgs: list[OrgData]  # ten municipalities, then the water authority
    analyst: User


@pytest.fixture
def sector(db: None) -> Sector:
    forget()
    land = make_landscape()
    codes = ["m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "wa"]
    orgs = [land.a, land.b, *(make_org_data(c, land.product, land.service, land.provider) for c in codes)]
    for data, province, inhabitants in zip(orgs, PROVINCES, INHABITANTS, strict=False):
        Organisation.objects.filter(pk=data.org.pk).update(province=province, inhabitants=inhabitants)
    Organisation.objects.filter(pk=orgs[-1].org.pk).update(kind="water_authority", province="NH")
    analyst = make_user("analyst")
    analyst.is_sector_analyst = True
    analyst.save()
    forget()
    return Sector(land, orgs, analyst)
