"""Group-by over subject columns without Python loops: shares, HHI and the top group per key.

Weights are summed per (key, group) with a dense bincount when the table is small, else
through a sparse matrix (scipy builds it with a counting sort, no comparison sort); the
largest entry per key is found with ``reduceat``. Ties go to the lowest group index, as a
stable sort would.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["hhi_by"]


def _row_max(m: Any) -> tuple[Any, Any, Any]:
    """(row, first column holding the row's maximum, that maximum) of each non-empty row."""
    counts = np.diff(m.indptr)
    rows = np.flatnonzero(counts)
    if len(rows) == 0:
        return rows, rows, np.zeros(0)
    starts = m.indptr[:-1][rows]
    best = np.maximum.reduceat(m.data, starts)
    row_of = np.repeat(np.arange(m.shape[0]), counts)
    hit = np.flatnonzero(m.data == best[np.searchsorted(rows, row_of)])
    first = hit[np.r_[True, row_of[hit][1:] != row_of[hit][:-1]]]
    return rows, m.indices[first], best


_DENSE = 1 << 22  # below this many (key, group) cells a dense bincount beats sorting


def _summed(key: Any, col: Any, weight: Any, n_keys: int, n_cols: int) -> Any:
    if n_keys * n_cols <= _DENSE:
        code = np.asarray(key, np.int64) * n_cols + np.asarray(col, np.int64)
        full = np.bincount(code, weights=weight, minlength=n_keys * n_cols)
        seen = np.bincount(code, minlength=n_keys * n_cols) > 0
        where = np.flatnonzero(seen)
        counts = np.bincount(where // n_cols, minlength=n_keys)
        indptr = np.r_[0, np.cumsum(counts)]
        return sp.csr_array((full[where], where % n_cols, indptr), shape=(n_keys, n_cols))
    m = sp.csr_array(
        (np.asarray(weight, dtype=np.float64), (np.asarray(key, np.int64), np.asarray(col, np.int64))),
        shape=(n_keys, n_cols),
    )
    m.sum_duplicates()  # canonical: sorted column indices, one entry per (key, group)
    return m


def _counted(key: Any, col: Any, n_keys: int, n_cols: int) -> Any:
    """``_summed`` with unit weights: entries counted per (key, column) by sorting one code
    per entry (32 bits when they fit), the CSR canonical (columns ascending per key)."""
    wide = n_keys * n_cols >= 2**31
    code = np.asarray(key, np.int64) * n_cols + np.asarray(col, np.int64)
    code = np.sort(code if wide else code.astype(np.int32))
    first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    counts = np.diff(np.r_[first, len(code)]).astype(np.float64)
    cells = code[first].astype(np.int64)
    indptr = np.r_[0, np.cumsum(np.bincount(cells // n_cols, minlength=n_keys))]
    return sp.csr_array((counts, cells % n_cols, indptr), shape=(n_keys, n_cols))


def hhi_by(key: Any, grp: Any, weight: Any, n_keys: int, n_g: int) -> tuple[Any, Any, Any, Any]:
    """Per key: (HHI 0-10,000, top group, its share, number of entries) of ``weight`` over
    groups (``None``: every entry weighs 1). ``grp`` may hold -1 (no group), which counts
    as a group of its own."""
    hh = np.zeros(n_keys)
    top = np.full(n_keys, -1, dtype=np.int64)
    tshare = np.zeros(n_keys)
    key = np.asarray(key, dtype=np.int64)
    if len(key) == 0:
        return hh, top, tshare, np.zeros(n_keys, dtype=np.int64)
    col = np.asarray(grp, np.int64) + 1
    if weight is None:  # counts: sorted codes (the same sums, in the same order)
        m = _counted(key, col, n_keys, n_g + 1) if n_keys * (n_g + 1) > _DENSE else None
        weight = np.ones(len(key))
    else:
        m = None
    if m is None:
        m = _summed(key, col, weight, n_keys, n_g + 1)
    row_of = np.repeat(np.arange(n_keys), np.diff(m.indptr))
    total = np.bincount(row_of, weights=m.data, minlength=n_keys)
    sh = m.data / np.where(total[row_of] > 0, total[row_of], 1)
    hh += np.bincount(row_of, weights=(100 * sh) ** 2, minlength=n_keys)
    rows, cols, best = _row_max(m)
    top[rows] = cols - 1
    tshare[rows] = best / np.where(total[rows] > 0, total[rows], 1)
    return hh, top, tshare, np.bincount(key, minlength=n_keys)
