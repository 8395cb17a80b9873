"""Continuity: failure propagation, blast radius of every provider group, single points of
failure and recovery gaps (domain.md §3.4).

A node fails when a required dependency fails or when fewer than k members of one of its
redundancy groups still work; propagation is the least fixed point, computed for many
failure sets at once as sparse boolean matrices (one column per failure set).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.columns import BoolArray, FloatArray, IntArray, i32
from regie.core.explain import Evidence, FactRef, Step, jsonable
from regie.core.graph import ScopeGraph

__all__ = [
    "Failure",
    "FailureOutcome",
    "GroupBlast",
    "RecoveryGap",
    "SinglePointOfFailure",
    "blast_radius_all_groups",
    "failure_seeds",
    "recovery_gaps",
    "simulate",
    "single_points_of_failure",
    "urgency",
]


@dataclass(frozen=True)
class Failure:
    """A set of nodes going down. Countries are ISO codes.

    ``groups`` are named by the key of any entity of the group; ``data_countries`` fails the
    services with data at rest or processing there; ``controlled_from`` fails every service
    whose provider's control chain contains an entity in that country (a cut-off).
    """

    services: tuple[Hashable, ...] = ()
    groups: tuple[Hashable, ...] = ()
    products: tuple[Hashable, ...] = ()
    usages: tuple[Hashable, ...] = ()
    data_countries: tuple[str, ...] = ()
    controlled_from: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {k: jsonable(v) for k, v in self.__dict__.items()}


def urgency(mtd_hours: FloatArray) -> FloatArray:
    """Weight of a failed process by its maximum tolerable downtime (unknown counts as 3).

    <= 4 h: 3, <= 24 h: 2, longer: 1.
    """
    out = np.where(mtd_hours <= 4, 3.0, np.where(mtd_hours <= 24, 2.0, 1.0))
    return np.asarray(np.where(np.isnan(mtd_hours), 3.0, out), dtype=np.float64)


def failure_seeds(graph: ScopeGraph, failure: Failure) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Services failing for sure, services failing if unknowns go the wrong way, local nodes."""
    snap = graph.snap
    cat = snap.catalogue
    n_s = cat.n_services
    sure = np.zeros(n_s, dtype=bool)
    maybe = np.zeros(n_s, dtype=bool)
    for key in failure.services:
        sure[cat.service_index[key]] = True
    if failure.groups:
        gids = [cat.group_of_entity_key(k) for k in failure.groups]
        sure |= np.isin(cat.service_group, gids)
    for code in failure.data_countries:
        c = cat.country_index.get(code)
        if c is not None:
            sure |= cat.service_dims[1][:, [c]].toarray().ravel()
        maybe |= cat.service_dim_unknown[1]
    for code in failure.controlled_from:
        c = cat.country_index.get(code)
        if c is not None:
            sure |= cat.service_dims[0][:, [c]].toarray().ravel()
        maybe |= cat.service_dim_unknown[0]
    local = np.zeros(graph.n_l, dtype=bool)
    uidx = snap.usage_index
    pos = (
        {int(u): i + graph.n_p for i, u in enumerate(graph.usage.tolist())}
        if (failure.usages or failure.products)
        else {}
    )
    for key in failure.usages:
        i = pos.get(uidx[key])
        if i is not None:
            local[i] = True
    if failure.products:
        pids = [cat.product_index[k] for k in failure.products]
        hit = np.isin(snap.orgs.usage_product[graph.usage], pids)
        local[graph.n_p :] |= hit
    return sure, maybe | sure, local


@dataclass(frozen=True)
class FailureOutcome:
    """Processes that fail, for sure and if every unknown fact goes the wrong way."""

    failed: tuple[Hashable, ...]
    possibly_failed: tuple[Hashable, ...]
    critical_failed: int
    availability_weighted: float
    impact: float
    failed_services: int
    failed_usages: int

    def to_dict(self) -> dict[str, Any]:
        return {k: jsonable(v) for k, v in self.__dict__.items()}


