"""One entry point that runs every computation of domain.md §3 for one organisation or a set.

``analyse(snapshot, orgs)`` returns an :class:`Analysis`; ``figures()`` flattens it into
named numbers (what scenarios diff), ``to_dict()`` into JSON. Detailed, evidence-carrying
results (per-process exposures, single points of failure, recovery gaps, substitutability)
are available when ``detail`` is on (the default for up to five organisations) and are
built on first access, like their evidence, so a re-analysis pays for the figures only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from regie.core.columns import IntArray, i32
from regie.core.concentration import (
    Reliance,
    ShareTable,
    reliance_table,
    spend_shares,
    usage_shares_by_kind,
    usage_shares_by_refcomp,
)
from regie.core.continuity import (
    GroupBlast,
    RecoveryGap,
    SinglePointOfFailure,
    blast_radius_all_groups,
    recovery_gaps,
    single_points_of_failure,
    spof_matrix,
)
from regie.core.explain import jsonable
from regie.core.exposure import ExposureMatrix, ProcessExposure, exposure_matrix, process_exposures
from regie.core.graph import ScopeGraph
from regie.core.lockin import (
    LockinArrays,
    LockinPolicy,
    ServiceLockin,
    Substitutability,
    lockin_arrays,
    service_lockin,
    service_substitutability_details,
)
from regie.core.lockin import substitutability_details as _details
from regie.core.masks import ClosureMasks, closure_masks
from regie.core.pricing import PricePower, price_power
from regie.core.snapshot import Snapshot

__all__ = ["Analysis", "AnalysisOptions", "analyse", "analyse_org", "second_core_free"]


@dataclass(frozen=True)
class AnalysisOptions:
    as_of: dt.date | None = None
    rise_percent: float = 10.0
    rise_groups: frozenset[Hashable] | None = None  # entity keys; None: every group
    detail: bool | None = None  # None: on for up to five organisations
    spof: bool = True  # single points of failure and recovery gaps
    # run continuity in a second thread beside the rest, for scopes above 20 organisations:
    # True always, False never, None when a core is free (``second_core_free``; ADR 0016)
    threads: bool | None = None
    lockin: LockinPolicy = field(default_factory=LockinPolicy)


@dataclass(frozen=True, eq=False)
class Analysis:
    """All figures for a scope; detailed lists are empty unless detail was on."""

    orgs: tuple[Hashable, ...]
    graph: ScopeGraph = field(repr=False)
    exposure: ExposureMatrix = field(repr=False)
    reliance: tuple[Reliance, ...]
    spend: ShareTable | None
    spend_unknown_contracts: int
    refcomp_shares: tuple[ShareTable, ...]
    kind_shares: tuple[ShareTable, ...]
    blast: GroupBlast = field(repr=False)
    lockin: LockinArrays = field(repr=False)
    price: tuple[PricePower, ...]
    spof_count: int
    spof_critical_processes: int
    service_lockin: ServiceLockin = field(repr=False)
    # detailed, evidence-carrying lists: built on first access (empty without detail)
    details: Mapping[str, Callable[[], tuple[Any, ...]]] = field(default_factory=dict, repr=False)
    _built: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    # the arrays behind the figures, for consumers that evaluate their own rules over them
    # (policies): closure masks per process and per usage (``masks.usage_country`` ...), and
    # single points of failure per process -- ``spof_matrix`` is (len(spof_rows), K) bool
    # CSR, row i for local process ``spof_rows[i]`` (every process with detail, the critical
    # ones without), columns the services in ``spof_services`` (catalogue indexes) followed
    # by the scope's usages (local usage index = column - len(spof_services)); each row's
    # columns are sorted with detail only (else sort a copy: ``sorted_indices()``)
    masks: ClosureMasks | None = field(default=None, repr=False)
    spof_matrix: Any = field(default=None, repr=False)
    spof_rows: IntArray | None = field(default=None, repr=False)
    spof_services: IntArray | None = field(default=None, repr=False)

    def _detail(self, name: str) -> tuple[Any, ...]:
        if name not in self._built:
            make = self.details.get(name)
            self._built[name] = make() if make is not None else ()
        return self._built[name]

    @property
    def process_exposures(self) -> tuple[ProcessExposure, ...]:
        return self._detail("process_exposures")

    @property
    def spofs(self) -> tuple[SinglePointOfFailure, ...]:
        return self._detail("spofs")

    @property
    def recovery(self) -> tuple[RecoveryGap, ...]:
        return self._detail("recovery")

    @property
    def substitutability(self) -> tuple[Substitutability, ...]:
        return self._detail("substitutability")

    @property
    def service_substitutability(self) -> tuple[Substitutability, ...]:
        """Per (organisation, service it uses directly)."""
        return self._detail("service_substitutability")

    def figures(self) -> dict[str, float]:
        """Every figure as a flat name -> number mapping (what scenarios compare)."""
        g = self.graph
        o = g.snap.orgs
        crit = o.process_critical[g.process]
        f: dict[str, float] = {
            "processes": float(g.n_p),
            "critical_processes": float(crit.sum()),
            "usages": float(len(g.usage)),
        }
        for k, v in self.exposure.counts().items():
            f[f"exposure.{k}"] = float(v)
        for r in self.reliance:
            f[f"reliance.{r.group}"] = r.share
        if self.spend is not None:
            f["spend.total"] = self.spend.total
            f["spend.hhi"] = self.spend.hhi
            for s in self.spend.shares:
                f[f"spend.share.{s.group}"] = s.share
        for t in self.refcomp_shares:
            f[f"hhi.refcomp.{t.category}"] = t.hhi
        for t in self.kind_shares:
            f[f"hhi.kind.{t.category}"] = t.hhi
        cat = g.snap.catalogue
        for gid in np.nonzero(self.blast.failed_processes)[0].tolist():
            key = cat.cols.entity_keys[cat.group_entity[gid]]
            f[f"blast.{key}.processes"] = float(self.blast.failed_processes[gid])
            f[f"blast.{key}.critical"] = float(self.blast.critical_failed[gid])
            f[f"blast.{key}.impact"] = float(self.blast.impact[gid])
        for k, v in self.lockin.counts().items():
            f[f"lockin.{k}"] = float(v)
        for k, v in self.service_lockin.arrays.counts().items():
            f[f"lockin.service.{k}"] = float(v)
        for p in self.price:
            f[f"price.{p.group}.rise_cost"] = p.rise_cost
            f[f"price.{p.group}.inescapable"] = p.inescapable_cost
        f["price.rise_cost"] = float(sum(p.rise_cost for p in self.price))
        f["price.inescapable"] = float(sum(p.inescapable_cost for p in self.price))
        f["spof.count"] = float(self.spof_count)
        f["spof.critical_processes"] = float(self.spof_critical_processes)
        return f

    def to_dict(self) -> dict[str, Any]:
        cat = self.graph.snap.catalogue
        top = self.blast.top(10)
        return {
            "orgs": jsonable(self.orgs),
            "figures": self.figures(),
            "reliance": [r.to_dict() for r in self.reliance],
            "spend": self.spend.to_dict() if self.spend else None,
            "spend_unknown_contracts": self.spend_unknown_contracts,
            "refcomp_shares": [t.to_dict() for t in self.refcomp_shares],
            "kind_shares": [t.to_dict() for t in self.kind_shares],
            "blast_top": [
                {
                    "group": jsonable(cat.cols.entity_keys[cat.group_entity[g]]),
                    "name": cat.cols.entity_names[cat.group_entity[g]],
                    "failed_processes": int(self.blast.failed_processes[g]),
                    "critical_failed": int(self.blast.critical_failed[g]),
                    "impact": float(self.blast.impact[g]),
                    "orgs_affected": int(self.blast.orgs_affected[g]),
                }
                for g in top.tolist()
                if self.blast.failed_processes[g] > 0
            ],
            "price": [p.to_dict() for p in self.price],
            "process_exposures": [p.to_dict() for p in self.process_exposures],
            "spofs": [s.to_dict() for s in self.spofs],
            "recovery": [r.to_dict() for r in self.recovery],
            "substitutability": [s.to_dict() for s in self.substitutability],
            "service_substitutability": [s.to_dict() for s in self.service_substitutability],
        }


def second_core_free() -> bool:
    """Whether a second thread would get a core of its own: at least two usable CPUs and a
    1-minute load average that leaves one of them idle. On a shared machine whose cores are
    busy, the second thread only adds CPU time (both threads contend for the same cores and
    memory) without shortening the wall time (ADR 0016, fourth pass)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        n = os.cpu_count() or 1
    if n < 2:
        return False
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover
        return True
    return load <= n - 0.5


