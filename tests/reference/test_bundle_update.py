"""Loading is idempotent; a newer bundle reports per fact what changed and whom it affects."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from regie.audit.models import AuditEntry
from regie.reference import commands
from regie.reference.bundle import BundleError, BundleReport, installed_version, load_bundle, refuse_older
from regie.reference.impact import affected_organisations
from regie.register import services
from regie.register.models import (
    Contract,
    Dependency,
    LegalEntity,
    Organisation,
    Product,
    Provenance,
    Service,
    ServiceDependency,
    Usage,
)

from .conftest import entity

pytestmark = pytest.mark.django_db

Edit = Callable[..., Path]
create = services.register_create


def org(code: str) -> Organisation:
    return create(
        actor=None,
        model=Organisation,
        data={"name": f"Gemeente {code.title()} (fictitious)", "code": code, "kind": "municipality"},
    )


def usage(organisation: Organisation, product: Product, name: str = "Application") -> Usage:
    return create(
        actor=None, model=Usage, data={"organisation": organisation, "name": name, "product": product}
    )


def runs_on(organisation: Organisation, on: Service) -> None:
    app_product = Product.objects.get(name="Exact Online")
    app = usage(organisation, app_product, name=f"Runs on {on.name}")
    create(
        actor=None,
        model=Dependency,
        data={"organisation": organisation, "kind": "runs_on", "from_usage": app, "to_service": on},
    )


def contract(organisation: Organisation, counterparty: LegalEntity) -> None:
    create(
        actor=None,
        model=Contract,
        data={
            "organisation": organisation,
            "reference": f"{organisation.code}-1",
            "title": "Licence",
            "counterparty": counterparty,
            "start_date": datetime.date(2025, 1, 1),
        },
    )


def version(data: dict[str, Any], number: str = "2026.12.0") -> None:
    data["version"] = number


def test_loading_twice_changes_nothing(loaded: BundleReport) -> None:
    audit, provenance = AuditEntry.objects.count(), Provenance.objects.count()
    again = load_bundle()
    assert again.change_count == 0
    assert again.changes == []
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert AuditEntry.objects.count() == audit
    assert Provenance.objects.count() == provenance


def test_a_first_load_reports_what_it_created(loaded: BundleReport) -> None:
    assert loaded.created["entity"] >= 35
    assert loaded.created["country"] == 249
    assert installed_version() == "2026.11.0"


def test_an_update_that_changes_a_parent_reports_exactly_the_affected_organisations(
    loaded: BundleReport, bundle_copy: Edit
) -> None:
    roxit_client, exact_client, hetzner_client, bystander = (
        org("roxit"),
        org("exact"),
        org("hetzner"),
        org("none"),
    )
    contract(roxit_client, LegalEntity.objects.get(name="Visma Roxit"))  # below the changed Visma
    usage(exact_client, Product.objects.get(name="Exact Online"))
    runs_on(hetzner_client, Service.objects.get(name="Hetzner Cloud"))
    assert bystander.pk  # uses nothing

    bundle_copy("bundle.yaml", version)

    def move_visma(data: dict[str, Any]) -> None:
        entity(data, "Visma")["parent"] = {
            "entity": "KKR & Co. Inc.",
            "basis": "ownership",
            "source": "exact-kkr",
        }

    report = load_bundle(bundle_copy("entities.yaml", move_visma))

    visma = LegalEntity.objects.get(name="Visma")
    parent_changes = [c for c in report.changes if c.key == "Visma" and c.field == "parent"]
    assert len(parent_changes) == 1
    change = parent_changes[0]
    assert (change.old, change.new) == ("Hg", "KKR & Co. Inc.")
    assert change.old_source is not None
    assert "visma.com" in change.old_source
    assert change.new_source is not None
    assert "Apax" in change.new_source
    assert report.changed_entity_ids == {visma.pk}
    assert [o.code for o in affected_organisations(report.changed_entity_ids)] == ["roxit"]
    roxit = LegalEntity.objects.get(name="Visma Roxit")
    assert [e.name for e in roxit.control_chain()] == ["Visma Roxit", "Visma", "KKR & Co. Inc."]


def test_an_unchanged_fact_keeps_its_provenance_across_versions(
    loaded: BundleReport, bundle_copy: Edit
) -> None:
    microsoft = LegalEntity.objects.get(name="Microsoft Corporation")
    report = load_bundle(bundle_copy("bundle.yaml", version))
    assert report.change_count == 0
    microsoft.refresh_from_db()
    assert microsoft.hq_country_provenance.entered_by_label == "Regie reference bundle 2026.11.0"
    assert installed_version() == "2026.12.0"


def test_a_changed_source_is_reported_even_when_the_value_stays(
    loaded: BundleReport, bundle_copy: Edit
) -> None:
    bundle_copy("bundle.yaml", version)

    def recheck(data: dict[str, Any]) -> None:
        data["sources"]["visma"]["checked"] = "2026-12-15"

    report = load_bundle(bundle_copy("sources.yaml", recheck))
    hq = [c for c in report.changes if c.key == "Visma" and c.field == "hq_country"]
    assert len(hq) == 1
    assert hq[0].old == hq[0].new == "NO"
    assert "2026-11-28" in (hq[0].old_source or "")
    assert "2026-12-15" in (hq[0].new_source or "")
    assert LegalEntity.objects.get(name="Visma").hq_country_provenance.entered_by_label.endswith("2026.12.0")


def test_a_change_reaches_organisations_through_the_supply_chain(
    loaded: BundleReport, bundle_copy: Edit
) -> None:
    hetzner_cloud = Service.objects.get(name="Hetzner Cloud")
    provider = LegalEntity.objects.get(name="Cyso")
    saas = create(
        actor=None,
        model=Service,
        data={"name": "Zaak SaaS (fictitious)", "provider": provider, "kind": "saas"},
    )
    create(actor=None, model=ServiceDependency, data={"service": saas, "depends_on": hetzner_cloud})
    client = org("saas")
    runs_on(client, saas)

    bundle_copy("bundle.yaml", version)

    def hetzner_parent(data: dict[str, Any]) -> None:
        entity(data, "Hetzner")["parent"] = {
            "entity": "IONOS",
            "basis": "ownership",
            "source": "eu-cloud-list",
        }

    report = load_bundle(bundle_copy("entities.yaml", hetzner_parent))
    assert [o.code for o in affected_organisations(report.changed_entity_ids)] == ["saas"]


def test_an_update_reports_a_new_service_location(loaded: BundleReport, bundle_copy: Edit) -> None:
    bundle_copy("bundle.yaml", version)

    def locate(data: dict[str, Any]) -> None:
        service = next(s for s in data["services"] if s["name"] == "Leafcloud")
        service["locations"] = [{"role": "rest", "country": "NL", "source": "eu-cloud-list"}]

    report = load_bundle(bundle_copy("services.yaml", locate))
    leafcloud = Service.objects.get(name="Leafcloud")
    assert report.changed_service_ids == {leafcloud.pk}
    assert [c.field for c in report.changes] == ["location (rest) NL"]
    assert list(leafcloud.locations.values_list("country_id", flat=True)) == ["NL"]
    assert load_bundle(bundle_copy()).change_count == 0


def test_an_older_bundle_is_refused_by_update(loaded: BundleReport, bundle_copy: Edit) -> None:
    path = bundle_copy("bundle.yaml", lambda data: version(data, "2025.1.0"))
    with pytest.raises(BundleError, match="older than the installed bundle"):
        refuse_older(path)


def test_a_dry_run_reports_and_writes_nothing(loaded: BundleReport, bundle_copy: Edit) -> None:
    bundle_copy("bundle.yaml", version)

    def rename(data: dict[str, Any]) -> None:
        entity(data, "Hg")["description"] = "Investor (London)."

    report = load_bundle(bundle_copy("entities.yaml", rename), dry_run=True)
    assert report.dry_run
    assert [c.field for c in report.changes] == ["description"]
    assert LegalEntity.objects.get(name="Hg").description == "Private-equity investor (London)."
    assert installed_version() == "2026.11.0"


def test_the_update_command_prints_changes_and_affected_organisations(
    loaded: BundleReport, bundle_copy: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    contract(org("roxit"), LegalEntity.objects.get(name="Visma Roxit"))
    bundle_copy("bundle.yaml", version)

    def move_visma(data: dict[str, Any]) -> None:
        entity(data, "Visma")["parent"] = {"state": "unknown"}

    path = bundle_copy("entities.yaml", move_visma)
    assert commands.cmd_update(argparse.Namespace(bundle=path, dry_run=False)) == 0
    out = capsys.readouterr().out
    assert "entity Visma: parent: Hg → —" in out
    assert "Organisations affected (1; figures change for 0):" in out  # a contract without value
    assert "roxit" in out


def test_the_load_command_refuses_a_bad_bundle_with_exit_code_2(
    db: None, bundle_copy: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bundle_copy("laws.yaml", text="laws: 3\n")
    assert commands.cmd_load(argparse.Namespace(bundle=path, dry_run=False)) == 2
    assert "laws.yaml" in capsys.readouterr().err


def test_the_load_command_refuses_to_go_back_to_an_older_bundle(
    loaded: BundleReport, bundle_copy: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = bundle_copy("bundle.yaml", version)
    assert commands.cmd_load(argparse.Namespace(bundle=newer, dry_run=False, allow_older=False)) == 0
    assert commands.cmd_load(argparse.Namespace(bundle=None, dry_run=False, allow_older=False)) == 2
    assert "older than the installed bundle 2026.12.0" in capsys.readouterr().err
    assert commands.cmd_load(argparse.Namespace(bundle=None, dry_run=False, allow_older=True)) == 0
    assert installed_version() == "2026.11.0"
