"""An update that changes a parent changes the figures of exactly the affected organisations,
and ``regie reference update`` reports them (before → after)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from regie.reference import commands
from regie.reference.bundle import BundleReport, installed_version, load_bundle
from regie.reference.impact import affected_organisations
from regie.reference.refigure import diff, figures_of
from regie.register import services
from regie.register.models import Dependency, LegalEntity, Organisation, Process, Product, Service, Usage

from .conftest import entity

pytestmark = pytest.mark.django_db

Edit = Callable[..., Path]
create = services.register_create


def org_relying_on(code: str, product: str | None, service: Service | None = None) -> Organisation:
    """An organisation with one critical process that requires an application of ``product``
    (running on ``service``)."""
    org = create(
        actor=None,
        model=Organisation,
        data={"name": f"Gemeente {code.title()} (fictitious)", "code": code, "kind": "municipality"},
    )
    process = create(
        actor=None,
        model=Process,
        data={
            "organisation": org,
            "name": "Burgerzaken",
            "availability": 3,
            "integrity": 3,
            "confidentiality": 3,
            "critical": True,
        },
    )
    if product is not None:
        app = create(
            actor=None,
            model=Usage,
            data={"organisation": org, "name": product, "product": Product.objects.get(name=product)},
        )
        create(
            actor=None,
            model=Dependency,
            data={"organisation": org, "kind": "requires", "from_process": process, "to_usage": app},
        )
        if service is not None:
            create(
                actor=None,
                model=Dependency,
                data={"organisation": org, "kind": "runs_on", "from_usage": app, "to_service": service},
            )
    return org


def newer_bundle_moving_visma_to_kkr(bundle_copy: Edit) -> Path:
    def newer(data: dict[str, Any]) -> None:
        data["version"] = "2026.12.0"

    def move_visma(data: dict[str, Any]) -> None:
        kkr = {"entity": "KKR & Co. Inc.", "basis": "ownership", "source": "exact-kkr"}
        entity(data, "Visma")["parent"] = kkr

    bundle_copy("bundle.yaml", newer)
    return bundle_copy("entities.yaml", move_visma)


@pytest.fixture
def orgs(loaded: BundleReport) -> dict[str, Organisation]:
    roxit = LegalEntity.objects.get(name="Visma Roxit")
    hosted = create(
        actor=None,
        model=Service,
        data={"name": "Squit XO hosting (fictitious)", "provider": roxit, "kind": "saas"},
    )
    exact_online = Service.objects.filter(provider__name="Exact").first()
    return {
        # Visma Roxit, below the changed Visma
        "squit": org_relying_on("squit", "Squit XO", hosted),
        "exact": org_relying_on("exact", "Exact Online", exact_online),  # already KKR's: unchanged
        "key2": org_relying_on("key2", "Key2Burgerzaken"),
        "none": org_relying_on("none", None),
    }


def exposure_changed(before: dict[str, float], after: dict[str, float]) -> bool:
    return any(c.figure.startswith("exposure.") for c in diff(before, after))


def test_a_parent_change_changes_the_exposure_of_exactly_the_affected_organisations(
    orgs: dict[str, Organisation], bundle_copy: Edit
) -> None:
    everyone = [o.pk for o in orgs.values()]
    before = figures_of(everyone)
    report = load_bundle(newer_bundle_moving_visma_to_kkr(bundle_copy))
    after = figures_of(everyone)
    changed = {pk for pk in everyone if exposure_changed(before[pk], after[pk])}
    affected = {o.pk for o in affected_organisations(report.changed_entity_ids)}
    assert changed == affected == {orgs["squit"].pk}
    # control passes from Hg (GB) to KKR (US)
    moved = {c.figure: (c.before, c.after) for c in diff(before[orgs["squit"].pk], after[orgs["squit"].pk])}
    assert moved["exposure.control.US"] == (None, 1)
    assert moved["exposure.control.GB"] == (1, None)
    hg, kkr = LegalEntity.objects.get(name="Hg"), LegalEntity.objects.get(name="KKR & Co. Inc.")
    assert moved[f"reliance.{hg.pk}"] == (1, None)
    assert moved[f"reliance.{kkr.pk}"] == (None, 1)


def test_the_update_command_reports_the_figures_that_change(
    orgs: dict[str, Organisation], bundle_copy: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    path = newer_bundle_moving_visma_to_kkr(bundle_copy)
    status = commands.cmd_update(argparse.Namespace(bundle=path, dry_run=False))
    out = capsys.readouterr().out
    assert status == 0
    assert "Visma: parent: Hg → KKR & Co. Inc." in out
    assert "Organisations affected (1; figures change for 1):" in out
    assert "squit  Gemeente Squit (fictitious)" in out
    assert "exposure.control.US: — → 1" in out
    assert "(KKR & Co. Inc.): — → 1" in out
    assert "exact " not in out
    assert "key2 " not in out
    assert installed_version() == "2026.12.0"


def test_a_dry_run_reports_the_same_and_writes_nothing(
    orgs: dict[str, Organisation], bundle_copy: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    path = newer_bundle_moving_visma_to_kkr(bundle_copy)
    status = commands.cmd_update(argparse.Namespace(bundle=path, dry_run=True))
    out = capsys.readouterr().out
    assert status == 0
    assert "dry run, nothing written" in out
    assert "exposure.control.US: — → 1" in out
    assert installed_version() == "2026.11.0"
    assert LegalEntity.objects.get(name="Visma").parent == LegalEntity.objects.get(name="Hg")
