"""Closure features as bit masks: which countries (per exposure dimension), which unknowns
and which provider groups lie in the closure of each process.

OR-ing fixed-width masks along closure rows is much cheaper than sparse boolean products
at national scale. Layout: ``country`` words hold bits ``d*C + c`` for dimension d and
country c, then three unknown flags at ``3*C + d``; ``group`` words hold one bit per group.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from regie.core.catalogue import Catalogue
from regie.core.columns import BoolArray, IntArray, take, unique
from regie.core.graph import ScopeGraph

__all__ = ["ClosureMasks", "bit_counts", "closure_masks", "or_rows", "unpack", "usage_group_words"]

U64 = npt.NDArray[np.uint64]


def _words(bits: int) -> int:
    return max(1, (bits + 63) // 64)


def or_rows(m: Any, values: U64) -> U64:
    """Word-major masks: ``out[:, i]`` = OR of ``values[:, j]`` over the entries j of CSR
    row i. One-dimensional gathers and ``reduceat`` per word keep this fast."""
    width = values.shape[0]
    out = np.zeros((width, m.shape[0]), dtype=np.uint64)
    if m.nnz == 0:
        return out
    nonempty = np.diff(m.indptr) > 0
    starts = m.indptr[:-1][nonempty].astype(np.intp)
    idx = m.indices.astype(np.intp)  # converted once, not per word
    if nonempty.all():
        for w in range(width):
            np.bitwise_or.reduceat(values[w].take(idx), starts, out=out[w])
        return out
    pos = np.flatnonzero(nonempty)
    for w in range(width):
        out[w, pos] = np.bitwise_or.reduceat(values[w].take(idx), starts)
    return out


def unpack(words: U64, n_bits: int) -> BoolArray:
    """(n, W) uint64 -> (n, n_bits) bool, little-endian bit order (row-major masks)."""
    as_bytes = np.ascontiguousarray(words).view(np.uint8)
    bits = np.unpackbits(as_bytes, axis=1, bitorder="little", count=n_bits)
    return bits.astype(bool)


# bit b of byte value v, little-endian: (256, 8)
_BYTE_BITS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1, bitorder="little")
_BYTE_BITS = _BYTE_BITS.astype(np.int64)


def bit_counts(words: U64, n_bits: int) -> Any:
    """(n, W) uint64 row-major masks -> (n_bits,) int64: in how many rows each bit is set.
    A histogram of the byte values per byte position, times the bits of each byte value:
    one pass over the bytes instead of unpacking every bit."""
    b = np.ascontiguousarray(words).view(np.uint8)
    n_bytes = b.shape[1]
    key = b.astype(np.intp)
    key += 256 * np.arange(n_bytes, dtype=np.intp)
    hist = np.bincount(key.ravel(), minlength=256 * n_bytes).reshape(n_bytes, 256)
    return np.asarray((hist @ _BYTE_BITS).ravel()[:n_bits], dtype=np.int64)


def _set_bits(n: int, words: int, rows: Any, bits: Any) -> U64:
    """Word-major (words, n) masks with the given (row, bit) pairs set."""
    out = np.zeros((words, n), dtype=np.uint64)
    ok = bits >= 0
    rows, bits = np.asarray(rows)[ok], np.asarray(bits)[ok].astype(np.int64)
    shifted = np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64))
    np.bitwise_or.at(out, (bits // 64, rows), shifted)
    return out


def service_masks(cat: Catalogue) -> tuple[U64, U64]:
    """(country+unknown words, group words) per service, word-major, closed over the supply
    chain."""
    n_s, n_c, n_g = cat.n_services, cat.n_countries, cat.n_groups
    wc, wg = _words(3 * n_c + 3), _words(n_g)
    rows_l, bits_l = [], []
    for d in range(3):
        m = cat.service_dims[d].tocoo()
        rows_l.append(m.row)
        bits_l.append(m.col + d * n_c)
        unk = np.nonzero(cat.service_dim_unknown[d])[0]
        rows_l.append(unk)
        bits_l.append(np.full(len(unk), 3 * n_c + d))
    cmask = _set_bits(n_s, wc, np.concatenate(rows_l), np.concatenate(bits_l))
    ar = np.arange(n_s)
    gmask = _set_bits(
        n_s,
        wg,
        np.concatenate([ar, ar]),
        np.concatenate([cat.service_group, cat.service_product_group]),
    )
    both = np.concatenate([cmask, gmask], axis=0)
    closed = or_rows(cat.service_reach, both)
    return np.ascontiguousarray(closed[:wc]), np.ascontiguousarray(closed[wc:])


@dataclass(frozen=True, eq=False)
class ClosureMasks:
    """Per process of a scope: country and unknown bits (every process) and provider-group
    bits (for ``group_rows``, all processes unless restricted)."""

    graph: ScopeGraph
    country: U64  # (Wc, P) word-major
    group: U64  # (Wg, len(group_rows)) word-major
    group_rows: IntArray  # local process rows that ``group`` holds, ascending
    # per usage of the scope (local usage index 0..U-1), word-major: what the usage runs on
    # itself (its services and their supply chains; a usage on no service has the unknown
    # flags set), not what it reaches through integrations -- see ``usage_closure_*``
    usage_country: U64 | None = None  # (Wc, U)

    @cached_property
    def usage_group(self) -> U64:
        """(Wg, U) word-major provider-group bits per usage, the product supplier's included
        (computed on first access when the masks were restricted to some processes)."""
        return usage_group_words(self.graph)

    @cached_property
    def usage_closure_country(self) -> U64:
        """(Wc, U) word-major: country and unknown bits over each usage's integrations too."""
        if self.usage_country is None:
            raise ValueError("usage masks were not computed")
        return or_rows(self.graph.usage_reach, self.usage_country)

    @cached_property
    def usage_closure_group(self) -> U64:
        """(Wg, U) word-major: provider-group bits over each usage's integrations too."""
        return or_rows(self.graph.usage_reach, self.usage_group)

    @cached_property
    def country_bits(self) -> BoolArray:
        rows = np.ascontiguousarray(self.country.T)
        return unpack(rows, 3 * self.graph.snap.catalogue.n_countries + 3)

    def group_words(self, rows: IntArray | None = None) -> U64:
        """Row-major (len(rows), Wg) group words of local processes."""
        if rows is None:
            if len(self.group_rows) != self.graph.n_p:
                raise ValueError("group bits were computed for some processes only")
            return np.ascontiguousarray(self.group.T)
        pos = np.searchsorted(self.group_rows, rows)
        if len(rows) and (
            pos.max() >= len(self.group_rows) or not np.array_equal(self.group_rows[pos], rows)
        ):
            raise ValueError("group bits were not computed for these processes")
        return np.ascontiguousarray(self.group[:, pos].T)

    def group_bits(self, rows: IntArray | None = None) -> BoolArray:
        return unpack(self.group_words(rows), self.graph.snap.catalogue.n_groups)


