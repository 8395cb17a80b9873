"""The compiled catalogue: control chains, provider groups and the supply-chain closure.

Compiled once and shared by every snapshot built on it, so that a snapshot of one
organisation (after an edit) reuses the national catalogue without recomputing it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.columns import BoolArray, CatalogueColumns, IntArray, i32, take, unique_inverse

__all__ = ["Catalogue", "reflexive_closure"]

PARENT_KNOWN = 0
PARENT_NONE = 1


def reflexive_closure(adj: Any) -> Any:
    """Reflexive-transitive closure of a square sparse adjacency (CSR, bool), cycles allowed."""
    n = adj.shape[0]
    m = (sp.eye_array(n, dtype=np.int32, format="csr") + adj.astype(np.int32)).tocsr()
    m.data[:] = 1
    while True:
        nxt = (m @ m).tocsr()
        nxt.data[:] = 1
        if nxt.nnz == m.nnz:
            return nxt.astype(bool)
        m = nxt


def _onehot(rows: int, cols: int, col_of_row: IntArray) -> Any:
    ok = col_of_row >= 0
    r = np.nonzero(ok)[0]
    return sp.csr_array((np.ones(len(r), dtype=bool), (r, col_of_row[ok])), shape=(rows, cols))


def _chains(parent: IntArray) -> tuple[IntArray, IntArray, BoolArray]:
    """Walk every control chain: root (ultimate parent) per entity, chain order, cycle flag.

    Returns (root, order, in_cycle) where ``order`` lists entities so that a parent
    comes before its children (cycle members in any order).
    """
    n = len(parent)
    par = parent.tolist()
    root = [-2] * n
    cyc = [False] * n
    order: list[int] = []
    for e in range(n):
        if root[e] != -2:
            continue
        path: list[int] = []
        pos: dict[int, int] = {}
        x = e
        while x >= 0 and root[x] == -2 and x not in pos:
            pos[x] = len(path)
            path.append(x)
            x = par[x]
        if x >= 0 and x in pos:  # a cycle of ownership: a data error, kept as one group
            cycle = path[pos[x] :]
            r = min(cycle)
            for c in cycle:
                root[c] = r
                cyc[c] = True
            order.extend(cycle)
            path = path[: pos[x]]
            top = r
        elif x >= 0:
            top = root[x]
        else:
            top = path[-1]
            root[top] = top
            order.append(top)
            path.pop()
        for c in reversed(path):
            root[c] = top
            order.append(c)
    return i32(root), i32(order), np.array(cyc, dtype=bool)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Catalogue columns plus everything derived from them alone."""

    cols: CatalogueColumns
    entity_group: IntArray  # group id per entity (group = ultimate parent)
    group_entity: IntArray  # the ultimate-parent entity of each group
    entity_chain_countries: Any  # (E, C) bool CSR: hq/registration countries along the chain
    entity_chain_unknown: BoolArray  # some country or parent on the chain is unknown
    entity_in_cycle: BoolArray
    service_reach: Any  # (S, S) bool CSR: reflexive-transitive supply-chain closure
    service_group: IntArray  # provider group per service, -1 unknown provider
    service_dims: tuple[Any, Any, Any]  # (S, C) bool CSR per dimension (control, location, access)
    service_dim_unknown: tuple[BoolArray, BoolArray, BoolArray]
    law_triggers_mask: Any  # (L, 3) bool per dimension
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # derived, computed lazily

    @property
    def n_countries(self) -> int:
        return len(self.cols.country_codes)

    @property
    def n_entities(self) -> int:
        return len(self.cols.entity_keys)

    @property
    def n_services(self) -> int:
        return len(self.cols.service_keys)

    @property
    def n_products(self) -> int:
        return len(self.cols.product_keys)

    @property
    def n_groups(self) -> int:
        return len(self.group_entity)

    @cached_property
    def country_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.cols.country_codes)}

    @cached_property
    def entity_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.cols.entity_keys)}

    @cached_property
    def service_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.cols.service_keys)}

    @cached_property
    def product_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.cols.product_keys)}

    @cached_property
    def supply_adj(self) -> Any:
        """Direct supply-chain edges as CSR (service -> services it runs on)."""
        cols = self.cols
        n = self.n_services
        m = sp.csr_array(
            (np.ones(len(cols.supply_src), dtype=bool), (cols.supply_src, cols.supply_dst)),
            shape=(n, n),
        )
        m.sum_duplicates()
        return m

    @cached_property
    def reach_i32(self) -> Any:
        """The supply-chain closure as int32 CSR, ready for counting products."""
        return self.service_reach.astype(np.int32).tocsr()

    @cached_property
    def product_group(self) -> IntArray:
        sup = self.cols.product_supplier
        return i32(take(self.entity_group, sup))

    @cached_property
    def service_product_group(self) -> IntArray:
        prod = self.cols.service_product
        return i32(take(self.product_group, prod))

    @cached_property
    def eu_eea(self) -> BoolArray:
        return np.asarray(self.cols.country_eu | self.cols.country_eea, dtype=bool)

    def group_of_entity_key(self, key: Hashable) -> int:
        return int(self.entity_group[self.entity_index[key]])

    @classmethod
    def compile(cls, cols: CatalogueColumns) -> Catalogue:
        n_c = len(cols.country_codes)
        n_e = len(cols.entity_keys)
        n_s = len(cols.service_keys)
        parent = np.where(cols.entity_parent_state == PARENT_KNOWN, cols.entity_parent, -1)
        parent = i32(parent)
        self_unknown = (
            (cols.entity_hq < 0)
            | (cols.entity_reg < 0)
            | (cols.entity_parent_state > PARENT_NONE)
            | ((cols.entity_parent_state == PARENT_KNOWN) & (cols.entity_parent < 0))
        )
        root, order, in_cycle = _chains(parent)
        roots, group_of = unique_inverse(root) if n_e else (i32([]), i32([]))
        # chain countries: own hq and registration, then OR along the chain parent-first
        own = (_onehot(n_e, n_c, cols.entity_hq) + _onehot(n_e, n_c, cols.entity_reg)).tolil()
        unknown = self_unknown | in_cycle
        rows = own.rows
        par = parent.tolist()
        unk = unknown.tolist()
        cyc_members: dict[int, list[int]] = {}
        for e in np.nonzero(in_cycle)[0].tolist():
            cyc_members.setdefault(int(root[e]), []).append(e)
        for r, members in cyc_members.items():
            merged = sorted({c for m in members for c in rows[m]})
            for m in members:
                rows[m] = list(merged)
            del r
        chain_rows: list[list[int]] = [[] for _ in range(n_e)]
        for e in order.tolist():
            p = par[e]
            if p >= 0 and not in_cycle[e]:
                chain_rows[e] = sorted(set(rows[e]) | set(chain_rows[p]))
                unk[e] = unk[e] or unk[p]
            else:
                chain_rows[e] = list(rows[e])
        indptr = np.zeros(n_e + 1, dtype=np.int64)
        np.cumsum([len(r) for r in chain_rows], out=indptr[1:])
        flat = np.fromiter((c for r in chain_rows for c in r), dtype=np.int32, count=int(indptr[-1]))
        chain = sp.csr_array((np.ones(len(flat), dtype=bool), flat, indptr), shape=(n_e, n_c))
        chain_unknown = np.array(unk, dtype=bool)
        entity_group = i32(group_of)

        reach = reflexive_closure(_square(cols.supply_src, cols.supply_dst, n_s))
        service_group, dims, dim_unknown = _service_features(cols, entity_group, chain, chain_unknown)
        law_mask = np.array(
            [[d in t for d in ("control", "location", "access")] for t in cols.law_triggers],
            dtype=bool,
        ).reshape(len(cols.law_triggers), 3)
        return cls(
            cols=cols,
            entity_group=entity_group,
            group_entity=i32(roots),
            entity_chain_countries=chain,
            entity_chain_unknown=chain_unknown,
            entity_in_cycle=in_cycle,
            service_reach=reach,
            service_group=service_group,
            service_dims=dims,
            service_dim_unknown=dim_unknown,
            law_triggers_mask=law_mask,
        )


