"""The differencing guard on hand-made groups (no database)."""

from __future__ import annotations

import itertools

from regie.sector.groups import admit, atoms_of


def test_a_group_one_organisation_smaller_than_an_admitted_one_is_refused() -> None:
    everyone = frozenset(range(11))
    municipalities = frozenset(range(10))
    result = admit([("all", everyone, 0), ("municipalities", municipalities, 1)], k=5)
    assert "all" in result.admitted
    assert "municipalities" in result.refused


def test_overlapping_groups_that_would_isolate_a_small_atom_are_refused() -> None:
    everyone = frozenset(range(20))
    a = frozenset(range(10))  # 10
    b = frozenset(range(7, 17))  # 10, overlapping a in 3
    result = admit([("all", everyone, 0), ("a", a, 1), ("b", b, 1)], k=5)
    assert "a" in result.admitted
    assert "b" in result.refused  # a & b would be an atom of 3


def test_every_atom_of_the_admitted_groups_holds_at_least_k() -> None:
    everyone = frozenset(range(30))
    cands = [("all", everyone, 0)] + [
        (f"g{i}", frozenset(x for x in range(30) if (x * (i + 3)) % 7 < 3 + i % 3), 1) for i in range(12)
    ]
    result = admit(cands, k=5)
    atoms = atoms_of(result.admitted)
    assert atoms
    assert all(n >= 5 for n in atoms.values())
    for (_, g), (_, h) in itertools.combinations(result.admitted.items(), 2):
        assert len(g ^ h) == 0 or len(g ^ h) >= 5
