"""Jurisdiction exposure per process (domain.md §3.2).

Per dimension (control, location, access) a process is exposed to the countries found in
its closure; "unknown" is its own state: an unknown provider, parent, country or location
anywhere in the closure (or a usage that runs on no known service, or a process with no
dependencies at all) makes the dimension unknown rather than safe. Non-EU exposure is
exposure to any country outside the organisation's trusted set.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from regie.core.closure import Walk, control_chain, entity_step, walk
from regie.core.columns import BoolArray
from regie.core.explain import Evidence, FactRef, Step, jsonable
from regie.core.facts import DIMENSIONS
from regie.core.graph import ScopeGraph

__all__ = [
    "STATES",
    "DimensionExposure",
    "ExposureMatrix",
    "ProcessExposure",
    "explain_exposure",
    "exposure_matrix",
    "process_exposures",
]

STATES: tuple[str, ...] = ("none", "unknown", "exposed")


@dataclass(frozen=True, eq=False)
class ExposureMatrix:
    """Exposure of every process in a scope, as arrays (rows are local processes)."""

    countries: tuple[Any, Any, Any]  # (P, C) bool CSR per dimension
    unknown: tuple[BoolArray, BoolArray, BoolArray]
    non_trusted: tuple[BoolArray, BoolArray, BoolArray]
    state: Any  # (P, 3) int8 index into STATES, per dimension

    def counts(self) -> dict[str, int]:
        out = {}
        for d, dim in enumerate(DIMENSIONS):
            for s, name in enumerate(STATES):
                out[f"{dim}.{name}"] = int((self.state[:, d] == s).sum())
        return out


def exposure_matrix(graph: ScopeGraph) -> ExposureMatrix:
    snap = graph.snap
    cat = snap.catalogue
    n_p = graph.n_p
    ps = graph.process_services.astype(np.int32)
    pu = graph.process_usages.astype(np.int32)
    no_deps = (np.diff(graph.adj_l.indptr[: n_p + 1]) + np.diff(graph.adj_s.indptr[: n_p + 1])) == 0
    unhosted = (pu @ graph.usage_unhosted.astype(np.int32)) > 0
    base = no_deps | unhosted
    org = snap.orgs.process_org[graph.process]
    countries = []
    unknown = []
    non_trusted = []
    state = np.zeros((n_p, 3), dtype=np.int8)
    for d in range(3):
        pc = (ps @ cat.service_dims[d].astype(np.int32)).astype(bool).tocsr()
        unk = base | ((ps @ cat.service_dim_unknown[d].astype(np.int32)) > 0)
        rows = np.repeat(np.arange(n_p), np.diff(pc.indptr))
        bad = ~snap.org_trusted[org[rows], pc.indices]
        nt = np.bincount(rows[bad], minlength=n_p) > 0
        state[:, d] = np.where(nt, 2, np.where(unk, 1, 0))
        countries.append(pc)
        unknown.append(unk)
        non_trusted.append(nt)
    return ExposureMatrix(
        countries=(countries[0], countries[1], countries[2]),
        unknown=(unknown[0], unknown[1], unknown[2]),
        non_trusted=(non_trusted[0], non_trusted[1], non_trusted[2]),
        state=state,
    )


@dataclass(frozen=True)
class DimensionExposure:
    """Exposure of one process to one country in one dimension, or an unknown.

    ``country`` None means the dimension is unknown; ``laws`` are (key, name) of the laws
    that make the exposure material (same country, triggered by this dimension).
    """

    process: Hashable
    dimension: str
    country: str | None
    trusted: bool
    laws: tuple[tuple[Hashable, str], ...]
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "process": jsonable(self.process),
            "dimension": self.dimension,
            "country": self.country,
            "trusted": self.trusted,
            "laws": [[jsonable(k), n] for k, n in self.laws],
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class ProcessExposure:
    process: Hashable
    name: str
    states: tuple[tuple[str, str], ...]  # (dimension, none|unknown|exposed) for non-trusted
    exposures: tuple[DimensionExposure, ...]

    def state(self, dimension: str) -> str:
        return dict(self.states)[dimension]

    def to_dict(self) -> dict[str, Any]:
        return {
            "process": jsonable(self.process),
            "name": self.name,
            "states": dict(self.states),
            "exposures": [e.to_dict() for e in self.exposures],
        }


def _law_rows(graph: ScopeGraph, country: int, d: int) -> list[int]:
    cat = graph.snap.catalogue
    hit = np.nonzero((cat.cols.law_country == country) & cat.law_triggers_mask[:, d])[0]
    return [int(i) for i in hit]


def _laws(graph: ScopeGraph, country: int, d: int) -> tuple[tuple[Hashable, str], ...]:
    cols = graph.snap.catalogue.cols
    return tuple((cols.law_keys[i], cols.law_names[i]) for i in _law_rows(graph, country, d))


def explain_exposure(
    graph: ScopeGraph, p_local: int, d: int, country: int | None, w: Walk | None = None
) -> Evidence:
    """The path and facts that expose a process to a country (None: why it is unknown)."""
    w = w or walk(graph, p_local)
    if country is None:
        return _explain_unknown(graph, d, w)
    return _explain_country(graph, d, country, w)


def _explain_unknown(graph: ScopeGraph, d: int, w: Walk) -> Evidence:
    cat = graph.snap.catalogue
    cols = cat.cols
    unk = cat.service_dim_unknown[d]
    s = w.first_service(lambda i: bool(unk[i]))
    if s is None:
        n_p = graph.n_p
        u = w.first_local(lambda i: i >= n_p and bool(graph.usage_unhosted[i - n_p]))
        if u is None:
            return Evidence(path=tuple(w.path(w.order[0])), note="no dependencies recorded")
        return Evidence(path=tuple(w.path(("local", u))), note="runs on no known service")
    path = w.path(("service", s))
    if d == 0:
        return _explain_unknown_control(graph, s, path)
    roles = ("rest", "processing") if d == 1 else ("access",)
    note = "location unknown" if d == 1 else "access location unknown"
    return Evidence(
        tuple(path), tuple(FactRef("service", cols.service_keys[s], r, None) for r in roles), note
    )


def _explain_unknown_control(graph: ScopeGraph, s: int, path: list[Step]) -> Evidence:
    cols = graph.snap.catalogue.cols
    facts = cols.facts
    prov = int(cols.service_provider[s])
    if prov < 0:
        fact = FactRef("service", cols.service_keys[s], "provider", None)
        return Evidence(tuple(path), (fact,), "provider unknown")
    chain = control_chain(graph, prov)
    path += [entity_step(graph, e) for e in chain]
    last = chain[-1]
    fr = [
        FactRef("entity", cols.entity_keys[e], a, None, facts.get(("entity", e, a)))
        for e in chain
        for a, v in (("hq", cols.entity_hq[e]), ("reg", cols.entity_reg[e]))
        if v < 0
    ]
    if cols.entity_parent_state[last] != 1:
        fr.append(
            FactRef("entity", cols.entity_keys[last], "parent", None, facts.get(("entity", last, "parent")))
        )
    return Evidence(tuple(path), tuple(fr), "control chain unknown")


def _explain_country(graph: ScopeGraph, d: int, country: int, w: Walk) -> Evidence:
    cat = graph.snap.catalogue
    cols = cat.cols
    facts = cols.facts
    dim = cat.service_dims[d]
    s = w.first_service(lambda i: country in dim.indices[dim.indptr[i] : dim.indptr[i + 1]])
    if s is None:
        return Evidence(note="not exposed")
    path = w.path(("service", s))
    code = cols.country_codes[country]
    fr: list[FactRef] = []
    if d == 0:
        for e in control_chain(graph, int(cols.service_provider[s])):
            path.append(entity_step(graph, e))
            for a, v in (("hq", cols.entity_hq[e]), ("reg", cols.entity_reg[e])):
                if v == country:
                    fr.append(FactRef("entity", cols.entity_keys[e], a, code, facts.get(("entity", e, a))))
            if fr:
                break
            fr_parent = facts.get(("entity", e, "parent"))
            if fr_parent is not None:
                fr.append(FactRef("entity", cols.entity_keys[e], "parent", "known", fr_parent))
    else:
        for r in ("rest", "processing") if d == 1 else ("access",):
            fact = facts.get(("service", s, f"{r}:{code}"))
            role = ("rest", "processing", "access").index(r)
            p = cols.location_ptr[role]
            if country in cols.location_country[role][p[s] : p[s + 1]]:
                fr.append(FactRef("service", cols.service_keys[s], r, code, fact))
    fr.extend(
        FactRef("law", cols.law_keys[i], "triggers", DIMENSIONS[d], facts.get(("law", i, "source")))
        for i in _law_rows(graph, country, d)
    )
    return Evidence(tuple(path), tuple(fr), f"{DIMENSIONS[d]} exposure to {code}")


def process_exposures(
    graph: ScopeGraph,
    matrix: ExposureMatrix,
    *,
    evidence: bool = True,
    all_countries: bool = False,
) -> list[ProcessExposure]:
    """Per process: states and, for every non-trusted country (and unknowns), the evidence.

    ``all_countries`` also lists exposures to trusted countries.
    """
    snap = graph.snap
    cols = snap.catalogue.cols
    o = snap.orgs
    out = []
    for p_local in range(graph.n_p):
        p = int(graph.process[p_local])
        trusted = snap.org_trusted[o.process_org[p]]
        w = walk(graph, p_local) if evidence else None
        items = []
        for d in range(3):
            pc = matrix.countries[d]
            for c in pc.indices[pc.indptr[p_local] : pc.indptr[p_local + 1]].tolist():
                if trusted[c] and not all_countries:
                    continue
                ev = explain_exposure(graph, p_local, d, c, w) if evidence else Evidence()
                items.append(
                    DimensionExposure(
                        o.process_keys[p],
                        DIMENSIONS[d],
                        cols.country_codes[c],
                        bool(trusted[c]),
                        _laws(graph, c, d),
                        ev,
                    )
                )
            if matrix.unknown[d][p_local]:
                ev = explain_exposure(graph, p_local, d, None, w) if evidence else Evidence()
                items.append(DimensionExposure(o.process_keys[p], DIMENSIONS[d], None, False, (), ev))
        out.append(
            ProcessExposure(
                process=o.process_keys[p],
                name=o.process_names[p],
                states=tuple((DIMENSIONS[d], STATES[matrix.state[p_local, d]]) for d in range(3)),
                exposures=tuple(items),
            )
        )
    return out
