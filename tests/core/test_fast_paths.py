"""The fast paths added for national scale give the same answers as the plain ones:
sort-based unique, the benchmark's two reference propagations, and the engine's blast radius."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from regie.core.bench_reference import ReferenceGraph
from regie.core.columns import unique, unique_inverse
from regie.core.continuity import blast_radius_all_groups
from regie.core.graph import ScopeGraph
from regie.core.synthetic import Scale, synthetic_snapshot

INTS = st.lists(st.integers(min_value=0, max_value=60), max_size=80)


@settings(max_examples=200, deadline=None)
@given(INTS, st.booleans())
def test_unique_is_numpys_unique(values: list[int], bounded: bool) -> None:
    x = np.array(values, dtype=np.int64)
    expected = np.unique(x)
    got = unique(x, bound=61 if bounded else None)
    assert got.dtype == x.dtype
    assert np.array_equal(got, expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-5, max_value=40), max_size=80))
def test_unique_inverse_is_numpys_unique_with_inverse(values: list[int]) -> None:
    x = np.array(values, dtype=np.int64)
    u, inv = unique_inverse(x)
    eu, einv = np.unique(x, return_inverse=True)
    assert np.array_equal(u, eu)
    assert np.array_equal(inv, einv.ravel())
    assert np.array_equal(u[inv], x)


@settings(max_examples=8, deadline=None)
@given(st.integers(min_value=0, max_value=2**16))
def test_both_references_agree_with_the_engine_for_every_group(seed: int) -> None:
    scale = Scale(orgs=5, processes_per_org=10, usages_per_org=40, services=120, entities=40, products=50)
    snap = synthetic_snapshot(scale, seed=seed)
    graph = ScopeGraph.build(snap, snap.orgs_of(None))
    m = blast_radius_all_groups(graph).failed_matrix.tocsc()
    ref = ReferenceGraph(snap)
    groups = ReferenceGraph.services_of_groups(snap)
    assert groups
    hit = 0
    for g, services in groups.items():
        got = {int(graph.process[i]) for i in m.indices[m.indptr[g] : m.indptr[g + 1]].tolist()}
        assert ref.failed_processes(services) == got
        assert ref.failed_processes_worklist(services) == got
        hit += bool(got)
    assert hit  # some group stops some process, or the comparison says nothing
