"""Every output (pages, API, command line) goes through the same gate and role checks."""

from __future__ import annotations

import argparse
import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from regie.api.tokens import token_create
from regie.audit.models import AuditEntry
from regie.sector import commands
from regie.sector.models import SharingSettings
from regie.sector.population import forget

from .conftest import Sector


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _token(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, secret = token_create(
        user=user, name="t", scope="read", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    return {"Authorization": f"Bearer {secret}"}


def _args(**kw: object) -> argparse.Namespace:
    base = {"kind": "", "province": "", "joint_arrangement": "", "json": False, "months": None}
    return argparse.Namespace(**(base | kw))


def test_sector_page_shows_the_group_and_refuses_a_differencing_filter(sector: Sector) -> None:
    client = _client(sector.analyst)
    page = client.get("/sector/")
    assert page.status_code == 200
    assert page.context["report"]["population"]["orgs"] == 11
    refused = client.get("/sector/", {"kind": "municipality"})
    assert refused.status_code == 200
    assert refused.context["report"] is None
    assert "would isolate" in refused.context["refused"]
    assert client.get("/sector/systemic/").status_code == 200
    assert client.get("/sector/procurement/").status_code == 200
    html = page.content.decode()  # the kinds in the filter are named in Dutch, sent as codes
    assert '<option value="municipality">gemeente</option>' in html


def test_sector_pages_are_forbidden_without_the_sector_role(sector: Sector) -> None:
    client = _client(sector.orgs[0].admin)
    assert client.get("/sector/").status_code == 403
    assert client.get("/sector/systemic/").status_code == 403


def test_api_answers_analysts_and_refuses_differencing(sector: Sector) -> None:
    client = Client()
    ok = client.get("/api/v1/sector", headers=_token(sector.analyst))
    assert ok.status_code == 200
    assert ok.json()["population"]["orgs"] == 11
    refused = client.get("/api/v1/sector", {"kind": "municipality"}, headers=_token(sector.analyst))
    assert refused.status_code == 400
    member = client.get("/api/v1/sector", headers=_token(sector.orgs[0].viewer))
    assert member.status_code == 403


def test_command_line_report_and_refusal(sector: Sector, capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.cmd_report(_args()) == 0
    assert "11 organisations" in capsys.readouterr().out
    assert commands.cmd_report(_args(kind="municipality")) == 3
    assert "would isolate" in capsys.readouterr().err


@override_settings(REGIE_SECTOR_MIN_GROUP=12)
def test_a_population_below_k_is_suppressed_on_page_api_and_command_line(
    sector: Sector, capsys: pytest.CaptureFixture[str]
) -> None:
    forget()
    page = _client(sector.analyst).get("/sector/")
    assert page.context["report"] is None
    assert Client().get("/api/v1/sector", headers=_token(sector.analyst)).status_code == 400
    assert commands.cmd_report(_args()) == 3
    assert commands.cmd_systemic(_args()) == 3
    # joint procurement: every cluster (11 organisations at most) is suppressed
    assert commands.cmd_procurement(_args(json=True)) == 0
    out = capsys.readouterr().out
    assert '"suppressed": false' not in out
    assert '"annual_value": null' in out


def test_joint_procurement_names_only_opted_in_members_to_opted_in_members(sector: Sector) -> None:
    for data in sector.orgs[:6]:
        SharingSettings.objects.create(organisation=data.org, share_name_in_joint_procurement=True)
    forget()
    today = "2026-01-01"
    opted = _client(sector.orgs[0].viewer).get(f"/o/{sector.orgs[0].org.code}/sector/")
    assert opted.status_code == 200
    rows = [r for r in opted.context["clusters"] if r["basis"] == "group"]
    assert rows, today
    assert rows[0]["orgs"] == 11
    assert rows[0]["named_members"] == sorted(d.org.code for d in sector.orgs[1:6])
    other = _client(sector.orgs[7].viewer).get(f"/o/{sector.orgs[7].org.code}/sector/")
    assert all("named_members" not in r for r in other.context["clusters"])
    analyst = _client(sector.analyst).get("/sector/procurement/")
    assert all("named_members" not in r for r in analyst.context["rows"])


def test_sharing_page_changes_consent_and_the_change_is_audited(sector: Sector) -> None:
    data = sector.orgs[0]
    url = f"/o/{data.org.code}/sector/sharing/"
    assert _client(data.editor).get(url).status_code == 403
    response = _client(data.admin).post(url, {"share_name_in_joint_procurement": "on"})
    assert response.status_code == 302
    saved = SharingSettings.objects.get(organisation=data.org)
    assert saved.share_name_in_joint_procurement
    assert not saved.include_in_benchmarks
    entry = AuditEntry.objects.filter(object_type="sector.sharingsettings").latest("id")
    assert entry.actor == data.admin
    assert entry.after["share_name_in_joint_procurement"] is True
    assert "share_register_with" not in entry.after  # removed: registers are never shared (ADR 106)


@override_settings(REGIE_SECTOR_MIN_GROUP=2)
def test_peer_benchmark_page_shows_percentiles_without_names(sector: Sector) -> None:
    """With k = 5 every group but "all" of this eleven-organisation sector is refused (its
    complement would be below 5); with k = 2 the peer group of seven small municipalities is
    admitted."""
    forget()
    data = sector.orgs[0]  # municipality below 20,000 inhabitants: seven such
    page = _client(data.viewer).get(f"/o/{data.org.code}/sector/")
    bench = page.context["bench"]
    assert bench is not None, page.context["bench_refused"]
    assert bench["peer_group"] == {"kind": "municipality", "size_band": "<20k", "orgs": 7}
    assert "Vergelijkingsgroep: gemeente, grootteklasse &lt;20k, 7 organisaties" in page.content.decode()
    assert all(r["percentile"] == 50.0 for r in bench["rows"])  # identical landscapes: all tie
    assert {r["metric"] for r in bench["rows"]} >= {"non_eu_control_share", "top_group_reliance"}
    body = page.content.decode()
    assert "Gemeente M3" not in body


def test_api_systemic_suppliers_explain_the_designation(sector: Sector) -> None:
    response = Client().get("/api/v1/sector/systemic-suppliers", headers=_token(sector.analyst))
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.json()}
    hyper = rows["Hyperscaler Inc. (fictitious)"]
    assert hyper["designated"] is True
    criteria = {c["name"]: c for c in hyper["criteria"]}
    assert criteria["reliance"]["value"] == 1.0
    assert criteria["reliance"]["detail"] == "11 of 11"
    assert criteria["critical_functions"]["met"] is True


@override_settings(REGIE_SECTOR_MIN_GROUP=2)
def test_api_peer_benchmark_for_a_member_and_not_for_an_outsider(sector: Sector) -> None:
    forget()
    code = sector.orgs[0].org.code
    ok = Client().get(f"/api/v1/organisations/{code}/sector/peers", headers=_token(sector.orgs[0].viewer))
    assert ok.status_code == 200
    assert ok.json()["peerGroup"]["orgs"] == 7
    outsider = Client().get(
        f"/api/v1/organisations/{code}/sector/peers", headers=_token(sector.orgs[1].viewer)
    )
    assert outsider.status_code == 404
