"""Concentration (domain.md §3.3): reliance on provider groups, spend share, usage share per
GEMMA reference component and per service kind, and the Herfindahl-Hirschman index.

Suppliers are grouped by ultimate parent. A group is in a process's closure when it
provides a service in it or supplies a product used in it (a usage's or a service's).
Unknown counterparties and suppliers form one "unknown" bucket, which is counted (as
risk) rather than left out. Every measure works for one organisation or any set.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.closure import Explainer, control_chain, entity_step
from regie.core.columns import FloatArray, IntArray, i32, take, unique_inverse
from regie.core.explain import Evidence, LazyEvidence, jsonable
from regie.core.graph import ScopeGraph, ranges
from regie.core.masks import ClosureMasks, bit_counts, closure_masks, unpack

__all__ = [
    "HHI_HIGH",
    "HHI_MODERATE",
    "Share",
    "ShareTable",
    "hhi",
    "hhi_band",
    "refcomp_rows",
    "reliance_matrix",
    "reliance_table",
    "spend_shares",
    "usage_shares_by_kind",
    "usage_shares_by_refcomp",
]

HHI_MODERATE = 1500.0
HHI_HIGH = 2500.0


def hhi(values: Any) -> float:
    """Sum of squared shares in percent (0-10,000) of non-negative values."""
    v = np.asarray(values, dtype=np.float64)
    total = float(v.sum())
    if total <= 0:
        return 0.0
    return float((((v / total) * 100.0) ** 2).sum())


def hhi_band(value: float) -> str:
    """below 1,500 unconcentrated; 1,500-2,500 moderate; above 2,500 high."""
    if value < HHI_MODERATE:
        return "unconcentrated"
    if value <= HHI_HIGH:
        return "moderate"
    return "high"


@dataclass(frozen=True)
class Share:
    group: Hashable | None  # key of the ultimate-parent entity; None = unknown
    name: str
    value: float
    share: float  # 0-1

    def to_dict(self) -> dict[str, Any]:
        return {"group": jsonable(self.group), "name": self.name, "value": self.value, "share": self.share}


@dataclass(frozen=True, eq=False)
class ShareTable:
    """Shares of provider groups in one market (spend, a reference component, a kind).

    The per-group rows are kept as arrays (group ids by descending value) and become
    :class:`Share` objects on first access of ``shares``: a re-analysis that only needs the
    figures (totals, HHI) does not build them."""

    measure: str
    category: str
    total: float
    hhi: float
    band: str
    groups: list[int] = field(repr=False)  # group id per row (-1 unknown), descending value
    values: list[float] = field(repr=False)
    names: list[tuple[Hashable, str]] = field(repr=False)  # (key, name) per group id

    @cached_property
    def shares(self) -> tuple[Share, ...]:
        total, names = self.total, self.names
        return tuple(
            Share(*(names[g] if g >= 0 else (None, "unknown")), v, v / total if total else 0.0)
            for g, v in zip(self.groups, self.values, strict=True)
        )

    def _key(self) -> tuple[Any, ...]:
        return (self.measure, self.category, self.total, self.hhi, self.band, self.shares)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShareTable) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "category": self.category,
            "total": self.total,
            "shares": [s.to_dict() for s in self.shares],
            "hhi": self.hhi,
            "band": self.band,
        }


def group_name(graph: ScopeGraph, g: int) -> tuple[Hashable | None, str]:
    if g < 0:
        return None, "unknown"
    return _group_names(graph)[g]


def _group_names(graph: ScopeGraph) -> list[tuple[Hashable, str]]:
    """(key, name) of every group's root entity, listed once per compiled catalogue."""
    cat = graph.snap.catalogue
    hit = cat.memo.get("group_names")
    if hit is None:
        keys, names = cat.cols.entity_keys, cat.cols.entity_names
        hit = cat.memo["group_names"] = [(keys[e], names[e]) for e in cat.group_entity.tolist()]
    names_: list[tuple[Hashable, str]] = hit
    return names_