def _or_bit(words: U64, rows: Any, bits: Any) -> None:
    """Set one bit per row in place (rows must be distinct)."""
    ok = bits >= 0
    rows, bits = rows[ok], bits[ok].astype(np.int64)
    one = np.left_shift(np.uint64(1), (bits & 63).astype(np.uint64))
    if words.flags.c_contiguous:  # one flat gather and scatter instead of a 2-D one
        flat = words.reshape(-1)
        at = (bits >> 6) * words.shape[1] + rows
        flat[at] |= one
    else:
        words[bits >> 6, rows] |= one


def closure_masks(graph: ScopeGraph, group_rows: IntArray | None = None) -> ClosureMasks:
    """Masks for every process; group bits only for ``group_rows`` (None: all)."""
    snap = graph.snap
    cat = snap.catalogue
    n_p, n_c = graph.n_p, cat.n_countries
    s_c, s_g = _cached_service_masks(cat)
    adj_us, adj_ps = graph.adj_us, graph.adj_ps
    n_u = len(graph.usage)
    flags = np.uint64(sum(1 << ((3 * n_c + d) % 64) for d in range(3)))
    flag_word = (3 * n_c) // 64
    # countries and unknowns: a usage on no service, or a process with no dependencies,
    # is unknown in every dimension
    u_c = or_rows(adj_us, s_c)
    u_c[flag_word, graph.usage_unhosted] |= flags
    p_c = or_rows(graph.process_usage_rows, u_c) | or_rows(adj_ps, s_c)
    no_deps = (np.diff(graph.adj_l.indptr[: n_p + 1]) + np.diff(adj_ps.indptr)) == 0
    p_c[flag_word, no_deps] |= flags
    # provider groups (and the product supplier's group of each usage)
    if group_rows is None:
        rows = np.arange(n_p, dtype=np.int32)
        u_g = usage_group_words(graph)
        p_g = or_rows(graph.process_usage_rows, u_g) | or_rows(adj_ps, s_g)
        out = ClosureMasks(graph, p_c, p_g, rows, usage_country=u_c)
        out.__dict__["usage_group"] = u_g  # computed already (see the cached property)
        return out
    # only some processes: only the usages in their closures need group bits
    rows = group_rows
    pu = graph.process_usage_rows[rows]
    need = unique(pu.indices, bound=n_u)
    at = np.full(n_u, -1, dtype=np.int64)
    at[need] = np.arange(len(need))
    pu_need = sp.csr_array((pu.data, at[pu.indices], pu.indptr), shape=(pu.shape[0], len(need)))
    p_g = or_rows(pu_need, usage_group_words(graph, need)) | or_rows(adj_ps[rows], s_g)
    return ClosureMasks(graph, p_c, p_g, rows, usage_country=u_c)


def usage_group_words(graph: ScopeGraph, usages: IntArray | None = None) -> U64:
    """(Wg, len(usages)) word-major provider-group bits of local usages (None: all): the groups
    of their services and supply chains, and of their product's supplier."""
    cat = graph.snap.catalogue
    _, s_g = _cached_service_masks(cat)
    adj_us = graph.adj_us
    local = np.arange(adj_us.shape[0]) if usages is None else np.asarray(usages)
    u_g = or_rows(adj_us if usages is None else adj_us[local], s_g)
    product = graph.snap.orgs.usage_product[graph.usage[local]]
    _or_bit(u_g, np.arange(len(local)), take(cat.product_group, product))
    return u_g


def _cached_service_masks(cat: Catalogue) -> tuple[U64, U64]:
    """Service masks depend on the catalogue only: computed once per compiled catalogue."""
    hit = cat.memo.get("service_masks")
    if hit is None:
        hit = cat.memo["service_masks"] = service_masks(cat)
    masks: tuple[U64, U64] = hit
    return masks
