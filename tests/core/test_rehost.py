"""The one change that moves usages (regie.core.rehost) in both its uses: an exit plan (some
dependencies move, the setup stays) and a bid (the hosting and the setup are replaced under a
new contract). Hand-made snapshot, no database; the bid's own figures are in
tests/procurement/test_rehost.py."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pytest

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.facts import DEPENDENCY_KINDS, SUBSTITUTABILITY
from regie.core.rehost import NewContract, Rehost, rehost
from regie.core.snapshot import Snapshot
from tests.core.handmade import EU, ORG, two_suppliers

OTHER = "other"


def _snap() -> Snapshot:
    """u1 runs on ncloud or nbackup (one of two, group g1), has an exit plan, a contract of its
    own and an override judging Element easily substitutable; u2 runs on ncloud alone; the
    other organisation's u9 runs on ncloud too."""
    land = (
        two_suppliers()
        .service("nbackup", "nl")
        .process("p1")
        .process("p2")
        .usage(
            "u1",
            "element",
            substitutability_override="easily_substitutable",
            override_justification="export tested",
        )
        .usage("u2", "element")
        .group("g1", 1)
        .needs("p1", "u1")
        .needs("p2", "u2")
        .needs("u1", "ncloud", "nbackup", group="g1")
        .needs("u2", "ncloud")
        .contract("c1", "nl", 1000.0, usages=["u1"])
    )
    b = land.b
    b.add_exit_plan(org=ORG, usage="u1")
    b.add_organisation(OTHER, code="GM0002", name="Andere gemeente", kind="municipality", trusted=EU)
    b.add_usage("u9", org=OTHER, name="u9", product="element", reference_component=None, status="production")
    b.add_dependency(org=OTHER, source=("usage", "u9"), target=("service", "ncloud"), kind="runs_on")
    return land.build()


def _deps(snap: Snapshot, usage: Hashable) -> set[tuple[Hashable, Hashable | None, str]]:
    """(service, redundancy group, kind) of each dependency of the usage on a service."""
    cols, keys = snap.orgs, snap.catalogue.cols.service_keys
    u = snap.usage_index[usage]
    return {
        (
            keys[cols.dep_dst[i]],
            None if cols.dep_group[i] < 0 else cols.rgroup_keys[cols.dep_group[i]],
            DEPENDENCY_KINDS[cols.dep_kind[i]],
        )
        for i in range(len(cols.dep_src))
        if cols.dep_src_kind[i] == 1 and cols.dep_src[i] == u and cols.dep_dst_kind[i] == 2
    }


def _figures(snap: Snapshot) -> dict[str, float]:
    return analyse(snap, [ORG], AnalysisOptions(detail=False)).figures()


def _override(snap: Snapshot, usage: Hashable) -> str | None:
    ov = int(snap.orgs.usage_override[snap.usage_index[usage]])
    return None if ov < 0 else SUBSTITUTABILITY[ov]


def test_an_exit_plan_moves_one_usage_off_the_replaced_service_and_keeps_its_setup() -> None:
    snap = _snap()
    before = _figures(snap)
    after = rehost(snap, Rehost(ORG, ("u1",), ("m365",), product="teams", replacing=("ncloud",)))
    # the dependency keeps its kind and its place in the redundancy group
    assert _deps(after, "u1") == {("m365", "g1", "runs_on"), ("nbackup", "g1", "runs_on")}
    assert _deps(after, "u2") == {("ncloud", None, "runs_on")}
    assert _deps(after, "u9") == {("ncloud", None, "runs_on")}
    cat = after.catalogue
    assert after.orgs.usage_product[after.usage_index["u1"]] == cat.product_index["teams"]
    # contracts, exit plans and the override are the register's, untouched
    assert _override(after, "u1") == "easily_substitutable"
    assert after.usage_index["u1"] in set(after.orgs.exit_usage.tolist())
    assert list(after.orgs.contract_keys) == list(snap.orgs.contract_keys)
    assert np.array_equal(after.orgs.contract_value, snap.orgs.contract_value)
    figures = _figures(after)
    assert figures["spend.total"] == before["spend.total"] == 1000.0
    assert figures["lockin.easily_substitutable"] == before["lockin.easily_substitutable"] == 1.0
    # the snapshot given is untouched
    assert _deps(snap, "u1") == {("ncloud", "g1", "runs_on"), ("nbackup", "g1", "runs_on")}
    assert _figures(snap) == before


def test_a_bid_on_the_same_usage_replaces_its_hosting_and_its_setup() -> None:
    snap = _snap()
    offer = NewContract(counterparty="msie", key="bid", annual_value=500.0)
    after = rehost(snap, Rehost(ORG, ("u1",), ("m365",), product="teams", contract=offer))
    # every "runs on" of the usage is replaced by one required one: the group is gone
    assert _deps(after, "u1") == {("m365", None, "runs_on")}
    assert _deps(after, "u2") == {("ncloud", None, "runs_on")}
    assert _override(after, "u1") is None
    assert after.usage_index["u1"] not in set(after.orgs.exit_usage.tolist())
    assert list(after.orgs.contract_keys) == ["c1", "bid"]
    assert after.orgs.contract_value.tolist() == [0.0, 500.0]  # c1 covered only u1: it ends
    assert _figures(after)["spend.total"] == 500.0


def test_an_exit_plan_for_a_service_moves_every_usage_of_the_organisation_and_no_other() -> None:
    snap = _snap()
    after = rehost(snap, Rehost(ORG, None, ("m365",), replacing=("ncloud",)))
    assert _deps(after, "u1") == {("m365", "g1", "runs_on"), ("nbackup", "g1", "runs_on")}
    assert _deps(after, "u2") == {("m365", None, "runs_on")}
    assert _deps(after, "u9") == {("ncloud", None, "runs_on")}  # another organisation's
    assert np.array_equal(after.orgs.usage_product, snap.orgs.usage_product)
    assert _figures(after)["reliance.msft"] == 1.0  # both processes now rest on the US group


def test_a_move_that_changes_nothing_gives_the_snapshot_back() -> None:
    snap = _snap()
    assert rehost(snap, Rehost(ORG, ("u1",), ("m365",), replacing=())) is snap
    assert rehost(snap, Rehost(ORG, ("u1",), ())) is snap


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (Rehost(ORG, None, ("m365",)), "only off named services"),
        (Rehost(ORG, None, ("m365",), replacing=("ncloud",), contract=NewContract()), "only off named"),
        (Rehost(ORG, ("u1",), ("m365", "nbackup"), replacing=("ncloud",)), "exactly one service"),
        (Rehost(ORG, ("u1",), (), replacing=("ncloud",)), "exactly one service"),
        (Rehost(ORG, ("u9",), ("m365",)), "another organisation"),
        (Rehost(ORG, ("u1",), ("m365",), replacing=("nope",)), "unknown reference"),
        (Rehost(ORG, ("u1",), ("m365",), contract=NewContract(counterparty="nope")), "unknown reference"),
    ],
)
def test_a_change_that_cannot_be_meant_is_refused(change: Rehost, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rehost(_snap(), change)
