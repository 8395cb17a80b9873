"""The condensation closure and the sparse helpers of propagation give the plain answers:
``closure_by_condensation`` equals reachability by breadth-first search (and the squaring
closure it replaced), ``hstack_csr`` equals scipy's hstack, ``_sum`` equals ``+``."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import breadth_first_order

from regie.core.catalogue import reflexive_closure
from regie.core.graph import _sum, closure, hstack_csr
from regie.core.reach import closure_by_condensation

EDGES = st.integers(min_value=1, max_value=25).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4 * n),
    )
)


def _adj(n: int, edges: list[tuple[int, int]]) -> sp.csr_array:
    r = np.array([e[0] for e in edges], dtype=np.int64)
    c = np.array([e[1] for e in edges], dtype=np.int64)
    return sp.csr_array((np.ones(len(edges), dtype=bool), (r, c)), shape=(n, n))


def _bfs_closure(a: sp.csr_array) -> np.ndarray:
    n = a.shape[0]
    out = np.zeros((n, n), dtype=bool)
    for v in range(n):
        out[v, breadth_first_order(a, v, directed=True, return_predecessors=False)] = True
    return out


@settings(max_examples=300, deadline=None)
@given(EDGES)
def test_condensation_closure_is_reachability(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    a = _adj(n, edges)
    got = closure_by_condensation(a)
    assert got.dtype == bool
    assert got.has_sorted_indices
    dense = got.toarray()
    assert np.array_equal(dense, _bfs_closure(a))
    assert np.array_equal(dense, reflexive_closure(a).toarray())
    assert got.nnz == int(dense.sum())  # no duplicate entries


def test_condensation_closure_of_a_long_chain_and_a_cycle() -> None:
    # 0 -> 1 -> ... -> 39 -> 0 is one component; 40 -> 41 -> ... -> 59 a chain into it
    n = 60
    edges = [(i, i + 1) for i in range(39)] + [(39, 0)] + [(i, i + 1) for i in range(40, 59)] + [(59, 5)]
    got = closure_by_condensation(_adj(n, edges)).toarray()
    assert got[:40, :40].all()
    assert not got[:40, 40:].any()
    for i in range(40, 60):
        assert got[i, :40].all()
        assert got[i, i:].all()
        assert not got[i, 40:i].any()


def test_condensation_closure_of_empty_graphs() -> None:
    assert closure_by_condensation(sp.csr_array((0, 0), dtype=bool)).shape == (0, 0)
    eye = closure_by_condensation(sp.csr_array((3, 3), dtype=bool)).toarray()
    assert np.array_equal(eye, np.eye(3, dtype=bool))


MATS = st.tuples(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**31 - 1))


def _random(rows: int, cols: int, seed: int) -> sp.csr_array:
    rng = np.random.default_rng(seed)
    m = sp.random_array((rows, cols), density=0.3, rng=rng, format="csr").astype(np.int32)
    m.data[:] = 1
    return m


@settings(max_examples=100, deadline=None)
@given(MATS, st.integers(1, 4))
def test_hstack_csr_is_scipys_hstack(shape: tuple[int, int, int], k: int) -> None:
    rows, cols, seed = shape
    blocks = [_random(rows, cols + i, seed + i) for i in range(k)]
    got = hstack_csr(blocks)
    assert np.array_equal(got.toarray(), sp.hstack(blocks).toarray())


@settings(max_examples=100, deadline=None)
@given(MATS, st.integers(1, 4), st.booleans())
def test_sum_is_plus(shape: tuple[int, int, int], k: int, with_none: bool) -> None:
    rows, cols, seed = shape
    terms = [_random(rows, cols, seed + i) for i in range(k)]
    expected = sum(t.toarray() for t in terms)
    for small in (0, 10**9):  # the identity product and the plain sum
        got = _sum([*terms, None] if with_none else terms, small=small)
        assert np.array_equal(got.toarray(), expected)


def test_scope_closure_of_a_large_graph_is_the_squaring_closure() -> None:
    # above the size where the scope graph switches from squaring to the condensation
    rng = np.random.default_rng(3)
    n, k = 25_000, 22_000
    a = _adj(n, list(zip(rng.integers(0, n, k).tolist(), rng.integers(0, n, k).tolist(), strict=True)))
    got = closure(a)
    assert (got != reflexive_closure(a)).nnz == 0
