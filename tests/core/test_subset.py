"""``org_columns`` cuts one organisation out of a snapshot: analysed alone, it gives what the
organisation gives inside the whole, and what the builder's rebuild of it gives."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.bench import edited, org_snapshot, reanalyse
from regie.core.columns import NODE_SERVICE
from regie.core.facts import Fact
from regie.core.snapshot import Snapshot
from regie.core.subset import org_columns
from regie.core.synthetic import Scale, synthetic_snapshot

SMALL = Scale(orgs=5, processes_per_org=14, usages_per_org=45, services=220, entities=70, products=90)
OPTS = AnalysisOptions(detail=True, as_of=dt.date(2026, 6, 1))


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    """The synthetic landscape with exit plans on services, a service on every other contract
    and a fact on rows of every table the organisation side keeps facts for."""
    base = synthetic_snapshot(SMALL, seed=11)
    o = base.orgs
    owners, services = [], []
    for org in range(base.n_orgs):
        lo, hi = int(base.org_dep_ptr[org]), int(base.org_dep_ptr[org + 1])
        used = np.unique(o.dep_dst[lo:hi][o.dep_dst_kind[lo:hi] == NODE_SERVICE])[: 1 + org]
        owners += [org] * len(used)
        services += used.tolist()
    facts = {
        (table, row, "source"): Fact(source=f"{table} {row}", checked_on=dt.date(2026, 1, 1))
        for table, n in (("process", len(o.process_keys)), ("usage", len(o.usage_keys)))
        for row in range(0, n, 7)
    }
    n_c = len(o.contract_keys)
    facts.update({("contract", c, "value"): Fact(source=f"contract {c}") for c in range(n_c)})
    with_service = np.arange(n_c) % 2 == 0
    names = ["Zaaksysteem", "Documentbeheer"]
    own_refcomp = np.where(np.arange(len(o.usage_keys)) % 5 == 0, np.arange(len(o.usage_keys)) % 2, -1)
    cols = replace(
        o,
        usage_refcomp=own_refcomp.astype(np.int32),
        refcomp_names=names,
        contract_service_ptr=np.r_[0, np.cumsum(with_service)].astype(np.int32),
        contract_service=(np.flatnonzero(with_service) % base.catalogue.n_services).astype(np.int32),
        exit_service_org=np.asarray(owners, dtype=np.int32),
        exit_service=np.asarray(services, dtype=np.int32),
        facts=facts,
    )
    return Snapshot.from_arrays(base.catalogue, cols)


def test_the_landscape_has_what_the_cut_must_renumber(snap: Snapshot) -> None:
    o = snap.orgs
    assert (o.dep_group >= 0).any()  # redundancy groups
    assert len(o.exit_usage)
    assert len(o.exit_service)
    assert len(o.contract_usage)
    assert len(o.contract_service)
    assert (o.usage_refcomp >= 0).any()


@pytest.mark.parametrize("org", range(SMALL.orgs))
def test_an_org_cut_out_analyses_as_inside_the_whole_and_as_rebuilt(snap: Snapshot, org: int) -> None:
    key = snap.orgs.org_keys[org]
    alone = Snapshot.from_arrays(snap.catalogue, org_columns(snap, org))
    cut = analyse(alone, None, OPTS).to_dict()
    assert cut == analyse(snap, [key], OPTS).to_dict()
    # the builder numbers reference components in the order it meets them, so its share
    # tables come in another order
    rebuilt = analyse(org_snapshot(snap, org), None, OPTS).to_dict()
    for d in (cut, rebuilt):
        d["refcomp_shares"].sort(key=lambda t: t["category"])
    assert cut == rebuilt


@pytest.mark.parametrize("org", [0, SMALL.orgs - 1])
def test_the_cut_keeps_the_rows_of_the_org_and_their_facts(snap: Snapshot, org: int) -> None:
    o = snap.orgs
    n = org_columns(snap, org)
    p0, p1 = int(snap.org_process_ptr[org]), int(snap.org_process_ptr[org + 1])
    u0, u1 = int(snap.org_usage_ptr[org]), int(snap.org_usage_ptr[org + 1])
    c0, c1 = int(snap.org_contract_ptr[org]), int(snap.org_contract_ptr[org + 1])
    assert list(n.process_keys) == list(o.process_keys[p0:p1])
    assert list(n.usage_keys) == list(o.usage_keys[u0:u1])
    assert list(n.contract_keys) == list(o.contract_keys[c0:c1])
    assert {n.usage_keys[u] for u in n.exit_usage.tolist()} == {
        o.usage_keys[u] for u in o.exit_usage.tolist() if int(o.usage_org[u]) == org
    }
    for c in range(c1 - c0):
        lo, hi = n.contract_usage_ptr[c], n.contract_usage_ptr[c + 1]
        olo, ohi = o.contract_usage_ptr[c0 + c], o.contract_usage_ptr[c0 + c + 1]
        assert [n.usage_keys[u] for u in n.contract_usage[lo:hi]] == [
            o.usage_keys[u] for u in o.contract_usage[olo:ohi]
        ]
    expected = {
        (t, r - lo, a): f
        for (t, r, a), f in o.facts.items()
        for lo, hi in [{"process": (p0, p1), "usage": (u0, u1), "contract": (c0, c1)}[t]]
        if lo <= r < hi
    }
    assert expected
    assert dict(n.facts) == expected
    for t, r, _ in n.facts:
        keys = {"process": n.process_keys, "usage": n.usage_keys, "contract": n.contract_keys}[t]
        whole = {"process": o.process_keys, "usage": o.usage_keys, "contract": o.contract_keys}[t]
        assert keys[r] in whole


def test_the_benchmark_edit_changes_the_first_contract_only(snap: Snapshot) -> None:
    cols = org_columns(snap, 1)
    after = edited(cols)
    assert not np.array_equal(after.contract_clauses[0], cols.contract_clauses[0])
    assert np.array_equal(after.contract_clauses[1:], cols.contract_clauses[1:])
    before = analyse(Snapshot.from_arrays(snap.catalogue, cols), None, OPTS).figures()
    assert reanalyse(snap, 1, OPTS).figures() != before