def _square(src: IntArray, dst: IntArray, n: int) -> Any:
    return sp.csr_array((np.ones(len(src), dtype=bool), (src, dst)), shape=(n, n))


def _service_features(
    cols: CatalogueColumns, entity_group: IntArray, chain: Any, chain_unknown: BoolArray
) -> tuple[IntArray, tuple[Any, Any, Any], tuple[BoolArray, BoolArray, BoolArray]]:
    """Per service: provider group, countries per dimension, and unknown flags."""
    n_c = len(cols.country_codes)
    n_e = len(cols.entity_keys)
    n_s = len(cols.service_keys)
    prov = cols.service_provider
    has_prov = prov >= 0
    service_group = i32(take(entity_group, prov))
    # control: the provider's chain countries
    sel = sp.csr_array(
        (np.ones(int(has_prov.sum()), dtype=bool), (np.nonzero(has_prov)[0], prov[has_prov])),
        shape=(n_s, n_e),
    )
    ctrl = (sel.astype(np.int32) @ chain.astype(np.int32)).astype(bool).tocsr()
    ctrl_unknown = ~has_prov | take(chain_unknown, prov, True)
    loc_mats = []
    loc_unknown = []
    for role in range(3):
        p = cols.location_ptr[role]
        c = cols.location_country[role]
        counts = np.diff(p)
        r = np.repeat(np.arange(n_s, dtype=np.int32), counts)
        known = c >= 0
        m = sp.csr_array((np.ones(int(known.sum()), dtype=bool), (r[known], c[known])), shape=(n_s, n_c))
        bad = counts == 0
        bad[r[~known]] = True
        loc_mats.append(m)
        loc_unknown.append(bad)
    location = (loc_mats[0] + loc_mats[1]).astype(bool).tocsr()
    return (
        service_group,
        (ctrl, location, loc_mats[2].tocsr()),
        (np.asarray(ctrl_unknown, dtype=bool), loc_unknown[0] | loc_unknown[1], loc_unknown[2]),
    )
