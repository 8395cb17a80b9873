"""Systemic designation, joint-procurement clustering and peer percentiles on hand-made data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from regie.core.facts import SUBSTITUTABILITY
from regie.sector.benchmark import compare, percentile_rank, size_band
from regie.sector.digest import Digest
from regie.sector.procurement import ContractRow, add_months, clusters
from regie.sector.systemic import SystemicThresholds, assess

EASY, MEDIUM, HIGH, NONE = (SUBSTITUTABILITY.index(c) for c in SUBSTITUTABILITY)


def _digest() -> Digest:
    """Ten organisations, each with two critical processes; groups: 0 Hyper, 1 Local, 2 Niche.

    Hyper: all ten rely on it for both processes; its usages are not substitutable; it holds
    every usage of "Zaaksysteem". Local: four rely (below the 10 % step? no: 40 %), easily
    substitutable, one of two suppliers of "Archief". Niche: one organisation (10 %)."""
    n = 10
    relies = np.zeros((n, 3), dtype=np.int32)
    relies[:, 0] = 2
    relies[:4, 1] = 1
    relies[0, 2] = 1
    refcomp_rows = np.array(
        [[o, 0, 0, 1] for o in range(n)]
        + [[o, 1, 1, 1] for o in range(4)]
        + [[o, 1, -1, 1] for o in range(4, 8)]
    )
    group_subst = np.array(
        [[o, 0, NONE, 1] for o in range(n)] + [[o, 1, EASY, 1] for o in range(4)] + [[0, 2, MEDIUM, 1]]
    )
    return Digest(
        org_keys=tuple(range(n)),
        org_kinds=("central_government",) + ("municipality",) * (n - 1),
        critical=np.full(n, 2, dtype=np.int32),
        relies=relies,
        group_keys=("hyper", "local", "niche"),
        group_names=("Hyper", "Local", "Niche"),
        control=np.zeros((n, 1), dtype=np.int32),
        non_trusted_control=np.zeros(n, dtype=np.int32),
        country_codes=("US",),
        subst=np.zeros((n, 4), dtype=np.int32),
        refcomp_rows=refcomp_rows,
        refcomp_names=("Zaaksysteem", "Archief"),
        group_subst_rows=group_subst,
    )


def test_a_systemic_supplier_is_designated_and_explained_by_its_figures() -> None:
    digest = _digest()
    inhabitants = np.array([0, 50_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000.0])
    found = {
        d.group: d
        for d in assess(
            digest, np.ones(10, dtype=bool), inhabitants=inhabitants, thresholds=SystemicThresholds()
        )
    }
    hyper = found["hyper"]
    assert hyper.designated
    crit = {c.name: c for c in hyper.criteria}
    assert crit["reliance"].value == 1.0
    assert crit["importance"].met  # a central-government organisation relies on it
    assert crit["critical_functions"].value == 1.0  # 20 of 20 critical processes
    assert crit["substitutability"].value == 1.0
    assert crit["substitutability"].detail == "10 of 10 usages highly complex or not substitutable"
    assert crit["concentration"].value == 1.0
    assert "Zaaksysteem" in crit["concentration"].detail
    local = found["local"]
    lcrit = {c.name: c for c in local.criteria}
    assert lcrit["reliance"].value == pytest.approx(0.4)
    assert lcrit["critical_functions"].value == pytest.approx(0.2)  # 4 of 20
    assert not lcrit["substitutability"].met
    assert lcrit["concentration"].value == pytest.approx(0.5)  # 4 of the 8 Archief usages
    assert lcrit["importance"].met  # the central-government organisation is among the four
    assert local.designated  # importance, critical functions, concentration: 3 of 4
    assert found["niche"].org_share == pytest.approx(0.1)


def test_thresholds_are_configurable_and_change_the_designation() -> None:
    strict = SystemicThresholds.from_mapping({"min_criteria": 4})
    found = {
        d.group: d
        for d in assess(_digest(), np.ones(10, dtype=bool), inhabitants=np.zeros(10), thresholds=strict)
    }
    assert found["hyper"].designated
    assert not found["local"].designated
    with pytest.raises(ValueError, match="unknown systemic threshold"):
        SystemicThresholds.from_mapping({"min_orgs": 3})


def test_joint_procurement_worked_example() -> None:
    """Five municipalities with a contract with Hyper ending in 2027, one ending in 2030
    (outside the 24-month window from 1 Jan 2026), and two "Zaaksysteem" contracts with other
    suppliers: one cluster per provider group and one per reference component."""
    today = dt.date(2026, 1, 1)
    rows = [
        ContractRow(f"gm{i}", "hyper", "Hyper", ("Kantoor",), dt.date(2027, i, 1), 100_000.0 * i)
        for i in range(1, 6)
    ]
    rows += [
        ContractRow("gm6", "hyper", "Hyper", ("Kantoor",), dt.date(2030, 1, 1), 1.0),
        ContractRow("gm1", "local", "Local", ("Zaaksysteem",), dt.date(2026, 6, 30), 40_000.0),
        ContractRow("gm2", "other", "Other", ("Zaaksysteem",), dt.date(2027, 12, 31), None),
        ContractRow("gm3", "", "", (), None, 5.0),
    ]
    found = {(c.basis, c.key): c for c in clusters(rows, today=today, window_months=24)}
    hyper = found[("group", "hyper")]
    assert hyper.members == frozenset({"gm1", "gm2", "gm3", "gm4", "gm5"})
    assert hyper.annual_value == 1_500_000.0
    assert (hyper.first_end, hyper.last_end) == (dt.date(2027, 1, 1), dt.date(2027, 5, 1))
    zaak = found[("refcomp", "Zaaksysteem")]
    assert zaak.orgs == 2
    assert zaak.annual_value == 40_000.0
    assert zaak.unknown_values == 1
    assert found[("refcomp", "Kantoor")].contracts == 5
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_peer_percentiles_on_a_hand_made_set() -> None:
    peers = [0.1, 0.2, 0.3, 0.4, 0.5]
    assert percentile_rank(peers, 0.3) == 50.0  # two below, one tie counted half: 2.5 of 5
    assert percentile_rank(peers, 0.05) == 0.0
    assert percentile_rank(peers, 0.9) == 100.0
    row = compare({"m": 0.3}, {"m": peers})[0]
    assert (row["p25"], row["median"], row["p75"]) == pytest.approx((0.2, 0.3, 0.4))
    assert row["orgs"] == 5


def test_size_bands() -> None:
    assert [size_band(x) for x in (None, 19_999, 20_000, 99_999, 100_000)] == [
        "unknown",
        "<20k",
        "20k-50k",
        "50k-100k",
        ">=100k",
    ]
