"""The dependency graph of a scope (one organisation or a set), as sparse matrices.

Local nodes are the scope's processes (``0..P-1``) followed by its active usages
(``P..P+U-1``); services keep their catalogue index. Retired usages and their edges are
left out. A redundancy *slot* is one (redundancy group, dependant) pair: the dependant
fails when fewer than ``k`` of the slot's distinct members still work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.catalogue import reflexive_closure
from regie.core.columns import NODE_SERVICE, NODE_USAGE, IntArray, i32, unique, unique_inverse
from regie.core.reach import closure_by_condensation, closure_parts, expand
from regie.core.snapshot import Snapshot

__all__ = ["ScopeGraph", "bool_sorted", "hstack_csr", "ranges", "rowcat_csr"]


def ranges(ptr: IntArray, rows: IntArray) -> IntArray:
    """Concatenate ``arange(ptr[r], ptr[r+1])`` for each row r (vectorised)."""
    starts = ptr[rows].astype(np.int64)
    counts = (ptr[rows + 1] - ptr[rows]).astype(np.int64)
    total = int(counts.sum())
    if total == 0:
        return i32([])
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return i32(offs + np.arange(total))


def hstack_csr(blocks: list[Any]) -> Any:
    """Side-by-side CSR blocks with the same rows, as one int32 CSR (linear, no sorting)."""
    return _concat_rows(blocks, offset=True)


def rowcat_csr(blocks: list[Any]) -> Any:
    """The entries of same-shape CSR blocks together, row by row, as one int32 CSR (linear,
    no sorting; an entry in several blocks stays several entries -- as an operand of a
    product it counts once per block, which boolean results do not see)."""
    return _concat_rows(blocks, offset=False)


def _concat_rows(blocks: list[Any], *, offset: bool) -> Any:
    n = blocks[0].shape[0]
    counts = [np.diff(b.indptr).astype(np.int64) for b in blocks]
    total = np.sum(counts, axis=0) if counts else np.zeros(n, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(total, out=indptr[1:])
    nnz = int(indptr[-1])
    idx = np.int32 if max(nnz, n) < 2**31 - 1 else np.int64
    indices = np.empty(nnz, dtype=idx)
    at = indptr[:-1].copy()  # where each row's entries of the next block go
    col_off = 0
    for b, c in zip(blocks, counts, strict=True):
        # destination of entry j of row r: at[r] + (j - b.indptr[r])
        pos = np.repeat(at - b.indptr[:-1], c)
        pos += np.arange(b.nnz, dtype=np.int64)
        indices[pos] = b.indices[: b.nnz] + col_off if col_off else b.indices[: b.nnz]
        at += c
        if offset:
            col_off += b.shape[1]
    shape = (n, col_off) if offset else blocks[0].shape
    return sp.csr_array((np.ones(nnz, dtype=np.int32), indices, indptr.astype(idx)), shape=shape)


def bool_sorted(m: Any) -> Any:
    """A product output (no duplicate entries, positive data) as bool CSR with sorted indices:
    what ``astype(bool)`` gives, without its duplicate check and copies."""
    out = _bool(m)
    out.sort_indices()
    return out


def _bool(m: Any) -> Any:
    """A product output (no duplicate entries, positive data) as bool CSR, rows unsorted."""
    return sp.csr_array((np.ones(m.nnz, dtype=bool), m.indices, m.indptr), shape=m.shape)


def _vstack(blocks: list[Any]) -> Any:
    """Stacked CSR blocks with the same columns (int32 data; int32 indices when they fit,
    so that a product with it stays in 32-bit indices)."""
    nnz = sum(b.nnz for b in blocks)
    n = sum(b.shape[0] for b in blocks)
    idx = np.int32 if max(nnz, blocks[0].shape[1], n) < 2**31 - 1 else np.int64
    indptr = np.empty(n + 1, dtype=idx)
    indptr[0] = 0
    at, off = 1, 0
    for b in blocks:
        indptr[at : at + b.shape[0]] = b.indptr[1:] + off
        at += b.shape[0]
        off += b.nnz
    indices = np.concatenate([b.indices for b in blocks]).astype(idx, copy=False)
    data = np.concatenate([b.data for b in blocks]).astype(np.int32, copy=False)
    return sp.csr_array((data, indices, indptr), shape=(n, blocks[0].shape[1]))


def _sum(terms: list[Any], small: int = 100_000) -> Any:
    """Sum of same-shape CSR terms (None skipped) as ``[I I ...] @ [t1; t2; ...]``: linear in
    the entries and, unlike ``+``, without sorting unsorted product outputs first."""
    ts = [t for t in terms if t is not None and t.nnz]
    if not ts:
        present = [t for t in terms if t is not None]
        return sp.csr_array(present[0].shape, dtype=np.int32)
    if len(ts) == 1:
        return ts[0].astype(np.int32).tocsr()
    if sum(t.nnz for t in ts) < small:  # small terms: sorting them is cheap
        total = ts[0].astype(np.int32)
        for t in ts[1:]:
            total = total + t.astype(np.int32)
        return total.tocsr()
    n, k = ts[0].shape[0], len(ts)
    idx = (np.arange(n, dtype=np.int64)[:, None] + n * np.arange(k, dtype=np.int64)[None, :]).ravel()
    ind = sp.csr_array(
        (np.ones(n * k, dtype=np.int32), idx, np.arange(0, n * k + 1, k, dtype=np.int64)), shape=(n, n * k)
    )
    return (ind @ _vstack(ts)).tocsr()


def _hits(cnt: Any, thr: Any) -> tuple[Any, Any]:
    """(row, column) of the entries of a count matrix that reach their row's threshold."""
    row = np.repeat(np.arange(cnt.shape[0]), np.diff(cnt.indptr))
    hit = cnt.data >= thr[row]
    return row[hit], cnt.indices[hit]