def simulate(graph: ScopeGraph, failure: Failure) -> FailureOutcome:
    """Propagate one failure (and its unknown-as-failed variant) through the scope."""
    sure, maybe, local = failure_seeds(graph, failure)
    seed_s = sp.csr_array(np.stack([sure, maybe], axis=1).astype(np.int32))
    lu = local[graph.n_p :]
    seed_u = sp.csr_array(np.stack([lu, lu], axis=1).astype(np.int32))
    kp, ku, fs = graph.propagate(seed_s, seed_u, 2, usages=True)
    dense = kp.toarray()
    p = graph.process
    o = graph.snap.orgs
    f0 = dense[:, 0]
    f1 = dense[:, 1]
    keys = o.process_keys
    pf = p[f0]
    return FailureOutcome(
        failed=tuple(keys[i] for i in pf.tolist()),
        possibly_failed=tuple(keys[i] for i in p[f1 & ~f0].tolist()),
        critical_failed=int(o.process_critical[pf].sum()),
        availability_weighted=float(o.process_availability[pf].sum()),
        impact=float((o.process_availability[pf] * urgency(o.process_mtd[pf])).sum()),
        failed_services=int(fs[:, [0]].sum()),
        failed_usages=int(ku[:, [0]].sum()) if ku is not None else 0,
    )


@dataclass(frozen=True, eq=False)
class GroupBlast:
    """Blast radius of every provider group failing alone (arrays indexed by group id)."""

    failed_processes: IntArray
    critical_failed: IntArray
    availability_weighted: FloatArray
    impact: FloatArray
    orgs_affected: IntArray
    failed_matrix: Any = field(repr=False)  # (P, G) bool CSR: process fails when group fails (rows unsorted)

    def top(self, n: int = 10) -> IntArray:
        return i32(np.argsort(-self.impact, kind="stable")[:n])


def blast_radius_all_groups(graph: ScopeGraph) -> GroupBlast:
    """Propagate the failure of every provider group at once (one column per group)."""
    cat = graph.snap.catalogue
    g = cat.service_group[graph.used_services]
    has = g >= 0
    seed = sp.csr_array(
        (np.ones(int(has.sum()), dtype=np.int32), (np.nonzero(has)[0], g[has])),
        shape=(len(g), cat.n_groups),
    )
    # the summary only counts and gathers: the columns of a row need no sorting
    kp, _, _ = graph.propagate(seed, None, cat.n_groups, sort=False)
    return _summarise_columns(graph, kp, cat.n_groups)


def _summarise_columns(graph: ScopeGraph, kp: Any, n_cols: int) -> GroupBlast:
    o = graph.snap.orgs
    p = graph.process
    avail = o.process_availability[p].astype(np.float64)
    crit = o.process_critical[p].astype(np.float64)
    impact = avail * urgency(o.process_mtd[p])
    # every per-column sum in one pass over the entries (rows ascending within a column, the
    # order a per-entry bincount adds them in): failed, critical, availability, impact
    sums = kp.T @ np.stack([np.ones(len(p)), crit, avail, impact], axis=1)
    # (organisation, column) pairs hit, marked in a bitmap
    n_o = graph.snap.n_orgs
    key = np.repeat(o.process_org[p].astype(np.int64) * n_cols, np.diff(kp.indptr))
    key += kp.indices
    pairs = np.zeros(n_o * n_cols, dtype=bool)
    pairs[key] = True
    return GroupBlast(
        failed_processes=i32(sums[:, 0]),
        critical_failed=i32(sums[:, 1]),
        availability_weighted=np.ascontiguousarray(sums[:, 2], dtype=np.float64),
        impact=np.ascontiguousarray(sums[:, 3], dtype=np.float64),
        orgs_affected=i32(pairs.reshape(n_o, n_cols).sum(axis=0)),
        failed_matrix=kp,
    )


@dataclass(frozen=True)
class SinglePointOfFailure:
    """One node whose failure alone stops a critical process."""

    process: Hashable
    kind: str  # usage | service
    key: Hashable
    name: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "process": jsonable(self.process),
            "kind": self.kind,
            "key": jsonable(self.key),
            "name": self.name,
            "evidence": self.evidence.to_dict(),
        }


def spof_matrix(
    graph: ScopeGraph, rows: Any | None = None, *, sort: bool = True
) -> tuple[Any, IntArray, IntArray]:
    """(P, K) bool: process fails when candidate k fails alone; candidates are the services in
    the scope's closure (catalogue index) followed by the scope's usages (local index).
    With ``rows``, only those local processes (in that order) are computed. Without ``sort``
    each row's candidates come in no particular order (for counting; a consumer that lists
    them in order sorts a copy: ``sorted_indices()``)."""
    used = graph.used_services
    n_u = graph.n_l - graph.n_p
    k = len(used) + n_u
    # seeds over the used services (what ``propagate`` takes without gathering rows)
    seed_s = sp.csr_array(
        (np.ones(len(used), dtype=np.int32), np.arange(len(used), dtype=np.int32), np.arange(len(used) + 1)),
        shape=(len(used), k),
    )
    seed_u = sp.csr_array(
        (np.ones(n_u, dtype=np.int32), np.arange(len(used), k, dtype=np.int32), np.arange(n_u + 1)),
        shape=(n_u, k),
    )
    kp, _, _ = graph.propagate(seed_s, seed_u, k, rows=rows, sort=sort)
    return kp, i32(used), i32(np.arange(graph.n_p, graph.n_l))


