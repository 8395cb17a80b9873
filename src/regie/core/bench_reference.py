"""The simple reference for the benchmark: one failure set at a time, in plain Python.

``failed_processes`` is the definition of domain.md §3.4 applied literally: start from the
failed services, then sweep over every node again and again -- a node fails when one of its
required dependencies has failed or when fewer than k members of one of its redundancy slots
still work -- until a whole sweep changes nothing (the least fixed point; cycles of
integrations are handled by the fixed point, not by a visited set). This is what issue 3 asks
the engine to be compared with ("a plain networkx propagation, about 1 s per group"): it
takes no shortcut, so it is easy to check by reading.

``failed_processes_worklist`` gives the same answer with a worklist that only visits what
fails (a breadth-first propagation with per-slot counters). It is reported beside the first
as a harder baseline, so that the ratio is not read as more than it is.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from regie.core.columns import NODE_PROCESS, NODE_SERVICE, NODE_USAGE
from regie.core.snapshot import Snapshot

__all__ = ["ReferenceGraph"]


class ReferenceGraph:
    """Adjacency lists of the whole snapshot. Nodes: processes, then active usages' indexes
    offset by the number of processes, then services."""

    def __init__(self, snap: Snapshot) -> None:
        o = snap.orgs
        cat = snap.catalogue
        self.n_p = snap.n_processes
        self.n_u = snap.n_usages
        self.n_s = cat.n_services
        base = {NODE_PROCESS: 0, NODE_USAGE: self.n_p, NODE_SERVICE: self.n_p + self.n_u}
        active = snap.usage_active.tolist()
        n = self.n_p + self.n_u + self.n_s
        self.n = n
        # what each node needs: required targets, and its redundancy slots
        self.requires: list[list[int]] = [[] for _ in range(n)]
        slots: dict[tuple[int, int], set[int]] = {}
        rows = zip(
            o.dep_src_kind.tolist(),
            o.dep_src.tolist(),
            o.dep_dst_kind.tolist(),
            o.dep_dst.tolist(),
            o.dep_group.tolist(),
            strict=True,
        )
        for sk, s, tk, t, g in rows:
            if (sk == NODE_USAGE and not active[s]) or (tk == NODE_USAGE and not active[t]):
                continue  # retired usages and their edges are not part of the graph
            src = base[sk] + s
            dst = base[tk] + t
            if g < 0:
                self.requires[src].append(dst)
            else:
                slots.setdefault((g, src), set()).add(dst)
        self.service_base = base[NODE_SERVICE]
        sb = self.service_base
        for a, b in zip(cat.cols.supply_src.tolist(), cat.cols.supply_dst.tolist(), strict=True):
            self.requires[sb + a].append(sb + b)  # a service runs on its supply chain
        k_of = o.rgroup_k.tolist()
        # a slot (group, dependant) fails when fewer than k of its distinct members work;
        # k is clamped to [1, number of members]
        self.slots: list[list[tuple[list[int], int]]] = [[] for _ in range(n)]
        for (g, src), members in slots.items():
            k = min(max(k_of[g], 1), len(members))
            self.slots[src].append((sorted(members), k))
        self.nodes = [x for x in range(n) if self.requires[x] or self.slots[x]]
        # reverse adjacency for the worklist variant
        self.required_by: list[list[int]] = [[] for _ in range(n)]
        for x in range(n):
            for t in self.requires[x]:
                self.required_by[t].append(x)
        self.slot_owner: list[int] = []
        self.slot_threshold: list[int] = []
        self.member_of: list[list[int]] = [[] for _ in range(n)]
        for x in range(n):
            for slot_members, k in self.slots[x]:
                j = len(self.slot_owner)
                self.slot_owner.append(x)
                self.slot_threshold.append(len(slot_members) - k + 1)
                for m in slot_members:
                    self.member_of[m].append(j)

    def failed_processes(self, services: list[int]) -> set[int]:
        """Processes that fail when these services fail: sweep to the least fixed point."""
        failed = [False] * self.n
        for s in services:
            failed[self.service_base + s] = True
        changed = True
        while changed:
            changed = False
            for x in self.nodes:
                if failed[x]:
                    continue
                down = any(failed[t] for t in self.requires[x])
                if not down:
                    for members, k in self.slots[x]:
                        working = sum(1 for m in members if not failed[m])
                        if working < k:
                            down = True
                            break
                if down:
                    failed[x] = True
                    changed = True
        return {p for p in range(self.n_p) if failed[p]}

    def failed_processes_worklist(self, services: list[int]) -> set[int]:
        """The same least fixed point, visiting only what fails (breadth-first, counters)."""
        failed: set[int] = set()
        counts = [0] * len(self.slot_owner)
        queue = deque(self.service_base + s for s in services)
        failed.update(queue)
        while queue:
            node = queue.popleft()
            for d in self.required_by[node]:
                if d not in failed:
                    failed.add(d)
                    queue.append(d)
            for j in self.member_of[node]:
                counts[j] += 1
                if counts[j] == self.slot_threshold[j]:
                    d = self.slot_owner[j]
                    if d not in failed:
                        failed.add(d)
                        queue.append(d)
        return {x for x in failed if x < self.n_p}

    @staticmethod
    def services_of_groups(snap: Snapshot) -> dict[int, list[int]]:
        g = snap.catalogue.service_group
        out: dict[int, list[int]] = {}
        for s in np.nonzero(g >= 0)[0].tolist():
            out.setdefault(int(g[s]), []).append(s)
        return out
