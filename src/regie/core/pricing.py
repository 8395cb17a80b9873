"""Price power (domain.md §3.6): what a unilateral price rise of x % costs, and how much of
it cannot be escaped by switching.

A contract without a price cap (no clause, or unknown) is exposed. The escapable part of
its rise is weighted by the substitutability of what it covers (its worst usage or
service); a contract that covers nothing known counts as not substitutable.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from regie.core.columns import i32, take
from regie.core.concentration import group_name, scope_contracts
from regie.core.explain import jsonable
from regie.core.facts import CLAUSES
from regie.core.graph import ScopeGraph, ranges
from regie.core.lockin import LockinArrays, ServiceLockin

__all__ = ["SWITCHABLE", "PricePower", "price_power"]

#: Share of a price rise that can be escaped by switching, per substitutability class.
SWITCHABLE: tuple[float, ...] = (1.0, 0.5, 0.25, 0.0)
_CAP = CLAUSES.index("price_cap")


@dataclass(frozen=True)
class PricePower:
    group: Hashable | None
    name: str
    spend: float
    uncapped_spend: float
    rise_cost: float
    inescapable_cost: float

    def to_dict(self) -> dict[str, Any]:
        return {k: jsonable(v) for k, v in self.__dict__.items()}


def price_power(
    graph: ScopeGraph,
    lockin: LockinArrays,
    *,
    services: ServiceLockin | None = None,
    rise_percent: float = 10.0,
    groups: frozenset[int] | None = None,
) -> tuple[PricePower, ...]:
    """Per provider group (largest inescapable cost first). ``groups`` limits the rise to
    those group ids (a scenario); other groups then show zero rise cost."""
    snap = graph.snap
    o = snap.orgs
    cat = snap.catalogue
    c = scope_contracts(graph)
    val = o.contract_value[c]
    known = ~np.isnan(val)
    c, val = c[known], val[known]
    cp = o.contract_counterparty[c]
    grp = i32(take(cat.entity_group, cp))
    uncapped = o.contract_clauses[c, _CAP] != 1
    # worst class of the usages each contract covers
    pos = np.full(snap.n_usages, -1, dtype=np.int64)
    pos[graph.usage] = np.arange(len(graph.usage))
    p = o.contract_usage_ptr
    flat = ranges(p, c)
    row = np.repeat(np.arange(len(c)), p[c + 1] - p[c])
    upos = pos[o.contract_usage[flat]]
    ok = upos >= 0
    row_u, ok_u = row, ok
    worst = np.full(len(c), 3, dtype=np.int64)
    if ok.any():
        w = np.full(len(c), -1, dtype=np.int64)
        np.maximum.at(w, row[ok], lockin.final[upos[ok]].astype(np.int64))
        worst = np.where(w >= 0, w, 3)
    if services is not None and len(services.org):
        n_s = cat.n_services
        keys = services.org.astype(np.int64) * n_s + services.service
        p = o.contract_service_ptr
        flat = ranges(p, c)
        row = np.repeat(np.arange(len(c)), p[c + 1] - p[c])
        want = o.contract_org[c][row].astype(np.int64) * n_s + o.contract_service[flat]
        spos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        hit = keys[spos] == want
        w = np.full(len(c), -1, dtype=np.int64)
        np.maximum.at(w, row[hit], services.arrays.final[spos[hit]].astype(np.int64))
        covered_usages = np.bincount(row_u[ok_u], minlength=len(c)) > 0
        worst = np.where(w >= 0, np.where(covered_usages, np.maximum(worst, w), w), worst)
    switch = np.asarray(SWITCHABLE)[worst]
    rate = rise_percent / 100.0
    applies = np.ones(len(c), dtype=bool) if groups is None else np.isin(grp, list(groups))
    rise = np.where(uncapped & applies, val * rate, 0.0)
    inesc = rise * (1.0 - switch)
    n_g = cat.n_groups + 1
    g1 = grp + 1
    sums = [
        np.bincount(g1, weights=x, minlength=n_g) for x in (val, np.where(uncapped, val, 0.0), rise, inesc)
    ]
    out = []
    for g in np.argsort(-sums[3] - 1e-9 * sums[0], kind="stable").tolist():
        if sums[0][g] == 0:
            continue
        key, name = group_name(graph, g - 1)
        out.append(
            PricePower(key, name, float(sums[0][g]), float(sums[1][g]), float(sums[2][g]), float(sums[3][g]))
        )
    return tuple(out)