def single_points_of_failure(
    graph: ScopeGraph, *, critical_only: bool = True, matrix: Any | None = None
) -> list[SinglePointOfFailure]:
    """Every (process, node) where the node's failure alone stops the process."""
    snap = graph.snap
    cols = snap.catalogue.cols
    o = snap.orgs
    m, used, _ = spof_matrix(graph) if matrix is None else matrix
    m = m.tocoo()
    rows = m.row
    if critical_only:
        keep = o.process_critical[graph.process[rows]]
        rows, colv = rows[keep], m.col[keep]
    else:
        colv = m.col
    n_used = len(used)
    steps: dict[int, Step] = {}
    psteps: dict[int, Step] = {}
    out = []
    for p_local, col in zip(rows.tolist(), colv.tolist(), strict=True):
        pstep = psteps.get(p_local)
        if pstep is None:
            p = int(graph.process[p_local])
            pstep = psteps[p_local] = Step("process", o.process_keys[p], o.process_names[p])
        step = steps.get(col)
        if step is None:
            if col < n_used:
                s = int(used[col])
                step = Step("service", cols.service_keys[s], cols.service_names[s])
            else:
                u = int(graph.usage[col - n_used])
                step = Step("usage", o.usage_keys[u], o.usage_names[u])
            steps[col] = step
        ev = Evidence(path=(pstep, step), note="fails alone -> process stops")
        out.append(SinglePointOfFailure(pstep.key, step.kind, step.key, step.name, ev))
    return out


@dataclass(frozen=True)
class RecoveryGap:
    """A process whose tolerable downtime is shorter than a recovery time it depends on.

    ``state`` is "gap" (known to be too slow) or "unknown" (MTD or recovery time unknown).
    """

    process: Hashable
    state: str
    mtd_hours: float | None
    rto_hours: float | None
    services: tuple[tuple[Hashable, float | None], ...]
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "process": jsonable(self.process),
            "state": self.state,
            "mtd_hours": self.mtd_hours,
            "rto_hours": self.rto_hours,
            "services": [[jsonable(k), h] for k, h in self.services],
            "evidence": self.evidence.to_dict(),
        }


def recovery_gaps(graph: ScopeGraph, matrix: Any | None = None) -> list[RecoveryGap]:
    """Processes whose MTD is shorter than their own RTO or than the recovery time of a
    service whose failure alone stops them (unknown recovery times count as a gap unknown)."""
    snap = graph.snap
    cat = snap.catalogue
    o = snap.orgs
    m, used, _ = spof_matrix(graph) if matrix is None else matrix
    n_used = len(used)
    ms = m[:, :n_used].tocsr()
    rec = cat.cols.service_recovery
    out = []
    for p_local in range(graph.n_p):
        p = int(graph.process[p_local])
        mtd = float(o.process_mtd[p])
        rto = float(o.process_rto[p])
        svc = used[ms.indices[ms.indptr[p_local] : ms.indptr[p_local + 1]]]
        hrs = rec[svc]
        too_slow: list[tuple[Hashable, float | None]] = [
            (cat.cols.service_keys[s], float(h))
            for s, h in zip(svc, hrs, strict=True)
            if not math.isnan(mtd) and h > mtd
        ]
        unknown: list[tuple[Hashable, float | None]] = [
            (cat.cols.service_keys[s], None) for s, h in zip(svc, hrs, strict=True) if math.isnan(h)
        ]
        rto_gap = not math.isnan(mtd) and not math.isnan(rto) and rto > mtd
        if too_slow or rto_gap:
            state = "gap"
        elif math.isnan(mtd) or unknown:
            state = "unknown"
        else:
            continue
        facts = [
            FactRef("process", o.process_keys[p], "mtd_hours", None if math.isnan(mtd) else mtd),
            FactRef("process", o.process_keys[p], "rto_hours", None if math.isnan(rto) else rto),
        ]
        facts += [FactRef("service", k, "recovery_hours", h) for k, h in too_slow + unknown]
        out.append(
            RecoveryGap(
                process=o.process_keys[p],
                state=state,
                mtd_hours=None if math.isnan(mtd) else mtd,
                rto_hours=None if math.isnan(rto) else rto,
                services=tuple(too_slow + unknown),
                evidence=Evidence(facts=tuple(facts), note="single-point services vs MTD"),
            )
        )
    return out
