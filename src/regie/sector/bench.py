"""Benchmark of the sector aggregates on the national synthetic landscape (1,600 organisations).

Wall-clock and processor time (a busy machine inflates the first). Two figures: building
the digest (the engine over every organisation: closures, masks,
substitutability) and then every sector aggregate over all organisations (reliance, HHI per
reference component, jurisdiction exposure, substitutability, systemic suppliers, joint
procurement clusters, peer metrics). The digest is built once per register change; the
aggregates are what a sector page, API call or command computes. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import numpy as np

from regie.core.synthetic import synthetic_snapshot

from . import aggregate
from .benchmark import org_metrics
from .digest import build_digest
from .disclosure import disclose
from .procurement import cluster_row, clusters, contract_rows
from .systemic import SystemicThresholds, assess


def run_sector_bench(scale: str = "national", *, k: int = 5) -> dict[str, Any]:
    t0 = time.perf_counter()
    snap = synthetic_snapshot(scale)
    t1 = time.perf_counter()
    c1 = time.process_time()
    digest = build_digest(snap)
    t2 = time.perf_counter()
    c2 = time.process_time()
    mask = np.ones(digest.n_orgs, dtype=bool)
    out = {
        "reliance": disclose(aggregate.reliance_rows(digest, mask), k=k),
        "refcomp": disclose(aggregate.refcomp_rows(digest, mask), k=k),
        "jurisdictions": disclose(aggregate.jurisdiction_rows(digest, mask), k=k),
        "substitutability": disclose(aggregate.substitutability_rows(digest, mask), k=k),
        "systemic": disclose(
            [
                d.to_row()
                for d in assess(
                    digest, mask, inhabitants=np.full(digest.n_orgs, np.nan), thresholds=SystemicThresholds()
                )
            ],
            k=k,
        ),
    }
    t3 = time.perf_counter()
    today = dt.date(2026, 1, 1)
    rows = contract_rows(snap, today=today, window_months=24)
    found = clusters(rows, today=today, window_months=24)
    out["procurement"] = disclose([cluster_row(c) for c in found], k=k)
    t4 = time.perf_counter()
    metrics = org_metrics(digest)
    t5 = time.perf_counter()
    c5 = time.process_time()
    return {
        "scale": scale,
        "organisations": digest.n_orgs,
        "contracts": len(snap.orgs.contract_keys),
        "contracts_in_window": len(rows),
        "synthetic_build_s": round(t1 - t0, 3),
        "digest_s": round(t2 - t1, 3),
        "digest_cpu_s": round(c2 - c1, 3),
        "aggregates_s": round(t3 - t2, 3),
        "procurement_s": round(t4 - t3, 3),
        "peer_metrics_s": round(t5 - t4, 3),
        "all_aggregates_s": round((t3 - t2) + (t4 - t3) + (t5 - t4), 3),
        "all_aggregates_cpu_s": round(c5 - c2, 3),  # processor time: less sensitive to a busy machine
        "designated": sum(1 for r in out["systemic"] if r.get("designated")),
        "clusters": len(found),
        "peer_metrics": len(metrics),
    }
