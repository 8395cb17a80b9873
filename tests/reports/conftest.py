"""Organisation A of the shared test landscape with its framework findings evaluated, one risk
accepted until 2027 and one whose acceptance has expired; and a tender with a decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from regie.policy.models import Acceptance, Finding
from regie.policy.services import finding_accept, findings_refresh
from tests.factories import Landscape
from tests.procurement.conftest import TenderCase, case  # noqa: F401 - the tender fixture

IN_FORCE = (
    "Migratie naar een Europese aanbieder is begroot voor 2027; tot dan versleuteling met eigen sleutels."
)
LAPSED = "Tijdelijk geaccepteerd tijdens de aanbesteding van het nieuwe zaaksysteem."


@dataclass
class Reported:
    ls: Landscape
    in_force: Acceptance
    lapsed: Acceptance


@pytest.fixture
def reported(landscape: Landscape) -> Reported:
    org = landscape.a.org
    findings_refresh(organisation=org)
    open_findings = list(Finding.objects.filter(organisation=org, status="open").order_by("pk"))
    assert len(open_findings) >= 2, "the landscape needs two findings to accept"
    admin = landscape.a.admin
    in_force = finding_accept(
        actor=admin,
        finding=open_findings[0],
        justification=IN_FORCE,
        owner="CIO Gemeente A",
        approver=admin,
        expires_on=dt.date(2027, 6, 30),
        today=dt.date(2026, 11, 1),
    )
    lapsed = finding_accept(
        actor=admin,
        finding=open_findings[1],
        justification=LAPSED,
        owner="Informatiemanager",
        approver=admin,
        expires_on=dt.date(2026, 3, 31),
        today=dt.date(2026, 1, 15),
    )
    return Reported(landscape, in_force, lapsed)