def _closures(graph: ScopeGraph) -> dict[str, Any]:
    graph.req_l  # noqa: B018  (the required-edge matrices first: the other thread is
    graph.req_s  # noqa: B018   building the all-edge matrices meanwhile)
    graph.mem_l  # noqa: B018
    return graph.required


def _continuity(graph: ScopeGraph, crit: IntArray, *, detail: bool, spof: bool) -> tuple[GroupBlast, Any]:
    blast = blast_radius_all_groups(graph)
    if not spof:
        return blast, None
    # the detailed lists read the candidates of a row in order; the figures only count them
    return blast, spof_matrix(graph, rows=None if detail else crit, sort=detail)


def analyse(
    snap: Snapshot,
    orgs: Sequence[Hashable] | None = None,
    options: AnalysisOptions | None = None,
) -> Analysis:
    """Run every computation for the organisations ``orgs`` (None: all of them).

    For large scopes (and, by default, when a core is free) a second thread builds the
    required-edge matrices and their closures, then the continuity part (blast radius,
    single points of failure), while this thread builds the all-edge matrices, does what
    needs no closure (lock-in, spend, shares, price power) and then, once the closures are
    there, the masks, exposure and reliance; numpy and scipy release the GIL in their
    kernels.
    """
    opt = options or AnalysisOptions()
    idx = snap.orgs_of(orgs)
    detail = opt.detail if opt.detail is not None else len(idx) <= 5
    graph = ScopeGraph.build(snap, idx)
    crit = i32(np.nonzero(snap.orgs.process_critical[graph.process])[0])
    run = partial(_continuity, graph, crit, detail=detail, spof=opt.spof)
    threaded = opt.threads if opt.threads is not None else second_core_free()
    pool = ThreadPoolExecutor(max_workers=1) if threaded and len(idx) > 20 else None
    closures = future = None
    if pool is not None:
        # the closures first (the masks below need them), then continuity, in one worker;
        # the worker builds the required-edge matrices while this thread builds the
        # all-edge ones that the rest needs (and the worker's closures after them)
        closures = pool.submit(_closures, graph)
        future = pool.submit(run)
        graph.adj_s  # noqa: B018
    try:
        spend, unknown_spend = spend_shares(graph)
        lock = lockin_arrays(graph, as_of=opt.as_of, policy=opt.lockin)
        service_lock = service_lockin(graph, as_of=opt.as_of, policy=opt.lockin)
        cat = snap.catalogue
        rise_groups = None
        if opt.rise_groups is not None:
            rise_groups = frozenset(cat.group_of_entity_key(k) for k in opt.rise_groups)
        refcomp = tuple(usage_shares_by_refcomp(graph))
        kinds = tuple(usage_shares_by_kind(graph))
        price = price_power(
            graph, lock, services=service_lock, rise_percent=opt.rise_percent, groups=rise_groups
        )
        if closures is not None:
            closures.result()
        masks = closure_masks(graph, None if detail else crit)
        em = exposure_matrix(graph, masks)
        reliance = reliance_table(graph, masks, evidence=detail)
        blast, sm = future.result() if future is not None else run()
    finally:
        if pool is not None:
            pool.shutdown()
    mc = None if sm is None else (sm[0][crit] if detail else sm[0])
    return Analysis(
        orgs=tuple(snap.orgs.org_keys[i] for i in idx.tolist()),
        graph=graph,
        exposure=em,
        reliance=reliance,
        spend=spend,
        spend_unknown_contracts=unknown_spend,
        refcomp_shares=refcomp,
        kind_shares=kinds,
        blast=blast,
        lockin=lock,
        price=price,
        spof_count=0 if mc is None else int(mc.nnz),
        spof_critical_processes=0 if mc is None else int((np.diff(mc.indptr) > 0).sum()),
        service_lockin=service_lock,
        details=_detail_builders(graph, em, lock, service_lock, sm if detail else None) if detail else {},
        masks=masks,
        spof_matrix=None if sm is None else sm[0],
        spof_rows=None if sm is None else (i32(np.arange(graph.n_p)) if detail else crit),
        spof_services=None if sm is None else sm[1],
    )


def _detail_builders(
    graph: ScopeGraph,
    em: ExposureMatrix,
    lock: LockinArrays,
    service_lock: ServiceLockin,
    sm: Any,
) -> dict[str, Callable[[], tuple[Any, ...]]]:
    out: dict[str, Callable[[], tuple[Any, ...]]] = {
        "process_exposures": lambda: tuple(process_exposures(graph, em)),
        "substitutability": lambda: tuple(_details(graph, lock)),
        "service_substitutability": lambda: tuple(service_substitutability_details(graph, service_lock)),
    }
    if sm is not None:
        out["spofs"] = lambda: tuple(single_points_of_failure(graph, matrix=sm))
        out["recovery"] = lambda: tuple(recovery_gaps(graph, matrix=sm))
    return out


def analyse_org(snap: Snapshot, org: Hashable, options: AnalysisOptions | None = None) -> Analysis:
    """Everything for one organisation, with evidence."""
    return analyse(snap, [org], options)
