"""The vectorised group-by (HHI, top group and share per key) against a plain Python one."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regie.policy import grouping


def plain(
    key: list[int], grp: list[int], weight: list[float], n_keys: int
) -> list[tuple[float, int, float, int]]:
    sums: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    count = [0] * n_keys
    for k, g, w in zip(key, grp, weight, strict=True):
        sums[k][g] += w
        count[k] += 1
    out = []
    for k in range(n_keys):
        if k not in sums:
            out.append((0.0, -1, 0.0, 0))
            continue
        total = sum(sums[k].values())
        shares = {g: (v / total if total > 0 else 0.0) for g, v in sums[k].items()}
        top = min(sums[k], key=lambda g: (-sums[k][g], g))  # largest, ties to the lowest group
        out.append((sum((100 * s) ** 2 for s in shares.values()), top, shares[top], count[k]))
    return out


entries = st.lists(
    st.tuples(st.integers(0, 7), st.integers(-1, 5), st.sampled_from([0.0, 1.0, 2.5, 10.0, 1e6])),
    max_size=60,
)


@pytest.mark.parametrize("dense", [True, False])
@settings(max_examples=60, deadline=None)
@given(rows=entries)
def test_hhi_by_matches_a_plain_group_by(rows: list[tuple[int, int, float]], dense: bool) -> None:
    key, grp, weight = ([r[i] for r in rows] for i in range(3))
    old = grouping._DENSE
    grouping._DENSE = old if dense else 0  # force the sparse path
    try:
        hh, top, share, count = grouping.hhi_by(
            np.array(key, dtype=np.int64), np.array(grp, dtype=np.int64), np.array(weight), 8, 6
        )
    finally:
        grouping._DENSE = old
    for k, (e_hh, e_top, e_share, e_count) in enumerate(plain(key, grp, weight, 8)):
        assert hh[k] == pytest.approx(e_hh)
        assert (int(top[k]), int(count[k])) == (e_top, e_count)
        assert share[k] == pytest.approx(e_share)


@pytest.mark.parametrize("dense", [True, False])
@settings(max_examples=60, deadline=None)
@given(rows=entries)
def test_counts_equal_unit_weights_exactly(rows: list[tuple[int, int, float]], dense: bool) -> None:
    key = np.array([r[0] for r in rows], dtype=np.int64)
    grp = np.array([r[1] for r in rows], dtype=np.int64)
    old = grouping._DENSE
    grouping._DENSE = old if dense else 0  # force the sorted-code path
    try:
        counted = grouping.hhi_by(key, grp, None, 8, 6)
    finally:
        grouping._DENSE = old
    weighed = grouping.hhi_by(key, grp, np.ones(len(key)), 8, 6)
    for got, want in zip(counted, weighed, strict=True):
        assert np.array_equal(got, want)
    for k, (e_hh, e_top, _, e_count) in enumerate(plain(key.tolist(), grp.tolist(), [1.0] * len(key), 8)):
        assert counted[0][k] == pytest.approx(e_hh)
        assert (int(counted[1][k]), int(counted[3][k])) == (e_top, e_count)