def _pairs_csr(rows: Any, cols: Any, shape: tuple[int, int]) -> Any:
    """int32 CSR with a one at each (distinct) (row, column) pair."""
    return sp.csr_array((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=shape)


def _csr(rows: Any, cols: Any, shape: tuple[int, int], dtype: Any = np.int32) -> Any:
    """Canonical CSR with a one at each distinct (row, column) pair; 32-bit indices when they
    fit (products and slices of it then stay in 32 bits)."""
    idx = np.int32 if max(len(rows), *shape) < 2**31 - 1 else np.int64
    rows, cols = np.asarray(rows).astype(idx, copy=False), np.asarray(cols).astype(idx, copy=False)
    m = sp.csr_array((np.ones(len(rows), dtype=dtype), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1
    return m


def _int32(m: Any) -> Any:
    """A 0/1 CSR with int32 ones (structure shared; no duplicate check or sort, unlike astype)."""
    return sp.csr_array((np.ones(m.nnz, dtype=np.int32), m.indices, m.indptr), shape=m.shape)


def _block(m: Any, lo: int, hi: int, col_lo: int = 0) -> Any:
    """Rows ``lo:hi`` of a CSR, columns from ``col_lo`` on, with views of its entries when no
    entry of those rows lies left of ``col_lo`` (a scope's process and usage rows point at
    usages only), else by slicing."""
    a, b = int(m.indptr[lo]), int(m.indptr[hi])
    ind = m.indices[a:b]
    if col_lo and len(ind) and int(ind.min()) < col_lo:
        return m[lo:hi, col_lo:].tocsr()
    out = sp.csr_array(
        (m.data[a:b], ind - col_lo if col_lo else ind, m.indptr[lo : hi + 1] - a),
        shape=(hi - lo, m.shape[1] - col_lo),
    )
    out.has_sorted_indices = m.has_sorted_indices
    return out


def _relabel(m: Any, label: Any, n: int) -> Any:
    """``m`` with column j renamed ``label[j]`` (n columns): a monotone renaming keeps sorted
    rows sorted; a merging one (components) may leave a column twice in a row, which a
    product with ``m`` on the left does not see beyond its count."""
    ind = label[m.indices]
    return sp.csr_array((m.data, ind.astype(m.indices.dtype, copy=False), m.indptr), shape=(m.shape[0], n))


def _closure_parts(adj: Any) -> tuple[Any, Any]:
    """``reach.closure_parts``; small scopes square instead (the labels are then the nodes)."""
    if adj.shape[0] < 20_000:
        return np.arange(adj.shape[0]), reflexive_closure(adj)
    return closure_parts(adj)


def closure(adj: Any) -> Any:
    """Reflexive-transitive closure of a square bool CSR (cycles allowed): one pass over the
    condensation in topological order (``reach.closure_by_condensation``; equal to the
    squaring of ``catalogue.reflexive_closure``, which it replaced here -- ADR 0016)."""
    if adj.shape[0] < 20_000:  # small scopes: a few squarings cost less than the set-up
        return reflexive_closure(adj)
    return closure_by_condensation(adj)


def _slots(
    snap: Snapshot, src: Any, dst: Any, to_s: Any, grp: Any, *, n_l: int, n_s: int
) -> tuple[Any, Any, Any, IntArray, IntArray]:
    """Redundancy slots from grouped edges: owner, members (local, services), threshold."""
    slot_key = grp.astype(np.int64) * max(n_l, 1) + src
    uniq, slot = unique_inverse(slot_key)
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
class Edges:
    """The scope's dependencies between kept nodes, in local ids (targets that are services
    keep their catalogue index): source, target, whether the target is a service, the
    redundancy group (-1 required) and the open-standard flag."""

    src: Any
    dst: Any
    to_s: Any
    group: Any
    open_standard: Any


@dataclass(frozen=True, eq=False)
class ScopeGraph:
    """The scope's nodes and edges; the matrices are built from the edges on first use, so
    that two threads of an analysis can build different ones at the same time (ADR 0016)."""

    snap: Snapshot
    orgs: IntArray
    process: IntArray  # snapshot process index per local process
    usage: IntArray  # snapshot usage index per local usage (offset by n_p in local ids)
    process_offset: IntArray  # per org: local = global + offset (processes)
    usage_offset: IntArray
    edges: Edges = field(repr=False)

    @property
    def n_p(self) -> int:
        return len(self.process)

    @property
    def n_l(self) -> int:
        return len(self.process) + len(self.usage)

    @classmethod
    def build(cls, snap: Snapshot, orgs: IntArray) -> ScopeGraph:
        o = snap.orgs
        orgs = i32(np.sort(orgs))
        proc = ranges(snap.org_process_ptr, orgs)
        use_all = ranges(snap.org_usage_ptr, orgs)
        active = snap.usage_active[use_all]
        use = use_all[active]
        n_p = len(proc)
        p_off = np.zeros(snap.n_orgs, dtype=np.int64)
        u_off = np.zeros(snap.n_orgs, dtype=np.int64)
        p_counts = np.diff(snap.org_process_ptr)[orgs]
        u_counts = np.diff(snap.org_usage_ptr)[orgs]
        p_off[orgs] = np.concatenate(([0], np.cumsum(p_counts)[:-1])) - snap.org_process_ptr[orgs]
        u_off[orgs] = np.concatenate(([0], np.cumsum(u_counts)[:-1])) - snap.org_usage_ptr[orgs]
        d: Any
        if len(orgs) and int(orgs[-1]) - int(orgs[0]) == len(orgs) - 1:
            # consecutive organisations (the whole country): their dependencies are one
            # slice, so the columns below are views instead of gathered copies
            d = slice(int(snap.org_dep_ptr[orgs[0]]), int(snap.org_dep_ptr[orgs[-1] + 1]))
        else:
            d = ranges(snap.org_dep_ptr, orgs)
        # one table of local ids, gathered once per edge end: the snapshot's processes,
        # then its usages, then the catalogue's services (which keep their index); -1 for a
        # process or usage outside the scope or a retired usage
        n_proc, n_use = snap.n_processes, snap.n_usages
        node = np.full(n_proc + n_use + snap.catalogue.n_services, -1, dtype=np.int64)
        node[proc] = np.arange(n_p)
        node[n_proc + use] = np.arange(n_p, n_p + len(use))
        node[n_proc + n_use :] = np.arange(snap.catalogue.n_services)
        base = np.zeros(3, dtype=np.int64)
        base[NODE_USAGE], base[NODE_SERVICE] = n_proc, n_proc + n_use
        src = node[o.dep_src[d] + base[o.dep_src_kind[d]]]
        dkind = o.dep_dst_kind[d]
        to_s = dkind == NODE_SERVICE
        dst = node[o.dep_dst[d] + base[dkind]]
        keep = (src >= 0) & (dst >= 0)
        return cls(
            snap=snap,
            orgs=orgs,
            process=proc,
            usage=use,
            process_offset=i32(p_off),
            usage_offset=i32(u_off),
            edges=Edges(src[keep], dst[keep], to_s[keep], o.dep_group[d][keep], o.dep_open_standard[d][keep]),
        )

    # matrices of the edges ---------------------------------------------------------------
    def _edge_csr(self, mask: Any, *, services: bool, dtype: Any = np.int32) -> Any:
        e = self.edges
        n_cols = self.snap.catalogue.n_services if services else self.n_l
        return _csr(e.src[mask], e.dst[mask], (self.n_l, n_cols), dtype)

    @cached_property
    def req_l(self) -> Any:
        """(L, L) required edges between local nodes."""
        e = self.edges
        return self._edge_csr((e.group < 0) & ~e.to_s, services=False)

    @cached_property
    def req_s(self) -> Any:
        """(L, S) required edges to services."""
        e = self.edges
        return self._edge_csr((e.group < 0) & e.to_s, services=True)

    @cached_property
    def adj_l(self) -> Any:
        """(L, L) bool: every edge between local nodes."""
        return self._edge_csr(~self.edges.to_s, services=False, dtype=bool)

    @cached_property
    def adj_s(self) -> Any:
        """(L, S) bool: every edge to a service."""
        return self._edge_csr(self.edges.to_s, services=True, dtype=bool)

    @cached_property
    def _slot_parts(self) -> tuple[Any, Any, Any, IntArray, IntArray]:
        e = self.edges
        g = e.group >= 0
        return _slots(
            self.snap,
            e.src[g],
            e.dst[g],
            e.to_s[g],
            e.group[g],
            n_l=self.n_l,
            n_s=self.snap.catalogue.n_services,
        )

    @property
    def owner(self) -> Any:
        """(L, slots) the dependant of each redundancy slot."""
        return self._slot_parts[0]

    @property
    def mem_l(self) -> Any:
        """(slots, L) local members of each redundancy slot."""
        return self._slot_parts[1]

    @property
    def mem_s(self) -> Any:
        """(slots, S) service members of each redundancy slot."""
        return self._slot_parts[2]

    @property
    def slot_threshold(self) -> IntArray:
        """Failed members that make a slot fail: n - k + 1."""
        return self._slot_parts[3]

    @property
    def slot_group(self) -> IntArray:
        return self._slot_parts[4]

    @cached_property
    def integration(self) -> tuple[Any, Any, Any]:
        """(src, dst, open_standard) of the usage-to-usage edges, local ids."""
        e = self.edges
        integ = (e.src >= self.n_p) & ~e.to_s
        return e.src[integ], e.dst[integ], e.open_standard[integ]

    # closure -----------------------------------------------------------------------------
    @cached_property
    def integrations_required(self) -> bool:
        """No integration (usage-to-usage edge) belongs to a redundancy group, so the closure
        over all integrations is the required-only closure that propagation uses."""
        n_p, n_l = self.n_p, self.n_l
        return bool(_block(self.adj_l, n_p, n_l, n_p).nnz == _block(self.req_l, n_p, n_l, n_p).nnz)

    @cached_property
    def usage_reach(self) -> Any:
        """(U, U) bool: usages reachable from each usage through integrations (reflexive)."""
        if self.integrations_required:  # same closure as the required one
            return self.r_uu.astype(bool)
        n_p = self.n_p
        return closure(self.adj_l[n_p:, n_p:].tocsr())

    @cached_property
    def process_usages(self) -> Any:
        """(P, U) bool: the usages in each process's closure."""
        n_p = self.n_p
        if self.integrations_required:
            grouped = self._grouped_process_usages
            out = self.required["r_pu"] + grouped if grouped.nnz else self.required["r_pu"]
            return out.astype(bool).tocsr()
        a = self.adj_l[:n_p, n_p:].astype(np.int32)
        return (a @ self.usage_reach.astype(np.int32)).astype(bool).tocsr()

    @cached_property
    def _grouped_process_usages(self) -> Any:
        """(P, U): the usages processes reach through their grouped edges (the owner of each
        slot times its usage members, closed), few in practice."""
        n_p = self.n_p
        r = self.required
        grouped = (self.owner[:n_p] @ self.mem_l[:, n_p:].astype(np.int32)).tocsr()
        if grouped.nnz:
            grouped = (_relabel(grouped, r["lab"], r["comp"].shape[0]) @ r["comp"]).tocsr()
        return grouped

    @cached_property
    def process_usage_rows(self) -> Any:
        """(P, U) CSR with the usages of each process's closure, in no particular order
        within a row and possibly more than once: ``process_usages`` without its sorting
        and de-duplication, for consumers that OR or gather along rows (``or_rows``)."""
        if not self.integrations_required:
            return self.process_usages
        grouped = self._grouped_process_usages
        return rowcat_csr([self.required["r_pu"], grouped]) if grouped.nnz else self.required["r_pu"]

    @cached_property
    def adj_us(self) -> Any:
        """(U, S) bool: the services each usage runs on directly (rows of ``adj_s``, views)."""
        return _block(self.adj_s, self.n_p, self.n_l)

    @cached_property
    def adj_ps(self) -> Any:
        """(P, S) bool: the services each process depends on directly (views)."""
        return _block(self.adj_s, 0, self.n_p)

    @cached_property
    def process_services(self) -> Any:
        """(P, S) bool: the services in each process's closure (for one organisation)."""
        n_p = self.n_p
        direct = self.adj_s[:n_p].astype(np.int32) + (
            self.process_usages.astype(np.int32) @ self.adj_s[n_p:].astype(np.int32)
        )
        return (direct @ self.snap.catalogue.reach_i32).astype(bool).tocsr()

    @cached_property
    def usage_services(self) -> Any:
        """(U, S) bool: services each usage runs on, with their supply chains (no integrations)."""
        rows = self.usage_service_rows
        return bool_sorted(sp.csr_array((rows.data, rows.indices.copy(), rows.indptr), shape=rows.shape))

    @cached_property
    def usage_service_rows(self) -> Any:
        """``usage_services`` as the product gives it: each (usage, service) pair once, in no
        particular order within a row (int32 data; enough for counting pairs)."""
        return (_int32(self.adj_us) @ self.snap.catalogue.reach_i32).tocsr()

    @cached_property
    def usage_unhosted(self) -> Any:
        """Usages with no service at all: where they run and who runs them is unknown."""
        return np.diff(self.adj_us.indptr) == 0

    # failure propagation -----------------------------------------------------------------
    @cached_property
    def required(self) -> dict[str, Any]:
        """Required-edge blocks and the required-only closures used by propagation.

        The usage closure is kept as (component of each usage, closure row of each
        component over usages) (``closure_parts``): the products below take the component
        rows with their left operand's columns relabelled by component, so the closure is
        expanded to one row per usage only when asked for (``r_uu``)."""
        n_p = self.n_p
        req_uu = _block(self.req_l, n_p, self.n_l, n_p)
        lab, comp = _closure_parts(req_uu)
        comp = _int32(comp)
        req_pu = _block(self.req_l, 0, n_p, n_p)
        members = unique(self.mem_l.indices, bound=self.n_l) if self.mem_l.nnz else np.zeros(0, np.int64)
        members_u = members[members >= n_p] - n_p
        used = self.used_services
        reach = self.snap.catalogue.reach_i32
        whole = len(used) == reach.shape[0]
        pos = np.full(reach.shape[0], -1, dtype=np.int64)
        pos[used] = np.arange(len(used))
        req_s = self.req_s if whole else _relabel(self.req_s, pos, len(used))
        r_pu = (_relabel(req_pu, lab, comp.shape[0]) @ comp).tocsr()
        r_pu.data[:] = 1
        return {
            "lab": lab,
            "comp": comp,
            "r_pu": r_pu,
            # services are restricted to those the scope can reach (all of them nationally)
            "reach": reach if whole else reach[used][:, used].tocsr(),
            "req_us": _block(req_s, n_p, self.n_l),
            "req_ps": _block(req_s, 0, n_p),
            "mem_s": self.mem_s if whole else _relabel(self.mem_s, pos, len(used)),
            "members_u": members_u,
            "r_members": comp[lab[members_u]].tocsr(),
            "mem_u": self.mem_l[:, n_p:][:, members_u].tocsr(),
            "owner_u": self.owner[n_p:].tocsr(),
            "owner_p": self.owner[:n_p].tocsr(),
        }

    @cached_property
    def r_uu(self) -> Any:
        """(U, U) int32, sorted: the required closure of the usages, one row per usage."""
        r = self.required
        return _int32(expand(r["lab"], r["comp"]))

    @cached_property
    def used_services(self) -> IntArray:
        """Services the scope depends on at any depth (catalogue indexes, ascending)."""
        n_s = self.snap.catalogue.n_services
        direct = unique(self.adj_s.indices, bound=n_s)
        if len(direct) == 0:
            return i32([])
        return i32(unique(self.snap.catalogue.service_reach[direct].indices, bound=n_s))

    def propagate(
        self,
        seed_s: Any | None,
        seed_u: Any | None,
        n_cols: int,
        *,
        usages: bool = False,
        rows: Any | None = None,
        sort: bool = True,
    ) -> tuple[Any, Any | None, Any]:
        """Least fixed point of failure for ``n_cols`` independent failure sets at once.

        ``seed_s`` (S, B) and ``seed_u`` (U, B) are the services and usages that go down in
        each column. Required edges propagate failure by reachability, so a usage fails
        when the required-closure of it holds a *directly* failed usage (seeded, a required
        service failed, or a redundancy slot failed); slots are re-counted until no new
        slot fails. ``seed_s`` may also be given over ``used_services`` only. Returns
        (failed processes (P, B) -- only ``rows`` if given --, failed usages (U, B) or None,
        failed services among ``used_services`` (len(used), B)), all bool CSR. Without
        ``sort`` the failed processes come with each row's columns in no particular order
        (for consumers that only count or gather them).
        """
        r = self.required
        used = self.used_services
        if seed_s is None:
            seed_s = sp.csr_array((len(used), n_cols), dtype=np.int32)
        elif seed_s.shape[0] != len(used):
            seed_s = seed_s.tocsr()[used]
        fs = (r["reach"] @ seed_s.astype(np.int32)).tocsr()
        fs.data[:] = 1
        seed = None if seed_u is None else seed_u.astype(np.int32).tocsr()
        slot_failed = self._failed_slots(fs, seed, n_cols)
        # the failed processes in one product,
        #   [r_pu | r_pu | W | req_ps] @ [req_us @ fs ; seed ; failed slots ; fs],
        # W = r_pu @ owner_u + owner_p being the processes that fail with a slot
        # (``_slot_processes``); the seeds get a block of their own rather than being merged
        # into the usages' direct failures row by row; blocks that are empty are left out
        direct = r["req_us"] @ fs
        pairs = [(r["r_pu"], direct)]
        if seed is not None:
            pairs.append((r["r_pu"], seed))
        if r["owner_u"].nnz or r["owner_p"].nnz:
            pairs.append((self._slot_processes, slot_failed))
        if r["req_ps"].nnz:
            pairs.append((r["req_ps"], fs))
        lefts = [a if rows is None else a[rows] for a, _ in pairs]
        left = hstack_csr(lefts) if len(lefts) > 1 else lefts[0]
        product = left @ _vstack([b for _, b in pairs])
        k_p = bool_sorted(product) if sort else _bool(product)
        k_u = None
        if usages:
            x_u = rowcat_csr([direct, r["owner_u"] @ slot_failed] + ([] if seed is None else [seed]))
            k_u = bool_sorted(self.r_uu @ x_u)
        return k_p, k_u, fs.astype(bool)

    @cached_property
    def _slot_processes(self) -> Any:
        """W = r_pu @ owner_u + owner_p: (P, slots), the processes that fail with a slot."""
        r = self.required
        return rowcat_csr([(r["r_pu"] @ r["owner_u"]).tocsr(), r["owner_p"]])

    def _failed_slots(self, fs: Any, seed: Any | None, n_cols: int) -> Any:
        """(slots, B) int32 CSR: the redundancy slots that fail in each column (the least
        fixed point). Slots with service members only are decided by the failed services
        alone, once; the others are re-counted round by round from the failed members that
        the seeds, the required services and the slots failed so far reach. Failed slots
        only grow, so a round whose count of failed slots is unchanged is the fixed point.
        Inside the loop only the usages that slot members reach matter (``_loop_ops``)."""
        thr = self.slot_threshold
        shape = (len(thr), n_cols)
        if not len(thr):
            return sp.csr_array(shape, dtype=np.int32)
        ops = self._loop_ops
        fixed, var = ops["fixed"], ops["var"]
        f_slot, f_col = _hits(ops["mem_s_fixed"] @ fs, thr[fixed])
        f_slot = fixed[f_slot]
        slot_failed = _pairs_csr(f_slot, f_col, shape)
        if not len(var):
            return slot_failed
        # what fails the loop's usages directly, whatever the slots do
        x0 = ops["req_us_loop"] @ fs
        if seed is not None:
            x0 = rowcat_csr([x0, seed[ops["loop_rows"]]])
        count_var, thr_var = ops["count_var"], thr[var]
        done = -1
        while True:
            x_r = rowcat_csr([x0, ops["owner_u_loop"] @ slot_failed]) if slot_failed.nnz else x0
            k_m = ops["members_loop"] @ x_r
            k_m.data[:] = 1  # a failed member counts once
            v_slot, v_col = _hits(count_var @ _vstack([fs, k_m]), thr_var)
            if len(v_slot) == done:
                return slot_failed
            done = len(v_slot)
            rows, cols = np.concatenate([f_slot, var[v_slot]]), np.concatenate([f_col, v_col])
            slot_failed = _pairs_csr(rows, cols, shape)

    @cached_property
    def _loop_ops(self) -> dict[str, Any]:
        r = self.required
        n_u = self.n_l - self.n_p
        loop_rows = unique(r["r_members"].indices, bound=n_u) if r["r_members"].nnz else np.zeros(0, np.int64)
        with_usages = np.diff(r["mem_u"].indptr) > 0
        var = np.flatnonzero(with_usages)
        fixed = np.flatnonzero(~with_usages)
        return {
            "loop_rows": loop_rows,
            "req_us_loop": r["req_us"][loop_rows],
            "owner_u_loop": r["owner_u"][loop_rows],
            "members_loop": r["r_members"][:, loop_rows],
            "fixed": fixed,
            "var": var,
            "mem_s_fixed": r["mem_s"][fixed],
            "count_var": hstack_csr([r["mem_s"][var], r["mem_u"][var]]),
        }
