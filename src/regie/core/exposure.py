"""Jurisdiction exposure per process (domain.md §3.2).

Per dimension (control, location, access) a process is exposed to the countries found in
its closure; "unknown" is its own state: an unknown provider, parent, country or location
anywhere in the closure (or a usage that runs on no known service, or a process with no
dependencies at all) makes the dimension unknown rather than safe. Non-EU exposure is
exposure to any country outside the organisation's trusted set.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.closure import Explainer, Walk, control_chain, entity_step, walk
from regie.core.columns import BoolArray
from regie.core.explain import Evidence, FactRef, LazyEvidence, Step, jsonable
from regie.core.facts import DIMENSIONS
from regie.core.graph import ScopeGraph
from regie.core.masks import ClosureMasks, closure_masks

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


def _bool_csr(rows: Any, cols: Any, shape: tuple[int, int]) -> Any:
    """Bool CSR from (row, column) pairs in row-major order (what ``np.nonzero`` gives)."""
    indptr = np.zeros(shape[0] + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    m = sp.csr_array((np.ones(len(rows), dtype=bool), cols.astype(np.int32), indptr), shape=shape)
    m.has_sorted_indices = True
    return m


def exposure_matrix(graph: ScopeGraph, masks: ClosureMasks | None = None) -> ExposureMatrix:
    snap = graph.snap
    n_c = snap.catalogue.n_countries
    bits = (masks or closure_masks(graph)).country_bits
    trusted = snap.org_trusted[snap.orgs.process_org[graph.process]]
    countries = []
    unknown = []
    non_trusted = []
    state = np.zeros((graph.n_p, 3), dtype=np.int8)
    # the country entries of all three dimensions at once, row by row
    rows, cols = np.divmod(np.flatnonzero(np.ascontiguousarray(bits[:, : 3 * n_c])), max(3 * n_c, 1))
    dim = cols // max(n_c, 1)
    for d in range(3):
        pc = bits[:, d * n_c : (d + 1) * n_c]
        unk = bits[:, 3 * n_c + d]
        nt = np.asarray((pc & ~trusted).any(axis=1), dtype=bool)
        state[:, d] = np.where(nt, 2, np.where(unk, 1, 0))
        sel = dim == d
        countries.append(_bool_csr(rows[sel], cols[sel] - d * n_c, (graph.n_p, n_c)))
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
    lazy_evidence: LazyEvidence = field(repr=False, compare=False)

    @property
    def evidence(self) -> Evidence:
        return self.lazy_evidence.get()

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
    """The path and facts that expose one process to a country (None: why it is unknown)."""
    w = w or walk(graph, p_local)
    if country is None:
        unk = graph.snap.catalogue.service_dim_unknown[d]
        s = w.first_service(lambda i: bool(unk[i]))
        if s is None:
            n_p = graph.n_p
            u = w.first_local(lambda i: i >= n_p and bool(graph.usage_unhosted[i - n_p]))
            if u is None:
                return Evidence(path=tuple(w.path(w.order[0])), note="no dependencies recorded")
            return Evidence(path=tuple(w.path(("local", u))), note="runs on no known service")
        steps, facts, note = _unknown_tail(graph, d, s)
        return Evidence(tuple(w.path(("service", s)) + steps), facts, note)
    dim = graph.snap.catalogue.service_dims[d]
    s = w.first_service(lambda i: country in dim.indices[dim.indptr[i] : dim.indptr[i + 1]])
    if s is None:
        return Evidence(note="not exposed")
    steps, facts, note = _country_tail(graph, d, country, s)
    return Evidence(tuple(w.path(("service", s)) + steps), facts, note)


Tail = tuple[list[Step], tuple[FactRef, ...], str]


def _unknown_tail(graph: ScopeGraph, d: int, s: int) -> Tail:
    """What is unknown about a service in dimension d: entity steps, facts, note."""
    cols = graph.snap.catalogue.cols
    facts = cols.facts
    if d == 0:
        prov = int(cols.service_provider[s])
        if prov < 0:
            return [], (FactRef("service", cols.service_keys[s], "provider", None),), ("provider unknown")
        chain = control_chain(graph, prov)
        last = chain[-1]
        fr = [
            FactRef("entity", cols.entity_keys[e], a, None, facts.get(("entity", e, a)))
            for e in chain
            for a, v in (("hq", cols.entity_hq[e]), ("reg", cols.entity_reg[e]))
            if v < 0
        ]
        if cols.entity_parent_state[last] != 1:
            fr.append(
                FactRef(
                    "entity", cols.entity_keys[last], "parent", None, facts.get(("entity", last, "parent"))
                )
            )
        return [entity_step(graph, e) for e in chain], tuple(fr), "control chain unknown"
    roles = ("rest", "processing") if d == 1 else ("access",)
    note = "location unknown" if d == 1 else "access location unknown"
    return [], tuple(FactRef("service", cols.service_keys[s], r, None) for r in roles), note


def _country_tail(graph: ScopeGraph, d: int, country: int, s: int) -> Tail:
    """Why a service exposes to a country in dimension d: entity steps, facts, note."""
    cols = graph.snap.catalogue.cols
    facts = cols.facts
    code = cols.country_codes[country]
    steps: list[Step] = []
    fr: list[FactRef] = []
    if d == 0:
        for e in control_chain(graph, int(cols.service_provider[s])):
            steps.append(entity_step(graph, e))
            found = [
                FactRef("entity", cols.entity_keys[e], a, code, facts.get(("entity", e, a)))
                for a, v in (("hq", cols.entity_hq[e]), ("reg", cols.entity_reg[e]))
                if v == country
            ]
            if found:
                fr.extend(found)
                break
            fr_parent = facts.get(("entity", e, "parent"))
            if fr_parent is not None:
                fr.append(FactRef("entity", cols.entity_keys[e], "parent", "known", fr_parent))
    else:
        for r in ("rest", "processing") if d == 1 else ("access",):
            role = ("rest", "processing", "access").index(r)
            p = cols.location_ptr[role]
            if country in cols.location_country[role][p[s] : p[s + 1]]:
                fr.append(
                    FactRef(
                        "service", cols.service_keys[s], r, code, facts.get(("service", s, f"{r}:{code}"))
                    )
                )
    fr.extend(
        FactRef("law", cols.law_keys[i], "triggers", DIMENSIONS[d], facts.get(("law", i, "source")))
        for i in _law_rows(graph, country, d)
    )
    return steps, tuple(fr), f"{DIMENSIONS[d]} exposure to {code}"


class _ScopeExplainer:
    """Evidence for the exposures of a scope, computed on demand and shared."""

    def __init__(self, graph: ScopeGraph) -> None:
        self.graph = graph
        self._ex: Explainer | None = None
        self._preds: dict[tuple[int, int | None], Any] = {}
        self._tails: dict[tuple[int, int | None, int], Tail] = {}

    def _pred(self, d: int, c: int | None) -> tuple[Explainer, Any]:
        if self._ex is None:
            self._ex = Explainer(self.graph)
        ex = self._ex
        pred = self._preds.get((d, c))
        if pred is None:
            cat = self.graph.snap.catalogue
            if c is None:
                loc = np.zeros(self.graph.n_l, dtype=bool)
                loc[self.graph.n_p :] = self.graph.usage_unhosted
                pred = ex.next_hops(services=cat.service_dim_unknown[d], locals_=loc)
            else:
                pred = ex.next_hops(services=cat.service_dims[d][:, [c]].toarray().ravel())
            self._preds[(d, c)] = pred
        return ex, pred

    def evidence(self, p_local: int, d: int, c: int | None) -> Evidence:
        ex, pred = self._pred(d, c)
        path = ex.path(pred, p_local)
        if path is None:
            return Evidence(path=(ex.node_step(p_local),), note="no dependencies recorded")
        if path[-1].kind != "service":
            return Evidence(path=tuple(path), note="runs on no known service")
        w = ex.witness(pred, p_local)
        t = self._tails.get((d, c, w))
        if t is None:
            g = self.graph
            t = _unknown_tail(g, d, w) if c is None else _country_tail(g, d, c, w)
            self._tails[(d, c, w)] = t
        return Evidence(tuple(path + t[0]), t[1], t[2])


def process_exposures(
    graph: ScopeGraph, matrix: ExposureMatrix, *, all_countries: bool = False
) -> list[ProcessExposure]:
    """Per process: states and, for every non-trusted country (and unknowns), the exposure
    with its laws and (lazily computed) evidence. ``all_countries`` also lists exposures to
    trusted countries."""
    snap = graph.snap
    cols = snap.catalogue.cols
    o = snap.orgs
    n_p = graph.n_p
    trusted = snap.org_trusted[o.process_org[graph.process]]
    items: list[list[DimensionExposure]] = [[] for _ in range(n_p)]
    ex = _ScopeExplainer(graph)
    keys = [o.process_keys[p] for p in graph.process.tolist()]
    for d in range(3):
        dim = DIMENSIONS[d]
        pc = matrix.countries[d].toarray()
        shown = pc if all_countries else pc & ~trusted
        for c in np.nonzero(shown.any(axis=0))[0].tolist():
            laws = _laws(graph, c, d)
            code = cols.country_codes[c]
            for p_local in np.nonzero(shown[:, c])[0].tolist():
                lazy = LazyEvidence(partial(ex.evidence, p_local, d, c))
                items[p_local].append(
                    DimensionExposure(keys[p_local], dim, code, bool(trusted[p_local, c]), laws, lazy)
                )
        for p_local in np.nonzero(matrix.unknown[d])[0].tolist():
            lazy = LazyEvidence(partial(ex.evidence, p_local, d, None))
            items[p_local].append(DimensionExposure(keys[p_local], dim, None, False, (), lazy))
    out = []
    for p_local in range(n_p):
        p = int(graph.process[p_local])
        out.append(
            ProcessExposure(
                process=keys[p_local],
                name=o.process_names[p],
                states=tuple((DIMENSIONS[d], STATES[matrix.state[p_local, d]]) for d in range(3)),
                exposures=tuple(items[p_local]),
            )
        )
    return out
