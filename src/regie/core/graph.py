"""The dependency graph of a scope (one organisation or a set), as sparse matrices.

Local nodes are the scope's processes (``0..P-1``) followed by its active usages
(``P..P+U-1``); services keep their catalogue index. Retired usages and their edges are
left out. A redundancy *slot* is one (redundancy group, dependant) pair: the dependant
fails when fewer than ``k`` of the slot's distinct members still work.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.catalogue import reflexive_closure
from regie.core.columns import NODE_PROCESS, NODE_SERVICE, NODE_USAGE, IntArray, i32
from regie.core.snapshot import Snapshot

__all__ = ["ScopeGraph", "ranges"]


def ranges(ptr: IntArray, rows: IntArray) -> IntArray:
    """Concatenate ``arange(ptr[r], ptr[r+1])`` for each row r (vectorised)."""
    starts = ptr[rows].astype(np.int64)
    counts = (ptr[rows + 1] - ptr[rows]).astype(np.int64)
    total = int(counts.sum())
    if total == 0:
        return i32([])
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return i32(offs + np.arange(total))


def _csr(rows: Any, cols: Any, shape: tuple[int, int], dtype: Any = np.int32) -> Any:
    m = sp.csr_array((np.ones(len(rows), dtype=dtype), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1
    return m


def _minus(a: Any, b: Any) -> Any:
    """Entries of ``a`` (bool sparse) that are not set in ``b``."""
    a8 = a.astype(np.int8)
    d = (a8 - a8.multiply(b.astype(np.int8))).tocsr()
    d.eliminate_zeros()
    return d.astype(bool)


def _slots(
    snap: Snapshot, src: Any, dst: Any, to_s: Any, grp: Any, *, n_l: int, n_s: int
) -> tuple[Any, Any, Any, IntArray, IntArray]:
    """Redundancy slots from grouped edges: owner, members (local, services), threshold."""
    slot_key = grp.astype(np.int64) * max(n_l, 1) + src
    uniq, slot = np.unique(slot_key, return_inverse=True)
    n_slots = len(uniq)
    slot_src = uniq % max(n_l, 1)
    slot_grp = i32(uniq // max(n_l, 1))
    mem_l = _csr(slot[~to_s], dst[~to_s], (n_slots, n_l))
    mem_s = _csr(slot[to_s], dst[to_s], (n_slots, n_s))
    n_members = np.diff(mem_l.indptr) + np.diff(mem_s.indptr)
    k = np.clip(snap.orgs.rgroup_k[slot_grp], 1, np.maximum(n_members, 1))
    owner = _csr(slot_src, np.arange(n_slots), (n_l, n_slots))
    return owner, mem_l, mem_s, i32(n_members - k + 1), slot_grp


@dataclass(frozen=True, eq=False)
class ScopeGraph:
    snap: Snapshot
    orgs: IntArray
    process: IntArray  # snapshot process index per local process
    usage: IntArray  # snapshot usage index per local usage (offset by n_p in local ids)
    process_offset: IntArray  # per org: local = global + offset (processes)
    usage_offset: IntArray
    req_l: Any  # (L, L) required edges between local nodes
    req_s: Any  # (L, S) required edges to services
    mem_l: Any  # (slots, L) members of each redundancy slot
    mem_s: Any  # (slots, S)
    owner: Any  # (L, slots) the dependant of each slot
    slot_threshold: IntArray  # failed members that make a slot fail: n - k + 1
    slot_group: IntArray
    adj_l: Any  # all edges, bool
    adj_s: Any
    integration: tuple[Any, Any, Any]  # (src, dst, open_standard) of usage-usage edges, local

    @property
    def n_p(self) -> int:
        return len(self.process)

    @property
    def n_l(self) -> int:
        return len(self.process) + len(self.usage)

    @classmethod
    def build(cls, snap: Snapshot, orgs: IntArray) -> ScopeGraph:
        o = snap.orgs
        n_s = snap.catalogue.n_services
        orgs = i32(np.sort(orgs))
        proc = ranges(snap.org_process_ptr, orgs)
        use_all = ranges(snap.org_usage_ptr, orgs)
        use = use_all[snap.usage_active[use_all]]
        n_p = len(proc)
        n_l = n_p + len(use)
        # local index of a usage: position among the active usages of the scope
        u_local = np.full(len(use_all), -1, dtype=np.int64)
        u_local[snap.usage_active[use_all]] = np.arange(len(use)) + n_p
        p_off = np.zeros(snap.n_orgs, dtype=np.int64)
        u_off = np.zeros(snap.n_orgs, dtype=np.int64)
        p_counts = np.diff(snap.org_process_ptr)[orgs]
        u_counts = np.diff(snap.org_usage_ptr)[orgs]
        p_off[orgs] = np.concatenate(([0], np.cumsum(p_counts)[:-1])) - snap.org_process_ptr[orgs]
        u_off[orgs] = np.concatenate(([0], np.cumsum(u_counts)[:-1])) - snap.org_usage_ptr[orgs]
        d = ranges(snap.org_dep_ptr, orgs)
        dorg = o.dep_org[d]

        def local(kind: Any, idx: Any) -> Any:
            out = np.full(len(idx), -1, dtype=np.int64)
            m = kind == NODE_PROCESS
            out[m] = idx[m] + p_off[dorg[m]]
            m = kind == NODE_USAGE
            pos = idx[m] + u_off[dorg[m]]
            out[m] = u_local[pos]
            return out

        src = local(o.dep_src_kind[d], o.dep_src[d])
        dkind = o.dep_dst_kind[d]
        dst = np.where(dkind == NODE_SERVICE, o.dep_dst[d], local(dkind, o.dep_dst[d]))
        keep = (src >= 0) & (dst >= 0)
        src, dst, dkind, grp = src[keep], dst[keep], dkind[keep], o.dep_group[d][keep]
        to_s = dkind == NODE_SERVICE
        req = grp < 0
        m_ll, m_ls = req & ~to_s, req & to_s
        req_l = _csr(src[m_ll], dst[m_ll], (n_l, n_l))
        req_s = _csr(src[m_ls], dst[m_ls], (n_l, n_s))
        owner, mem_l, mem_s, thr, slot_grp = _slots(
            snap, src[~req], dst[~req], to_s[~req], grp[~req], n_l=n_l, n_s=n_s
        )
        integ = (src >= n_p) & ~to_s
        open_std = o.dep_open_standard[d][keep]
        adj_l = _csr(src[~to_s], dst[~to_s], (n_l, n_l), bool)
        adj_s = _csr(src[to_s], dst[to_s], (n_l, n_s), bool)
        return cls(
            snap=snap,
            orgs=orgs,
            process=proc,
            usage=use,
            process_offset=i32(p_off),
            usage_offset=i32(u_off),
            req_l=req_l,
            req_s=req_s,
            mem_l=mem_l,
            mem_s=mem_s,
            owner=owner,
            slot_threshold=thr,
            slot_group=slot_grp,
            adj_l=adj_l,
            adj_s=adj_s,
            integration=(src[integ], dst[integ], open_std[integ]),
        )

    # closure -----------------------------------------------------------------------------
    @cached_property
    def usage_reach(self) -> Any:
        """(U, U) bool: usages reachable from each usage through integrations (reflexive)."""
        n_p = self.n_p
        return reflexive_closure(self.adj_l[n_p:, n_p:].tocsr())

    @cached_property
    def process_usages(self) -> Any:
        """(P, U) bool: the usages in each process's closure."""
        n_p = self.n_p
        a = self.adj_l[:n_p, n_p:].astype(np.int32)
        return (a @ self.usage_reach.astype(np.int32)).astype(bool).tocsr()

    @cached_property
    def usage_services(self) -> Any:
        """(U, S) bool: the services in each usage's closure (integrations, supply chain)."""
        n_p = self.n_p
        direct = self.usage_reach.astype(np.int32) @ self.adj_s[n_p:].astype(np.int32)
        return (direct @ self.snap.catalogue.reach_i32).astype(bool).tocsr()

    @cached_property
    def process_services(self) -> Any:
        """(P, S) bool: the services in each process's closure."""
        n_p = self.n_p
        direct = self.adj_s[:n_p].astype(np.int32) + (
            self.process_usages.astype(np.int32) @ self.adj_s[n_p:].astype(np.int32)
        )
        return (direct @ self.snap.catalogue.reach_i32).astype(bool).tocsr()

    @cached_property
    def usage_unhosted(self) -> Any:
        """Usages with no service at all: where they run and who runs them is unknown."""
        return np.diff(self.adj_s[self.n_p :].indptr) == 0

    # failure propagation -----------------------------------------------------------------
    def propagate(self, seed_s: Any | None, seed_l: Any | None, n_cols: int) -> tuple[Any, Any]:
        """Least fixed point of failure for ``n_cols`` independent failure sets at once.

        ``seed_s`` (S, B) and ``seed_l`` (L, B) are the nodes that go down in each column.
        Returns (failed local nodes (L, B), failed services (S, B)) as bool CSR.
        """
        n_s = self.snap.catalogue.n_services
        if seed_s is None:
            seed_s = sp.csr_array((n_s, n_cols), dtype=np.int32)
        if seed_l is None:
            seed_l = sp.csr_array((self.n_l, n_cols), dtype=np.int32)
        fs = (self.snap.catalogue.reach_i32 @ seed_s.astype(np.int32)).tocsr()
        fs.data[:] = 1
        delta = seed_l.astype(bool).tocsr()
        failed = delta
        cand = self.req_s @ fs + self.req_l @ delta.astype(np.int32)
        cnt = (self.mem_s @ fs + self.mem_l @ delta.astype(np.int32)).tocsr()
        slot_failed = sp.csr_array(cnt.shape, dtype=bool)
        thr = self.slot_threshold
        while True:
            if cnt.nnz:
                rows = np.repeat(np.arange(cnt.shape[0]), np.diff(cnt.indptr))
                hit = cnt.data >= thr[rows]
                sf = sp.csr_array(
                    (np.ones(int(hit.sum()), dtype=bool), (rows[hit], cnt.indices[hit])),
                    shape=cnt.shape,
                )
                new_sf = _minus(sf, slot_failed)
                slot_failed = sf
                if new_sf.nnz:
                    cand = cand + self.owner @ new_sf.astype(np.int32)
            delta = _minus(cand.astype(bool).tocsr(), failed)
            if delta.nnz == 0:
                return failed, fs.astype(bool)
            failed = (failed + delta).astype(bool).tocsr()
            d32 = delta.astype(np.int32)
            cand = self.req_l @ d32
            cnt = (cnt + self.mem_l @ d32).tocsr()
