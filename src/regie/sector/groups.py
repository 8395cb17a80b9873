"""The differencing guard: which groups of organisations may be aggregated at all.

Rule (ADR 0101). The *candidates* are every group a caller can reach: all organisations, each
combination of the filters (kind, province, joint arrangement) and each peer group. Additive
aggregates over several groups can be added and subtracted, so what a caller can compute an
aggregate over is any union of the *atoms* of those groups (the classes of organisations that
belong to exactly the same groups). Candidates are admitted one by one, broadest first (fewer
filters, then larger, then by key); a candidate is admitted only if, with it, every non-empty
atom still holds at least k organisations. Everything else is refused. So no sum or difference
of admitted aggregates is over fewer than k organisations.

Pure Python: no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Admission:
    admitted: dict[Hashable, frozenset[int]]
    refused: dict[Hashable, str]

    def members(self, key: Hashable) -> frozenset[int]:
        if key not in self.admitted:
            raise KeyError(key)
        return self.admitted[key]


def admit(candidates: Iterable[tuple[Hashable, frozenset[int], int]], *, k: int) -> Admission:
    """Admit candidates ``(key, members, rank)`` in order of (rank, -size, str(key))."""
    order = sorted(candidates, key=lambda c: (c[2], -len(c[1]), str(c[0])))
    signature: dict[int, int] = {}  # organisation -> bit pattern over admitted groups
    admitted: dict[Hashable, frozenset[int]] = {}
    refused: dict[Hashable, str] = {}
    universe: set[int] = set()
    for key, members, _rank in order:
        if len(members) < k:
            refused[key] = "fewer than k organisations"
            continue
        if members in admitted.values():
            admitted[key] = members  # the same set under another name adds nothing
            continue
        bit = 1 << len(admitted)
        trial = {o: s | (bit if o in members else 0) for o, s in signature.items()}
        for o in members - universe:
            trial[o] = bit
        atoms = Counter(trial.values())
        if any(0 < n < k for n in atoms.values()):
            refused[key] = "would isolate fewer than k organisations together with another group"
            continue
        admitted[key] = members
        signature = trial
        universe |= members
    return Admission(admitted, refused)


def atoms_of(groups: Mapping[Hashable, frozenset[int]]) -> Counter[frozenset[Hashable]]:
    """Sizes of the atoms of a family of groups (for tests and documentation)."""
    sig: dict[int, set[Hashable]] = {}
    for key, members in groups.items():
        for o in members:
            sig.setdefault(o, set()).add(key)
    return Counter(frozenset(s) for s in sig.values())
