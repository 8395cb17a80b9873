"""The arrays an Analysis exposes for other consumers (policies): per-usage closure masks and
the single-point-of-failure matrix, checked against plain walks of random landscapes."""

from __future__ import annotations

import random
from collections import deque

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.masks import unpack
from tests.core import reference as ref
from tests.core.landscapes import Landscape, build, random_landscape

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
BOUNDED = settings(max_examples=60, deadline=None)


def _reach(land: Landscape, start: tuple[str, str], *, integrations: bool) -> set[tuple[str, str]]:
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for d in ref.active_deps(land):
        if d["target"][0] == "usage" and not integrations:
            continue
        out.setdefault(d["source"], []).append(d["target"])
    for a, b in land["supply"]:
        out.setdefault(("service", a), []).append(("service", b))
    seen = {start}
    queue = deque(seen)
    while queue:
        n = queue.popleft()
        for m in out.get(n, []):
            if m not in seen:
                seen.add(m)
                queue.append(m)
    return seen


def _groups(land: Landscape, nodes: set[tuple[str, str]]) -> set[str]:
    """Provider groups of the services and supplier groups of the products among ``nodes``."""
    found = set()
    for kind, key in nodes:
        if kind == "service":
            info = land["services"][key]
            if info["provider"] is not None:
                found.add(ref.group_of(land, info["provider"]))
            product = info["product"]
        else:
            product = land["usages"][key]["product"]
        if product is not None and land["products"][product]["supplier"] is not None:
            found.add(ref.group_of(land, land["products"][product]["supplier"]))
    return found


@BOUNDED
@given(SEEDS)
def test_usage_masks_hold_the_groups_of_what_each_usage_runs_on(seed: int) -> None:
    rng = random.Random(seed)
    land = random_landscape(rng, orgs=rng.randint(1, 3))
    snap = build(land)
    a = analyse(snap, None, AnalysisOptions(detail=True, threads=False))
    assert a.masks is not None
    assert a.masks.usage_group is not None
    cat = snap.catalogue
    n_g = cat.n_groups
    own = unpack(np.ascontiguousarray(a.masks.usage_group.T), n_g)
    closed = unpack(np.ascontiguousarray(a.masks.usage_closure_group.T), n_g)
    root = [str(cat.cols.entity_keys[cat.group_entity[g]]) for g in range(n_g)]
    keys = snap.orgs.usage_keys
    for i, u in enumerate(a.graph.usage.tolist()):
        start = ("usage", str(keys[u]))
        expected_own = _groups(land, _reach(land, start, integrations=False))
        expected_closed = _groups(land, _reach(land, start, integrations=True))
        assert {root[g] for g in np.nonzero(own[i])[0]} == expected_own
        assert {root[g] for g in np.nonzero(closed[i])[0]} == expected_closed


@BOUNDED
@given(SEEDS)
def test_the_spof_matrix_is_what_the_single_points_of_failure_list_says(seed: int) -> None:
    rng = random.Random(seed)
    land = random_landscape(rng, orgs=rng.randint(1, 3))
    snap = build(land)
    full = analyse(snap, None, AnalysisOptions(detail=True, threads=False))
    lean = analyse(snap, None, AnalysisOptions(detail=False, threads=False))
    assert full.spof_matrix is not None
    assert full.spof_rows is not None
    assert full.spof_services is not None
    o = snap.orgs
    cols = snap.catalogue.cols
    n_s = len(full.spof_services)
    m = full.spof_matrix.tocsr()
    pairs = set()
    for i, p_local in enumerate(full.spof_rows.tolist()):
        p = int(full.graph.process[p_local])
        if not o.process_critical[p]:
            continue
        for c in m.indices[m.indptr[i] : m.indptr[i + 1]].tolist():
            key = (
                cols.service_keys[int(full.spof_services[c])]
                if c < n_s
                else o.usage_keys[int(full.graph.usage[c - n_s])]
            )
            pairs.add((o.process_keys[p], key))
    assert pairs == {(s.process, s.key) for s in full.spofs}
    assert full.spof_count == len(pairs)
    # without detail only the critical processes are computed: the same rows
    assert lean.spof_rows is not None
    crit = np.nonzero(o.process_critical[lean.graph.process])[0]
    assert np.array_equal(lean.spof_rows, crit)
    assert (lean.spof_matrix != m[crit]).nnz == 0


@BOUNDED
@given(SEEDS)
def test_group_bits_of_the_critical_processes_do_not_depend_on_detail(seed: int) -> None:
    rng = random.Random(seed)
    land = random_landscape(rng, orgs=rng.randint(1, 3))
    snap = build(land)
    full = analyse(snap, None, AnalysisOptions(detail=True, threads=False))
    lean = analyse(snap, None, AnalysisOptions(detail=False, threads=False))
    assert full.masks is not None
    assert lean.masks is not None
    crit = np.nonzero(snap.orgs.process_critical[lean.graph.process])[0]
    assert np.array_equal(lean.masks.group_rows, crit)
    assert np.array_equal(lean.masks.group_words(crit), full.masks.group_words(crit))
    # the usage masks are computed on first access when the analysis was lean
    assert np.array_equal(lean.masks.usage_group, full.masks.usage_group)
