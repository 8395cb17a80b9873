"""Scenarios are overlays: each kind changes the figures it should, and the snapshot stays."""

from __future__ import annotations

import numpy as np
import pytest

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.continuity import Failure
from regie.core.scenarios import (
    Acquisition,
    AddRedundantProvider,
    FailureProbe,
    MoveData,
    PriceRise,
    ReplaceProduct,
    ReplaceService,
    Scenario,
    run_scenario,
)
from tests.core.handmade import Land, two_suppliers


def landscape() -> Land:
    return (
        two_suppliers()
        .service("ovh", "nl")
        .process("p1")
        .usage("u1", "teams")
        .needs("p1", "u1")
        .needs("u1", "m365")
        .contract("c1", "msie", 1000.0, usages=["u1"], price_cap=False)
    )


def run(*changes):  # type: ignore[no-untyped-def]
    return run_scenario(landscape().build(), Scenario("test", changes))


def test_replacing_a_us_service_removes_the_control_exposure() -> None:
    diff = run(ReplaceService("m365", "ncloud")).diff()
    assert diff["exposure.control.exposed"] == (1.0, 0.0, -1.0)
    assert diff["exposure.control.none"] == (0.0, 1.0, 1.0)
    assert diff["blast.msft.processes"] == (1.0, 0.0, -1.0)  # the product's supplier stays


def test_replacing_a_product_moves_the_supplier_reliance() -> None:
    diff = run(ReplaceProduct("teams", "element")).diff()
    assert diff["reliance.nl"] == (0.0, 1.0, 1.0)


def test_moving_data_changes_location_exposure_only() -> None:
    snap = (
        Land()
        .entity("nl", "NL")
        .service("s", "nl", rest="US", processing="US")
        .process("p1")
        .usage("u1")
        .needs("p1", "u1")
        .needs("u1", "s")
        .build()
    )
    result = run_scenario(snap, Scenario("move", (MoveData("s", "NL"),)))
    diff = result.diff()
    assert diff["exposure.location.exposed"] == (1.0, 0.0, -1.0)
    assert not any(k.startswith("exposure.control") for k in diff)


def test_adding_a_redundant_provider_keeps_the_process_up_when_a_group_fails() -> None:
    result = run(
        AddRedundantProvider("gm", "u1", alongside="m365", service="ncloud"),
        FailureProbe(Failure(groups=("msft",))),
    )
    ((before, after),) = result.outcomes
    assert before.failed == ("p1",)
    assert after.failed == ()
    diff = result.diff()
    assert diff["failure0.processes"] == (1.0, 0.0, -1.0)
    assert diff["spof.count"][2] < 0


def test_an_acquisition_by_a_us_parent_creates_control_exposure() -> None:
    result = run(
        ReplaceService("m365", "ncloud"),
        Acquisition("nl", "bigco", country="US", name="BigCo Inc."),
    )
    assert result.after.figures()["exposure.control.exposed"] == 1.0
    assert "reliance.bigco" in result.after.figures()


def test_a_price_rise_on_one_group_costs_its_uncapped_spend() -> None:
    diff = run(PriceRise(25.0, frozenset({"msie"}))).diff()
    assert diff["price.msft.rise_cost"] == (100.0, 250.0, 150.0)


def test_a_failure_probe_reports_failed_processes_before_and_after() -> None:
    result = run(FailureProbe(Failure(services=("m365",))))
    ((before, after),) = result.outcomes
    assert before.failed == after.failed == ("p1",)
    assert result.diff() == {}


def test_a_scenario_never_mutates_the_snapshot() -> None:
    snap = landscape().build()
    figures = analyse(snap, None, AnalysisOptions(detail=False)).figures()
    dst = snap.orgs.dep_dst.copy()
    parents = snap.catalogue.cols.entity_parent.copy()
    run_scenario(
        snap,
        Scenario(
            "all",
            (
                AddRedundantProvider("gm", "u1", alongside="m365", service="ovh"),
                ReplaceService("m365", "ncloud"),
                MoveData("m365", "US"),
                Acquisition("nl", "msft"),
                PriceRise(50.0),
            ),
        ),
    )
    assert np.array_equal(snap.orgs.dep_dst, dst)
    assert np.array_equal(snap.catalogue.cols.entity_parent, parents)
    assert analyse(snap, None, AnalysisOptions(detail=False)).figures() == figures


def test_a_redundant_provider_needs_the_existing_edge() -> None:
    with pytest.raises(ValueError, match="does not run on"):
        run(AddRedundantProvider("gm", "u1", alongside="ovh", service="ncloud"))


def test_scenario_result_renders_to_json() -> None:
    import json

    text = json.dumps(run(ReplaceService("m365", "ncloud")).to_dict())
    assert "ReplaceService" in text
