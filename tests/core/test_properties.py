"""The engine agrees with the deliberately simple reference on random landscapes
(cycles, redundancy groups, unknown facts, retired usages, ownership cycles)."""

from __future__ import annotations

import itertools
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from regie.core.concentration import reliance_matrix
from regie.core.continuity import Failure, blast_radius_all_groups, simulate, spof_matrix
from regie.core.exposure import STATES, exposure_matrix, process_exposures
from regie.core.graph import ScopeGraph
from tests.core import reference as ref
from tests.core.landscapes import Landscape, build, random_landscape

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
BOUNDED = settings(max_examples=100, deadline=None)


def _land(seed: int) -> Landscape:
    rng = random.Random(seed)
    return random_landscape(rng, orgs=rng.randint(1, 3))


def _graph(land: Landscape) -> ScopeGraph:
    snap = build(land)
    return ScopeGraph.build(snap, snap.orgs_of(None))


def _pkey(g: ScopeGraph, p_local: int) -> str:
    return str(g.snap.orgs.process_keys[g.process[p_local]])


@BOUNDED
@given(SEEDS)
def test_exposure_matches_reference(seed: int) -> None:
    land = _land(seed)
    g = _graph(land)
    em = exposure_matrix(g)
    codes = g.snap.catalogue.cols.country_codes
    for p_local in range(g.n_p):
        key = _pkey(g, p_local)
        expected = ref.exposure(land, key)
        for d, dim in enumerate(("control", "location", "access")):
            got = {codes[c] for c in em.countries[d][[p_local]].indices}
            assert got == expected[dim][0]
            assert bool(em.unknown[d][p_local]) == expected[dim][1]
            assert STATES[em.state[p_local, d]] == ref.non_trusted_state(land, key, dim)


@BOUNDED
@given(SEEDS)
def test_exposure_evidence_is_a_real_path_to_the_trigger(seed: int) -> None:
    land = _land(seed)
    g = _graph(land)
    for pe in process_exposures(g, exposure_matrix(g)):
        for e in pe.exposures:
            path = e.evidence.path
            assert path[0].kind == "process"
            assert path[0].key == pe.process
            for a, b in itertools.pairwise(path):
                assert _is_edge(land, a.kind, a.key, b.kind, b.key), (a, b)
            if e.country is not None and e.dimension == "control":
                last = path[-1]
                assert last.kind == "entity"
                info = land["entities"][last.key]
                assert e.country in (info["hq"], info["reg"])
            elif e.country is not None:
                last = path[-1]
                roles = ("rest", "processing") if e.dimension == "location" else ("access",)
                locs = land["services"][last.key]["locations"]
                assert any(e.country in locs.get(r, []) for r in roles)


def _is_edge(land: Landscape, ak: str, a: str, bk: str, b: str) -> bool:
    if ak == "entity":
        return bk == "entity" and land["entities"][a]["parent"] == b
    if ak == "service" and bk == "service":
        return (a, b) in land["supply"]
    if ak == "service" and bk == "entity":
        return land["services"][a]["provider"] == b
    return any(d["source"] == (ak, a) and d["target"] == (bk, b) for d in land["deps"])


@BOUNDED
@given(SEEDS)
def test_blast_radius_of_every_group_matches_reference(seed: int) -> None:
    land = _land(seed)
    g = _graph(land)
    cat = g.snap.catalogue
    blast = blast_radius_all_groups(g).failed_matrix.toarray()
    groups = ref.groups(land)
    for gid in range(cat.n_groups):
        root = cat.cols.entity_keys[cat.group_entity[gid]]
        expected = ref.fail(land, groups.get(root, set()))
        got = {_pkey(g, i) for i in np.nonzero(blast[:, gid])[0]}
        assert got == expected


@BOUNDED
@given(SEEDS)
def test_single_node_failures_match_reference(seed: int) -> None:
    land = _land(seed)
    g = _graph(land)
    m, used, locs = spof_matrix(g)
    m = m.toarray()
    o = g.snap.orgs
    for j, s in enumerate(used.tolist()):
        expected = ref.fail(land, {g.snap.catalogue.cols.service_keys[s]})
        assert {_pkey(g, i) for i in np.nonzero(m[:, j])[0]} == expected
    for j, loc in enumerate(locs.tolist()):
        u = o.usage_keys[g.usage[loc - g.n_p]]
        expected = ref.fail(land, set(), {u})
        assert {_pkey(g, i) for i in np.nonzero(m[:, len(used) + j])[0]} == expected


@BOUNDED
@given(SEEDS, st.data())
def test_any_failure_set_matches_reference(seed: int, data: st.DataObject) -> None:
    land = _land(seed)
    g = _graph(land)
    services = data.draw(st.sets(st.sampled_from(sorted(land["services"]))))
    usages = data.draw(st.sets(st.sampled_from(sorted(land["usages"])), max_size=2))
    out = simulate(g, Failure(services=tuple(services), usages=tuple(usages)))
    live_usages = {u for u in usages if land["usages"][u]["status"] != "retired"}
    assert set(out.failed) == ref.fail(land, services, live_usages)


@BOUNDED
@given(SEEDS)
def test_reliance_groups_match_reference(seed: int) -> None:
    land = _land(seed)
    g = _graph(land)
    cat = g.snap.catalogue
    m = reliance_matrix(g).toarray()
    for p_local in range(g.n_p):
        got = {cat.cols.entity_keys[cat.group_entity[j]] for j in np.nonzero(m[p_local])[0]}
        assert got == ref.reliance_groups(land, _pkey(g, p_local))


@BOUNDED
@given(SEEDS)
def test_analysing_one_org_equals_its_part_of_the_whole(seed: int) -> None:
    land = _land(seed)
    snap = build(land)
    whole = ScopeGraph.build(snap, snap.orgs_of(None))
    em_all = exposure_matrix(whole)
    blast_all = blast_radius_all_groups(whole).failed_matrix.toarray()
    for org in snap.orgs.org_keys:
        part = ScopeGraph.build(snap, snap.orgs_of([org]))
        em = exposure_matrix(part)
        blast = blast_radius_all_groups(part).failed_matrix.toarray()
        rows = [int(np.nonzero(whole.process == p)[0][0]) for p in part.process.tolist()]
        assert np.array_equal(em.state, em_all.state[rows])
        assert np.array_equal(blast, blast_all[rows])
