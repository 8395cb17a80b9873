"""The linear-time helpers of the engine's fast paths against plain scipy/numpy (ADR 0016)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from regie.core.columns import take
from regie.core.graph import _block, _relabel, _vstack, bool_sorted, hstack_csr, rowcat_csr
from regie.core.masks import bit_counts, unpack
from regie.core.reach import closure_by_condensation, closure_parts, expand


def _random(rng: np.random.Generator, shape: tuple[int, int], density: float) -> sp.csr_array:
    m = sp.random_array(shape, density=density, format="csr", rng=rng, dtype=np.float64)
    m.data[:] = 1
    return sp.csr_array(m.astype(np.int32))


@pytest.mark.parametrize("seed", range(6))
def test_row_concatenation_holds_the_entries_of_every_block(seed: int) -> None:
    rng = np.random.default_rng(seed)
    blocks = [_random(rng, (40, 30), d) for d in (0.1, 0.0, 0.3)]
    got = rowcat_csr(blocks)
    want = blocks[0] + blocks[1] + blocks[2]
    assert got.shape == want.shape
    # the same entries, counted once per block they are in
    assert (got.tocsr().astype(np.int64) != want.astype(np.int64)).nnz == 0
    assert (hstack_csr(blocks) != sp.hstack(blocks, format="csr")).nnz == 0


@pytest.mark.parametrize("seed", range(6))
def test_vstack_and_sorted_bool_product(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = _random(rng, (25, 30), 0.2), _random(rng, (35, 30), 0.1)
    stacked = _vstack([a, b])
    assert stacked.indices.dtype == np.int32
    assert (stacked != sp.vstack([a, b], format="csr")).nnz == 0
    left = _random(rng, (20, 60), 0.2)
    got = bool_sorted(left @ stacked)
    want = (left @ sp.vstack([a, b], format="csr")).astype(bool)
    want.sort_indices()
    assert got.has_sorted_indices
    assert got.dtype == bool
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)


@pytest.mark.parametrize("seed", range(6))
def test_closure_parts_expand_to_the_closure(seed: int) -> None:
    rng = np.random.default_rng(seed)
    adj = _random(rng, (60, 60), 0.04).astype(bool)
    lab, rows = closure_parts(adj)
    full = closure_by_condensation(adj)
    assert (expand(lab, rows) != full).nnz == 0
    # a product with the closure is the product of the relabelled operand with the rows
    left = _random(rng, (15, 60), 0.1)
    via_parts = (_relabel(left, lab, rows.shape[0]) @ rows.astype(np.int32)).astype(bool)
    assert (via_parts != (left @ full.astype(np.int32)).astype(bool)).nnz == 0


def test_block_views_and_slices_agree() -> None:
    rng = np.random.default_rng(3)
    m = _random(rng, (50, 50), 0.1)
    for lo, hi, col in ((10, 30, 0), (0, 50, 0), (20, 50, 5)):
        assert (_block(m, lo, hi, col) != m[lo:hi, col:]).nnz == 0


@pytest.mark.parametrize("seed", range(4))
def test_bit_counts_count_every_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 2**63, size=(300, 3), dtype=np.int64).astype(np.uint64)
    assert np.array_equal(bit_counts(words, 150), unpack(words, 150).sum(axis=0))


def test_take_fills_unknown_indexes() -> None:
    values = np.array([5, 7, 9], dtype=np.int32)
    assert take(values, np.array([2, -1, 0])).tolist() == [9, -1, 5]
    assert take(np.array([1.5]), np.array([-1, 0]), np.nan)[1] == 1.5
    assert take(np.array([], dtype=np.int32), np.array([-1])).tolist() == [-1]
