"""Reflexive-transitive closure of a sparse directed graph in one pass over its condensation.

Strongly connected components (scipy) collapse cycles; the condensed graph is a DAG whose
components are peeled by height (sinks first, as in Kahn's algorithm run backwards). A
component's closure row is itself plus the union of its successors' rows, all of which lie
at lower heights and are therefore complete: each level is one gather and one sort-based
de-duplication, so the work is about one sparse product instead of the ``log2(depth)``
full squarings of the plain method (ADR 0016). Rows are finally expanded from components
back to nodes. The result equals ``catalogue.reflexive_closure`` (tests/core/test_reach.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["closure_by_condensation", "closure_parts", "expand"]


def _ranges(starts: Any, counts: Any) -> Any:
    """Concatenate ``arange(s, s + c)`` for every pair (int64)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offs = np.repeat(starts - (ends - counts), counts)
    return offs + np.arange(total, dtype=np.int64)


def _dedupe_rows(row: Any, col: Any, n_cols: int) -> tuple[Any, Any]:
    """Sorted distinct (row, col) pairs."""
    key = np.sort(row.astype(np.int64) * n_cols + col)
    keep = np.empty(len(key), dtype=bool)
    if len(key):
        keep[0] = True
        np.not_equal(key[1:], key[:-1], out=keep[1:])
    key = key[keep]
    return key // n_cols, key % n_cols


def _distinct(v: Any) -> Any:
    s = np.sort(v)
    keep = np.empty(len(s), dtype=bool)
    if len(s):
        keep[0] = True
        np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _transpose(ptr: Any, cols: Any, n_cols: int) -> tuple[Any, Any]:
    """(pointer, rows) of the transposed CSR structure: for every column, its rows in
    ascending order -- a stable grouping by column, done by scipy's linear counting pass
    (a stable ``argsort`` of the columns is several times slower)."""
    n_rows = len(ptr) - 1
    m = sp.csr_array((np.ones(len(cols), dtype=np.int8), cols, ptr), shape=(n_rows, n_cols))
    t = m.tocsc()
    return t.indptr.astype(np.int64), t.indices.astype(np.int64)


def _condensation(a: Any) -> tuple[int, Any, Any, Any]:
    """(components, component per node, successor pointer, successors) of the condensed DAG."""
    n = a.shape[0]
    n_c, lab = connected_components(a, directed=True, connection="strong")
    lab = lab.astype(np.int64)
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(a.indptr))
    cs, cd = lab[src], lab[a.indices.astype(np.int64)]
    m = cs != cd
    cs, cd = _dedupe_rows(cs[m], cd[m], n_c)  # grouped by source
    out_ptr = np.zeros(n_c + 1, dtype=np.int64)
    np.cumsum(np.bincount(cs, minlength=n_c), out=out_ptr[1:])
    return n_c, lab, out_ptr, cd


def _component_rows(n_c: int, out_ptr: Any, succ_of: Any) -> tuple[Any, Any, Any]:
    """Closure row of every component, peeled by height: (buffer, start, size) with row c
    at ``buf[start[c] : start[c] + size[c]]``."""
    in_ptr, rev_src = _transpose(out_ptr, succ_of, n_c)  # predecessors grouped by successor
    outdeg = np.diff(out_ptr).copy()
    start = np.zeros(n_c, dtype=np.int64)
    size = np.zeros(n_c, dtype=np.int64)
    buf = np.empty(max(2 * n_c, 1024), dtype=np.int64)
    used = 0
    frontier = np.flatnonzero(outdeg == 0)
    done = 0
    while len(frontier):
        done += len(frontier)
        counts = out_ptr[frontier + 1] - out_ptr[frontier]
        own = np.arange(len(frontier), dtype=np.int64)
        if counts.any():
            succ = succ_of[_ranges(out_ptr[frontier], counts)]
            edge_row = np.repeat(own, counts)
            gathered = buf[_ranges(start[succ], size[succ])]
            rows = np.concatenate([own, np.repeat(edge_row, size[succ])])
            rows, cols = _dedupe_rows(rows, np.concatenate([frontier, gathered]), n_c)
        else:  # sinks: only themselves
            rows, cols = own, frontier
        if used + len(cols) > len(buf):
            grown = np.empty(max(2 * len(buf), used + len(cols)), dtype=np.int64)
            grown[:used] = buf[:used]
            buf = grown
        buf[used : used + len(cols)] = cols
        sizes = np.bincount(rows, minlength=len(frontier))
        start[frontier] = used + np.cumsum(sizes) - sizes
        size[frontier] = sizes
        used += len(cols)
        # predecessors whose successors are now all done form the next level
        preds = rev_src[_ranges(in_ptr[frontier], in_ptr[frontier + 1] - in_ptr[frontier])]
        np.subtract.at(outdeg, preds, 1)
        frontier = _distinct(preds[outdeg[preds] == 0])
    if done != n_c:  # cannot happen on a condensation (it is acyclic)
        raise AssertionError("condensation is not acyclic")
    return buf, start, size


def closure_parts(adj: Any) -> tuple[Any, Any]:
    """The closure as (component per node, (components, nodes) bool CSR of every component's
    closure row over nodes, unsorted): a node's closure row is the row of its component, so
    a product ``A @ closure`` is ``A' @ rows`` with A's columns relabelled by component --
    without the closure ever being expanded to one row per node."""
    n = adj.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), sp.csr_array((0, 0), dtype=bool)
    n_c, lab, out_ptr, succ_of = _condensation(sp.csr_array(adj))
    buf, start, size = _component_rows(n_c, out_ptr, succ_of)
    # expand each component's row from components to their member nodes
    mem_ptr, members = _transpose(np.arange(n + 1), lab, n_c)  # the nodes of each component
    comp_cols = buf[_ranges(start, size)]  # component rows, concatenated in component order
    msize = mem_ptr[comp_cols + 1] - mem_ptr[comp_cols]
    exp_cols = members[_ranges(mem_ptr[comp_cols], msize)]
    comp_row = np.repeat(np.arange(n_c, dtype=np.int64), size)
    indptr = np.zeros(n_c + 1, dtype=np.int64)
    np.cumsum(np.bincount(comp_row, weights=msize, minlength=n_c).astype(np.int64), out=indptr[1:])
    idx = np.int32 if max(int(indptr[-1]), n) < 2**31 - 1 else np.int64
    rows = sp.csr_array(
        (np.ones(len(exp_cols), dtype=bool), exp_cols.astype(idx), indptr.astype(idx)), shape=(n_c, n)
    )
    return lab, rows


def expand(lab: Any, rows: Any) -> Any:
    """The node-level closure (bool CSR, sorted indices) from ``closure_parts``."""
    out = rows[lab]
    out.sort_indices()
    return out


def closure_by_condensation(adj: Any) -> Any:
    """Reflexive-transitive closure of a square sparse adjacency (cycles allowed), as a
    bool CSR with sorted indices."""
    n = adj.shape[0]
    if n == 0:
        return sp.csr_array((0, 0), dtype=bool)
    lab, rows = closure_parts(adj)
    return expand(lab, rows)
