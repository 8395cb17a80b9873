"""``org_snapshot`` rebuilds one organisation with everything it holds, exit plans included."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.bench import org_snapshot
from regie.core.columns import NODE_SERVICE
from regie.core.snapshot import Snapshot
from regie.core.synthetic import Scale, synthetic_snapshot

SMALL = Scale(orgs=4, processes_per_org=12, usages_per_org=40, services=200, entities=60, products=80)


def _with_service_exit_plans(snap: Snapshot) -> Snapshot:
    """Every organisation has exit plans for the first services of its own dependencies."""
    o = snap.orgs
    owners, services = [], []
    for org in range(snap.n_orgs):
        lo, hi = int(snap.org_dep_ptr[org]), int(snap.org_dep_ptr[org + 1])
        used = np.unique(o.dep_dst[lo:hi][o.dep_dst_kind[lo:hi] == NODE_SERVICE])[: 2 + org]
        owners += [org] * len(used)
        services += used.tolist()
    cols = replace(
        o,
        exit_service_org=np.asarray(owners, dtype=np.int32),
        exit_service=np.asarray(services, dtype=np.int32),
    )
    return Snapshot.from_arrays(snap.catalogue, cols)


def test_an_org_rebuilt_keeps_its_exit_plans() -> None:
    snap = _with_service_exit_plans(synthetic_snapshot(SMALL, seed=3))
    o = snap.orgs
    opts = AnalysisOptions(detail=False, as_of=None)
    assert len(o.exit_usage)
    assert len(o.exit_service)
    for org in range(snap.n_orgs):
        one = org_snapshot(snap, org)
        n = one.orgs
        own_u = {o.usage_keys[u] for u in o.exit_usage.tolist() if int(o.usage_org[u]) == org}
        assert own_u
        assert {n.usage_keys[u] for u in n.exit_usage.tolist()} == own_u
        own_s = sorted(int(s) for so, s in zip(o.exit_service_org, o.exit_service, strict=True) if so == org)
        assert own_s
        assert sorted(n.exit_service.tolist()) == own_s
        assert set(n.exit_service_org.tolist()) == {0}
        # the lock-in facts that read exit plans are those of the organisation in the whole
        key = o.org_keys[org]
        whole, alone = analyse(snap, [key], opts), analyse(one, None, opts)
        whole_keys = [o.usage_keys[u] for u in whole.graph.usage.tolist()]
        alone_keys = [n.usage_keys[u] for u in alone.graph.usage.tolist()]
        assert whole_keys == alone_keys
        assert np.array_equal(whole.lockin.exit_plan, alone.lockin.exit_plan)
        ws, als = whole.service_lockin, alone.service_lockin
        assert np.array_equal(ws.service, als.service)
        assert np.array_equal(ws.arrays.exit_plan, als.arrays.exit_plan)
        assert als.arrays.exit_plan.any()
        assert alone.figures() == whole.figures()
