"""The Rehost change (regie.core.rehost): pure, on a hand-made snapshot, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.rehost import NewContract, Rehost, rehost
from tests.core.handmade import ORG, Land, two_suppliers

UNPRICED = NewContract(counterparty="msie")  # with the Irish entity, at an unknown price


def _land() -> Land:
    return (
        two_suppliers()
        .process("p1")
        .process("p2")
        .usage("u1", "element")
        .usage("u2", "element")
        .needs("p1", "u1")
        .needs("p2", "u2")
        .needs("u1", "ncloud")
        .needs("u2", "ncloud")
        .contract("c1", "nl", 1000.0, usages=["u1"], price_cap=True)
    )


def _figures(snap):  # type: ignore[no-untyped-def]
    return analyse(snap, [ORG], AnalysisOptions(detail=False)).figures()


def test_only_the_usages_in_scope_move_and_the_input_stays() -> None:
    snap = _land().build()
    before = _figures(snap)
    after_snap = rehost(
        snap,
        Rehost(
            org=ORG,
            usages=("u1",),
            services=("m365",),
            product="teams",
            contract=NewContract(counterparty="msie", annual_value=500.0),
        ),
    )
    after = _figures(after_snap)
    assert before["exposure.control.exposed"] == 0
    assert after["exposure.control.exposed"] == 1  # p1 only: u2 still runs on the Dutch service
    assert after["reliance.msft"] == pytest.approx(0.5)
    assert _figures(snap) == before  # the snapshot given is untouched
    # the old contract covered only u1: it ends, the new one carries the spend
    assert after["spend.total"] == pytest.approx(500.0)
    assert after["spend.hhi"] == pytest.approx(10000.0)


def test_clauses_offered_reach_the_new_contract() -> None:
    snap = _land().build()
    offer = NewContract(counterparty="msie", annual_value=800.0, clauses={"price_cap": 0})
    change = Rehost(org=ORG, usages=("u1", "u2"), services=("m365",), product="teams", contract=offer)
    no_cap = _figures(rehost(snap, change))
    capped = _figures(rehost(snap, replace(change, contract=replace(offer, clauses={"price_cap": 1}))))
    assert no_cap["price.rise_cost"] > 0
    assert capped["price.rise_cost"] < no_cap["price.rise_cost"]


def test_unknown_references_are_refused() -> None:
    snap = _land().build()
    with pytest.raises(ValueError, match="unknown reference"):
        rehost(snap, Rehost(org=ORG, usages=("nope",), services=("m365",)))
    with pytest.raises(ValueError, match="unknown reference"):
        rehost(snap, Rehost(org=ORG, usages=("u1",), services=("nope",)))


def test_an_unknown_price_is_an_unknown_contract_value() -> None:
    snap = _land().build()
    after = rehost(snap, Rehost(org=ORG, usages=("u1",), services=("m365",), contract=UNPRICED))
    a = analyse(after, [ORG], AnalysisOptions(detail=False))
    assert a.spend_unknown_contracts == 1
    assert analyse(snap, [ORG], AnalysisOptions(detail=False)).spend_unknown_contracts == 0


def test_without_services_the_usages_keep_their_hosting() -> None:
    snap = _land().build()
    after = _figures(
        rehost(snap, Rehost(org=ORG, usages=("u1",), services=(), product="teams", contract=UNPRICED))
    )
    assert after["reliance.nl"] == 1.0  # still on the Dutch service
    assert after["reliance.msft"] == 0.5  # and now on the product of the US group
