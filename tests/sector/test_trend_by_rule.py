"""Findings by rule have their trend on the sector page, API and command line: per rule and day
the findings present, each cell suppressed below k organisations."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from regie.policy.models import FigureSnapshot, Finding, FindingStatus
from regie.sector import commands
from regie.sector.population import GroupFilter, forget
from regie.sector.selectors import sector_report

from .conftest import Sector

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = [TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1), TODAY]


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def finding(org_pk: int, rule: str, seen: dt.date, resolved: dt.date | None = None) -> None:
    f = Finding.objects.create(
        organisation_id=org_pk,
        rule=rule,
        severity="warn",
        subject_kind="usage",
        subject_key="1",
        status=FindingStatus.RESOLVED if resolved else FindingStatus.OPEN,
        fingerprint="x",
        message_nl="m",
        message_en="m",
    )
    gone = at(resolved) if resolved else None
    Finding.objects.filter(pk=f.pk).update(first_seen=at(seen), resolved_at=gone)


@pytest.fixture
def history(sector: Sector) -> Sector:
    pks = [d.org.pk for d in sector.orgs]
    for pk in pks:
        for day in DAYS:
            FigureSnapshot.objects.create(organisation_id=pk, day=day, figures={}, findings={})
    for i, pk in enumerate(pks[:6]):  # six organisations on day one, two resolve it on day two
        finding(pk, "demo/old-contract", DAYS[0], resolved=DAYS[1] if i < 2 else None)
    for pk in pks[:7]:  # seven organisations from day three
        finding(pk, "demo/new-rule", DAYS[2])
    forget()
    return sector


def cells(report: dict[str, object], rule: str) -> list[dict[str, object]]:
    rules = report["trend_by_rule"]["rules"]  # type: ignore[index]
    return next(r["cells"] for r in rules if r["rule"] == rule)


def test_the_trend_per_rule_counts_findings_present_each_day(history: Sector) -> None:
    report = sector_report(user=history.analyst, chosen=GroupFilter())
    assert report["trend_by_rule"]["days"] == [d.isoformat() for d in DAYS]
    old = cells(report, "demo/old-contract")
    assert (old[0]["findings"], old[0]["orgs"], old[0]["suppressed"]) == (6, 6, False)
    # four organisations left: fewer than k = 5, suppressed on both later days
    assert [(c["findings"], c["orgs"], c["suppressed"]) for c in old[1:]] == [(None, None, True)] * 2
    new = cells(report, "demo/new-rule")
    assert [(c["findings"], c["suppressed"]) for c in new] == [(0, False), (0, False), (7, False)]


def test_the_page_and_the_command_line_show_it(history: Sector, capsys: pytest.CaptureFixture[str]) -> None:
    client = Client()
    client.force_login(history.analyst)
    page = client.get("/sector/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "demo/new-rule" in html
    assert "7 <span" in html
    args = argparse.Namespace(kind="", province="", joint_arrangement="", json=False)
    assert commands.cmd_report(args) == 0
    out = capsys.readouterr().out
    assert f"Trend demo/old-contract: {DAYS[0].isoformat()}: 6 (6 orgs)" in out
    assert f"{DAYS[1].isoformat()}: suppressed" in out