def _tables(
    graph: ScopeGraph,
    measure: str,
    *,
    names: list[str],
    cat_id: IntArray,
    grp: IntArray,
    weight: FloatArray,
) -> list[ShareTable]:
    """One share table per category from (category, group, weight) rows."""
    if len(cat_id) == 0:
        return []
    n_g = graph.snap.catalogue.n_groups + 1
    key = cat_id.astype(np.int64) * n_g + (grp + 1)
    span = len(names) * n_g
    if span <= 50_000_000 and 16 * len(key) >= span:  # many rows in a small range: count them
        full = np.bincount(key, weights=weight, minlength=span)
        present = np.bincount(key, minlength=span) > 0
        uniq = np.flatnonzero(present)
        sums = full[uniq]
    else:
        uniq, inv = unique_inverse(key)
        sums = np.bincount(inv, weights=weight)
    cats = uniq // n_g
    group_names = _group_names(graph)
    out = []
    bounds = np.flatnonzero(np.diff(cats)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(uniq)], strict=True):
        vals = sums[lo:hi]
        order = np.argsort(-vals, kind="stable")
        groups = (uniq[lo:hi][order] % n_g - 1).tolist()
        h = hhi(vals)
        table = ShareTable(
            measure=measure,
            category=names[int(cats[lo])],
            total=float(vals.sum()),
            hhi=h,
            band=hhi_band(h),
            groups=groups,
            values=vals[order].tolist(),
            names=group_names,
        )
        out.append(table)
    return out


def reliance_matrix(graph: ScopeGraph, masks: ClosureMasks | None = None) -> Any:
    """(P, G) bool CSR: provider groups in the closure of each process of the scope."""
    return sp.csr_array((masks or closure_masks(graph)).group_bits())


@dataclass(frozen=True)
class Reliance:
    group: Hashable
    name: str
    critical_processes: int
    share: float  # of the scope's critical processes
    orgs: int  # organisations with at least one critical process relying on the group
    lazy_evidence: LazyEvidence | None = field(default=None, repr=False, compare=False)

    @property
    def evidence(self) -> Evidence:
        """The path from a relying critical process to the group (detailed results only)."""
        return self.lazy_evidence.get() if self.lazy_evidence else Evidence()

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": jsonable(self.group),
            "name": self.name,
            "critical_processes": self.critical_processes,
            "share": self.share,
            "orgs": self.orgs,
            "evidence": self.evidence.to_dict(),
        }


def explain_group(graph: ScopeGraph, group: int, p_local: int) -> Evidence:
    """Why a process relies on a group: path to a service it provides (or whose product it
    supplies) or to a usage of its product, then up the control chain to the group."""
    cat = graph.snap.catalogue
    cols = cat.cols
    ex = Explainer(graph)
    services = (cat.service_group == group) | (cat.service_product_group == group)
    prod = graph.snap.orgs.usage_product[graph.usage]
    local = np.zeros(graph.n_l, dtype=bool)
    local[graph.n_p :] = take(cat.product_group, prod) == group
    pred = ex.next_hops(services=services, locals_=local)
    path = ex.path(pred, p_local)
    if path is None:
        return Evidence(note="not relying")
    w = ex.witness(pred, p_local)
    if path[-1].kind == "service":
        e = int(cols.service_provider[w])
        if e < 0 or cat.entity_group[e] != group:
            e = int(cols.product_supplier[cols.service_product[w]])
    else:
        e = int(cols.product_supplier[prod[w - graph.n_p]])
    chain = [entity_step(graph, x) for x in control_chain(graph, e)]
    return Evidence(tuple(path + chain), note="relies on the group")


def reliance_table(
    graph: ScopeGraph, masks: ClosureMasks | None = None, *, evidence: bool = False
) -> tuple[Reliance, ...]:
    """reliance(G) = share of the scope's critical processes whose closure contains G.
    With ``evidence``, each row explains itself by one relying process (lazily)."""
    o = graph.snap.orgs
    crit = np.nonzero(o.process_critical[graph.process])[0]
    mk = masks or closure_masks(graph, i32(crit))
    n_crit = len(crit)
    n_g = graph.snap.catalogue.n_groups
    if n_crit == 0 or n_g == 0:
        return ()
    words = mk.group_words(i32(crit))
    counts = bit_counts(words, n_g)
    # organisations relying: OR the masks of each organisation's critical processes
    org = o.process_org[graph.process[crit]]
    starts = np.flatnonzero(np.r_[True, org[1:] != org[:-1]])
    per_org = np.bitwise_or.reduceat(words, starts, axis=0)
    n_orgs = bit_counts(per_org, n_g)
    # the first relying critical process of each group explains it
    first = crit[unpack(words, n_g).argmax(axis=0)].tolist() if evidence else None
    names = _group_names(graph)
    ranked = np.argsort(-counts, kind="stable")
    ranked = ranked[counts[ranked] > 0].tolist()
    out = []
    for g, c, n in zip(ranked, counts[ranked].tolist(), n_orgs[ranked].tolist(), strict=True):
        lazy = None if first is None else LazyEvidence(partial(explain_group, graph, g, first[g]))
        out.append(Reliance(names[g][0], names[g][1], c, c / n_crit, n, lazy))
    return tuple(out)


def scope_contracts(graph: ScopeGraph) -> IntArray:
    return ranges(graph.snap.org_contract_ptr, graph.orgs)


def spend_shares(graph: ScopeGraph) -> tuple[ShareTable | None, int]:
    """Spend share per group over contracts with a known annual value; also the number of
    contracts whose value is unknown (left out of the shares, reported)."""
    o = graph.snap.orgs
    cat = graph.snap.catalogue
    c = scope_contracts(graph)
    val = o.contract_value[c]
    known = ~np.isnan(val)
    cp = o.contract_counterparty[c][known]
    grp = i32(take(cat.entity_group, cp))
    tables = _tables(
        graph, "spend", names=["all"], cat_id=i32(np.zeros(len(grp))), grp=grp, weight=val[known]
    )
    return (tables[0] if tables else None), int((~known).sum())


def refcomp_rows(graph: ScopeGraph) -> tuple[list[str], IntArray, IntArray]:
    """(names, category per row, usage position per row) for reference components.

    A usage realises its own reference component when it names one, else those of its
    product; positions are local usage indexes of the scope (0..U-1)."""
    snap = graph.snap
    o = snap.orgs
    cat = snap.catalogue
    names = list(dict.fromkeys([*o.refcomp_names, *cat.cols.refcomp_names]))
    pos = {n: i for i, n in enumerate(names)}
    org_map = i32([pos[n] for n in o.refcomp_names])
    cat_map = i32([pos[n] for n in cat.cols.refcomp_names])
    own = o.usage_refcomp[graph.usage]
    has_own = own >= 0
    rows_u = [np.nonzero(has_own)[0]]
    rows_c = [org_map[own[has_own]]] if len(org_map) else [i32([])]
    prod = o.usage_product[graph.usage]
    via = np.nonzero(~has_own & (prod >= 0))[0]
    if len(via) and len(cat_map):
        p = cat.cols.product_refcomp_ptr
        flat = ranges(p, i32(prod[via]))
        counts = p[prod[via] + 1] - p[prod[via]]
        rows_u.append(np.repeat(via, counts))
        rows_c.append(cat_map[cat.cols.product_refcomp[flat]])
    return names, i32(np.concatenate(rows_c)), i32(np.concatenate(rows_u))


_refcomp_rows = refcomp_rows  # the former private name, still used by other modules


def usage_shares_by_refcomp(graph: ScopeGraph) -> list[ShareTable]:
    """Per GEMMA reference component: share of the usages realising it, per supplier group."""
    cat = graph.snap.catalogue
    names, cats, upos = refcomp_rows(graph)
    prod = graph.snap.orgs.usage_product[graph.usage][upos]
    grp = i32(take(cat.product_group, prod))
    return _tables(graph, "usages", names=names, cat_id=cats, grp=grp, weight=np.ones(len(cats)))


def usage_shares_by_kind(graph: ScopeGraph) -> list[ShareTable]:
    """Per service kind: share of (usage, service it runs on or its supply chain) pairs, per
    provider group."""
    cat = graph.snap.catalogue
    # pairs counted per service first (the table only needs the service's kind and group)
    per_service = np.bincount(graph.usage_service_rows.indices, minlength=cat.n_services)
    s = np.flatnonzero(per_service)
    return _tables(
        graph,
        "usage-services",
        names=list(cat.cols.kind_names),
        cat_id=i32(cat.cols.service_kind[s]),
        grp=i32(cat.service_group[s]),
        weight=per_service[s].astype(np.float64),
    )
